// Staff's own pictograms (NAME.png / NAME.svg in the forms folder's icons/) checked before
// anything decodes them: the form loader refuses a broken icon with a finding (so the lint
// names it), and the window checks the same bytes again before it decodes them, so a file
// swapped in after loading cannot crash the kiosk or eat its memory at a citizen's screen.
//
// Thread: any. Never throws. Pure: zlib only (to check a PNG's compressed data).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace kiosk::forms {

// Largest width or height of a PNG, and of an SVG's declared size, in pixels. A PNG of
// 4096 x 4096 decodes to 64 MiB of RGBA; pictograms need far less (512 is plenty).
inline constexpr std::uint32_t kMaxIconPixels = 4096;
inline constexpr std::uintmax_t kMaxIconFileBytes = 1024 * 1024;

enum class IconFormat { Png, Svg };

// Checks an icon's bytes. A PNG must be complete and intact (every chunk inside the file,
// every checksum right, IEND at the end), at most kMaxIconPixels wide and high, and its
// compressed data must unpack to exactly the size its header declares (checked by
// unpacking into a small buffer that is thrown away: a "decompression bomb" is refused
// after at most that many bytes). An SVG must be UTF-8, without a DOCTYPE or entities,
// without references to other files or web addresses (only "#id" inside the file), and
// its declared width and height at most kMaxIconPixels. The error is a sentence for staff.
[[nodiscard]] std::expected<void, std::string> checkIconBytes(std::string_view bytes,
                                                              IconFormat format);

// Reads icons/NAME.png or .svg below `formsFolder` with readStaffFile (links must stay
// inside the forms folder, at most kMaxIconFileBytes) and checks it. Returns the bytes.
[[nodiscard]] std::expected<std::string, std::string> readIconFile(
    const std::filesystem::path& formsFolder, const std::filesystem::path& file, IconFormat format);

}  // namespace kiosk::forms
