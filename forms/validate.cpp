// Checking and normalising a citizen's answer (see validate.hpp for the contract).
//
// Accept what people type and normalise it to the contract's submitted value; refuse
// only what cannot be read with certainty, and never guess between two readings.
//
// [SECTION] Problem ids
// [SECTION] Text helpers (UTF-8, whitespace, controls)
// [SECTION] Single checks: 11-test, mod-97
// [SECTION] One validator per field type
// [SECTION] validate()
#include "forms/validate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <utility>

namespace kiosk::forms {

// [SECTION] Problem ids ----------------------------------------------------------------------

namespace {
struct ProblemName {
    Problem problem;
    std::string_view id;
};
// In the enum's order; allProblems() is built from this table, so a new enum value that
// is missing here is caught by the test that walks allProblems() against the string tables.
constexpr std::array<ProblemName, 25> kProblemNames{{
    {Problem::Required, "validation.required"},
    {Problem::TooShort, "validation.too_short"},
    {Problem::TooLong, "validation.too_long"},
    {Problem::NotWholeNumber, "validation.not_whole_number"},
    {Problem::NumberTooSmall, "validation.number_too_small"},
    {Problem::NumberTooLarge, "validation.number_too_large"},
    {Problem::NotMoney, "validation.not_money"},
    {Problem::MoneyTooManyDecimals, "validation.money_too_many_decimals"},
    {Problem::MoneyTooSmall, "validation.money_too_small"},
    {Problem::MoneyTooLarge, "validation.money_too_large"},
    {Problem::NotDate, "validation.not_date"},
    {Problem::DateTooEarly, "validation.date_too_early"},
    {Problem::DateTooLate, "validation.date_too_late"},
    {Problem::UnknownOption, "validation.unknown_option"},
    {Problem::TooFewChosen, "validation.too_few_chosen"},
    {Problem::TooManyChosen, "validation.too_many_chosen"},
    {Problem::NotPostcode, "validation.not_postcode"},
    {Problem::BsnWrongLength, "validation.bsn_wrong_length"},
    {Problem::BsnCheckFailed, "validation.bsn_check_failed"},
    {Problem::IbanWrongFormat, "validation.iban_wrong_format"},
    {Problem::IbanCheckFailed, "validation.iban_check_failed"},
    {Problem::NotPhone, "validation.not_phone"},
    {Problem::NotEmail, "validation.not_email"},
    {Problem::ConsentNeeded, "validation.consent_needed"},
    {Problem::WrongInputKind, "validation.wrong_input_kind"},
}};
}  // namespace

std::string_view problemId(Problem problem) {
    for (const auto& entry : kProblemNames) {
        if (entry.problem == problem) return entry.id;
    }
    return "validation.unknown";
}

const std::vector<Problem>& allProblems() {
    // Immutable table, not session state.
    static const std::vector<Problem> kAll = [] {
        std::vector<Problem> all;
        for (const auto& entry : kProblemNames) all.push_back(entry.problem);
        return all;
    }();
    return kAll;
}

// [SECTION] Text helpers (UTF-8, whitespace, controls) ---------------------------------------

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char toUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
char toLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool allDigits(std::string_view s) { return std::ranges::all_of(s, isDigit); }

// Decodes the code point at `at` (value.hpp's decoder).
CodePoint decodeAt(std::string_view s, std::size_t at) { return decodeUtf8(s, at); }

// Whitespace a citizen may type or paste: ASCII whitespace, no-break space and the other
// Unicode spaces, plus the byte-order mark that some copy-paste sources leave behind.
bool isSpace(std::uint32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool isControl(std::uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// `s` without leading and trailing whitespace.
std::string_view trimSpaces(std::string_view s) {
    std::size_t begin = s.size();
    std::size_t end = 0;
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decodeAt(s, i);
        if (!cp.valid || !isSpace(cp.value)) {
            begin = std::min(begin, i);
            end = i + cp.length;
        }
        i += cp.length;
    }
    return begin < end ? s.substr(begin, end - begin) : std::string_view{};
}

// `s` without any whitespace, and without the ASCII characters in `alsoDrop`.
std::string removeSpaces(std::string_view s, std::string_view alsoDrop = {}) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decodeAt(s, i);
        const bool drop = cp.valid && (isSpace(cp.value) ||
                                       (cp.value < 0x80 && alsoDrop.find(static_cast<char>(
                                                               cp.value)) != alsoDrop.npos));
        if (!drop) out.append(s.substr(i, cp.length));
        i += cp.length;
    }
    return out;
}

