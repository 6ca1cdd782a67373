// Answer values as the session keeps them and the payload submits them, plus the few
// conversions that the loader, the conditions and the validators share.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kiosk::forms {

// A normalised answer, in the shape the contract submits it:
//   text, choice, postcode, bsn, iban, phone, email -> std::string
//   money -> std::string "1234.50"; date -> std::string "YYYY-MM-DD"
//   number -> std::int64_t; yesno, consent -> bool; multichoice -> list of option values
using Value = std::variant<std::string, std::int64_t, bool, std::vector<std::string>>;

// "2026-11-29" -> that day. Only this exact shape, and only real calendar days.
[[nodiscard]] std::optional<std::chrono::year_month_day> parseIsoDate(std::string_view text);
// A day -> "2026-11-29".
[[nodiscard]] std::string formatIsoDate(std::chrono::year_month_day day);

// A plain decimal amount with '.' as separator and at most two decimals ("12", "12.5",
// "-3.75") -> cents. Nullopt for anything else or on overflow. Citizens' input, with
// commas and euro signs, goes through the money validator instead.
[[nodiscard]] std::optional<std::int64_t> parseCents(std::string_view text);
// Cents -> "1234.50" (the contract's money format; "-3.75" below zero).
[[nodiscard]] std::string formatCents(std::int64_t cents);

// One UTF-8 character at a byte offset.
struct CodePoint {
    std::uint32_t value = 0;
    std::size_t length = 1;  // bytes
    bool valid = false;      // false: a byte that is not valid UTF-8 (length 1)
};
// Decodes the character at `at` (< text.size()). Overlong forms, surrogates and values
// above U+10FFFF are invalid.
[[nodiscard]] CodePoint decodeUtf8(std::string_view text, std::size_t at);

// Number of Unicode code points in valid UTF-8 text (what "length" means to a citizen).
[[nodiscard]] std::size_t codePointCount(std::string_view utf8);
// The byte offset of the first byte that is not valid UTF-8, or nullopt when all is valid.
// Overlong forms, surrogates and code points above U+10FFFF count as invalid.
[[nodiscard]] std::optional<std::size_t> firstInvalidUtf8(std::string_view bytes);

}  // namespace kiosk::forms
