// Tests for forms/validate: every field type with answers citizens really type, the
// normalised values the contract submits, the problem codes and their parameters, and the
// validation messages in every language's string table.
//
// [SECTION] Helpers
// [SECTION] Problem ids and string tables
// [SECTION] Empty input and input kinds
// [SECTION] One test case per field type
#include "forms/validate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

using namespace kiosk::forms;

// [SECTION] Helpers --------------------------------------------------------------------------

namespace {

constexpr std::chrono::year_month_day kToday{std::chrono::year{2026}, std::chrono::month{11},
                                             std::chrono::day{29}};

Field makeField(FieldType type) {
    Field field;
    field.id = "answer";
    field.type = type;
    return field;
}

Field withOptions(FieldType type, std::vector<std::string> values) {
    Field field = makeField(type);
    for (auto& value : values) {
        Option option;
        option.value = std::move(value);
        field.options.push_back(std::move(option));
    }
    return field;
}

// The normalised value; fails the test when the input is refused or counted as empty.
Value accepted(const Field& field, const RawInput& input) {
    const auto result = validate(field, input, kToday);
    if (!result) {
        FAIL_CHECK("refused with " << problemId(result.error().code));
        return Value{std::string("<refused>")};
    }
    if (!result->has_value()) {
        FAIL_CHECK("accepted as empty");
        return Value{std::string("<empty>")};
    }
    return **result;
}

std::string acceptedText(const Field& field, const std::string& input) {
    const Value value = accepted(field, input);
    const auto* text = std::get_if<std::string>(&value);
    REQUIRE(text != nullptr);
    return *text;
}

// The problem; fails the test when the input is accepted.
ValidationProblem refused(const Field& field, const RawInput& input) {
    const auto result = validate(field, input, kToday);
    if (result) {
        FAIL_CHECK("accepted, but should be refused");
        return {};
    }
    return result.error();
}

Problem refusedWith(const Field& field, const RawInput& input) {
    return refused(field, input).code;
}

bool acceptedAsEmpty(const Field& field, const RawInput& input) {
    const auto result = validate(field, input, kToday);
    return result.has_value() && !result->has_value();
}

using Params = std::map<std::string, std::string>;


}  // namespace

// [SECTION] Problem ids and string tables ----------------------------------------------------

TEST_CASE("problem ids are validation.<snake_case>, one per problem") {
    CHECK(allProblems().size() == 25);
    CHECK(problemId(Problem::Required) == "validation.required");
    CHECK(problemId(Problem::TooShort) == "validation.too_short");
    CHECK(problemId(Problem::MoneyTooManyDecimals) == "validation.money_too_many_decimals");
    CHECK(problemId(Problem::BsnCheckFailed) == "validation.bsn_check_failed");
    CHECK(problemId(Problem::IbanWrongFormat) == "validation.iban_wrong_format");
    CHECK(problemId(Problem::WrongInputKind) == "validation.wrong_input_kind");

    std::set<std::string_view> ids;
    for (const Problem problem : allProblems()) {
        const std::string_view id = problemId(problem);
        CHECK(id.starts_with("validation."));
        CHECK(std::ranges::all_of(id.substr(11), [](char c) {
            return (c >= 'a' && c <= 'z') || c == '_';
        }));
        ids.insert(id);
    }
    CHECK(ids.size() == allProblems().size());
    CHECK(allProblems().front() == Problem::Required);
    CHECK(allProblems().back() == Problem::WrongInputKind);
}


// [SECTION] Empty input and input kinds ------------------------------------------------------

TEST_CASE("nothing entered: Required when required, no value when optional") {
    for (const FieldType type : allFieldTypes()) {
        if (type == FieldType::Info) continue;
        CAPTURE(fieldTypeName(type));
        Field field = makeField(type);
        const Problem expected =
            type == FieldType::Consent ? Problem::ConsentNeeded : Problem::Required;
        CHECK(refusedWith(field, std::monostate{}) == expected);
        field.required = false;
        CHECK(acceptedAsEmpty(field, std::monostate{}));
    }
}

