// Tests for show_if conditions: parsing (grammar, precedence, every syntax error with its
// offset and message), checking against a form, and evaluation.
//
// [SECTION] A small form to test against
// [SECTION] Parsing: what is accepted
// [SECTION] Parsing: precedence
// [SECTION] Parsing: syntax errors
// [SECTION] Checking
// [SECTION] Evaluation
#include "forms/condition.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

namespace {

namespace cond = kiosk::forms::condition;
using kiosk::forms::Field;
using kiosk::forms::FieldType;
using kiosk::forms::Option;
using kiosk::forms::Value;

// [SECTION] A small form to test against -------------------------------------------------------

Field makeField(std::string id, FieldType type, std::vector<std::string> optionValues = {}) {
    Field field;
    field.id = std::move(id);
    field.type = type;
    for (auto& value : optionValues) {
        Option option;
        option.value = std::move(value);
        field.options.push_back(std::move(option));
    }
    return field;
}

// Fields that come before the condition, and one that comes after it.
struct TestForm {
    std::vector<Field> earlier{
        makeField("heeft_kinderen", FieldType::YesNo),
        makeField("akkoord", FieldType::Consent),
        makeField("a", FieldType::YesNo),
        makeField("b", FieldType::YesNo),
        makeField("c", FieldType::YesNo),
        makeField("aantal", FieldType::Number),
        makeField("bedrag", FieldType::Money),
        makeField("geboren", FieldType::Date),
        makeField("verhuisd", FieldType::Date),
        makeField("naam", FieldType::Text),
        makeField("soort", FieldType::Choice, {"huur", "koop"}),
        makeField("hobbies", FieldType::Multichoice, {"sport", "muziek", "lezen"}),
        makeField("postcode", FieldType::Postcode),
        makeField("uitleg", FieldType::Info),
        makeField("android", FieldType::YesNo),
        makeField("notitie", FieldType::Text),
        makeField("order_nr", FieldType::Number),
        makeField("2e_kind", FieldType::YesNo),
        makeField("_intern", FieldType::Text),
    };
    std::vector<Field> later{makeField("later_vraag", FieldType::Text)};

    std::map<std::string, Value, std::less<>> values;

    const Field* find(std::string_view id) const {
        for (const auto& field : earlier) if (field.id == id) return &field;
        for (const auto& field : later) if (field.id == id) return &field;
        return nullptr;
    }

    cond::Resolver resolver() const {
        return [this](std::string_view id) {
            for (const auto& field : earlier) {
                if (field.id == id) return cond::Lookup{cond::Lookup::Where::Earlier, &field};
            }
            for (const auto& field : later) {
                if (field.id == id) return cond::Lookup{cond::Lookup::Where::NotEarlier, &field};
            }
            return cond::Lookup{};
        };
    }

    cond::AnswerLookup answers() const {
        return [this](std::string_view id) {
            const auto found = values.find(id);
            return cond::Answer{find(id), found == values.end() ? nullptr : &found->second};
        };
    }
};

cond::ExprPtr parseOk(const std::string& source) {
    CAPTURE(source);
    auto result = cond::parse(source);
    if (!result) {
        const std::string message = result.error().message;
        const std::size_t offset = result.error().offset;
        CAPTURE(message);
        CAPTURE(offset);
        FAIL("parse failed");
    }
    REQUIRE(*result != nullptr);
    return *result;
}

void expectParseError(const std::string& source, std::size_t offset, const std::string& message) {
    CAPTURE(source);
    const auto result = cond::parse(source);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().offset == offset);
    CHECK(result.error().message == message);
}

std::optional<cond::Error> checkText(const TestForm& form, const std::string& source) {
    const auto expr = parseOk(source);
    return cond::check(*expr, form.resolver());
}

void expectSound(const TestForm& form, const std::string& source) {
    CAPTURE(source);
    const auto problem = checkText(form, source);
    if (problem) {
        const std::string message = problem->message;
        CAPTURE(message);
        FAIL("check refused a sound condition");
    }
}

void expectRefused(const TestForm& form, const std::string& source, std::size_t offset,
                   const std::string& message) {
    CAPTURE(source);
    const auto problem = checkText(form, source);
    REQUIRE(problem.has_value());
    CHECK(problem->offset == offset);
    CHECK(problem->message == message);
}

// Parses, checks (it must pass) and evaluates against the form's current values.
bool eval(const TestForm& form, const std::string& source) {
    CAPTURE(source);
    const auto expr = parseOk(source);
    const auto problem = cond::check(*expr, form.resolver());
    if (problem) {
        const std::string message = problem->message;
        CAPTURE(message);
        FAIL("condition did not pass check()");
    }
    return cond::evaluate(*expr, form.answers());
}

template <typename Node>
const Node& as(const cond::ExprPtr& expr) {
    REQUIRE(expr != nullptr);
    const auto* node = std::get_if<Node>(&expr->node);
    REQUIRE(node != nullptr);
    return *node;
}

const cond::FieldRef& fieldOf(const cond::Operand& operand) {
    const auto* field = std::get_if<cond::FieldRef>(&operand.item);
    REQUIRE(field != nullptr);
    return *field;
}

const cond::Literal& literalOf(const cond::Operand& operand) {
    const auto* literal = std::get_if<cond::Literal>(&operand.item);
    REQUIRE(literal != nullptr);
    return *literal;
}

constexpr const char* kValueExamples = ", such as a field id, 'text', a number, true or false";

}  // namespace

// [SECTION] Parsing: what is accepted ----------------------------------------------------------

