// show_if conditions: parsing, load-time checking against the form, and evaluation.
//
// The grammar is the contract's (../shared/form-format.md, "show_if"):
//   expr    := or
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := value (('=='|'!='|'<'|'<='|'>'|'>=') value)?
//            | value 'in' '[' literal (',' literal)* ']'
//            | field_id 'contains' literal
//   value   := field_id | literal | '(' expr ')'
//   literal := 'single quoted string' | number | true | false
//
// Semantics: a field without a value (unanswered or hidden) makes every comparison false,
// except '!=', which is true; 'in' and 'contains' are false. Numbers and money compare as
// numbers; dates compare by date with 'YYYY-MM-DD' literals.
//
// Lexical rules (the contract leaves these open; decided here):
//   - Tokens may be separated by any whitespace (spaces, tabs, line breaks), or by none
//     where that is unambiguous (`a==1`).
//   - and, or, not, in, contains, true, false are keywords only as whole, lower-case words:
//     `android` is a field id; `AND` is refused with a hint to write `and`.
//   - A field id is [a-z0-9_]+, as the contract allows. A run of digits alone (`12`, `12.5`)
//     is a number, so a field whose id is only digits cannot be named in a condition, and
//     neither can a field named like a keyword (`in`, `true`).
//   - A number is an optional '-' written directly before digits, optionally followed by
//     '.' and digits: `3`, `-3`, `1500.5`. No exponent, no thousands separator.
//   - A text literal is in single quotes. Inside it `\'` stands for a quote and `\\` for a
//     backslash; any other backslash is a syntax error, so a text never silently changes.
//   - At most 32 brackets and 'not's nested inside each other, so that a hostile file
//     cannot exhaust the stack.
// Offsets in errors are 0-based byte offsets into the condition; a problem found at the
// end of the text (a missing ')') has the text's length as offset.
//
// [SECTION] Syntax tree
// [SECTION] Parsing
// [SECTION] Checking against a form
// [SECTION] Evaluation
#pragma once

#include "forms/form.hpp"
#include "forms/value.hpp"

#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kiosk::forms::condition {

// [SECTION] Syntax tree ----------------------------------------------------------------------

// Every node remembers where it starts in the condition's source text (0-based byte
// offset), so that load-time errors can point at the exact column.
struct Literal {
    std::variant<std::string, double, bool> value;
    std::size_t offset = 0;
};

struct FieldRef {
    std::string id;
    std::size_t offset = 0;
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// A `value` of the grammar: a field, a literal, or a parenthesised expression.
struct Operand {
    std::variant<FieldRef, Literal, ExprPtr> item;
    std::size_t offset = 0;
};

enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

struct Or { std::vector<ExprPtr> terms; };        // two or more
struct And { std::vector<ExprPtr> terms; };       // two or more
struct Not { ExprPtr inner; };
struct Bare { Operand value; };                   // a value on its own: must be yes/no
struct Compare { Operand left; CompareOp op; Operand right; std::size_t opOffset = 0; };
struct In { Operand left; std::vector<Literal> list; };
struct Contains { FieldRef field; Literal item; };

struct Expr {
    std::variant<Or, And, Not, Bare, Compare, In, Contains> node;
    std::size_t offset = 0;
};

// [SECTION] Parsing ----------------------------------------------------------------------------

// A problem in a condition, for a staff member: where (0-based byte offset into the
// condition text) and what to do about it, in plain English.
struct Error {
    std::size_t offset = 0;
    std::string message;
};

// Parses a condition. Fails on any syntax error, with the offset of the offending token.
[[nodiscard]] std::expected<ExprPtr, Error> parse(std::string_view source);

// [SECTION] Checking against a form ----------------------------------------------------------

// What a name in a condition refers to, as seen from the place of the condition.
struct Lookup {
    enum class Where { Earlier, NotEarlier, Unknown };
    Where where = Where::Unknown;
    const Field* field = nullptr;  // set unless Unknown
};
using Resolver = std::function<Lookup(std::string_view fieldId)>;

// Checks that every field named exists and comes earlier, and that every comparison
// makes sense for the field's type (a yes/no field compared with true or false, a choice
// with one of its option values, a date with a 'YYYY-MM-DD' literal, ...).
// Returns the first problem found, or nullopt when the condition is sound.
[[nodiscard]] std::optional<Error> check(const Expr& expr, const Resolver& resolve);

// [SECTION] Evaluation ----------------------------------------------------------------------

// What the evaluator knows about a field: its type and its value (null: no value,
// because the field is unanswered or hidden).
struct Answer {
    const Field* field = nullptr;  // null: no such field
    const Value* value = nullptr;
};
using AnswerLookup = std::function<Answer(std::string_view fieldId)>;

// Evaluates a condition that passed check(). Never throws.
[[nodiscard]] bool evaluate(const Expr& expr, const AnswerLookup& answers);

}  // namespace kiosk::forms::condition