TEST_CASE("blank text, an empty list and an unticked consent count as nothing entered") {
    const std::vector<FieldType> typed{FieldType::Text,     FieldType::Number, FieldType::Money,
                                       FieldType::Date,     FieldType::Choice, FieldType::Postcode,
                                       FieldType::Bsn,      FieldType::Iban,   FieldType::Phone,
                                       FieldType::Email};
    for (const FieldType type : typed) {
        CAPTURE(fieldTypeName(type));
        Field field = makeField(type);
        CHECK(refusedWith(field, std::string{}) == Problem::Required);
        CHECK(refusedWith(field, std::string{"  \t "}) == Problem::Required);
        CHECK(refusedWith(field, std::string{"\u00A0 \u00A0"}) == Problem::Required);
        field.required = false;
        CHECK(acceptedAsEmpty(field, std::string{" "}));
    }

    Field many = withOptions(FieldType::Multichoice, {"a", "b"});
    CHECK(refusedWith(many, std::vector<std::string>{}) == Problem::Required);
    CHECK(refusedWith(many, std::vector<std::string>{" "}) == Problem::Required);
    many.required = false;
    many.min = 2;  // a count only applies once something is chosen
    CHECK(acceptedAsEmpty(many, std::vector<std::string>{}));

    Field consent = makeField(FieldType::Consent);
    CHECK(refused(consent, false) == ValidationProblem{Problem::ConsentNeeded, {}});
    consent.required = false;
    CHECK(acceptedAsEmpty(consent, false));
}

TEST_CASE("text that is only control characters counts as nothing entered") {
    const Field field = makeField(FieldType::Text);
    CHECK(refusedWith(field, std::string{"\x01\x7f \x1b"}) == Problem::Required);
}

TEST_CASE("info fields take nothing and always pass") {
    Field info = makeField(FieldType::Info);
    info.required = true;  // even a wrongly loaded one
    CHECK(acceptedAsEmpty(info, std::monostate{}));
    CHECK(acceptedAsEmpty(info, std::string{"anything"}));
    CHECK(acceptedAsEmpty(info, true));
    CHECK(acceptedAsEmpty(info, std::vector<std::string>{"x"}));
}

TEST_CASE("the wrong kind of input for a type is WrongInputKind") {
    CHECK(refusedWith(makeField(FieldType::Text), true) == Problem::WrongInputKind);
    CHECK(refusedWith(makeField(FieldType::Number), std::vector<std::string>{"1"}) ==
          Problem::WrongInputKind);
    CHECK(refusedWith(makeField(FieldType::YesNo), std::string{"true"}) ==
          Problem::WrongInputKind);
    CHECK(refusedWith(makeField(FieldType::Consent), std::string{"yes"}) ==
          Problem::WrongInputKind);
    CHECK(refusedWith(withOptions(FieldType::Choice, {"a"}), std::vector<std::string>{"a"}) ==
          Problem::WrongInputKind);
    CHECK(refusedWith(withOptions(FieldType::Multichoice, {"a"}), std::string{"a"}) ==
          Problem::WrongInputKind);
    CHECK(refusedWith(makeField(FieldType::Date), false) == Problem::WrongInputKind);
    // An empty list for a text field is still the wrong kind, not "nothing entered".
    CHECK(refusedWith(makeField(FieldType::Email), std::vector<std::string>{}) ==
          Problem::WrongInputKind);
}

// [SECTION] One test case per field type -----------------------------------------------------