// Free text as the kiosk keeps and submits it: valid UTF-8 without control characters.
// The on-screen keyboard produces neither; pasted or scripted text might, and a stray
// control character or broken byte would only end up in the backend's JSON. Line breaks
// and tabs become spaces (deleting them would glue two words together).
std::string cleanText(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const CodePoint cp = decodeAt(s, i);
        if (!cp.valid) {
            // dropped
        } else if (isSpace(cp.value) && isControl(cp.value)) {
            out.push_back(' ');
        } else if (!isControl(cp.value)) {
            out.append(s.substr(i, cp.length));
        }
        i += cp.length;
    }
    return out;
}

}  // namespace

// [SECTION] Single checks: 11-test, mod-97 ---------------------------------------------------

bool passesElevenTest(std::string_view nineDigits) {
    if (nineDigits.size() != 9 || !allDigits(nineDigits)) return false;
    if (nineDigits == "000000000") return false;
    int sum = 0;
    for (std::size_t i = 0; i < 8; ++i) sum += (9 - static_cast<int>(i)) * (nineDigits[i] - '0');
    sum -= nineDigits[8] - '0';
    return sum % 11 == 0;
}

bool passesMod97(std::string_view compactIban) {
    if (compactIban.size() < 5) return false;
    // ISO 13616: move country code and check digits to the end, letters become 10..35,
    // and the whole number must leave 1 when divided by 97. Digit by digit, so no big ints.
    int remainder = 0;
    auto feed = [&remainder](char c) {
        c = toUpper(c);
        if (isDigit(c)) {
            remainder = (remainder * 10 + (c - '0')) % 97;
        } else if (c >= 'A' && c <= 'Z') {
            remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
        } else {
            return false;
        }
        return true;
    };
    for (std::size_t i = 4; i < compactIban.size(); ++i) {
        if (!feed(compactIban[i])) return false;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        if (!feed(compactIban[i])) return false;
    }
    return remainder == 1;
}

// [SECTION] One validator per field type -----------------------------------------------------

