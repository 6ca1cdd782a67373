// Where the kiosk's own files live (string tables, icon list, demo forms).
#pragma once

#include <filesystem>

namespace kiosk::core {

// The assets folder: $KIOSK_ASSETS_DIR if set; else the installed folder next to the
// executable (<prefix>/share/toegang/assets) if it exists; else the source tree's assets/ (a
// developer running from the build folder).
[[nodiscard]] std::filesystem::path assetsDir();

}  // namespace kiosk::core