TEST_CASE("text: trimmed, cleaned, length in characters") {
    Field field = makeField(FieldType::Text);
    CHECK(acceptedText(field, "  Jan  ") == "Jan");
    CHECK(acceptedText(field, "\u00A0Jan de Vries\u00A0") == "Jan de Vries");
    CHECK(acceptedText(field, "Jan  de   Vries") == "Jan  de   Vries");  // inner spaces kept
    CHECK(acceptedText(field, "\u2003Zoë\u202F") == "Zoë");
    CHECK(acceptedText(field, "a\tb\nc") == "a b c");            // line breaks become spaces
    CHECK(acceptedText(field, "Jan\x07\x1b Smit\x7f") == "Jan Smit");  // controls dropped
    CHECK(acceptedText(field, "Jan\xC2\x85") == "Jan");          // C1 next line is a space
    CHECK(acceptedText(field, "caf\xC3\xA9 \xFF\xFE!") == "caf\xC3\xA9 !");  // broken bytes dropped
    CHECK(acceptedText(field, "Şükrü Çelik") == "Şükrü Çelik");
    CHECK(acceptedText(field, "Łukasz Wróbel") == "Łukasz Wróbel");

    field.maxLength = 5;
    CHECK(acceptedText(field, "ééééé") == "ééééé");  // 5 characters, 10 bytes
    CHECK(refused(field, std::string{"éééééé"}) ==
          ValidationProblem{Problem::TooLong, Params{{"max", "5"}}});
    CHECK(acceptedText(field, "  abcde  ") == "abcde");  // length counted after trimming

    field.maxLength = 200;
    field.minLength = 3;
    CHECK(refused(field, std::string{" ab "}) ==
          ValidationProblem{Problem::TooShort, Params{{"min", "3"}}});
    CHECK(acceptedText(field, "abc") == "abc");
    CHECK(acceptedText(field, std::string(200, 'x')) == std::string(200, 'x'));
    CHECK(refused(field, std::string(201, 'x')) ==
          ValidationProblem{Problem::TooLong, Params{{"max", "200"}}});
}

TEST_CASE("number: whole numbers, spaces ignored, bounds") {
    Field field = makeField(FieldType::Number);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"42"})) == 42);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{" 1 000 000 "})) == 1000000);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"-7"})) == -7);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"- 7"})) == -7);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"007"})) == 7);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"9223372036854775807"})) ==
          std::numeric_limits<std::int64_t>::max());
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"-9223372036854775808"})) ==
          std::numeric_limits<std::int64_t>::min());

    for (const std::string bad : {"1.000", "1,5", "2.5", "abc", "-", "--5", "+5", "5-", "1e3",
                                  "12a", "9223372036854775808", "99999999999999999999",
                                  "-9223372036854775809", "\xD9\xA3"}) {
        CAPTURE(bad);
        CHECK(refused(field, bad) == ValidationProblem{Problem::NotWholeNumber, {}});
    }

    field.min = 1;
    field.max = 15;
    CHECK(refused(field, std::string{"0"}) ==
          ValidationProblem{Problem::NumberTooSmall, Params{{"min", "1"}}});
    CHECK(refused(field, std::string{"16"}) ==
          ValidationProblem{Problem::NumberTooLarge, Params{{"max", "15"}}});
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"1"})) == 1);
    CHECK(std::get<std::int64_t>(accepted(field, std::string{"15"})) == 15);
    field.min = -10;
    CHECK(refused(field, std::string{"-11"}) ==
          ValidationProblem{Problem::NumberTooSmall, Params{{"min", "-10"}}});
}