namespace {

using Result = std::expected<Value, ValidationProblem>;

std::unexpected<ValidationProblem> fail(Problem code,
                                        std::map<std::string, std::string> params = {}) {
    return std::unexpected(ValidationProblem{code, std::move(params)});
}

Result validateText(const Field& field, std::string_view text) {
    const auto length = codePointCount(text);
    if (field.minLength && length < static_cast<std::size_t>(std::max(*field.minLength, 0))) {
        return fail(Problem::TooShort, {{"min", std::to_string(*field.minLength)}});
    }
    if (length > static_cast<std::size_t>(std::max(field.maxLength, 0))) {
        return fail(Problem::TooLong, {{"max", std::to_string(field.maxLength)}});
    }
    return std::string(text);
}

Result validateNumber(const Field& field, std::string_view input) {
    const std::string compact = removeSpaces(input);
    const std::string_view digits =
        compact.starts_with("-") ? std::string_view(compact).substr(1) : std::string_view(compact);
    if (digits.empty() || !allDigits(digits)) return fail(Problem::NotWholeNumber);
    std::int64_t number = 0;
    const auto [end, error] =
        std::from_chars(compact.data(), compact.data() + compact.size(), number);
    if (error != std::errc{} || end != compact.data() + compact.size()) {
        return fail(Problem::NotWholeNumber);  // out of range
    }
    if (field.min && number < *field.min) {
        return fail(Problem::NumberTooSmall, {{"min", std::to_string(*field.min)}});
    }
    if (field.max && number > *field.max) {
        return fail(Problem::NumberTooLarge, {{"max", std::to_string(*field.max)}});
    }
    return number;
}

// "1.234.567" with '.' as `separator` -> "1234567". Groups after the first have exactly
// three digits, the first one to three. Nullopt when the grouping is not like that.
std::optional<std::string> ungroup(std::string_view text, char separator) {
    std::string digits;
    std::size_t groups = 0;
    std::size_t start = 0;
    while (true) {
        const auto next = text.find(separator, start);
        const std::string_view group = text.substr(start, next == text.npos ? text.npos : next - start);
        const bool first = groups == 0;
        const bool last = next == text.npos;
        if (!allDigits(group) || group.empty()) return std::nullopt;
        if (!(first && last) && ((first && group.size() > 3) || (!first && group.size() != 3))) {
            return std::nullopt;
        }
        digits += group;
        ++groups;
        if (last) break;
        start = next + 1;
    }
    return digits;
}

Result validateMoney(const Field& field, std::string_view input) {
    constexpr std::string_view kEuro = "\xE2\x82\xAC";  // U+20AC
    const std::string compact = removeSpaces(input);
    std::string_view s = compact;

    bool negative = false;
    if (s.starts_with("-")) { negative = true; s.remove_prefix(1); }
    if (s.starts_with(kEuro)) {
        s.remove_prefix(kEuro.size());
        if (!negative && s.starts_with("-")) { negative = true; s.remove_prefix(1); }
    } else if (s.ends_with(kEuro)) {
        s.remove_suffix(kEuro.size());
    }

    // Dutch price notation "12,-" (and "12,--", "12.-"): whole euros, and the character
    // before the dash is the decimal separator, so the other one can only group thousands.
    std::optional<char> dashDecimal;
    for (std::string_view suffix : {",--", ".--", ",-", ".-"}) {
        if (s.ends_with(suffix)) {
            dashDecimal = suffix.front();
            s.remove_suffix(suffix.size());
            break;
        }
    }

    if (s.empty() || !std::ranges::all_of(s, [](char c) { return isDigit(c) || c == '.' || c == ','; })) {
        return fail(Problem::NotMoney);
    }
    const auto dots = std::ranges::count(s, '.');
    const auto commas = std::ranges::count(s, ',');

    std::optional<std::string> whole;
    std::string_view fraction;
    if (dashDecimal) {
        if (std::ranges::count(s, *dashDecimal) != 0) return fail(Problem::NotMoney);
        whole = ungroup(s, *dashDecimal == ',' ? '.' : ',');
    } else if (dots == 0 && commas == 0) {
        whole = std::string(s);
    } else if (dots > 0 && commas > 0) {
        // Both: the last one separates the cents, the other one groups thousands.
        const auto at = s.find_last_of(".,");
        const char decimal = s[at];
        if (std::ranges::count(s, decimal) != 1) return fail(Problem::NotMoney);
        whole = ungroup(s.substr(0, at), decimal == ',' ? '.' : ',');
        fraction = s.substr(at + 1);
        if (fraction.empty()) return fail(Problem::NotMoney);
    } else if (dots + commas == 1) {
        // One separator: cents when one or two digits follow it. Three digits could be
        // cents typed wrongly or a thousands group ("1.234"): refuse rather than guess.
        const auto at = s.find_first_of(".,");
        fraction = s.substr(at + 1);
        if (fraction.empty()) return fail(Problem::NotMoney);
        whole = at == 0 ? std::string("0") : std::string(s.substr(0, at));  // ",50"
    } else {
        whole = ungroup(s, dots > 0 ? '.' : ',');  // "1.234.567": thousands only
    }
    if (!whole) return fail(Problem::NotMoney);
    if (fraction.size() > 2) return fail(Problem::MoneyTooManyDecimals);

    std::string plain = *whole;
    if (!fraction.empty()) plain += "." + std::string(fraction);
    const auto parsed = parseCents(plain);
    if (!parsed) return fail(Problem::NotMoney);  // too many digits for the machine
    const std::int64_t cents = negative ? -*parsed : *parsed;

    if (negative && !(field.min && *field.min < 0)) return fail(Problem::NotMoney);
    if (field.min && cents < *field.min) {
        return fail(Problem::MoneyTooSmall, {{"min", formatCents(*field.min)}});
    }
    if (field.max && cents > *field.max) {
        return fail(Problem::MoneyTooLarge, {{"max", formatCents(*field.max)}});
    }
    return formatCents(cents);
}

// "D-M-YYYY", "DD-MM-YYYY", "D/M/YYYY", "D.M.YYYY" (Dutch order), and "YYYY-M-D".
std::optional<std::chrono::year_month_day> parseTypedDate(std::string_view s) {
    if (auto iso = parseIsoDate(s)) return iso;
    const auto at = std::ranges::find_if(s, [](char c) { return !isDigit(c); });
    if (at == s.end()) return std::nullopt;
    const char separator = *at;
    if (separator != '-' && separator != '/' && separator != '.') return std::nullopt;

    std::array<std::string_view, 3> parts;
    std::size_t start = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        const auto next = s.find(separator, start);
        if ((k < 2) == (next == s.npos)) return std::nullopt;  // not exactly three parts
        parts[k] = s.substr(start, k < 2 ? next - start : s.npos);
        if (parts[k].empty() || !allDigits(parts[k])) return std::nullopt;
        start = next + 1;
    }
    auto number = [](std::string_view digits) {
        int value = 0;
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return value;
    };
    std::string_view yearPart = parts[2];
    std::string_view monthPart = parts[1];
    std::string_view dayPart = parts[0];
    if (separator == '-' && parts[0].size() == 4) std::swap(yearPart, dayPart);
    if (yearPart.size() != 4 || monthPart.size() > 2 || dayPart.size() > 2) return std::nullopt;
    const std::chrono::year_month_day date{
        std::chrono::year{number(yearPart)},
        std::chrono::month{static_cast<unsigned>(number(monthPart))},
        std::chrono::day{static_cast<unsigned>(number(dayPart))}};
    if (!date.ok()) return std::nullopt;
    return date;
}

