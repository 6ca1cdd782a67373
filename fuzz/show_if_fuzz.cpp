// Fuzz target: a show_if condition through parse(), check() against a fixed small form
// (every field type, some fields "later"), and evaluate() with three sets of answers (none,
// ordinary, extreme). Invariants beyond "no crash":
//   - error offsets lie within the text (at most its length) and messages are non-empty,
//     and UTF-8 whenever the condition was (they are shown to staff);
//   - a parsed tree's offsets lie within the text; and/or have two or more terms;
//   - evaluate(not c) == !evaluate(c) for every condition that passed check().
#include "fuzz/targets.hpp"

#include "forms/condition.hpp"
#include "forms/value.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace kiosk::fuzz {

namespace {

namespace cond = forms::condition;
using forms::Field;
using forms::FieldType;
using forms::Value;

Field field(std::string id, FieldType type, std::vector<std::string> options = {}) {
    Field f;
    f.id = std::move(id);
    f.type = type;
    for (auto& value : options) {
        forms::Option option;
        option.value = std::move(value);
        f.options.push_back(std::move(option));
    }
    return f;
}

struct FixedForm {
    std::vector<Field> earlier{
        field("kinderen", FieldType::YesNo),    field("akkoord", FieldType::Consent),
        field("a", FieldType::YesNo),           field("b", FieldType::YesNo),
        field("aantal", FieldType::Number),     field("bedrag", FieldType::Money),
        field("geboren", FieldType::Date),      field("naam", FieldType::Text),
        field("soort", FieldType::Choice, {"huur", "koop"}),
        field("hobbies", FieldType::Multichoice, {"sport", "muziek", "lezen"}),
        field("postcode", FieldType::Postcode), field("bsn", FieldType::Bsn),
        field("iban", FieldType::Iban),         field("telefoon", FieldType::Phone),
        field("email", FieldType::Email),       field("uitleg", FieldType::Info),
        field("android", FieldType::YesNo),     field("2e_kind", FieldType::YesNo),
    };
    std::vector<Field> later{field("later", FieldType::Text), field("later_ja", FieldType::YesNo)};

    const Field* find(std::string_view id) const {
        for (const auto& f : earlier) if (f.id == id) return &f;
        for (const auto& f : later) if (f.id == id) return &f;
        return nullptr;
    }
};

const FixedForm& fixedForm() {
    static const FixedForm form;
    return form;
}

using Answers = std::map<std::string, Value, std::less<>>;

const std::vector<Answers>& answerSets() {
    static const std::vector<Answers> sets{
        {},
        {{"kinderen", true}, {"akkoord", true}, {"a", false}, {"b", true},
         {"aantal", std::int64_t{3}}, {"bedrag", std::string("1234.50")},
         {"geboren", std::string("1980-02-29")}, {"naam", std::string("Jan")},
         {"soort", std::string("huur")}, {"hobbies", std::vector<std::string>{"sport", "lezen"}},
         {"postcode", std::string("1234AB")}, {"android", true}, {"2e_kind", false}},
        {{"kinderen", false}, {"a", true}, {"aantal", std::numeric_limits<std::int64_t>::min()},
         {"bedrag", std::string("-92233720368547758.08")}, {"geboren", std::string("0001-01-01")},
         {"naam", std::string("")}, {"soort", std::string("koop")},
         {"hobbies", std::vector<std::string>{}}, {"telefoon", std::string("+31201234567")}},
    };
    return sets;
}

void checkMessage(const cond::Error& error, std::string_view source, bool utf8) {
    KIOSK_FUZZ_CHECK(error.offset <= source.size());
    KIOSK_FUZZ_CHECK(!error.message.empty());
    if (utf8) KIOSK_FUZZ_CHECK(!forms::firstInvalidUtf8(error.message));
}

void checkOffsets(const cond::Expr& expr, std::size_t size, int depth);

void checkOperand(const cond::Operand& operand, std::size_t size, int depth) {
    KIOSK_FUZZ_CHECK(operand.offset <= size);
    if (const auto* inner = std::get_if<cond::ExprPtr>(&operand.item)) {
        KIOSK_FUZZ_CHECK(*inner != nullptr);
        checkOffsets(**inner, size, depth + 1);
    } else if (const auto* ref = std::get_if<cond::FieldRef>(&operand.item)) {
        KIOSK_FUZZ_CHECK(!ref->id.empty() && ref->offset + ref->id.size() <= size);
    } else {
        KIOSK_FUZZ_CHECK(std::get<cond::Literal>(operand.item).offset < size);
    }
}

// The tree's depth is bounded by the parser's nesting limit (32) plus the and/or levels.
void checkOffsets(const cond::Expr& expr, std::size_t size, int depth) {
    KIOSK_FUZZ_CHECK(depth <= 200);
    KIOSK_FUZZ_CHECK(expr.offset < size);
    std::visit(
        [&](const auto& node) {
            using Node = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<Node, cond::Or> || std::is_same_v<Node, cond::And>) {
                KIOSK_FUZZ_CHECK(node.terms.size() >= 2);
                for (const auto& term : node.terms) {
                    KIOSK_FUZZ_CHECK(term != nullptr);
                    checkOffsets(*term, size, depth + 1);
                }
            } else if constexpr (std::is_same_v<Node, cond::Not>) {
                KIOSK_FUZZ_CHECK(node.inner != nullptr);
                checkOffsets(*node.inner, size, depth + 1);
            } else if constexpr (std::is_same_v<Node, cond::Bare>) {
                checkOperand(node.value, size, depth);
            } else if constexpr (std::is_same_v<Node, cond::Compare>) {
                checkOperand(node.left, size, depth);
                checkOperand(node.right, size, depth);
                KIOSK_FUZZ_CHECK(node.opOffset < size);
            } else if constexpr (std::is_same_v<Node, cond::In>) {
                checkOperand(node.left, size, depth);
                KIOSK_FUZZ_CHECK(!node.list.empty());
                for (const auto& literal : node.list) KIOSK_FUZZ_CHECK(literal.offset < size);
            } else {
                KIOSK_FUZZ_CHECK(node.field.offset < size && node.item.offset < size);
            }
        },
        expr.node);
}

}  // namespace

void showIf(std::string_view bytes) {
    const bool utf8 = !forms::firstInvalidUtf8(bytes);
    const auto parsed = cond::parse(bytes);
    if (!parsed) {
        checkMessage(parsed.error(), bytes, utf8);
        return;
    }
    KIOSK_FUZZ_CHECK(*parsed != nullptr);
    const cond::Expr& expr = **parsed;
    checkOffsets(expr, bytes.size(), 0);

    const FixedForm& form = fixedForm();
    const cond::Resolver resolve = [&](std::string_view id) {
        for (const auto& f : form.earlier) if (f.id == id) return cond::Lookup{cond::Lookup::Where::Earlier, &f};
        for (const auto& f : form.later) if (f.id == id) return cond::Lookup{cond::Lookup::Where::NotEarlier, &f};
        return cond::Lookup{};
    };
    if (const auto problem = cond::check(expr, resolve)) {
        checkMessage(*problem, bytes, utf8);
        return;
    }
    const cond::Expr negated{cond::Not{*parsed}, 0};
    for (const Answers& answers : answerSets()) {
        const cond::AnswerLookup lookup = [&](std::string_view id) {
            const auto found = answers.find(id);
            return cond::Answer{form.find(id), found == answers.end() ? nullptr : &found->second};
        };
        const bool shown = cond::evaluate(expr, lookup);
        KIOSK_FUZZ_CHECK(cond::evaluate(negated, lookup) == !shown);
    }
}

}  // namespace kiosk::fuzz
