#include "kiosk/net/log.hpp"

#include <unistd.h>

#include <string>

namespace kiosk::net {

LogSink stderrLog() {
    return [](std::string_view line) {
        // One write(2) per line keeps lines from two threads from interleaving.
        std::string out = "kiosk-net: ";
        out.append(line);
        out += '\n';
        const char* data = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(STDERR_FILENO, data, left);
            if (n <= 0) return;
            data += n;
            left -= static_cast<std::size_t>(n);
        }
    };
}

LogSink silentLog() {
    return [](std::string_view) {};
}

}  // namespace kiosk::net