TEST_CASE("parse: a comparison keeps its parts and their offsets") {
    const auto expr = parseOk("aantal >= 12");
    const auto& compare = as<cond::Compare>(expr);
    CHECK(fieldOf(compare.left).id == "aantal");
    CHECK(fieldOf(compare.left).offset == 0);
    CHECK(compare.op == cond::CompareOp::GreaterEqual);
    CHECK(compare.opOffset == 7);
    CHECK(std::get<double>(literalOf(compare.right).value) == 12.0);
    CHECK(literalOf(compare.right).offset == 10);
    CHECK(expr->offset == 0);
}

TEST_CASE("parse: every comparison operator") {
    const std::vector<std::pair<std::string, cond::CompareOp>> operators{
        {"==", cond::CompareOp::Equal},   {"!=", cond::CompareOp::NotEqual},
        {"<", cond::CompareOp::Less},     {"<=", cond::CompareOp::LessEqual},
        {">", cond::CompareOp::Greater},  {">=", cond::CompareOp::GreaterEqual},
    };
    for (const auto& [text, op] : operators) {
        CAPTURE(text);
        CHECK(as<cond::Compare>(parseOk("aantal " + text + " 1")).op == op);
        CHECK(as<cond::Compare>(parseOk("aantal" + text + "1")).op == op);  // no spaces needed
    }
}

TEST_CASE("parse: literals") {
    SUBCASE("text, with \\' and \\\\ escapes") {
        CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == 'Jan'")).right).value) == "Jan");
        CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == 'O\\'Brien'")).right).value) ==
              "O'Brien");
        CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == 'a\\\\b'")).right).value) ==
              "a\\b");
        CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == ''")).right).value).empty());
        CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == 'and or (' ")).right).value) ==
              "and or (");
    }
    SUBCASE("numbers") {
        const auto number = [](const std::string& text) {
            return std::get<double>(literalOf(as<cond::Compare>(parseOk("aantal == " + text)).right).value);
        };
        CHECK(number("0") == 0.0);
        CHECK(number("007") == 7.0);
        CHECK(number("-3") == -3.0);
        CHECK(number("1500.5") == 1500.5);
        CHECK(number("-0.25") == -0.25);
    }
    SUBCASE("true and false") {
        CHECK(std::get<bool>(literalOf(as<cond::Compare>(parseOk("a == true")).right).value) == true);
        CHECK(std::get<bool>(literalOf(as<cond::Compare>(parseOk("a == false")).right).value) == false);
    }
}

TEST_CASE("parse: keywords are whole words; field ids are [a-z0-9_]+") {
    for (const std::string id : {"android", "notitie", "order_nr", "india", "contains_x", "true_value",
                                 "falsehood", "2e_kind", "_intern", "x1"}) {
        CAPTURE(id);
        CHECK(fieldOf(as<cond::Compare>(parseOk(id + " == 1")).left).id == id);
    }
    CHECK(fieldOf(as<cond::Bare>(parseOk("android")).value).id == "android");
    // "not" directly before a bracket is still the keyword.
    CHECK(std::holds_alternative<cond::Not>(parseOk("not(a)")->node));
}

TEST_CASE("parse: whitespace of any kind between tokens") {
    const auto expr = parseOk("  aantal\n  >\t1\r\n and\tb ");
    const auto& both = as<cond::And>(expr);
    REQUIRE(both.terms.size() == 2);
    CHECK(as<cond::Compare>(both.terms[0]).opOffset == 11);
    CHECK(fieldOf(as<cond::Bare>(both.terms[1]).value).offset == 21);
}

TEST_CASE("parse: in and contains") {
    SUBCASE("in with a list of literals") {
        const auto expr = parseOk("soort in ['huur', 'koop' ,'x']");
        const auto& in = as<cond::In>(expr);
        CHECK(fieldOf(in.left).id == "soort");
        REQUIRE(in.list.size() == 3);
        CHECK(std::get<std::string>(in.list[0].value) == "huur");
        CHECK(in.list[1].offset == 18);
        CHECK(std::get<std::string>(in.list[2].value) == "x");
    }
    SUBCASE("in with one number") {
        const auto inExpr = parseOk("aantal in [3]");
        const auto& in = as<cond::In>(inExpr);
        REQUIRE(in.list.size() == 1);
        CHECK(std::get<double>(in.list[0].value) == 3.0);
    }
    SUBCASE("contains") {
        const auto expr = parseOk("hobbies contains 'sport'");
        const auto& contains = as<cond::Contains>(expr);
        CHECK(contains.field.id == "hobbies");
        CHECK(std::get<std::string>(contains.item.value) == "sport");
        CHECK(contains.item.offset == 17);
    }
}

// [SECTION] Parsing: precedence ------------------------------------------------------------------

TEST_CASE("precedence: and binds tighter than or") {
    const auto expr = parseOk("a or b and c");
    const auto& either = as<cond::Or>(expr);
    REQUIRE(either.terms.size() == 2);
    CHECK(fieldOf(as<cond::Bare>(either.terms[0]).value).id == "a");
    const auto& both = as<cond::And>(either.terms[1]);
    REQUIRE(both.terms.size() == 2);
    CHECK(fieldOf(as<cond::Bare>(both.terms[0]).value).id == "b");
    CHECK(fieldOf(as<cond::Bare>(both.terms[1]).value).id == "c");

    const auto other = parseOk("a and b or c");
    const auto& top = as<cond::Or>(other);
    REQUIRE(top.terms.size() == 2);
    CHECK(as<cond::And>(top.terms[0]).terms.size() == 2);
    CHECK(fieldOf(as<cond::Bare>(top.terms[1]).value).id == "c");
}

TEST_CASE("precedence: chains of the same operator are flat") {
    CHECK(as<cond::Or>(parseOk("a or b or c or a")).terms.size() == 4);
    CHECK(as<cond::And>(parseOk("a and b and c")).terms.size() == 3);
}