Result validateDate(const Field& field, std::string_view input,
                    std::chrono::year_month_day today) {
    const auto date = parseTypedDate(removeSpaces(input));
    if (!date) return fail(Problem::NotDate);
    if (field.minDate) {
        const auto earliest = field.minDate->resolve(today);
        if (*date < earliest) return fail(Problem::DateTooEarly, {{"min", formatIsoDate(earliest)}});
    }
    if (field.maxDate) {
        const auto latest = field.maxDate->resolve(today);
        if (*date > latest) return fail(Problem::DateTooLate, {{"max", formatIsoDate(latest)}});
    }
    return formatIsoDate(*date);
}

Result validateChoice(const Field& field, std::string_view value) {
    const Option* option = field.findOption(value);
    if (option == nullptr) return fail(Problem::UnknownOption);
    return option->value;
}

Result validateMultichoice(const Field& field, const std::vector<std::string>& chosen) {
    for (const auto& value : chosen) {
        const std::string_view trimmed = trimSpaces(value);
        if (!trimmed.empty() && field.findOption(trimmed) == nullptr) {
            return fail(Problem::UnknownOption);
        }
    }
    // In the order of the form's options, each once: the same answer gives the same payload
    // however the citizen tapped.
    std::vector<std::string> values;
    for (const auto& option : field.options) {
        const bool picked = std::ranges::any_of(
            chosen, [&](const std::string& value) { return trimSpaces(value) == option.value; });
        if (picked) values.push_back(option.value);
    }
    const auto count = static_cast<std::int64_t>(values.size());
    if (field.min && count < *field.min) {
        return fail(Problem::TooFewChosen, {{"min", std::to_string(*field.min)}});
    }
    if (field.max && count > *field.max) {
        return fail(Problem::TooManyChosen, {{"max", std::to_string(*field.max)}});
    }
    return values;
}

