#include "speech/trace.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace kiosk::trace {

namespace {

struct Sink {
    std::FILE* file = nullptr;
    std::mutex mutex;
    Sink() {
        const char* path = std::getenv("KIOSK_TRACE");
        if (path != nullptr && *path != '\0') file = std::fopen(path, "w");
    }
    ~Sink() {
        if (file != nullptr) std::fclose(file);
    }
};

Sink& sink() {
    static Sink instance;
    return instance;
}

}  // namespace

bool enabled() {
    return sink().file != nullptr;
}

void event(std::string_view name, std::string_view detail) {
    Sink& s = sink();
    if (s.file == nullptr) return;
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const long long ns = static_cast<long long>(now.tv_sec) * 1'000'000'000LL + now.tv_nsec;
    std::lock_guard lock(s.mutex);
    std::fprintf(s.file, "%.*s %lld%s%.*s\n", static_cast<int>(name.size()), name.data(), ns, detail.empty() ? "" : " ",
                 static_cast<int>(detail.size()), detail.data());
    std::fflush(s.file);  // the bench reads it while the kiosk runs
}

}  // namespace kiosk::trace