TEST_CASE("precedence: not binds tighter than and, looser than a comparison") {
    const auto negatedExpr = parseOk("not aantal == 1");
    const auto& negated = as<cond::Not>(negatedExpr);
    CHECK(as<cond::Compare>(negated.inner).op == cond::CompareOp::Equal);

    const auto bothExpr = parseOk("not a and b");

    const auto& both = as<cond::And>(bothExpr);
    REQUIRE(both.terms.size() == 2);
    CHECK(fieldOf(as<cond::Bare>(as<cond::Not>(both.terms[0]).inner).value).id == "a");
    CHECK(fieldOf(as<cond::Bare>(both.terms[1]).value).id == "b");

    const auto twiceExpr = parseOk("not not a");

    const auto& twice = as<cond::Not>(twiceExpr);
    CHECK(std::holds_alternative<cond::Not>(twice.inner->node));
}

TEST_CASE("precedence: brackets group") {
    const auto expr = parseOk("(a or b) and c");
    const auto& both = as<cond::And>(expr);
    REQUIRE(both.terms.size() == 2);
    CHECK(as<cond::Or>(both.terms[0]).terms.size() == 2);

    const auto negatedExpr = parseOk("not (a and b)");

    const auto& negated = as<cond::Not>(negatedExpr);
    CHECK(as<cond::And>(negated.inner).terms.size() == 2);

    // A bracketed condition compared with a value stays an operand.
    const auto compareExpr = parseOk("(aantal > 1) == true");
    const auto& compare = as<cond::Compare>(compareExpr);
    CHECK(std::holds_alternative<cond::ExprPtr>(compare.left.item));
    CHECK(compare.left.offset == 0);
}

TEST_CASE("precedence: the evaluated result follows the grammar") {
    TestForm form;
    form.values["a"] = true;
    form.values["b"] = false;
    form.values["c"] = false;
    CHECK(eval(form, "a or b and c"));          // a or (b and c)
    CHECK_FALSE(eval(form, "(a or b) and c"));
    form.values["a"] = false;
    form.values["b"] = true;
    form.values["c"] = true;
    CHECK(eval(form, "a and b or c"));          // (a and b) or c
    CHECK_FALSE(eval(form, "a and (b or c)"));
    CHECK_FALSE(eval(form, "not b and c"));     // (not b) and c
    CHECK_FALSE(eval(form, "not (a or b)"));
    CHECK(eval(form, "not a and c"));

    form.values["aantal"] = std::int64_t{1};
    CHECK_FALSE(eval(form, "not aantal == 1"));  // not (aantal == 1)
    form.values["aantal"] = std::int64_t{2};
    CHECK(eval(form, "not aantal == 1"));
    CHECK(eval(form, "not not aantal == 2"));
}

// [SECTION] Parsing: syntax errors --------------------------------------------------------------

TEST_CASE("syntax error: missing or misplaced values") {
    expectParseError("", 0, "the condition is empty: write one, such as heeft_kinderen == true");
    expectParseError("   ", 3, "the condition is empty: write one, such as heeft_kinderen == true");
    expectParseError("aantal ==", 9, std::string("expected a value after '=='") + kValueExamples);
    expectParseError("aantal <= and b", 10, std::string("expected a value after '<='") + kValueExamples);
    expectParseError("a and", 5, std::string("expected a value after 'and'") + kValueExamples);
    expectParseError("a or or b", 5, std::string("expected a value after 'or'") + kValueExamples);
    expectParseError("not", 3, std::string("expected a value after 'not'") + kValueExamples);
    expectParseError("()", 1, std::string("expected a value after '('") + kValueExamples);
    expectParseError("and a", 0, std::string("expected a value at the start of the condition") + kValueExamples);
    expectParseError("== 1", 0, std::string("expected a value at the start of the condition") + kValueExamples);
    expectParseError("a == not b", 5, std::string("expected a value after '=='") + kValueExamples);
}

TEST_CASE("syntax error: wrong comparison and logic symbols") {
    expectParseError("aantal = 5", 7, "'=' is not a comparison; write '==' to compare");
    expectParseError("aantal === 5", 7, "'===' is not a comparison; write '=='");
    expectParseError("aantal => 5", 7, "'=>' is not a comparison; write '>=' for 'greater than or equal to'");
    expectParseError("aantal =< 5", 7, "'=<' is not a comparison; write '<=' for 'less than or equal to'");
    expectParseError("aantal <> 5", 7, "'<>' is not a comparison; write '!=' for 'is not equal to'");
    expectParseError("!a", 0,
                     "'!' is not understood; write 'not' before a condition to turn it around, or '!=' for "
                     "'is not equal to'");
    expectParseError("a && b", 2, "write 'and' instead of '&&'");
    expectParseError("a & b", 2, "write 'and' instead of '&'");
    expectParseError("a || b", 2, "write 'or' instead of '||'");
    expectParseError("a | b", 2, "write 'or' instead of '|'");
    expectParseError("a AND b", 2, "write 'and' in lower case");
    expectParseError("a == TRUE", 5, "write 'true' in lower case");
    expectParseError("Naam == 'x'", 0, "field ids are written in lower case: write 'naam'");
}

TEST_CASE("syntax error: texts") {
    expectParseError("naam == 'Jan", 8, "string is not closed: add a ' at the end");
    expectParseError("naam == 'Jan\\'", 8, "string is not closed: add a ' at the end");
    expectParseError("naam == \"Jan\"", 8, "use single quotes 'like this' for a text, not double quotes");
    expectParseError("naam == 'a\\b'", 10,
                     "'\\' in a text must be followed by ' or \\: write \\' for a quote and \\\\ for a backslash");
    expectParseError("naam == \u2018Jan\u2019", 8,
                     "'\u2018' is a typographic quote: use the plain single quote ' (a word processor may have "
                     "changed it)");
    expectParseError("naam == 'x' \u201Cy\u201D", 12,
                     "'\u201C' is a typographic quote: use the plain single quote ' (a word processor may have "
                     "changed it)");
}