Result validatePostcode(std::string_view input) {
    std::string code = removeSpaces(input);
    std::ranges::transform(code, code.begin(), toUpper);
    if (code.size() != 6 || code[0] == '0' || !allDigits(std::string_view(code).substr(0, 4)) ||
        !isAsciiLetter(code[4]) || !isAsciiLetter(code[5])) {
        return fail(Problem::NotPostcode);
    }
    // PostNL never issues these letter pairs (SA, SD and SS recall the Nazi era).
    const std::string_view letters = std::string_view(code).substr(4);
    if (letters == "SA" || letters == "SD" || letters == "SS") return fail(Problem::NotPostcode);
    return code;
}

Result validateBsn(std::string_view input) {
    std::string digits = removeSpaces(input, ".-");
    if (!allDigits(digits)) return fail(Problem::BsnWrongLength);
    // Older BSNs (former sofi numbers) are often written without their leading zero.
    if (digits.size() == 8) digits.insert(digits.begin(), '0');
    if (digits.size() != 9) return fail(Problem::BsnWrongLength);
    if (!passesElevenTest(digits)) return fail(Problem::BsnCheckFailed);
    return digits;
}

// IBAN lengths per country from the SWIFT IBAN registry: every SEPA country, plus the
// other registered countries whose citizens a Dutch town hall is likely to meet.
struct IbanLength {
    std::string_view country;
    std::size_t length;
};
constexpr std::array<IbanLength, 77> kIbanLengths{{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
    {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
    {"SA", 24}, {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"XK", 20},
}};

Result validateIban(std::string_view input) {
    std::string iban = removeSpaces(input);
    std::ranges::transform(iban, iban.begin(), toUpper);
    const auto alphanumeric = [](char c) { return isDigit(c) || (c >= 'A' && c <= 'Z'); };
    if (iban.size() < 15 || iban.size() > 34 || !isAsciiLetter(iban[0]) ||
        !isAsciiLetter(iban[1]) || !isDigit(iban[2]) || !isDigit(iban[3]) ||
        !std::ranges::all_of(iban, alphanumeric)) {
        return fail(Problem::IbanWrongFormat);
    }
    const auto known = std::ranges::find(kIbanLengths, std::string_view(iban).substr(0, 2),
                                         &IbanLength::country);
    if (known != kIbanLengths.end() && known->length != iban.size()) {
        return fail(Problem::IbanWrongFormat);
    }
    // Check digits are 02..98 by construction; 00, 01 and 99 can satisfy mod-97 by accident.
    const std::string_view check = std::string_view(iban).substr(2, 2);
    if (check == "00" || check == "01" || check == "99" || !passesMod97(iban)) {
        return fail(Problem::IbanCheckFailed);
    }
    return iban;
}

Result validatePhone(std::string_view input) {
    std::string text = removeSpaces(input);
    // "+31 (0)6 1234 5678": the "(0)" is the trunk prefix, dialled only from inside the
    // country, and must go when the country code is there.
    if (text.starts_with("+") || text.starts_with("00")) {
        for (auto at = text.find("(0)"); at != text.npos; at = text.find("(0)")) {
            text.erase(at, 3);
        }
    }
    std::string number = removeSpaces(text, "-.()");
    if (number.starts_with("00")) number.replace(0, 2, "+");
    if (number.starts_with("+")) {
        const std::string_view digits = std::string_view(number).substr(1);
        // A country code never starts with 0; E.164 allows at most 15 digits.
        if (digits.size() >= 8 && digits.size() <= 15 && allDigits(digits) && digits[0] != '0') {
            return number;
        }
        return fail(Problem::NotPhone);
    }
    if (number.size() == 10 && number[0] == '0' && allDigits(number)) return number;
    return fail(Problem::NotPhone);
}

Result validateEmail(std::string_view address) {
    if (address.size() > 254 || std::ranges::count(address, '@') != 1) {
        return fail(Problem::NotEmail);
    }
    const auto at = address.find('@');
    const std::string_view local = address.substr(0, at);
    const std::string_view domain = address.substr(at + 1);

    // Local part: 1..64 bytes, no spaces or controls, and none of the characters that only
    // a quoted local part may hold (nobody types those; they are typos for '.' or '@').
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != local.npos || local.find_first_of("()<>[]:;\\,\"") != local.npos) {
        return fail(Problem::NotEmail);
    }
    for (std::size_t i = 0; i < local.size();) {
        const CodePoint cp = decodeAt(local, i);
        if (!cp.valid || isSpace(cp.value) || isControl(cp.value)) return fail(Problem::NotEmail);
        i += cp.length;
    }

    // Domain: dot-separated labels of letters, digits and '-', not starting or ending with
    // '-', at most 63 characters each; the last one (top-level domain) letters only, >= 2.
    std::size_t labels = 0;
    std::string_view lastLabel;
    for (std::size_t start = 0;;) {
        const auto dot = domain.find('.', start);
        const std::string_view label =
            domain.substr(start, dot == domain.npos ? domain.npos : dot - start);
        const bool wellFormed =
            !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-' &&
            std::ranges::all_of(label, [](char c) { return isDigit(c) || isAsciiLetter(c) || c == '-'; });
        if (!wellFormed) return fail(Problem::NotEmail);
        ++labels;
        lastLabel = label;
        if (dot == domain.npos) break;
        start = dot + 1;
    }
    if (labels < 2 || lastLabel.size() < 2 || !std::ranges::all_of(lastLabel, isAsciiLetter)) {
        return fail(Problem::NotEmail);
    }
    std::string normalised(local);
    normalised += '@';
    for (char c : domain) normalised += toLower(c);
    return normalised;
}

}  // namespace

