#include "fuzz/targets.hpp"

#include <cstdio>
#include <cstdlib>

namespace kiosk::fuzz {

void invariantBroken(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, file, line);
    std::fflush(stderr);
    std::abort();
}

}  // namespace kiosk::fuzz