TEST_CASE("syntax error: numbers and ids") {
    expectParseError("aantal > 1.", 9, "'1.' is not a number: write digits with an optional '.' part, such as 25 or 2.5");
    expectParseError("aantal > 1.5kg", 9,
                     "'1.5kg' is not a number: write digits with an optional '.' part, such as 25 or 2.5");
    expectParseError("aantal > -5x", 9,
                     "'-5x' is not a number: write digits with an optional '.' part, such as 25 or 2.5");
    expectParseError("aantal > - 5", 9, "'-' must be written directly before a number, such as -5");
    expectParseError("soort-woning == 'x'", 5, "a field id cannot contain '-': use '_' instead");
    const std::string huge = "1" + std::string(400, '0');
    const auto result = cond::parse("aantal > " + huge);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().offset == 9);
    CHECK(result.error().message == "'" + huge.substr(0, 40) + "' is too large a number");
}

TEST_CASE("syntax error: characters that do not belong") {
    expectParseError("aantal > 1 ; b", 11,
                     "';' is not understood here: outside quotes a condition has only field ids (a-z, 0-9, _), "
                     "numbers, brackets, comparisons and the words and, or, not, in, contains, true, false");
    expectParseError("caf\u00e9 == 1", 3,
                     "'\u00e9' is not understood here: outside quotes a condition has only field ids (a-z, 0-9, "
                     "_), numbers, brackets, comparisons and the words and, or, not, in, contains, true, false");
    expectParseError("aantal\u00A0> 1", 6, "there is a non-breaking space here: replace it with a normal space");
    expectParseError(std::string("a\x01"), 1, "there is an invisible control character here: remove it");
}

TEST_CASE("syntax error: brackets") {
    expectParseError("(aantal > 1 and b", 17, "unbalanced '(': add ')'");
    expectParseError("((a)", 4, "unbalanced '(': add ')'");
    expectParseError("aantal > 1)", 10, "unbalanced ')': remove it, or add a '(' before it");
    expectParseError("(a == 1 b)", 8, "unexpected 'b': join two conditions with 'and' or 'or'");
    expectParseError("(a == 1 ]", 8, "unexpected ']': expected ')' to close the '('");
    // A lexical error where ')' was expected is reported as itself.
    expectParseError("(aantal == 1 && b)", 13, "write 'and' instead of '&&'");
}

TEST_CASE("syntax error: trailing tokens and chained comparisons") {
    expectParseError("aantal > 1 ]", 11, "unexpected ']' after the end of the condition");
    expectParseError("aantal > 1 xyz", 11,
                     "unexpected 'xyz' after the end of the condition: join two conditions with 'and' or 'or'");
    expectParseError("a 'x'", 2,
                     "unexpected 'x' after the end of the condition: join two conditions with 'and' or 'or'");
    expectParseError("1 < aantal < 5", 11,
                     "comparisons cannot be chained: join them with 'and', as in aantal > 1 and aantal < 5, "
                     "or put one in brackets");
    expectParseError("soort in ['huur'] == true", 18,
                     "comparisons cannot be chained: join them with 'and', as in aantal > 1 and aantal < 5, "
                     "or put one in brackets");
    expectParseError("soort not in ['huur']", 6,
                     "'not' must come before the comparison it turns around, as in: not soort_woning in "
                     "['huur', 'koop']");
}

TEST_CASE("syntax error: in lists") {
    expectParseError("soort in 'huur'", 9, "expected '[' after 'in', as in: soort_woning in ['huur', 'koop']");
    expectParseError("soort in", 8, "expected '[' after 'in', as in: soort_woning in ['huur', 'koop']");
    expectParseError("soort in []", 10,
                     "the list after 'in' is empty: put at least one value in it, as in ['huur', 'koop']");
    expectParseError("soort in ['huur',]", 17,
                     "expected a value after ',', such as 'text', a number, true or false");
    expectParseError("soort in [(a)]", 10, "expected a value after '[', such as 'text', a number, true or false");
    expectParseError("soort in ['huur' 'koop']", 17, "expected ',' or ']' in the list after 'in', not 'koop'");
    expectParseError("soort in ['huur'", 16, "the list after 'in' is not closed: add ']'");
    expectParseError("soort in [huur]", 10,
                     "a list after 'in' holds fixed values only: to use the text huur, put it in single quotes: "
                     "'huur'");
    expectParseError("soort in ['huur', \"koop\"]", 18, "use single quotes 'like this' for a text, not double quotes");
}

TEST_CASE("syntax error: contains") {
    expectParseError("hobbies contains sport", 17, "after 'contains' write the option value in single quotes: 'sport'");
    expectParseError("hobbies contains", 16,
                     "expected an option value in single quotes after 'contains', such as 'sport'");
    expectParseError("hobbies contains ('sport')", 17,
                     "expected an option value in single quotes after 'contains', such as 'sport'");
    expectParseError("'x' contains 'y'", 4, "'contains' needs a field id before it, as in: interesses contains 'sport'");
    expectParseError("(hobbies) contains 'x'", 10,
                     "'contains' needs a field id before it, as in: interesses contains 'sport'");
}

TEST_CASE("syntax error: offsets count bytes, and multi-byte texts are fine") {
    // 'é' is two bytes, so 'xyz' starts at byte 16 although it is the 16th character.
    expectParseError("naam == 'café' xyz", 16,
                     "unexpected 'xyz' after the end of the condition: join two conditions with 'and' or 'or'");
    CHECK(std::get<std::string>(literalOf(as<cond::Compare>(parseOk("naam == 'café €'")).right).value) ==
          "café €");
}

