#include "forms/icon_file.hpp"

#include "forms/staff_file.hpp"
#include "forms/value.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>

namespace kiosk::forms {

namespace {

// [SECTION] PNG -------------------------------------------------------------------------------

std::uint32_t bigEndian32(std::string_view bytes, std::size_t at) {
    return (std::uint32_t{static_cast<unsigned char>(bytes[at])} << 24) |
           (std::uint32_t{static_cast<unsigned char>(bytes[at + 1])} << 16) |
           (std::uint32_t{static_cast<unsigned char>(bytes[at + 2])} << 8) |
           std::uint32_t{static_cast<unsigned char>(bytes[at + 3])};
}

const std::string kCutOff =
    "the PNG file ends too early (it was probably cut off while copying); copy it again";
const std::string kDamaged = "the PNG file is damaged (";
const std::string kSaveAgain = "); open it in an image editor and save it again as PNG";

// Bytes the unpacked image data must have: per row one filter byte and the row's pixels,
// per Adam7 pass when interlaced (PNG specification, sections 7.2 and 8.2).
std::uint64_t rawSize(std::uint64_t width, std::uint64_t height, std::uint64_t bitsPerPixel, bool interlaced) {
    auto rows = [&](std::uint64_t w, std::uint64_t h) -> std::uint64_t {
        if (w == 0 || h == 0) return 0;
        return h * (1 + (w * bitsPerPixel + 7) / 8);
    };
    if (!interlaced) return rows(width, height);
    struct Pass { std::uint64_t x0, y0, dx, dy; };
    static constexpr std::array<Pass, 7> kPasses{{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                                 {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}};
    std::uint64_t total = 0;
    for (const auto& pass : kPasses) {
        const std::uint64_t w = width > pass.x0 ? (width - pass.x0 + pass.dx - 1) / pass.dx : 0;
        const std::uint64_t h = height > pass.y0 ? (height - pass.y0 + pass.dy - 1) / pass.dy : 0;
        total += rows(w, h);
    }
    return total;
}

// Unpacks the IDAT stream into a small buffer that is thrown away, counting bytes.
class InflateCounter {
public:
    InflateCounter() { m_ok = inflateInit(&m_stream) == Z_OK; }
    ~InflateCounter() {
        if (m_ok) inflateEnd(&m_stream);
    }
    InflateCounter(const InflateCounter&) = delete;
    InflateCounter& operator=(const InflateCounter&) = delete;

    // Feeds one IDAT chunk. Fails when the data is broken or unpacks to more than `limit`.
    std::expected<void, std::string> feed(std::string_view data, std::uint64_t limit) {
        if (!m_ok) return std::unexpected("out of memory while checking the PNG");
        if (m_ended) {
            if (data.empty()) return {};
            return std::unexpected(kDamaged + "image data after its end" + kSaveAgain);
        }
        m_stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        m_stream.avail_in = static_cast<uInt>(data.size());
        std::array<Bytef, 65536> out{};
        for (;;) {
            m_stream.next_out = out.data();
            m_stream.avail_out = static_cast<uInt>(out.size());
            const int result = inflate(&m_stream, Z_NO_FLUSH);
            m_produced += out.size() - m_stream.avail_out;
            if (m_produced > limit) {
                return std::unexpected(
                    "the PNG's image data unpacks to more than its width and height allow (a "
                    "\"decompression bomb\"); open it in an image editor and save it again as PNG");
            }
            if (result == Z_STREAM_END) {
                m_ended = true;
                return {};
            }
            if (result == Z_BUF_ERROR || (result == Z_OK && m_stream.avail_in == 0 && m_stream.avail_out != 0)) {
                return {};  // needs the next chunk
            }
            if (result != Z_OK) return std::unexpected(kDamaged + "its image data cannot be unpacked" + kSaveAgain);
        }
    }
    [[nodiscard]] bool ended() const { return m_ended; }
    [[nodiscard]] std::uint64_t produced() const { return m_produced; }

private:
    z_stream m_stream{};
    bool m_ok = false;
    bool m_ended = false;
    std::uint64_t m_produced = 0;
};

std::expected<void, std::string> checkPng(std::string_view bytes) {
    static constexpr std::string_view kSignature{"\x89PNG\r\n\x1a\n", 8};
    if (!bytes.starts_with(kSignature)) {
        if (bytes.size() < kSignature.size() && kSignature.starts_with(bytes)) return std::unexpected(kCutOff);
        const auto format = binaryFormatOf(bytes);
        return std::unexpected("this is not a PNG image" + (format ? " (it is " + *format + ")" : std::string()) +
                               "; save the picture as PNG, or name an SVG file NAME.svg");
    }
    std::size_t at = kSignature.size();
    bool first = true;
    std::uint64_t expected = 0;
    InflateCounter data;
    bool sawData = false;
    for (;;) {
        if (bytes.size() - at < 12) return std::unexpected(kCutOff);
        const std::uint32_t length = bigEndian32(bytes, at);
        if (length > 0x7FFFFFFFu) return std::unexpected(kDamaged + "a chunk says it is longer than 2 GiB" + kSaveAgain);
        if (bytes.size() - at - 12 < length) return std::unexpected(kCutOff);
        const std::string_view type = bytes.substr(at + 4, 4);
        const std::string_view body = bytes.substr(at + 8, length);
        const auto crc = crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(bytes.data() + at + 4),
                               static_cast<uInt>(length + 4));
        if (crc != bigEndian32(bytes, at + 8 + length)) {
            return std::unexpected(kDamaged + "a checksum does not match" + kSaveAgain);
        }
        at += 12 + std::size_t{length};
        if (first) {
            if (type != "IHDR" || length != 13) return std::unexpected(kDamaged + "it does not start with its header" + kSaveAgain);
            first = false;
            const std::uint32_t width = bigEndian32(body, 0);
            const std::uint32_t height = bigEndian32(body, 4);
            if (width == 0 || height == 0 || width > kMaxIconPixels || height > kMaxIconPixels) {
                return std::unexpected("the PNG image is " + std::to_string(width) + " x " + std::to_string(height) +
                                       " pixels; icons may be at most " + std::to_string(kMaxIconPixels) + " x " +
                                       std::to_string(kMaxIconPixels) + " (512 x 512 is plenty): make it smaller");
            }
            const auto depth = static_cast<unsigned char>(body[8]);
            const auto colour = static_cast<unsigned char>(body[9]);
            const int channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 3 ? 1 : colour == 4 ? 2 : colour == 6 ? 4 : 0;
            const bool depthOk = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            const auto interlace = static_cast<unsigned char>(body[12]);
            if (channels == 0 || !depthOk || body[10] != 0 || body[11] != 0 || interlace > 1) {
                return std::unexpected(kDamaged + "its header is not one a PNG can have" + kSaveAgain);
            }
            expected = rawSize(width, height, std::uint64_t(channels) * depth, interlace == 1);
            continue;
        }
        if (type == "IDAT") {
            sawData = true;
            if (auto fed = data.feed(body, expected); !fed) return std::unexpected(fed.error());
        } else if (type == "IEND") {
            break;
        }
    }
    if (!sawData || !data.ended()) {
        return std::unexpected("the PNG's image data ends too early (the file was probably cut off or "
                               "damaged); copy it again or save it again as PNG");
    }
    if (data.produced() != expected) {
        return std::unexpected(kDamaged + "its image data is shorter than its width and height say" + kSaveAgain);
    }
    return {};
}

// [SECTION] SVG -------------------------------------------------------------------------------

std::string lowerAscii(std::string_view text) {
    std::string lower(text);
    std::ranges::transform(lower, lower.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return lower;
}

std::string shortened(std::string_view text) {
    if (text.size() <= 60) return std::string(text);
    return std::string(text.substr(0, 57)) + "...";
}

std::string outsideReference(std::string_view what) {
    return "the SVG refers to something outside itself (" + shortened(what) +
           "); an icon must be one self-contained file: remove the reference, or draw that part "
           "inside the SVG";
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Every attribute value written NAME = "value" (or 'value') in `lower`; NAME must not be the
// end of a longer name ("stroke-width" is not "width").
template <typename Visit>
std::expected<void, std::string> eachAttribute(std::string_view lower, std::string_view original,
                                               std::string_view name, Visit visit) {
    for (std::size_t at = lower.find(name); at != std::string_view::npos; at = lower.find(name, at + 1)) {
        const bool ownName = at == 0 || isSpace(lower[at - 1]) || lower[at - 1] == ':';
        std::size_t i = at + name.size();
        while (i < lower.size() && isSpace(lower[i])) ++i;
        if (!ownName || i >= lower.size() || lower[i] != '=') continue;
        ++i;
        while (i < lower.size() && isSpace(lower[i])) ++i;
        if (i >= lower.size() || (lower[i] != '"' && lower[i] != '\'')) continue;
        const char quote = lower[i];
        const std::size_t end = lower.find(quote, i + 1);
        if (end == std::string_view::npos) continue;
        if (auto ok = visit(original.substr(i + 1, end - i - 1), original.substr(at, end + 1 - at)); !ok) return ok;
    }
    return {};
}

std::expected<void, std::string> checkSvg(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (firstInvalidUtf8(bytes) || bytes.find('\0') != std::string_view::npos) {
        const auto format = binaryFormatOf(bytes);
        return std::unexpected("this is not SVG text" + (format ? " (it is " + *format + ")" : std::string()) +
                               "; save the picture as SVG (UTF-8), or name a PNG file NAME.png");
    }
    const std::string lower = lowerAscii(bytes);
    if (lower.find("<!doctype") != std::string::npos || lower.find("<!entity") != std::string::npos) {
        return std::unexpected("the SVG has a <!DOCTYPE> or <!ENTITY> part; entities can make a small file "
                               "grow without end, so icons may not have them: remove it (an SVG needs neither)");
    }
    const std::size_t svg = lower.find("<svg");
    if (svg == std::string::npos) {
        return std::unexpected("this is not an SVG image (there is no <svg> element); save the picture as SVG");
    }
    if (lower.find("<?xml-stylesheet") != std::string::npos) return std::unexpected(outsideReference("<?xml-stylesheet"));
    if (const auto at = lower.find("@import"); at != std::string::npos) {
        return std::unexpected(outsideReference(bytes.substr(at, lower.find_first_of(";\n", at) - at)));
    }
    auto internalOnly = [](std::string_view value, std::string_view written) -> std::expected<void, std::string> {
        std::size_t i = 0;
        while (i < value.size() && isSpace(value[i])) ++i;
        if (i < value.size() && value[i] == '#') return {};
        if (value.substr(i).starts_with("data:")) {
            return std::unexpected("the SVG has a picture packed inside it (" + shortened(written) +
                                   "); icons may not carry other pictures: draw that part as SVG shapes, "
                                   "or use a PNG icon");
        }
        return std::unexpected(outsideReference(written));
    };
    if (auto ok = eachAttribute(lower, bytes, "href", internalOnly); !ok) return ok;
    for (std::size_t at = lower.find("url("); at != std::string::npos; at = lower.find("url(", at + 1)) {
        std::size_t i = at + 4;
        while (i < lower.size() && (isSpace(lower[i]) || lower[i] == '"' || lower[i] == '\'')) ++i;
        if (i >= lower.size() || lower[i] != '#') {
            return std::unexpected(outsideReference(bytes.substr(at, lower.find(')', at) - at + 1)));
        }
    }
    // The declared size of the <svg> element itself.
    const std::size_t tagEnd = lower.find('>', svg);
    const std::string_view tag = std::string_view(lower).substr(svg, tagEnd == std::string::npos ? tagEnd : tagEnd - svg);
    for (const std::string_view name : {"width", "height"}) {
        auto bounded = [&](std::string_view value, std::string_view written) -> std::expected<void, std::string> {
            double number = 0;
            std::size_t i = 0;
            while (i < value.size() && isSpace(value[i])) ++i;
            const auto parsed = std::from_chars(value.data() + i, value.data() + value.size(), number);
            if (parsed.ec != std::errc{} && parsed.ec != std::errc::result_out_of_range) return {};
            const bool percent = parsed.ptr != value.data() + value.size() && *parsed.ptr == '%';
            if (!percent && (parsed.ec == std::errc::result_out_of_range || number > double(kMaxIconPixels))) {
                return std::unexpected("the SVG declares " + shortened(written) + "; icons may be at most " +
                                       std::to_string(kMaxIconPixels) +
                                       " wide and high: set width and height to the size you want (for "
                                       "example 512) and keep the viewBox");
            }
            return {};
        };
        if (auto ok = eachAttribute(tag, bytes.substr(svg, tag.size()), name, bounded); !ok) return ok;
    }
    return {};
}

}  // namespace

std::expected<void, std::string> checkIconBytes(std::string_view bytes, IconFormat format) {
    return format == IconFormat::Png ? checkPng(bytes) : checkSvg(bytes);
}

std::expected<std::string, std::string> readIconFile(const std::filesystem::path& formsFolder,
                                                     const std::filesystem::path& file, IconFormat format) {
    ReadRules rules;
    rules.maxBytes = kMaxIconFileBytes;
    rules.sizeRule = "icons may be at most 1024 KiB (1 MiB): make the picture smaller (512 x 512 pixels is plenty)";
    rules.kind = "icon file";
    rules.insideFolder = formsFolder;
    auto bytes = readStaffFile(file, rules);
    if (!bytes) return bytes;
    if (auto ok = checkIconBytes(*bytes, format); !ok) return std::unexpected(ok.error());
    return bytes;
}

}  // namespace kiosk::forms
