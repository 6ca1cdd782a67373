// libFuzzer's entry point for one target; KIOSK_FUZZ_ENTRY names the function of
// targets.hpp (set per executable in fuzz/CMakeLists.txt).
#include "fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::KIOSK_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