TEST_CASE("money: Dutch and English notation, euro sign, normalised to 1234.50") {
    const Field field = makeField(FieldType::Money);
    const std::vector<std::pair<std::string, std::string>> good{
        {"12", "12.00"},
        {"12,5", "12.50"},
        {"12,50", "12.50"},
        {"12.50", "12.50"},
        {"12.5", "12.50"},
        {"€ 12,50", "12.50"},
        {"€12,50", "12.50"},
        {"12,50 €", "12.50"},
        {"1.234,56", "1234.56"},
        {"1,234.56", "1234.56"},
        {"1 234,56", "1234.56"},
        {"1\u00A0234,56", "1234.56"},
        {"1.234.567,89", "1234567.89"},
        {"1,234,567.8", "1234567.80"},
        {"1.234.567", "1234567.00"},   // several dots can only group thousands
        {"12,-", "12.00"},             // Dutch "whole euros"
        {"€ 1.250,-", "1250.00"},
        {"12,--", "12.00"},
        {",50", "0.50"},
        {"0", "0.00"},
        {"0012,5", "12.50"},
        {"1234567", "1234567.00"},
    };
    for (const auto& [input, expected] : good) {
        CAPTURE(input);
        CHECK(acceptedText(field, input) == expected);
    }

    const std::vector<std::string> tooManyDecimals{"1.234", "1,234", "12,345", "12.3456",
                                                   "1.234,567", "1,234.567"};
    for (const auto& input : tooManyDecimals) {
        CAPTURE(input);
        CHECK(refused(field, input) == ValidationProblem{Problem::MoneyTooManyDecimals, {}});
    }

    const std::vector<std::string> notMoney{
        "twaalf", "12 euro", "€", "12,", "12.", ",", "1.23.45", "1,2,3", "12,50,00",
        "1.23,45", "12.345.6", "1,234,56", "12,5.0", "1.2345,00", "€€12", "12-", "-",
        "1e3", "$12", "1.234,-5", "12,50-", "99999999999999999999", "1.2,-",
    };
    for (const auto& input : notMoney) {
        CAPTURE(input);
        CHECK(refused(field, input) == ValidationProblem{Problem::NotMoney, {}});
    }
}

TEST_CASE("money: negative amounts only when min allows, bounds as formatted cents") {
    Field field = makeField(FieldType::Money);
    CHECK(refusedWith(field, std::string{"-5"}) == Problem::NotMoney);
    CHECK(refusedWith(field, std::string{"€ -5"}) == Problem::NotMoney);
    field.min = 0;
    CHECK(refusedWith(field, std::string{"-5"}) == Problem::NotMoney);

    field.min = -10000;  // -100.00
    CHECK(acceptedText(field, "-5") == "-5.00");
    CHECK(acceptedText(field, "-€ 12,50") == "-12.50");
    CHECK(acceptedText(field, "€ -12,50") == "-12.50");
    CHECK(refused(field, std::string{"-100,01"}) ==
          ValidationProblem{Problem::MoneyTooSmall, Params{{"min", "-100.00"}}});

    field.min = 1250;     // 12.50
    field.max = 123456;   // 1234.56
    CHECK(refused(field, std::string{"12,49"}) ==
          ValidationProblem{Problem::MoneyTooSmall, Params{{"min", "12.50"}}});
    CHECK(acceptedText(field, "12,50") == "12.50");
    CHECK(acceptedText(field, "1.234,56") == "1234.56");
    CHECK(refused(field, std::string{"1.234,57"}) ==
          ValidationProblem{Problem::MoneyTooLarge, Params{{"max", "1234.56"}}});
}

TEST_CASE("date: ISO and Dutch day-month-year, real days only") {
    const Field field = makeField(FieldType::Date);
    const std::vector<std::pair<std::string, std::string>> good{
        {"2026-11-29", "2026-11-29"},
        {"29-11-2026", "2026-11-29"},
        {"9-1-2026", "2026-01-09"},
        {"09-01-2026", "2026-01-09"},
        {"9/1/2026", "2026-01-09"},
        {"29/11/2026", "2026-11-29"},
        {"9.1.2026", "2026-01-09"},
        {" 29 - 11 - 2026 ", "2026-11-29"},
        {"2026-1-9", "2026-01-09"},
        {"29-2-2028", "2028-02-29"},   // leap year
        {"29-2-2000", "2000-02-29"},   // divisible by 400
    };
    for (const auto& [input, expected] : good) {
        CAPTURE(input);
        CHECK(acceptedText(field, input) == expected);
    }
    const std::vector<std::string> bad{
        "2026-02-29", "29-2-2026", "29-2-1900", "31-4-2026", "32-1-2026", "0-1-2026",
        "1-13-2026", "1-0-2026", "29-11-26", "29-11-02026", "291-1-2026", "1-2/2026",
        "1.2-2026", "2026/11/29", "2026.11.29", "29112026", "29 11 2026", "29-11",
        "29-11-2026-1", "-29-11-2026", "29--11-2026", "morgen", "2026-11-29T10:00",
        "١٢-١١-٢٠٢٦",
    };
    for (const auto& input : bad) {
        CAPTURE(input);
        CHECK(refused(field, input) == ValidationProblem{Problem::NotDate, {}});
    }
}

