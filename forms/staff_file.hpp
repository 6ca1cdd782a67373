// Reading a file that staff put on the kiosk (a form file, a custom icon, the config)
// without trusting it: it may be a link to elsewhere, a named pipe that would block a plain
// open(), a folder, a sparse 10 GB file, unreadable for the kiosk user, or replaced while
// it is being read. Every refusal is a sentence for staff that says how to fix it.
//
// Thread: any; no shared state. Never throws. POSIX only (open/openat/fstat).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::forms {

struct ReadRules {
    // Files larger than this are refused by their size, without reading a byte.
    std::uintmax_t maxBytes = 1024 * 1024;
    // The end of the "too large" sentence: "the file is N KiB; <sizeRule>".
    std::string_view sizeRule = "files may be at most 1024 KiB (1 MiB)";
    // What the file should be, in messages ("this is a folder, not a form file").
    std::string_view kind = "form file";
    // When not empty: the file, after following every link, must lie inside this folder
    // (in it or in a subfolder of it), and it is then opened component by component from
    // this folder with O_NOFOLLOW, so that a link swapped in after the check is refused
    // instead of followed.
    std::filesystem::path insideFolder;
};

// The whole content of a regular file. Refused (the message, without path) when the file
// is missing, a dangling or circular link, a link (or a linked folder) that leads outside
// `insideFolder`, a folder, a named pipe, a socket or a device, larger than `maxBytes`,
// not readable by this process, or changed while it was opened. A named pipe never blocks:
// its type is checked before it is opened, and every open uses O_NONBLOCK.
[[nodiscard]] std::expected<std::string, std::string> readStaffFile(const std::filesystem::path& file,
                                                                    const ReadRules& rules);

// What a file is when its first bytes are those of a well-known non-text format: "a PNG
// image", "a PDF document", "a ZIP archive (or a Word, Excel or OpenDocument file)", ...;
// "UTF-16 text" for a UTF-16 byte order mark. Nullopt for anything else.
[[nodiscard]] std::optional<std::string> binaryFormatOf(std::string_view bytes);

}  // namespace kiosk::forms
