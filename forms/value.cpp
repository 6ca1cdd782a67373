#include "forms/value.hpp"

#include <charconv>
#include <cstdio>
#include <limits>

namespace kiosk::forms {

namespace {
bool isDigit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (!isDigit(text[i])) return std::nullopt;
    }
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    std::from_chars(text.data(), text.data() + 4, year);
    std::from_chars(text.data() + 5, text.data() + 7, month);
    std::from_chars(text.data() + 8, text.data() + 10, day);
    const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                           std::chrono::day{day}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string formatIsoDate(std::chrono::year_month_day day) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return buffer;
}

std::optional<std::int64_t> parseCents(std::string_view text) {
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || fraction.size() > 2) return std::nullopt;
    if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
    for (char c : whole) if (!isDigit(c)) return std::nullopt;
    for (char c : fraction) if (!isDigit(c)) return std::nullopt;

    constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 100 - 1;
    std::int64_t euros = 0;
    const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), euros);
    if (error != std::errc{} || end != whole.data() + whole.size() || euros > kLimit) {
        return std::nullopt;
    }
    std::int64_t cents = 0;
    if (!fraction.empty()) {
        cents = (fraction[0] - '0') * 10 + (fraction.size() == 2 ? fraction[1] - '0' : 0);
    }
    const std::int64_t total = euros * 100 + cents;
    return negative ? -total : total;
}

std::string formatCents(std::int64_t cents) {
    const bool negative = cents < 0;
    // Work in unsigned so that the most negative value does not overflow.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(cents)
                                             : static_cast<std::uint64_t>(cents);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%llu.%02llu", negative ? "-" : "",
                  static_cast<unsigned long long>(magnitude / 100),
                  static_cast<unsigned long long>(magnitude % 100));
    return buffer;
}

CodePoint decodeUtf8(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) return {lead, 1, true};
    std::size_t length = 0;
    std::uint32_t point = 0;
    std::uint32_t lowest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2; point = lead & 0x1F; lowest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3; point = lead & 0x0F; lowest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4; point = lead & 0x07; lowest = 0x10000;
    } else {
        return {};
    }
    if (at + length > text.size()) return {};
    for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[at + k]);
        if ((next & 0xC0) != 0x80) return {};
        point = (point << 6) | (next & 0x3F);
    }
    if (point < lowest || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return {};
    return {point, length, true};
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        const CodePoint cp = decodeUtf8(bytes, i);
        if (!cp.valid) return i;
        i += cp.length;
    }
    return std::nullopt;
}

std::size_t codePointCount(std::string_view utf8) {
    std::size_t count = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

}  // namespace kiosk::forms