TEST_CASE("date: bounds relative to today and fixed, inclusive") {
    Field field = makeField(FieldType::Date);
    field.minDate = DateBound{std::nullopt, -7};  // today-7
    field.maxDate = DateBound{std::nullopt, 30};  // today+30
    CHECK(acceptedText(field, "22-11-2026") == "2026-11-22");
    CHECK(refused(field, std::string{"21-11-2026"}) ==
          ValidationProblem{Problem::DateTooEarly, Params{{"min", "2026-11-22"}}});
    CHECK(acceptedText(field, "29-12-2026") == "2026-12-29");
    CHECK(refused(field, std::string{"30-12-2026"}) ==
          ValidationProblem{Problem::DateTooLate, Params{{"max", "2026-12-29"}}});

    field.minDate = DateBound{};  // today
    field.maxDate = DateBound{std::chrono::year{2027} / 1 / 31, 0};
    CHECK(refused(field, std::string{"2026-11-28"}) ==
          ValidationProblem{Problem::DateTooEarly, Params{{"min", "2026-11-29"}}});
    CHECK(acceptedText(field, "2026-11-29") == "2026-11-29");
    CHECK(acceptedText(field, "31-1-2027") == "2027-01-31");
    CHECK(refused(field, std::string{"1-2-2027"}) ==
          ValidationProblem{Problem::DateTooLate, Params{{"max", "2027-01-31"}}});

    // A birth date: not in the future (max: today).
    Field birth = makeField(FieldType::Date);
    birth.maxDate = DateBound{};
    CHECK(acceptedText(birth, "1-1-1930") == "1930-01-01");
    CHECK(refused(birth, std::string{"30-11-2026"}) ==
          ValidationProblem{Problem::DateTooLate, Params{{"max", "2026-11-29"}}});
}

TEST_CASE("choice: the value of one of the options") {
    const Field field = withOptions(FieldType::Choice, {"huur", "koop"});
    CHECK(acceptedText(field, "huur") == "huur");
    CHECK(acceptedText(field, "koop") == "koop");
    CHECK(refused(field, std::string{"Huur"}) == ValidationProblem{Problem::UnknownOption, {}});
    CHECK(refused(field, std::string{"anders"}) == ValidationProblem{Problem::UnknownOption, {}});
}

TEST_CASE("multichoice: known options, in the form's order, each once, counted") {
    Field field = withOptions(FieldType::Multichoice, {"auto", "fiets", "bus", "trein"});
    CHECK(std::get<std::vector<std::string>>(accepted(field, std::vector<std::string>{"bus"})) ==
          std::vector<std::string>{"bus"});
    CHECK(std::get<std::vector<std::string>>(accepted(
              field, std::vector<std::string>{"trein", "auto", "trein", "bus", "auto"})) ==
          std::vector<std::string>{"auto", "bus", "trein"});
    CHECK(refused(field, std::vector<std::string>{"auto", "boot"}) ==
          ValidationProblem{Problem::UnknownOption, {}});

    field.min = 2;
    field.max = 3;
    CHECK(refused(field, std::vector<std::string>{"bus"}) ==
          ValidationProblem{Problem::TooFewChosen, Params{{"min", "2"}}});
    CHECK(refused(field, std::vector<std::string>{"bus", "bus"}) ==
          ValidationProblem{Problem::TooFewChosen, Params{{"min", "2"}}});  // duplicates once
    CHECK(std::get<std::vector<std::string>>(accepted(field, std::vector<std::string>{"bus", "auto"})) ==
          std::vector<std::string>{"auto", "bus"});
    CHECK(refused(field, std::vector<std::string>{"bus", "auto", "fiets", "trein"}) ==
          ValidationProblem{Problem::TooManyChosen, Params{{"max", "3"}}});
}

