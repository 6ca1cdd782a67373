// [SECTION] Spelling helpers
// [SECTION] Numbers, BSN, phone
// [SECTION] Amounts and dates
// [SECTION] Postcode, IBAN, reference
// [SECTION] Abbreviations
#include "kiosk/core/spoken.hpp"

#include "forms/reference.hpp"
#include "forms/value.hpp"

#include <algorithm>
#include <array>

namespace kiosk::core::spoken {
namespace {

// [SECTION] Spelling helpers -------------------------------------------------------------------

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
char toUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// A group of ASCII letters and digits, spelled: letters apart by commas (so that eSpeak
// names them), a digit next to a digit by a space ("N, L, 9 1"). With `slow`, every symbol
// is apart by a comma ("4, M, 2").
std::string spellGroup(std::string_view group, bool slow) {
    std::string out;
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (i > 0) out += (!slow && isDigit(group[i - 1]) && isDigit(group[i])) ? " " : ", ";
        out += group[i];
    }
    return out;
}

std::string joinGroups(const std::vector<std::string>& groups, std::string_view separator) {
    std::string out;
    for (const auto& group : groups) {
        if (!out.empty()) out += separator;
        out += group;
    }
    return out;
}

std::string withoutSpacesUpper(std::string_view value) {
    std::string out;
    for (const char c : value) {
        if (c == ' ' || c == '\t') continue;
        out += toUpper(c);
    }
    return out;
}

// Sizes of digit groups: 3s, with a last group of 2 to 4 (never a lone digit).
std::vector<std::size_t> phoneGroups(std::size_t count) {
    std::vector<std::size_t> sizes;
    while (count > 4) {
        sizes.push_back(3);
        count -= 3;
    }
    if (count > 0) sizes.push_back(count);
    return sizes;
}

// The length of the country code at the start of an international number (ITU-T E.164
// zones): 1 for zones 1 and 7, 2 for the two-digit codes listed, 3 for the rest.
std::size_t countryCodeLength(std::string_view digits) {
    if (digits.empty()) return 0;
    if (digits[0] == '1' || digits[0] == '7') return 1;
    if (digits.size() < 2) return digits.size();
    static constexpr auto kTwoDigit = std::to_array<std::string_view>({
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
        "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62",
        "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    });
    const auto first2 = digits.substr(0, 2);
    if (std::ranges::find(kTwoDigit, first2) != kTwoDigit.end()) return 2;
    return std::min<std::size_t>(3, digits.size());
}

std::string digitsOneByOne(std::string_view digits) {
    std::string out;
    for (const char c : digits) {
        if (!isDigit(c)) continue;
        if (!out.empty()) out += ' ';
        out += c;
    }
    return out;
}

std::string groupedDigits(std::string_view digits, const std::vector<std::size_t>& sizes) {
    std::vector<std::string> groups;
    std::size_t at = 0;
    for (const auto size : sizes) {
        groups.push_back(digitsOneByOne(digits.substr(at, size)));
        at += size;
    }
    return joinGroups(groups, ", ");
}

// [SECTION] Amounts and dates (helpers) --------------------------------------------------------

// CLDR plural categories as the kiosk's languages need them: Polish has one / few / many;
// Dutch and English one / other (called "many" here); Turkish never changes the noun after
// a number, its table has the same text for all three.
std::string_view pluralCategory(std::string_view language, std::uint64_t n) {
    if (n == 1) return "one";
    if (language == "pl") {
        const auto lastDigit = n % 10;
        const auto lastTwo = n % 100;
        if (lastDigit >= 2 && lastDigit <= 4 && !(lastTwo >= 12 && lastTwo <= 14)) return "few";
    }
    return "many";
}

std::string counted(const StringTable& strings, std::string_view language, std::string_view noun, std::uint64_t n) {
    return strings.get(language, "spoken." + std::string(noun) + "." + std::string(pluralCategory(language, n)),
                       {{"n", std::to_string(n)}});
}

}  // namespace

// [SECTION] Numbers, BSN, phone ----------------------------------------------------------------

std::string digitGroups(std::string_view digits, std::size_t groupSize) {
    std::string only;
    for (const char c : digits) {
        if (isDigit(c)) only += c;
    }
    if (groupSize == 0) groupSize = only.size();
    std::vector<std::string> groups;
    for (std::size_t at = 0; at < only.size(); at += groupSize) {
        groups.push_back(digitsOneByOne(std::string_view(only).substr(at, groupSize)));
    }
    return joinGroups(groups, ", ");
}

std::optional<std::string> bsn(std::string_view value) {
    if (value.size() != 9 || !std::ranges::all_of(value, isDigit)) return std::nullopt;
    return digitGroups(value, 3);
}

std::optional<std::string> phone(const StringTable& strings, std::string_view language, std::string_view value) {
    const bool international = value.starts_with('+');
    const auto digits = international ? value.substr(1) : value;
    if (digits.size() < 3 || !std::ranges::all_of(digits, isDigit)) return std::nullopt;
    if (!international) return groupedDigits(digits, phoneGroups(digits.size()));
    const auto code = countryCodeLength(digits);
    const auto rest = digits.substr(code);
    std::string out = strings.get(language, "spoken.plus") + ", " + digitsOneByOne(digits.substr(0, code));
    if (!rest.empty()) out += "; " + groupedDigits(rest, phoneGroups(rest.size()));
    return out;
}

std::string number(const StringTable& strings, std::string_view language, std::int64_t value) {
    if (value >= 0) return std::to_string(value);
    // -(value + 1) + 1 stays in range for INT64_MIN.
    const auto magnitude = static_cast<std::uint64_t>(-(value + 1)) + 1;
    return strings.get(language, "spoken.minus") + " " + std::to_string(magnitude);
}

std::string digitsAsWritten(std::string_view digits) {
    if (digits.size() > 1 && digits.front() == '0') return digitsOneByOne(digits);
    return std::string(digits);
}

// [SECTION] Amounts and dates --------------------------------------------------------------------

std::optional<std::string> amount(const StringTable& strings, std::string_view language, std::string_view value) {
    const auto cents = forms::parseCents(value);
    if (!cents) return std::nullopt;
    const bool negative = *cents < 0;
    const std::uint64_t magnitude =
        negative ? static_cast<std::uint64_t>(-(*cents + 1)) + 1 : static_cast<std::uint64_t>(*cents);
    const auto euros = magnitude / 100;
    const auto rest = magnitude % 100;
    std::string out;
    if (rest == 0) {
        out = counted(strings, language, "euros", euros);
    } else if (euros == 0) {
        out = counted(strings, language, "cents", rest);
    } else {
        out = strings.get(language, "spoken.amount",
                          {{"euros", counted(strings, language, "euros", euros)},
                           {"cents", counted(strings, language, "cents", rest)}});
    }
    if (negative) out = strings.get(language, "spoken.minus") + " " + out;
    return out;
}

std::string date(const StringTable& strings, std::string_view language, std::chrono::year_month_day day) {
    const std::chrono::weekday weekday{std::chrono::sys_days{day}};
    return strings.get(language, "spoken.date",
                       {{"weekday", strings.get(language, "weekday." + std::to_string(weekday.iso_encoding()))},
                        {"day", std::to_string(static_cast<unsigned>(day.day()))},
                        {"month", strings.get(language, "month." + std::to_string(static_cast<unsigned>(day.month())))},
                        {"year", std::to_string(static_cast<int>(day.year()))}});
}

std::optional<std::string> date(const StringTable& strings, std::string_view language, std::string_view iso) {
    const auto day = forms::parseIsoDate(iso);
    if (!day) return std::nullopt;
    return date(strings, language, *day);
}

// [SECTION] Postcode, IBAN, reference --------------------------------------------------------------

std::optional<std::string> postcode(std::string_view value) {
    const auto code = withoutSpacesUpper(value);
    if (code.size() != 6 || code[0] == '0' || !std::all_of(code.begin(), code.begin() + 4, isDigit) ||
        !isUpper(code[4]) || !isUpper(code[5])) {
        return std::nullopt;
    }
    // "35 11" as two numbers, as people say a postcode; a pair with a leading zero digit
    // by digit ("10 0 1"), since eSpeak would drop the zero.
    return digitsAsWritten(code.substr(0, 2)) + " " + digitsAsWritten(code.substr(2, 2)) + ", " + code[4] + ", " +
           code[5];
}

std::optional<std::string> iban(std::string_view value) {
    const auto code = withoutSpacesUpper(value);
    if (code.size() < 15 || code.size() > 34 || !isUpper(code[0]) || !isUpper(code[1]) || !isDigit(code[2]) ||
        !isDigit(code[3]) || !std::ranges::all_of(code, [](char c) { return isDigit(c) || isUpper(c); })) {
        return std::nullopt;
    }
    std::vector<std::string> groups;
    for (std::size_t at = 0; at < code.size(); at += 4) groups.push_back(spellGroup(code.substr(at, 4), false));
    return joinGroups(groups, "; ");
}

std::optional<std::string> reference(std::string_view value) {
    const auto written = forms::parseReference(value);
    if (!written) return std::nullopt;
    const auto dash = written->find('-');
    return spellGroup(written->substr(0, dash), true) + "; " + spellGroup(written->substr(dash + 1), true);
}

std::string spell(std::string_view text) {
    std::string out;
    bool pendingBreak = false;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t length = 1;
        while (at + length < text.size() && (static_cast<unsigned char>(text[at + length]) & 0xC0U) == 0x80U) ++length;
        const auto character = text.substr(at, length);
        at += length;
        if (character == " " || character == "\t" || character == "\n") {
            pendingBreak = !out.empty();
            continue;
        }
        if (!out.empty()) out += pendingBreak ? "; " : ", ";
        pendingBreak = false;
        out += character;
    }
    return out;
}

// [SECTION] Abbreviations ----------------------------------------------------------------------

namespace {

using Table = std::vector<std::pair<std::string_view, std::string_view>>;

// Each entry was heard wrong from eSpeak NG 1.51 (espeak_TextToPhonemes) and the spoken
// form checked in its place. Hyphens between letters make eSpeak name each letter without
// a pause ("UWV" alone comes out as one syllable, "yUf", in Dutch). Dutch institutions are
// named in every language's texts, so they are in every table.
const Table& tableFor(std::string_view language) {
    static const Table kDutch{
        {"UWV", "U-W-V"},       {"AOW", "A-O-W"},         {"IND", "I-N-D"},
        {"CJIB", "C-J-I-B"},    {"GBA", "G-B-A"},         {"OV", "O-V"},
        {"WMO", "W-M-O"},       {"Wmo", "W-M-O"},         {"t/m", "tot en met"},
        {"bijv.", "bijvoorbeeld"}, {"evt.", "eventueel"}, {"o.a.", "onder andere"},
        {"ca.", "circa"},       {"z.o.z.", "zie ommezijde"},
    };
    static const Table kEnglish{
        {"UWV", "U-W-V"},  {"AOW", "A-O-W"},   {"IND", "I-N-D"},         {"CJIB", "C-J-I-B"},
        {"OV", "O-V"},     {"IBAN", "I-ban"},  {"e.g.", "for example"},  {"i.e.", "that is"},
    };
    static const Table kTurkish{
        {"UWV", "U-W-V"},        {"AOW", "A-O-W"},  {"IND", "İ-N-D"},          {"CJIB", "C-J-İ-B"},
        {"GBA", "G-B-A"},        {"OV", "O-V"},     {"WMO", "W-M-O"},          {"Wmo", "W-M-O"},
        {"vb.", "ve benzeri"},   {"örn.", "örneğin"},
    };
    static const Table kPolish{
        {"UWV", "U-W-V"}, {"AOW", "A-O-W"}, {"IND", "I-N-D"}, {"CJIB", "C-J-I-B"}, {"GBA", "G-B-A"},
        {"OV", "O-V"},    {"WMO", "W-M-O"}, {"Wmo", "W-M-O"}, {"ul.", "ulica"},    {"nr", "numer"},
    };
    static const Table kNone;
    if (language == "nl") return kDutch;
    if (language == "en") return kEnglish;
    if (language == "tr") return kTurkish;
    if (language == "pl") return kPolish;
    return kNone;
}

// Letters, digits and every byte of a multi-byte UTF-8 character count as word characters.
bool isWordByte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || isDigit(c) || (c >= 'a' && c <= 'z') || isUpper(c);
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> abbreviations(std::string_view language) {
    return tableFor(language);
}

SpokenText expandAbbreviations(std::string_view language, std::string_view text) {
    SpokenText out;
    const auto& table = tableFor(language);
    std::size_t at = 0;
    while (at < text.size()) {
        const bool boundaryBefore = at == 0 || !isWordByte(text[at - 1]);
        const std::pair<std::string_view, std::string_view>* match = nullptr;
        if (boundaryBefore) {
            for (const auto& entry : table) {
                const auto& written = entry.first;
                if (!text.substr(at).starts_with(written)) continue;
                const auto end = at + written.size();
                // A word ending in '.' ends there; any other must be followed by a non-word byte.
                const bool boundaryAfter = end == text.size() || written.back() == '.' || !isWordByte(text[end]);
                if (boundaryAfter && (match == nullptr || written.size() > match->first.size())) match = &entry;
            }
        }
        if (match == nullptr) {
            out.text += text[at];
            ++at;
            continue;
        }
        out.replaced.push_back({out.text.size(), match->second.size(), at, match->first.size()});
        out.text += match->second;
        at += match->first.size();
    }
    return out;
}

std::pair<std::size_t, std::size_t> SpokenText::sourceRange(std::size_t offset, std::size_t length) const {
    // Maps one spoken position; `isEnd` decides which side of a replacement it lands on.
    const auto map = [this](std::size_t position, bool isEnd) {
        std::ptrdiff_t shift = 0;
        for (const auto& piece : replaced) {
            if (position < piece.spokenOffset || (isEnd && position == piece.spokenOffset)) break;
            if (position < piece.spokenOffset + piece.spokenLength || (isEnd && position == piece.spokenOffset + piece.spokenLength)) {
                return isEnd ? piece.sourceOffset + piece.sourceLength : piece.sourceOffset;
            }
            shift += static_cast<std::ptrdiff_t>(piece.sourceLength) - static_cast<std::ptrdiff_t>(piece.spokenLength);
        }
        return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(position) + shift);
    };
    const auto begin = map(offset, false);
    const auto end = map(offset + length, true);
    return {begin, end > begin ? end - begin : 0};
}

}  // namespace kiosk::core::spoken
