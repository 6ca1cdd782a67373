// What a person would SAY for a value: the text handed to the Speaker for amounts, dates,
// BSNs, phone numbers, postcodes, IBANs and reference numbers, per language (nl, en, tr, pl),
// and the abbreviations in UI strings that eSpeak NG would misread.
//
// [SECTION] How eSpeak NG 1.51 reads what we give it (checked, see tests/unit/speech)
//   - Numbers as digits ("1234", "2026") are read well in all four languages; thousands
//     separators are not ("1.234,50" -> "duizend ... komma vijf nul"), so amounts are
//     spoken as "{euros} en {cents}". A leading minus is dropped in Turkish and Polish
//     ("-5" -> "beş"), so the word comes from the string table (spoken.minus).
//   - Digits separated by spaces are read one by one ("1 1 1" -> "een een een").
//   - A letter alone is NOT always read as its name when separated by spaces only: English
//     reads "A" as the article (schwa), Dutch reads "S" as a hissed "s". Separated by
//     commas every letter is read by its name in all four languages, with a short pause.
//     So letters are spelled "A, B", digits next to digits "1 2", groups end with "; ".
//   - Letters joined by hyphens ("U-W-V") are read as letter names without pauses: the
//     abbreviation table uses that.
// All output is plain text (no SSML).
//
// [SECTION] API
// Pure functions; thread-safe. Values that do not parse give nullopt (the caller then
// speaks the value as shown). Word templates come from the string table (spoken.*,
// month.N, weekday.N), so a translator can correct them.
#pragma once

#include "kiosk/core/strings.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core::spoken {

// Digits one by one, in groups of `groupSize` from the left, groups separated by ", ":
// "111222333" -> "1 1 1, 2 2 2, 3 3 3". Anything but ASCII digits is left out.
[[nodiscard]] std::string digitGroups(std::string_view digits, std::size_t groupSize = 3);

// A BSN (9 digits): "111222333" -> "1 1 1, 2 2 2, 3 3 3".
[[nodiscard]] std::optional<std::string> bsn(std::string_view value);

// A phone number as the form contract stores it (digits, optional leading '+'):
//   "0612345678"   -> "0 6 1, 2 3 4, 5 6 7 8"
//   "+31612345678" -> "plus, 3 1; 6 1 2, 3 4 5, 6 7 8"   (the country code on its own)
// Digits one by one in groups of 3; the last group takes 2 to 4 digits, never 1.
[[nodiscard]] std::optional<std::string> phone(const StringTable& strings, std::string_view language,
                                               std::string_view value);

// A whole number: as digits, which eSpeak reads as a number ("1234"); negative with the
// language's word ("min 5"). A number written with leading zeros ("007", a house number
// addition) is read digit by digit: use digitsAsWritten() for those.
[[nodiscard]] std::string number(const StringTable& strings, std::string_view language, std::int64_t value);
// "007" -> "0 0 7"; "12" -> "12" (no leading zero: read as a number).
[[nodiscard]] std::string digitsAsWritten(std::string_view digits);

// An amount in the contract's form ("1234.50", "-3.75", "12"):
//   nl "1234 euro en 50 cent", en "1234 euros and 50 cents", tr "1234 avro 50 sent",
//   pl "1234 euro i 50 centów"; no cents: "12 euro"; no euros: "50 cent".
[[nodiscard]] std::optional<std::string> amount(const StringTable& strings, std::string_view language,
                                                std::string_view value);

// A date with its weekday: nl "zaterdag 5 december 2026", en "Saturday 5 December 2026",
// tr "5 Aralık 2026 Cumartesi", pl "sobota, 5 grudnia 2026".
[[nodiscard]] std::string date(const StringTable& strings, std::string_view language,
                               std::chrono::year_month_day day);
// The same from "YYYY-MM-DD"; nullopt if it is not a real day.
[[nodiscard]] std::optional<std::string> date(const StringTable& strings, std::string_view language,
                                              std::string_view iso);

// A Dutch postcode ("3511AB", also "3511 ab") -> "35 11, A, B": the digits as two numbers
// (as people say them), the letters by name.
[[nodiscard]] std::optional<std::string> postcode(std::string_view value);

// An IBAN (spaces and case tolerated) in groups of 4, spelled:
//   "NL91ABNA0417164300" -> "N, L, 9 1; A, B, N, A; 0 4 1 7; 1 6 4 3; 0 0"
[[nodiscard]] std::optional<std::string> iban(std::string_view value);

// A reference number ("K7QPD-4M2XR", as parseReference accepts it), slowly: every symbol
// on its own, the two groups apart: "K, 7, Q, P, D; 4, M, 2, X, R".
[[nodiscard]] std::optional<std::string> reference(std::string_view value);

// Any text character by character, every character on its own: "AB12" -> "A, B, 1, 2".
// Spaces become group breaks ("; "). UTF-8 characters are kept whole.
[[nodiscard]] std::string spell(std::string_view text);

// [SECTION] Abbreviations in UI strings

// A text made for speech, and where each replaced piece came from, so that a word event
// in the spoken text can be mapped back onto the text shown on screen.
struct SpokenText {
    struct Piece {
        std::size_t spokenOffset = 0;
        std::size_t spokenLength = 0;
        std::size_t sourceOffset = 0;
        std::size_t sourceLength = 0;
    };
    std::string text;
    std::vector<Piece> replaced;  // in text order

    // The byte range of the source text that the spoken range [offset, offset+length)
    // comes from: inside a replacement, the whole replaced word; elsewhere shifted.
    [[nodiscard]] std::pair<std::size_t, std::size_t> sourceRange(std::size_t offset, std::size_t length) const;
};

// Replaces whole words that eSpeak NG misreads in `language` ("UWV" -> "U-W-V" in nl, en,
// tr and pl; "bijv." -> "bijvoorbeeld" in nl; "e.g." -> "for example" in en). Words eSpeak
// already reads right are left alone ("BSN", "DigiD", "IBAN" in nl). Case-sensitive.
[[nodiscard]] SpokenText expandAbbreviations(std::string_view language, std::string_view text);

// The table for a language (tests, docs): written form -> spoken form.
[[nodiscard]] std::vector<std::pair<std::string_view, std::string_view>> abbreviations(std::string_view language);

}  // namespace kiosk::core::spoken