TEST_CASE("syntax error: nesting is limited") {
    const auto nested = [](int depth) {
        return std::string(static_cast<std::size_t>(depth), '(') + "a" + std::string(static_cast<std::size_t>(depth), ')');
    };
    CHECK(cond::parse(nested(32)).has_value());
    expectParseError(nested(33), 32,
                     "too many brackets or 'not's inside each other (more than 32): simplify the condition");

    std::string nots;
    for (int i = 0; i < 32; ++i) nots += "not ";
    CHECK(cond::parse(nots + "a").has_value());
    expectParseError(nots + "not a", 128,
                     "too many brackets or 'not's inside each other (more than 32): simplify the condition");
    // Brackets and nots count together.
    expectParseError(nots + "(a)", 128,
                     "too many brackets or 'not's inside each other (more than 32): simplify the condition");
    // Depth is nesting, not length: many bracketed terms side by side are fine.
    std::string wide = "(a)";
    for (int i = 0; i < 200; ++i) wide += " or (a)";
    CHECK(cond::parse(wide).has_value());
}

// [SECTION] Checking ----------------------------------------------------------------------------

TEST_CASE("check: sound conditions pass") {
    TestForm form;
    for (const std::string source : {
             "heeft_kinderen == true", "heeft_kinderen", "akkoord", "not heeft_kinderen", "true", "false != true",
             "(aantal > 1)", "aantal > 1 and bedrag <= 1500.5", "aantal == bedrag", "aantal >= -2.5",
             "geboren < '2026-01-31'", "'2026-01-31' >= geboren", "geboren != verhuisd", "naam == 'Jan'",
             "naam < 'M'", "naam == soort", "soort == 'huur'", "'koop' != soort", "soort < 'koop'",
             "soort in ['huur', 'koop']", "aantal in [1, 2.5]", "geboren in ['2000-02-29']",
             "heeft_kinderen in [true]", "postcode >= '5000'", "hobbies contains 'lezen'",
             "not hobbies contains 'sport'", "(aantal > 1) == (naam == 'x')", "1 < 2", "'a' == 'b'",
             "'2026-13-45' == 'x'", "android and notitie == 'x' or order_nr > 1", "2e_kind", "_intern == ''",
         }) {
        expectSound(form, source);
    }
}

TEST_CASE("check: fields must exist, come earlier and have an answer") {
    TestForm form;
    expectRefused(form, "onbekend == 1", 0, "no field 'onbekend' in this form");
    expectRefused(form, "aantal == onbekend", 10, "no field 'onbekend' in this form");
    expectRefused(form, "hobbies_x contains 'sport'", 0, "no field 'hobbies_x' in this form");
    expectRefused(form, "later_vraag == 'x'", 0,
                  "'later_vraag' comes later in the form; a condition can only use answers given before it");
    expectRefused(form, "a and later_vraag", 6,
                  "'later_vraag' comes later in the form; a condition can only use answers given before it");
    expectRefused(form, "uitleg == 'x'", 0,
                  "'uitleg' is an information text, not a question: it has no answer for a condition to use");
    expectRefused(form, "uitleg", 0,
                  "'uitleg' is an information text, not a question: it has no answer for a condition to use");
}

TEST_CASE("check: an option written without quotes gets a hint") {
    TestForm form;
    expectRefused(form, "soort == huur", 9,
                  "no field 'huur' in this form; to compare with the option 'huur' of 'soort', put it in single "
                  "quotes: 'huur'");
    expectRefused(form, "koop != soort", 0,
                  "no field 'koop' in this form; to compare with the option 'koop' of 'soort', put it in single "
                  "quotes: 'koop'");
    // Not an option of that field: the plain message.
    expectRefused(form, "soort == hur", 9, "no field 'hur' in this form");
}

TEST_CASE("check: values of different kinds cannot be compared") {
    TestForm form;
    expectRefused(form, "heeft_kinderen == 'ja'", 18,
                  "'heeft_kinderen' is a yes/no field: compare it with true or false, not with a text");
    expectRefused(form, "'ja' == heeft_kinderen", 0,
                  "'heeft_kinderen' is a yes/no field: compare it with true or false, not with a text");
    expectRefused(form, "akkoord != 1", 11, "'akkoord' is a consent field: compare it with true or false, not with a number");
    expectRefused(form, "aantal == 'vijf'", 10, "'aantal' is a number field: compare it with a number, not with a text");
    expectRefused(form, "bedrag > true", 9, "'bedrag' is a money field: compare it with a number, not with true or false");
    expectRefused(form, "naam == 5", 8,
                  "'naam' is a text field: compare it with a text in single quotes, not with a number");
    expectRefused(form, "geboren < 2026", 10,
                  "'geboren' is a date field: compare it with a date such as '2026-01-31', not with a number");
    expectRefused(form, "soort == 1", 9,
                  "'soort' is a choice field: compare it with one of its options ('huur', 'koop'), not with a number");
    expectRefused(form, "heeft_kinderen == naam", 18,
                  "'heeft_kinderen' is a yes/no field: compare it with true or false, not with 'naam', which is a "
                  "text field");
    expectRefused(form, "geboren == naam", 11,
                  "'geboren' is a date field: compare it with a date such as '2026-01-31', not with 'naam', which "
                  "is a text field");
    expectRefused(form, "(aantal > 1) == aantal", 0,
                  "'aantal' is a number field: compare it with a number, not with a condition in brackets");
    expectRefused(form, "1 == 'a'", 5, "A number cannot be compared with a text");
    expectRefused(form, "(aantal > 1) == 5", 16, "A condition in brackets cannot be compared with a number");
    expectRefused(form, "true < 'x'", 7, "True or false cannot be compared with a text");
    expectRefused(form, "aantal in [1, 'twee']", 14,
                  "'aantal' is a number field: compare it with a number, not with a text");
}