TEST_CASE("yesno: true and false are both answers") {
    Field field = makeField(FieldType::YesNo);
    CHECK(std::get<bool>(accepted(field, true)) == true);
    CHECK(std::get<bool>(accepted(field, false)) == false);
    field.required = false;
    CHECK(std::get<bool>(accepted(field, false)) == false);
}

TEST_CASE("consent: must be accepted") {
    const Field field = makeField(FieldType::Consent);
    CHECK(std::get<bool>(accepted(field, true)) == true);
    CHECK(refused(field, false) == ValidationProblem{Problem::ConsentNeeded, {}});
}

TEST_CASE("postcode: 4 digits and 2 letters, normalised to 1234AB") {
    const Field field = makeField(FieldType::Postcode);
    CHECK(acceptedText(field, "1234AB") == "1234AB");
    CHECK(acceptedText(field, "1234 ab") == "1234AB");
    CHECK(acceptedText(field, " 1234  Ab ") == "1234AB");
    CHECK(acceptedText(field, "9999ZZ") == "9999ZZ");
    CHECK(acceptedText(field, "1000\u00A0aa") == "1000AA");
    CHECK(acceptedText(field, "1234SB") == "1234SB");
    for (const std::string bad : {"0123AB", "123AB", "12345AB", "1234A", "1234ABC", "1234 A B1",
                                  "ABCD12", "12AB34", "1234-AB", "1234ÄB", "1234SA", "1234sd",
                                  "1234 SS"}) {
        CAPTURE(bad);
        CHECK(refused(field, bad) == ValidationProblem{Problem::NotPostcode, {}});
    }
}

TEST_CASE("bsn: 9 digits passing the 11-test; 8 digits get a leading zero") {
    const Field field = makeField(FieldType::Bsn);
    CHECK(acceptedText(field, "111222333") == "111222333");
    CHECK(acceptedText(field, "123456782") == "123456782");
    CHECK(acceptedText(field, "1234.56.782") == "123456782");
    CHECK(acceptedText(field, " 123 456 782 ") == "123456782");
    CHECK(acceptedText(field, "123-456-782") == "123456782");
    CHECK(acceptedText(field, "10000008") == "010000008");

    for (const std::string wrongLength : {"12345678", "1234567", "1234567820", "12345678a",
                                          "BSN123456782", "123/456/782"}) {
        CAPTURE(wrongLength);
        // "12345678" becomes "012345678", which fails the 11-test instead.
        const Problem expected = wrongLength == "12345678" ? Problem::BsnCheckFailed
                                                            : Problem::BsnWrongLength;
        CHECK(refused(field, wrongLength) == ValidationProblem{expected, {}});
    }
    CHECK(refusedWith(field, std::string{"000000000"}) == Problem::BsnCheckFailed);
    CHECK(refusedWith(field, std::string{"123456789"}) == Problem::BsnCheckFailed);

    // The 11-test catches every single wrong digit.
    for (const std::string good : {"111222333", "123456782"}) {
        CHECK(passesElevenTest(good));
        for (std::size_t at = 0; at < good.size(); ++at) {
            for (char digit = '0'; digit <= '9'; ++digit) {
                if (digit == good[at]) continue;
                std::string typo = good;
                typo[at] = digit;
                CAPTURE(typo);
                CHECK_FALSE(passesElevenTest(typo));
                CHECK(refusedWith(field, typo) == Problem::BsnCheckFailed);
            }
        }
    }
    CHECK_FALSE(passesElevenTest("12345678"));
    CHECK_FALSE(passesElevenTest("1234567820"));
    CHECK_FALSE(passesElevenTest("12345678a"));
    CHECK_FALSE(passesElevenTest("000000000"));
    CHECK_FALSE(passesElevenTest(""));
}

