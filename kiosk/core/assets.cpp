#include "kiosk/core/assets.hpp"

#include <cstdlib>

namespace kiosk::core {

std::filesystem::path assetsDir() {
    if (const char* fromEnvironment = std::getenv("KIOSK_ASSETS_DIR");
        fromEnvironment != nullptr && *fromEnvironment != '\0') {
        return fromEnvironment;
    }
    // Installed: <prefix>/bin/kiosk next to <prefix>/share/toegang/assets. Relative to the
    // executable, so a build tree never picks up an older installed copy by accident.
    std::error_code ec;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = executable.parent_path().parent_path() / "share/toegang/assets";
        if (std::filesystem::is_directory(installed, ec)) return installed;
    }
    return KIOSK_SOURCE_ASSETS_DIR;
}

}  // namespace kiosk::core