TEST_CASE("check: a choice is compared with its own options") {
    TestForm form;
    expectRefused(form, "soort == 'hur'", 9, "'soort' has no option 'hur'; its options are 'huur', 'koop'");
    expectRefused(form, "'Huur' == soort", 0, "'soort' has no option 'Huur'; its options are 'huur', 'koop'");
    expectRefused(form, "soort in ['huur', 'kop']", 18, "'soort' has no option 'kop'; its options are 'huur', 'koop'");
    expectRefused(form, "soort >= 'x'", 9, "'soort' has no option 'x'; its options are 'huur', 'koop'");
}

TEST_CASE("check: a date is compared with a real 'YYYY-MM-DD' date") {
    TestForm form;
    const std::string message = "'geboren' is a date field: write the date as 'YYYY-MM-DD', such as '2026-01-31'";
    expectRefused(form, "geboren < '2000-13-01'", 10, message);
    expectRefused(form, "geboren < '2001-02-29'", 10, message);
    expectRefused(form, "geboren < '1-1-2000'", 10, message);
    expectRefused(form, "'gisteren' < geboren", 0, message);
    expectRefused(form, "geboren in ['2000-01-01', 'gisteren']", 26, message);
}

TEST_CASE("check: ordering only for numbers, dates and texts") {
    TestForm form;
    const std::string tail = "' only works with numbers, money, dates and texts, not with true or false: use '==' or '!='";
    expectRefused(form, "heeft_kinderen < true", 15, "'<" + tail);
    expectRefused(form, "akkoord >= false", 8, "'>=" + tail);
    expectRefused(form, "(aantal > 1) <= (naam == 'x')", 13, "'<=" + tail);
    expectRefused(form, "true > false", 5, "'>" + tail);
}

TEST_CASE("check: a multiple-choice field is tested with contains") {
    TestForm form;
    const std::string message =
        "'hobbies' is a multiple-choice field: use 'contains' to test one option, as in hobbies contains 'sport'";
    expectRefused(form, "hobbies == 'sport'", 0, message);
    expectRefused(form, "'sport' != hobbies", 11, message);
    expectRefused(form, "hobbies < 1", 0, message);
    expectRefused(form, "hobbies in ['sport']", 0, message);
    expectRefused(form, "hobbies", 0,
                  "'hobbies' is a multiple-choice field, not a yes/no field: write a comparison, such as hobbies "
                  "contains 'sport'");
}

TEST_CASE("check: contains needs a multiple-choice field and one of its options") {
    TestForm form;
    expectRefused(form, "soort contains 'huur'", 0,
                  "'soort' is a choice field: 'contains' only works with a multiple-choice field; use '==' to compare");
    expectRefused(form, "naam contains 'x'", 0,
                  "'naam' is a text field: 'contains' only works with a multiple-choice field; use '==' to compare");
    expectRefused(form, "hobbies contains 'dansen'", 17,
                  "'hobbies' has no option 'dansen'; its options are 'sport', 'muziek', 'lezen'");
    expectRefused(form, "hobbies contains 5", 17,
                  "'hobbies' is a multiple-choice field: after 'contains' write one of its options in single "
                  "quotes, such as 'sport'");
    expectRefused(form, "hobbies contains true", 17,
                  "'hobbies' is a multiple-choice field: after 'contains' write one of its options in single "
                  "quotes, such as 'sport'");
}

TEST_CASE("check: a value on its own must be yes/no") {
    TestForm form;
    expectRefused(form, "aantal", 0,
                  "'aantal' is a number field, not a yes/no field: write a comparison, such as aantal > 0");
    expectRefused(form, "naam and heeft_kinderen", 0,
                  "'naam' is a text field, not a yes/no field: write a comparison, such as naam == 'text'");
    expectRefused(form, "heeft_kinderen and soort", 19,
                  "'soort' is a choice field, not a yes/no field: write a comparison, such as soort == 'huur'");
    expectRefused(form, "not geboren", 4,
                  "'geboren' is a date field, not a yes/no field: write a comparison, such as geboren < "
                  "'2026-01-31'");
    expectRefused(form, "'ja'", 0,
                  "a text on its own is not a condition: write a comparison, such as soort_woning == 'huur'");
    expectRefused(form, "a or 5", 5,
                  "a number on its own is not a condition: write a comparison, such as aantal_kinderen > 2");
}

TEST_CASE("check: the first problem in reading order is reported, also inside brackets") {
    TestForm form;
    expectRefused(form, "onbekend == 1 and heeft_kinderen == 'ja'", 0, "no field 'onbekend' in this form");
    expectRefused(form, "heeft_kinderen == 'ja' or onbekend", 18,
                  "'heeft_kinderen' is a yes/no field: compare it with true or false, not with a text");
    expectRefused(form, "a and not (b or (aantal == 'x'))", 27,
                  "'aantal' is a number field: compare it with a number, not with a text");
    expectRefused(form, "(onbekend) == true", 1, "no field 'onbekend' in this form");
}

TEST_CASE("check: an empty resolver knows no fields and does not throw") {
    const auto expr = parseOk("a == true");
    const auto problem = cond::check(*expr, cond::Resolver{});
    REQUIRE(problem.has_value());
    CHECK(problem->message == "no field 'a' in this form");
    CHECK_FALSE(cond::check(*parseOk("1 < 2"), cond::Resolver{}).has_value());
}

// [SECTION] Evaluation --------------------------------------------------------------------------