// [SECTION] validate() -----------------------------------------------------------------------

std::expected<std::optional<Value>, ValidationProblem> validate(
    const Field& field, const RawInput& input, std::chrono::year_month_day today) {
    using Answer = std::expected<std::optional<Value>, ValidationProblem>;
    if (!field.takesInput()) return std::optional<Value>{};

    const auto nothing = [&field]() -> Answer {
        if (!field.required) return std::optional<Value>{};
        return fail(field.type == FieldType::Consent ? Problem::ConsentNeeded : Problem::Required);
    };
    const auto lift = [](Result result) -> Answer {
        if (!result) return std::unexpected(std::move(result.error()));
        return std::optional<Value>{std::move(*result)};
    };
    if (std::holds_alternative<std::monostate>(input)) return nothing();

    switch (field.type) {
        case FieldType::YesNo:
        case FieldType::Consent: {
            const bool* answer = std::get_if<bool>(&input);
            if (answer == nullptr) return fail(Problem::WrongInputKind);
            if (field.type == FieldType::Consent && !*answer) return nothing();
            return std::optional<Value>{*answer};
        }
        case FieldType::Multichoice: {
            const auto* chosen = std::get_if<std::vector<std::string>>(&input);
            if (chosen == nullptr) return fail(Problem::WrongInputKind);
            if (std::ranges::all_of(*chosen, [](const std::string& value) {
                    return trimSpaces(value).empty();
                })) {
                return nothing();
            }
            return lift(validateMultichoice(field, *chosen));
        }
        default:
            break;
    }

    const std::string* typed = std::get_if<std::string>(&input);
    if (typed == nullptr) return fail(Problem::WrongInputKind);
    if (field.type == FieldType::Text) {
        const std::string cleaned = cleanText(*typed);
        const std::string_view text = trimSpaces(cleaned);
        if (text.empty()) return nothing();
        return lift(validateText(field, text));
    }
    const std::string_view text = trimSpaces(*typed);
    if (text.empty()) return nothing();
    switch (field.type) {
        case FieldType::Number: return lift(validateNumber(field, text));
        case FieldType::Money: return lift(validateMoney(field, text));
        case FieldType::Date: return lift(validateDate(field, text, today));
        case FieldType::Choice: return lift(validateChoice(field, text));
        case FieldType::Postcode: return lift(validatePostcode(text));
        case FieldType::Bsn: return lift(validateBsn(text));
        case FieldType::Iban: return lift(validateIban(text));
        case FieldType::Phone: return lift(validatePhone(text));
        case FieldType::Email: return lift(validateEmail(text));
        default: return fail(Problem::WrongInputKind);  // every other type is handled above
    }
}

}  // namespace kiosk::forms