TEST_CASE("iban: compact upper case, country length, mod-97") {
    const Field field = makeField(FieldType::Iban);
    CHECK(acceptedText(field, "NL91ABNA0417164300") == "NL91ABNA0417164300");
    CHECK(acceptedText(field, "NL02ABNA0123456789") == "NL02ABNA0123456789");
    CHECK(acceptedText(field, "nl91 abna 0417 1643 00") == "NL91ABNA0417164300");
    CHECK(acceptedText(field, " NL02\u00A0ABNA\u00A00123\u00A0456789 ") == "NL02ABNA0123456789");
    CHECK(acceptedText(field, "BE68 5390 0754 7034") == "BE68539007547034");
    CHECK(acceptedText(field, "DE89 3704 0044 0532 0130 00") == "DE89370400440532013000");
    CHECK(acceptedText(field, "FR14 2004 1010 0505 0001 3m02 606") == "FR1420041010050500013M02606");
    CHECK(acceptedText(field, "TR33 0006 1005 1978 6457 8413 26") == "TR330006100519786457841326");
    CHECK(acceptedText(field, "PL61 1090 1014 0000 0712 1981 2874") == "PL61109010140000071219812874");
    CHECK(acceptedText(field, "NO93 8601 1117 947") == "NO9386011117947");

    for (const std::string wrongFormat : {"NL91ABNA041716430", "NL91ABNA04171643000",
                                          "BE6853900754703", "DE8937040044053201300",
                                          "NL91-ABNA-0417-1643-00", "1191ABNA0417164300",
                                          "NLAAABNA0417164300", "NL91ABNA041716430É",
                                          "NL91", "NL91ABNA", "NL91ABNA0417164300NL91ABNA0417164300"}) {
        CAPTURE(wrongFormat);
        CHECK(refused(field, wrongFormat) == ValidationProblem{Problem::IbanWrongFormat, {}});
    }

    // The check digits 00, 01 and 99 are never issued, even where mod-97 holds by accident.
    CHECK(refusedWith(field, std::string{"NL00ABNA0417164300"}) == Problem::IbanCheckFailed);
    CHECK(refusedWith(field, std::string{"NL92ABNA0417164300"}) == Problem::IbanCheckFailed);

    for (const std::string good : {"NL91ABNA0417164300", "NL02ABNA0123456789"}) {
        CHECK(passesMod97(good));
        for (std::size_t at = 2; at < good.size(); ++at) {
            const bool digit = good[at] >= '0' && good[at] <= '9';
            const std::string alphabet = digit ? "0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            for (const char replacement : alphabet) {
                if (replacement == good[at]) continue;
                std::string typo = good;
                typo[at] = replacement;
                CAPTURE(typo);
                CHECK_FALSE(passesMod97(typo));
                CHECK(refusedWith(field, typo) == Problem::IbanCheckFailed);
            }
        }
        // Two neighbours swapped.
        for (std::size_t at = 4; at + 1 < good.size(); ++at) {
            if (good[at] == good[at + 1]) continue;
            std::string swapped = good;
            std::swap(swapped[at], swapped[at + 1]);
            CAPTURE(swapped);
            CHECK(refusedWith(field, swapped) == Problem::IbanCheckFailed);
        }
    }
    CHECK(passesMod97("GB29NWBK60161331926819"));
    CHECK_FALSE(passesMod97("GB29NWBK60161331926818"));
    CHECK_FALSE(passesMod97("NL91 ABNA 0417 1643 00"));  // only the compact form
    CHECK_FALSE(passesMod97("NL9"));
    CHECK_FALSE(passesMod97(""));
}