TEST_CASE("evaluate: every operator on numbers") {
    TestForm form;
    form.values["aantal"] = std::int64_t{5};
    CHECK(eval(form, "aantal == 5"));
    CHECK_FALSE(eval(form, "aantal == 4"));
    CHECK(eval(form, "aantal != 4"));
    CHECK_FALSE(eval(form, "aantal != 5"));
    CHECK(eval(form, "aantal < 6"));
    CHECK_FALSE(eval(form, "aantal < 5"));
    CHECK(eval(form, "aantal <= 5"));
    CHECK_FALSE(eval(form, "aantal <= 4"));
    CHECK(eval(form, "aantal > 4"));
    CHECK_FALSE(eval(form, "aantal > 5"));
    CHECK(eval(form, "aantal >= 5"));
    CHECK_FALSE(eval(form, "aantal >= 6"));
    CHECK(eval(form, "aantal > 4.5"));
    CHECK(eval(form, "aantal < 5.01"));
    CHECK(eval(form, "aantal > -5"));
    CHECK(eval(form, "6 > aantal"));
}

TEST_CASE("evaluate: money compares exactly as an amount") {
    TestForm form;
    form.values["bedrag"] = std::string("1500.50");
    CHECK(eval(form, "bedrag == 1500.5"));
    CHECK(eval(form, "bedrag == 1500.50"));
    CHECK_FALSE(eval(form, "bedrag == 1500"));
    CHECK(eval(form, "bedrag > 1500.49"));
    CHECK(eval(form, "bedrag < 1500.51"));
    CHECK(eval(form, "bedrag < 1500.505"));   // more decimals than cents
    CHECK(eval(form, "bedrag > 1500.495"));
    CHECK_FALSE(eval(form, "bedrag >= 1500.505"));
    CHECK(eval(form, "bedrag >= 1500.5 and bedrag <= 1500.5"));

    form.values["bedrag"] = std::string("0.29");  // 0.29 * 100 is not 29 in floating point
    CHECK(eval(form, "bedrag == 0.29"));
    CHECK_FALSE(eval(form, "bedrag < 0.29"));
    CHECK_FALSE(eval(form, "bedrag > 0.29"));

    form.values["bedrag"] = std::string("-3.75");
    CHECK(eval(form, "bedrag < -3.7"));
    CHECK(eval(form, "bedrag == -3.75"));

    SUBCASE("every amount equals its own literal and lies between its neighbours") {
        const auto sweep = [&](std::int64_t from, std::int64_t to) {
            for (std::int64_t cents = from; cents <= to; ++cents) {
                form.values["bedrag"] = kiosk::forms::formatCents(cents);
                const std::string self = kiosk::forms::formatCents(cents);
                const auto expr = cond::parse("bedrag == " + self + " and bedrag < " +
                                              kiosk::forms::formatCents(cents + 1) + " and bedrag > " +
                                              kiosk::forms::formatCents(cents - 1) + " and not bedrag != " + self);
                REQUIRE(expr.has_value());
                if (!cond::evaluate(**expr, form.answers())) {
                    CAPTURE(self);
                    FAIL("amount does not compare equal to its own literal");
                }
            }
        };
        sweep(-1000, 20000);
        sweep(123456789000, 123456791000);  // large amounts, still exact
    }
}

TEST_CASE("evaluate: money against a whole-number field") {
    TestForm form;
    form.values["bedrag"] = std::string("5.00");
    form.values["aantal"] = std::int64_t{5};
    CHECK(eval(form, "bedrag == aantal"));
    CHECK(eval(form, "aantal == bedrag"));
    form.values["bedrag"] = std::string("5.01");
    CHECK(eval(form, "bedrag > aantal"));
    CHECK(eval(form, "aantal < bedrag"));
    CHECK_FALSE(eval(form, "aantal == bedrag"));
    // A whole number so large that times 100 it would overflow.
    form.values["aantal"] = std::numeric_limits<std::int64_t>::max();
    CHECK(eval(form, "aantal > bedrag"));
    form.values["aantal"] = std::numeric_limits<std::int64_t>::min();
    CHECK(eval(form, "aantal < bedrag"));
}

TEST_CASE("evaluate: dates compare by date") {
    TestForm form;
    form.values["geboren"] = std::string("2000-02-29");
    CHECK(eval(form, "geboren == '2000-02-29'"));
    CHECK(eval(form, "geboren < '2000-03-01'"));
    CHECK(eval(form, "geboren > '1999-12-31'"));
    CHECK(eval(form, "geboren <= '2000-02-29'"));
    CHECK(eval(form, "geboren >= '2000-02-29'"));
    CHECK(eval(form, "geboren != '2000-02-28'"));
    CHECK(eval(form, "'2000-03-01' > geboren"));
    CHECK_FALSE(eval(form, "geboren > '2000-03-01'"));
    CHECK(eval(form, "geboren in ['1999-01-01', '2000-02-29']"));
    CHECK_FALSE(eval(form, "geboren in ['1999-01-01']"));
    form.values["verhuisd"] = std::string("2024-06-01");
    CHECK(eval(form, "geboren < verhuisd"));
    CHECK(eval(form, "geboren != verhuisd"));
}

TEST_CASE("evaluate: texts, choices and postcodes") {
    TestForm form;
    form.values["naam"] = std::string("O'Brien");
    form.values["soort"] = std::string("huur");
    form.values["postcode"] = std::string("5611AB");
    CHECK(eval(form, "naam == 'O\\'Brien'"));
    CHECK_FALSE(eval(form, "naam == 'o\\'brien'"));  // exact, case included
    CHECK(eval(form, "naam != 'Jan'"));
    CHECK(eval(form, "naam < 'P'"));
    CHECK(eval(form, "soort == 'huur'"));
    CHECK_FALSE(eval(form, "soort == 'koop'"));
    CHECK(eval(form, "soort in ['koop', 'huur']"));
    CHECK_FALSE(eval(form, "soort in ['koop']"));
    CHECK(eval(form, "postcode >= '5000' and postcode < '6000'"));
    form.values["naam"] = std::string("huur");
    CHECK(eval(form, "naam == soort"));
}

TEST_CASE("evaluate: yes/no, consent and literals") {
    TestForm form;
    form.values["heeft_kinderen"] = true;
    form.values["akkoord"] = true;
    CHECK(eval(form, "heeft_kinderen"));
    CHECK(eval(form, "heeft_kinderen == true"));
    CHECK_FALSE(eval(form, "heeft_kinderen == false"));
    CHECK(eval(form, "heeft_kinderen != false"));
    CHECK_FALSE(eval(form, "not heeft_kinderen"));
    CHECK(eval(form, "akkoord"));
    CHECK(eval(form, "heeft_kinderen in [false, true]"));
    form.values["heeft_kinderen"] = false;
    CHECK_FALSE(eval(form, "heeft_kinderen"));
    CHECK(eval(form, "heeft_kinderen == false"));
    CHECK(eval(form, "not heeft_kinderen"));

    CHECK(eval(form, "true"));
    CHECK_FALSE(eval(form, "false"));
    CHECK(eval(form, "1 < 2"));
    CHECK(eval(form, "'a' != 'b'"));
    CHECK(eval(form, "true != false"));
    CHECK(eval(form, "2 in [1, 2]"));
    form.values["aantal"] = std::int64_t{3};
    CHECK(eval(form, "(aantal > 1) == true"));
    CHECK(eval(form, "(aantal > 1) != (aantal > 5)"));
}

TEST_CASE("evaluate: contains") {
    TestForm form;
    form.values["hobbies"] = std::vector<std::string>{"sport", "lezen"};
    CHECK(eval(form, "hobbies contains 'sport'"));
    CHECK(eval(form, "hobbies contains 'lezen'"));
    CHECK_FALSE(eval(form, "hobbies contains 'muziek'"));
    CHECK(eval(form, "not hobbies contains 'muziek'"));
    form.values["hobbies"] = std::vector<std::string>{};
    CHECK_FALSE(eval(form, "hobbies contains 'sport'"));
}

TEST_CASE("evaluate: a field without a value") {
    TestForm form;  // nothing answered
    SUBCASE("every comparison is false except '!='") {
        CHECK_FALSE(eval(form, "aantal == 5"));
        CHECK(eval(form, "aantal != 5"));
        CHECK_FALSE(eval(form, "aantal < 5"));
        CHECK_FALSE(eval(form, "aantal <= 5"));
        CHECK_FALSE(eval(form, "aantal > 5"));
        CHECK_FALSE(eval(form, "aantal >= 5"));
        CHECK_FALSE(eval(form, "5 == aantal"));
        CHECK(eval(form, "5 != aantal"));
        CHECK_FALSE(eval(form, "heeft_kinderen == true"));
        CHECK_FALSE(eval(form, "heeft_kinderen == false"));
        CHECK(eval(form, "heeft_kinderen != true"));
        CHECK(eval(form, "heeft_kinderen != false"));
        CHECK_FALSE(eval(form, "geboren < '2030-01-01'"));
        CHECK(eval(form, "geboren != '2030-01-01'"));
        CHECK_FALSE(eval(form, "bedrag == 0"));
        CHECK(eval(form, "naam != ''"));
    }
    SUBCASE("one side without a value is enough") {
        form.values["aantal"] = std::int64_t{5};
        CHECK_FALSE(eval(form, "aantal == bedrag"));
        CHECK(eval(form, "aantal != bedrag"));
        CHECK(eval(form, "bedrag != aantal"));
    }
    SUBCASE("in, contains and a bare field are false") {
        CHECK_FALSE(eval(form, "soort in ['huur', 'koop']"));
        CHECK_FALSE(eval(form, "aantal in [1]"));
        CHECK_FALSE(eval(form, "hobbies contains 'sport'"));
        CHECK(eval(form, "not hobbies contains 'sport'"));
        CHECK_FALSE(eval(form, "heeft_kinderen"));
        CHECK(eval(form, "not heeft_kinderen"));
        CHECK_FALSE(eval(form, "akkoord"));
    }
    SUBCASE("a hidden field: known to the lookup but without a value") {
        const auto expr = parseOk("aantal == 5 or aantal != 5");
        const cond::AnswerLookup hidden = [&](std::string_view id) { return cond::Answer{form.find(id), nullptr}; };
        CHECK(cond::evaluate(*expr, hidden));
        CHECK_FALSE(cond::evaluate(*parseOk("aantal == 5"), hidden));
    }
    SUBCASE("an empty lookup: nothing has a value, and nothing throws") {
        CHECK(cond::evaluate(*parseOk("aantal != 5"), cond::AnswerLookup{}));
        CHECK_FALSE(cond::evaluate(*parseOk("hobbies contains 'sport'"), cond::AnswerLookup{}));
        CHECK_FALSE(cond::evaluate(*parseOk("heeft_kinderen"), cond::AnswerLookup{}));
    }
}

TEST_CASE("evaluate: a value of an unexpected shape is never true") {
    TestForm form;
    form.values["aantal"] = std::string("5");               // should be a whole number
    form.values["bedrag"] = std::string("12,50");           // not the contract's money format
    form.values["geboren"] = std::string("29-02-2000");     // not YYYY-MM-DD
    form.values["heeft_kinderen"] = std::string("true");    // should be a bool
    form.values["hobbies"] = std::string("sport");          // should be a list
    form.values["naam"] = std::int64_t{5};                  // should be a string
    for (const std::string source : {"aantal == 5", "aantal != 5", "bedrag == 12.5", "bedrag != 12.5",
                                     "geboren == '2000-02-29'", "geboren != '2000-02-29'", "heeft_kinderen",
                                     "heeft_kinderen != false", "hobbies contains 'sport'", "naam == 'x'",
                                     "naam != 'x'", "aantal in [5]"}) {
        CAPTURE(source);
        CHECK_FALSE(eval(form, source));
    }
}