TEST_CASE("phone: Dutch 10 digits or + and 8 to 15 digits") {
    const Field field = makeField(FieldType::Phone);
    const std::vector<std::pair<std::string, std::string>> good{
        {"0612345678", "0612345678"},
        {"06-12345678", "0612345678"},
        {"06 1234 5678", "0612345678"},
        {"020 - 123 45 67", "0201234567"},
        {"(020) 123 4567", "0201234567"},
        {"020.123.4567", "0201234567"},
        {"+31612345678", "+31612345678"},
        {"+31 6 1234 5678", "+31612345678"},
        {"0031 6 12345678", "+31612345678"},
        {"+31 (0)6 1234 5678", "+31612345678"},
        {"0031 (0)20 123 4567", "+31201234567"},
        {"+90 532 123 45 67", "+905321234567"},
        {"+48 512 345 678", "+48512345678"},
        {"+12345678", "+12345678"},
        {"+123456789012345", "+123456789012345"},
    };
    for (const auto& [input, expected] : good) {
        CAPTURE(input);
        CHECK(acceptedText(field, input) == expected);
    }
    for (const std::string bad : {"061234567", "06123456789", "612345678", "1234567890",
                                  "+1234567", "+1234567890123456", "+0612345678", "06-1234567a",
                                  "06 1234 567x", "+31+612345678", "++31612345678",
                                  "06/12345678", "0031", "000031612345678", "tel 0612345678"}) {
        CAPTURE(bad);
        CHECK(refused(field, bad) == ValidationProblem{Problem::NotPhone, {}});
    }
}

TEST_CASE("email: one @, sane local part and domain, domain lower-cased") {
    const Field field = makeField(FieldType::Email);
    const std::vector<std::pair<std::string, std::string>> good{
        {"jan@example.nl", "jan@example.nl"},
        {"  Jan.Jansen@Example.NL  ", "Jan.Jansen@example.nl"},
        {"a+b_c-d@sub.example.co.uk", "a+b_c-d@sub.example.co.uk"},
        {"x@my-domain.org", "x@my-domain.org"},
        {"jan@xn--bcher-kva.de", "jan@xn--bcher-kva.de"},
        {"ayşe@example.com.tr", "ayşe@example.com.tr"},
        {"1@2.nl", "1@2.nl"},
    };
    for (const auto& [input, expected] : good) {
        CAPTURE(input);
        CHECK(acceptedText(field, input) == expected);
    }
    const std::string local64(64, 'a');
    const std::string domainLabels = std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                                     std::string(57, 'd') + ".nl";  // 63+1+63+1+57+3 = 188
    CHECK(acceptedText(field, local64 + "@" + domainLabels) == local64 + "@" + domainLabels);
    CHECK((local64 + "@" + domainLabels).size() == 253);
    CHECK((local64 + "@x." + domainLabels).size() == 255);
    const std::string longest = local64 + "@" + std::string(63, 'b') + "." + std::string(63, 'c') +
                                "." + std::string(58, 'd') + ".nl";
    CHECK(longest.size() == 254);
    CHECK(acceptedText(field, longest) == longest);

    const std::vector<std::string> bad{
        "jan",
        "jan.example.nl",
        "jan@@example.nl",
        "jan@example@nl.nl",
        "@example.nl",
        "jan@",
        "jan@example",
        "jan@example.n",
        "jan@example.n1",
        "jan@example.",
        "jan@.example.nl",
        "jan@example..nl",
        "jan@-example.nl",
        "jan@example-.nl",
        "jan@exa_mple.nl",
        "jan@exam ple.nl",
        "jan @example.nl",
        "jan\u00A0de@example.nl",
        "jan\x01@example.nl",
        ".jan@example.nl",
        "jan.@example.nl",
        "jan..jansen@example.nl",
        "jan,jansen@example.nl",
        "jan<x>@example.nl",
        "jan@example,nl",
        "jan@exämple.nl",
        local64 + "a@example.nl",
        "a@" + std::string(64, 'b') + ".nl",
        local64 + "@x." + domainLabels,  // 255 characters
    };
    for (const auto& input : bad) {
        CAPTURE(input);
        CHECK(refused(field, input) == ValidationProblem{Problem::NotEmail, {}});
    }
}
