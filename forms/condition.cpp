// show_if conditions. The grammar, the lexical rules and the meaning are in condition.hpp.
//
// The messages here are for staff writing form files and are English only, like the rest
// of the loader's messages; citizens never see them.
//
// [SECTION] Tokens
// [SECTION] Parsing
// [SECTION] Checking against a form
// [SECTION] Evaluation
#include "forms/condition.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <compare>
#include <cstdint>
#include <limits>
#include <system_error>
#include <utility>

namespace kiosk::forms::condition {

namespace {

// [SECTION] Tokens ---------------------------------------------------------------------------

// Deep enough for any real condition, shallow enough that parse(), check() and evaluate()
// (all recursive) cannot run out of stack on a hostile file, even under ASan.
constexpr int kMaxNesting = 32;
// Quoted tokens in messages are cut to this many bytes so a runaway text stays readable.
constexpr std::size_t kMaxQuotedToken = 40;

enum class TokenKind {
    FieldId,
    String,
    Number,
    True,
    False,
    And,
    Or,
    Not,
    In,
    Contains,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Comparison,
    End,
    Bad,  // a lexical error; `text` holds its message
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string text;                 // String: the unescaped contents; Bad: the message
    double number = 0.0;              // Number
    CompareOp op = CompareOp::Equal;  // Comparison
};

// Not designated initializers: g++ 12 warns (-Wmissing-field-initializers) about every
// member they leave to its default.
Token makeToken(TokenKind kind, std::size_t offset, std::size_t length) {
    Token token;
    token.kind = kind;
    token.offset = offset;
    token.length = length;
    return token;
}

struct Keyword {
    std::string_view word;
    TokenKind kind;
};
constexpr std::array<Keyword, 7> kKeywords{{
    {"and", TokenKind::And},
    {"or", TokenKind::Or},
    {"not", TokenKind::Not},
    {"in", TokenKind::In},
    {"contains", TokenKind::Contains},
    {"true", TokenKind::True},
    {"false", TokenKind::False},
}};

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
// Upper case is lexed as part of a word only to refuse it with a precise hint.
bool isWordChar(char c) { return isLower(c) || isUpper(c) || isDigit(c) || c == '_'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool allDigits(std::string_view text) {
    return !text.empty() && std::ranges::all_of(text, isDigit);
}

std::string toLower(std::string_view text) {
    std::string lower(text);
    for (char& c : lower) {
        if (isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
}

// Cuts at a code point boundary, so a message never ends in half a UTF-8 character.
std::string_view shorten(std::string_view text) {
    if (text.size() <= kMaxQuotedToken) return text;
    std::size_t cut = kMaxQuotedToken;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut);
}

std::string_view opText(CompareOp op) {
    switch (op) {
        case CompareOp::Equal: return "==";
        case CompareOp::NotEqual: return "!=";
        case CompareOp::Less: return "<";
        case CompareOp::LessEqual: return "<=";
        case CompareOp::Greater: return ">";
        case CompareOp::GreaterEqual: return ">=";
    }
    return "?";
}

class Lexer {
public:
    explicit Lexer(std::string_view source) : m_source(source) {}

    // All tokens, ending with End, or with the first Bad one: nothing after a lexical error
    // is worth reading, and the parser reports errors in source order either way.
    std::vector<Token> run() {
        std::vector<Token> tokens;
        for (;;) {
            tokens.push_back(next());
            const TokenKind kind = tokens.back().kind;
            if (kind == TokenKind::End || kind == TokenKind::Bad) return tokens;
        }
    }

private:
    char at(std::size_t i) const { return i < m_source.size() ? m_source[i] : '\0'; }
    bool startsWith(std::size_t i, std::string_view prefix) const {
        return m_source.substr(std::min(i, m_source.size())).starts_with(prefix);
    }

    Token simple(TokenKind kind, std::size_t length) {
        Token token = makeToken(kind, m_pos, length);
        m_pos += length;
        return token;
    }
    Token bad(std::size_t offset, std::size_t length, std::string message) {
        m_pos = offset + length;
        Token token = makeToken(TokenKind::Bad, offset, length);
        token.text = std::move(message);
        return token;
    }
    Token comparison(CompareOp op, std::size_t length) {
        Token token = simple(TokenKind::Comparison, length);
        token.op = op;
        return token;
    }

    Token next() {
        while (m_pos < m_source.size() && isSpace(m_source[m_pos])) ++m_pos;
        if (m_pos >= m_source.size()) return makeToken(TokenKind::End, m_source.size(), 0);

        const char c = m_source[m_pos];
        switch (c) {
            case '(': return simple(TokenKind::LeftParen, 1);
            case ')': return simple(TokenKind::RightParen, 1);
            case '[': return simple(TokenKind::LeftBracket, 1);
            case ']': return simple(TokenKind::RightBracket, 1);
            case ',': return simple(TokenKind::Comma, 1);
            case '\'': return string();
            case '"':
                return bad(m_pos, 1, "use single quotes 'like this' for a text, not double quotes");
            case '=': case '!': case '<': case '>': return comparisonOrMistake();
            case '&': {
                const std::size_t length = at(m_pos + 1) == '&' ? 2 : 1;
                return bad(m_pos, length,
                           "write 'and' instead of '" + std::string(m_source.substr(m_pos, length)) + "'");
            }
            case '|': {
                const std::size_t length = at(m_pos + 1) == '|' ? 2 : 1;
                return bad(m_pos, length,
                           "write 'or' instead of '" + std::string(m_source.substr(m_pos, length)) + "'");
            }
            case '-': return minus();
            default: break;
        }
        if (isWordChar(c)) return word();
        return strangeCharacter();
    }

    Token comparisonOrMistake() {
        const char c = at(m_pos);
        const char following = at(m_pos + 1);
        switch (c) {
            case '=':
                if (startsWith(m_pos, "===")) return bad(m_pos, 3, "'===' is not a comparison; write '=='");
                if (following == '=') return comparison(CompareOp::Equal, 2);
                if (following == '>') {
                    return bad(m_pos, 2, "'=>' is not a comparison; write '>=' for 'greater than or equal to'");
                }
                if (following == '<') {
                    return bad(m_pos, 2, "'=<' is not a comparison; write '<=' for 'less than or equal to'");
                }
                return bad(m_pos, 1, "'=' is not a comparison; write '==' to compare");
            case '!':
                if (following == '=') return comparison(CompareOp::NotEqual, 2);
                return bad(m_pos, 1,
                           "'!' is not understood; write 'not' before a condition to turn it around, "
                           "or '!=' for 'is not equal to'");
            case '<':
                if (following == '=') return comparison(CompareOp::LessEqual, 2);
                if (following == '>') {
                    return bad(m_pos, 2, "'<>' is not a comparison; write '!=' for 'is not equal to'");
                }
                return comparison(CompareOp::Less, 1);
            default:  // '>'
                if (following == '=') return comparison(CompareOp::GreaterEqual, 2);
                return comparison(CompareOp::Greater, 1);
        }
    }

    Token string() {
        const std::size_t start = m_pos;
        std::string contents;
        std::size_t i = start + 1;
        while (i < m_source.size()) {
            const char c = m_source[i];
            if (c == '\'') {
                m_pos = i + 1;
                Token token = makeToken(TokenKind::String, start, m_pos - start);
                token.text = std::move(contents);
                return token;
            }
            if (c == '\\') {
                const char escaped = at(i + 1);
                if (escaped != '\'' && escaped != '\\') {
                    return bad(i, 1,
                               "'\\' in a text must be followed by ' or \\: write \\' for a quote "
                               "and \\\\ for a backslash");
                }
                contents += escaped;
                i += 2;
                continue;
            }
            contents += c;
            ++i;
        }
        return bad(start, m_source.size() - start, "string is not closed: add a ' at the end");
    }

    Token minus() {
        if (isDigit(at(m_pos + 1))) return number(m_pos, m_pos + 1);
        if (m_pos > 0 && isWordChar(at(m_pos - 1)) && isWordChar(at(m_pos + 1))) {
            return bad(m_pos, 1, "a field id cannot contain '-': use '_' instead");
        }
        return bad(m_pos, 1, "'-' must be written directly before a number, such as -5");
    }

    // A number from `start` (its '-' if any), digits from `digits`.
    Token number(std::size_t start, std::size_t digits) {
        std::size_t end = digits;
        while (isWordChar(at(end))) ++end;
        bool wellFormed = allDigits(m_source.substr(digits, end - digits));
        if (wellFormed && at(end) == '.') {
            const std::size_t fraction = end + 1;
            end = fraction;
            while (isWordChar(at(end))) ++end;
            wellFormed = allDigits(m_source.substr(fraction, end - fraction));
        }
        const std::string_view text = m_source.substr(start, end - start);
        if (!wellFormed) {
            return bad(start, end - start,
                       "'" + std::string(shorten(text)) +
                           "' is not a number: write digits with an optional '.' part, such as 25 or 2.5");
        }
        double value = 0.0;
        const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || stop != text.data() + text.size()) {
            return bad(start, end - start, "'" + std::string(shorten(text)) + "' is too large a number");
        }
        m_pos = end;
        Token token = makeToken(TokenKind::Number, start, end - start);
        token.number = value;
        return token;
    }

    Token word() {
        const std::size_t start = m_pos;
        std::size_t end = start;
        while (isWordChar(at(end))) ++end;
        const std::string_view text = m_source.substr(start, end - start);
        if (allDigits(text)) return number(start, start);
        if (std::ranges::any_of(text, isUpper)) {
            const std::string lower = toLower(text);
            const bool isKeyword = std::ranges::any_of(kKeywords, [&](const Keyword& k) { return k.word == lower; });
            return bad(start, text.size(),
                       isKeyword ? "write '" + lower + "' in lower case"
                                 : "field ids are written in lower case: write '" + lower + "'");
        }
        m_pos = end;
        for (const Keyword& keyword : kKeywords) {
            if (keyword.word == text) return makeToken(keyword.kind, start, text.size());
        }
        return makeToken(TokenKind::FieldId, start, text.size());
    }

    Token strangeCharacter() {
        const auto lead = static_cast<unsigned char>(m_source[m_pos]);
        // Word processors turn ' into typographic quotes and spaces into non-breaking ones;
        // staff cannot see the difference, so name it.
        if (startsWith(m_pos, "\u2018") || startsWith(m_pos, "\u2019") || startsWith(m_pos, "\u201C") ||
            startsWith(m_pos, "\u201D")) {
            return bad(m_pos, 3,
                       "'" + std::string(m_source.substr(m_pos, 3)) +
                           "' is a typographic quote: use the plain single quote ' (a word processor may "
                           "have changed it)");
        }
        if (startsWith(m_pos, "\u00A0")) {
            return bad(m_pos, 2, "there is a non-breaking space here: replace it with a normal space");
        }
        if (lead < 0x20 || lead == 0x7F) {
            return bad(m_pos, 1, "there is an invisible control character here: remove it");
        }
        std::size_t length = 1;
        if ((lead & 0xE0) == 0xC0) length = 2;
        else if ((lead & 0xF0) == 0xE0) length = 3;
        else if ((lead & 0xF8) == 0xF0) length = 4;
        length = std::min(length, m_source.size() - m_pos);
        return bad(m_pos, length,
                   "'" + std::string(m_source.substr(m_pos, length)) +
                       "' is not understood here: outside quotes a condition has only field ids "
                       "(a-z, 0-9, _), numbers, brackets, comparisons and the words and, or, not, "
                       "in, contains, true, false");
    }

    std::string_view m_source;
    std::size_t m_pos = 0;
};

// [SECTION] Parsing --------------------------------------------------------------------------

constexpr std::string_view kValueExamples = ", such as a field id, 'text', a number, true or false";
constexpr std::string_view kJoinHint = ": join two conditions with 'and' or 'or'";

template <typename Node>
ExprPtr makeExpr(Node node, std::size_t offset) {
    return std::make_shared<const Expr>(Expr{std::move(node), offset});
}

bool startsValue(TokenKind kind) {
    switch (kind) {
        case TokenKind::FieldId:
        case TokenKind::String:
        case TokenKind::Number:
        case TokenKind::True:
        case TokenKind::False:
        case TokenKind::Not:
        case TokenKind::LeftParen:
            return true;
        default:
            return false;
    }
}

bool isLiteral(TokenKind kind) {
    return kind == TokenKind::String || kind == TokenKind::Number || kind == TokenKind::True ||
           kind == TokenKind::False;
}

class Parser {
public:
    Parser(std::string_view source, std::vector<Token> tokens)
        : m_source(source), m_tokens(std::move(tokens)) {}

    std::expected<ExprPtr, Error> parseCondition() {
        if (peek().kind == TokenKind::End) {
            return fail(peek(), "the condition is empty: write one, such as heeft_kinderen == true");
        }
        auto expr = parseOr();
        if (!expr) return expr;
        const Token& next = peek();
        if (next.kind == TokenKind::End) return expr;
        if (next.kind == TokenKind::RightParen) {
            return fail(next, "unbalanced ')': remove it, or add a '(' before it");
        }
        std::string message = "unexpected " + quoted(next) + " after the end of the condition";
        if (startsValue(next.kind)) message += kJoinHint;
        return fail(next, std::move(message));
    }

private:
    // The parser never consumes End or Bad, so the last token is a safe resting place.
    const Token& peek() const { return m_tokens[std::min(m_pos, m_tokens.size() - 1)]; }
    const Token& take() {
        const Token& token = peek();
        if (m_pos + 1 < m_tokens.size()) ++m_pos;
        m_previous = &token;
        return token;
    }

    std::string_view textOf(const Token& token) const { return m_source.substr(token.offset, token.length); }
    std::string quoted(const Token& token) const {
        // A text literal already shows its own quotes.
        if (token.kind == TokenKind::String) return std::string(shorten(textOf(token)));
        return "'" + std::string(shorten(textOf(token))) + "'";
    }

    // A lexical error is more precise than whatever the parser expected at that place.
    std::unexpected<Error> fail(const Token& at, std::string message) const {
        if (at.kind == TokenKind::Bad) return std::unexpected(Error{at.offset, at.text});
        return std::unexpected(Error{at.offset, std::move(message)});
    }

    std::string expectedValue() const {
        if (m_previous == nullptr) {
            return "expected a value at the start of the condition" + std::string(kValueExamples);
        }
        return "expected a value after " + quoted(*m_previous) + std::string(kValueExamples);
    }

    std::optional<Error> enterNesting(const Token& at) {
        if (++m_nesting <= kMaxNesting) return std::nullopt;
        return Error{at.offset, "too many brackets or 'not's inside each other (more than " +
                                    std::to_string(kMaxNesting) + "): simplify the condition"};
    }

    // `a or b or c` and `a and b and c`: one operand, or two or more joined by `joiner`.
    template <typename Chain>
    std::expected<ExprPtr, Error> parseChain(TokenKind joiner,
                                             std::expected<ExprPtr, Error> (Parser::*operand)()) {
        auto first = (this->*operand)();
        if (!first || peek().kind != joiner) return first;
        Chain node{{*first}};
        while (peek().kind == joiner) {
            take();
            auto term = (this->*operand)();
            if (!term) return term;
            node.terms.push_back(*term);
        }
        const std::size_t offset = (*first)->offset;
        return makeExpr(std::move(node), offset);
    }

    std::expected<ExprPtr, Error> parseOr() { return parseChain<Or>(TokenKind::Or, &Parser::parseAnd); }
    std::expected<ExprPtr, Error> parseAnd() { return parseChain<And>(TokenKind::And, &Parser::parseNot); }

    std::expected<ExprPtr, Error> parseNot() {
        if (peek().kind != TokenKind::Not) return parseCompare();
        const Token& word = take();
        if (auto tooDeep = enterNesting(word)) return std::unexpected(*tooDeep);
        auto inner = parseNot();
        if (!inner) return inner;
        --m_nesting;
        return makeExpr(Not{*inner}, word.offset);
    }

    std::expected<ExprPtr, Error> parseCompare() {
        auto left = parseValue();
        if (!left) return std::unexpected(left.error());
        const std::size_t offset = left->offset;
        const Token& next = peek();
        ExprPtr result;
        switch (next.kind) {
            case TokenKind::Comparison: {
                take();
                auto right = parseValue();
                if (!right) return std::unexpected(right.error());
                result = makeExpr(Compare{*left, next.op, *right, next.offset}, offset);
                break;
            }
            case TokenKind::In: {
                take();
                auto list = parseList();
                if (!list) return std::unexpected(list.error());
                result = makeExpr(In{*left, std::move(*list)}, offset);
                break;
            }
            case TokenKind::Contains: {
                take();
                const auto* field = std::get_if<FieldRef>(&left->item);
                if (field == nullptr) {
                    return fail(next, "'contains' needs a field id before it, as in: interesses contains 'sport'");
                }
                auto item = parseContainsItem();
                if (!item) return std::unexpected(item.error());
                result = makeExpr(Contains{*field, std::move(*item)}, offset);
                break;
            }
            case TokenKind::Not:
                return fail(next, "'not' must come before the comparison it turns around, as in: "
                                  "not soort_woning in ['huur', 'koop']");
            default:
                // A bracketed expression on its own needs no wrapper: it already is one.
                if (const auto* inner = std::get_if<ExprPtr>(&left->item)) return *inner;
                return makeExpr(Bare{std::move(*left)}, offset);
        }
        if (peek().kind == TokenKind::Comparison) {
            return fail(peek(), "comparisons cannot be chained: join them with 'and', as in "
                                "aantal > 1 and aantal < 5, or put one in brackets");
        }
        return result;
    }

    std::expected<Operand, Error> parseValue() {
        const Token& token = peek();
        if (token.kind == TokenKind::FieldId) {
            take();
            return Operand{FieldRef{std::string(textOf(token)), token.offset}, token.offset};
        }
        if (isLiteral(token.kind)) {
            take();
            return Operand{literalOf(token), token.offset};
        }
        if (token.kind != TokenKind::LeftParen) return fail(token, expectedValue());

        take();
        if (auto tooDeep = enterNesting(token)) return std::unexpected(*tooDeep);
        auto inner = parseOr();
        if (!inner) return std::unexpected(inner.error());
        const Token& close = peek();
        if (close.kind == TokenKind::RightParen) {
            take();
            --m_nesting;
            return Operand{*inner, token.offset};
        }
        if (close.kind == TokenKind::End) return fail(close, "unbalanced '(': add ')'");
        if (startsValue(close.kind)) return fail(close, "unexpected " + quoted(close) + std::string(kJoinHint));
        return fail(close, "unexpected " + quoted(close) + ": expected ')' to close the '('");
    }

    static Literal literalOf(const Token& token) {
        switch (token.kind) {
            case TokenKind::String: return Literal{token.text, token.offset};
            case TokenKind::Number: return Literal{token.number, token.offset};
            default: return Literal{token.kind == TokenKind::True, token.offset};
        }
    }

    // After 'in': '[' literal (',' literal)* ']'
    std::expected<std::vector<Literal>, Error> parseList() {
        if (peek().kind != TokenKind::LeftBracket) {
            return fail(peek(), "expected '[' after 'in', as in: soort_woning in ['huur', 'koop']");
        }
        take();
        if (peek().kind == TokenKind::RightBracket) {
            return fail(peek(), "the list after 'in' is empty: put at least one value in it, as in ['huur', 'koop']");
        }
        std::vector<Literal> list;
        for (;;) {
            const Token& item = peek();
            if (item.kind == TokenKind::FieldId) {
                const std::string text(textOf(item));
                return fail(item, "a list after 'in' holds fixed values only: to use the text " + text +
                                      ", put it in single quotes: '" + text + "'");
            }
            if (!isLiteral(item.kind)) {
                return fail(item, "expected a value after " + quoted(*m_previous) +
                                      ", such as 'text', a number, true or false");
            }
            list.push_back(literalOf(take()));
            const Token& next = peek();
            if (next.kind == TokenKind::Comma) {
                take();
            } else if (next.kind == TokenKind::RightBracket) {
                take();
                return list;
            } else if (next.kind == TokenKind::End) {
                return fail(next, "the list after 'in' is not closed: add ']'");
            } else {
                return fail(next, "expected ',' or ']' in the list after 'in', not " + quoted(next));
            }
        }
    }

    std::expected<Literal, Error> parseContainsItem() {
        const Token& item = peek();
        if (isLiteral(item.kind)) return literalOf(take());
        if (item.kind == TokenKind::FieldId) {
            return fail(item, "after 'contains' write the option value in single quotes: '" +
                                  std::string(textOf(item)) + "'");
        }
        return fail(item, "expected an option value in single quotes after 'contains', such as 'sport'");
    }

    std::string_view m_source;
    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    const Token* m_previous = nullptr;
    int m_nesting = 0;
};

// [SECTION] Checking against a form ----------------------------------------------------------

// What a value is, for deciding what it may be compared with.
enum class Kind { Number, Date, String, Bool, List };

struct Typed {
    Kind kind = Kind::Bool;
    const Field* field = nullptr;      // set when the value is a field
    const Literal* literal = nullptr;  // set when the value is a literal; neither: '(' expr ')'
    std::size_t offset = 0;
};

std::optional<Kind> kindOf(FieldType type) {
    switch (type) {
        case FieldType::Number:
        case FieldType::Money:
            return Kind::Number;
        case FieldType::Date:
            return Kind::Date;
        case FieldType::Text:
        case FieldType::Choice:
        case FieldType::Postcode:
        case FieldType::Bsn:
        case FieldType::Iban:
        case FieldType::Phone:
        case FieldType::Email:
            return Kind::String;
        case FieldType::YesNo:
        case FieldType::Consent:
            return Kind::Bool;
        case FieldType::Multichoice:
            return Kind::List;
        case FieldType::Info:
            return std::nullopt;
    }
    return std::nullopt;
}

Kind kindOf(const Literal& literal) {
    if (std::holds_alternative<std::string>(literal.value)) return Kind::String;
    if (std::holds_alternative<double>(literal.value)) return Kind::Number;
    return Kind::Bool;
}

std::string_view typePhrase(FieldType type) {
    switch (type) {
        case FieldType::Text: return "a text field";
        case FieldType::Number: return "a number field";
        case FieldType::Money: return "a money field";
        case FieldType::Date: return "a date field";
        case FieldType::Choice: return "a choice field";
        case FieldType::Multichoice: return "a multiple-choice field";
        case FieldType::YesNo: return "a yes/no field";
        case FieldType::Postcode: return "a postcode field";
        case FieldType::Bsn: return "a BSN field";
        case FieldType::Iban: return "an IBAN field";
        case FieldType::Phone: return "a phone number field";
        case FieldType::Email: return "an e-mail field";
        case FieldType::Consent: return "a consent field";
        case FieldType::Info: return "an information text";
    }
    return "a field";
}

std::string quotedId(const Field& field) { return "'" + field.id + "'"; }

std::string optionList(const Field& field) {
    std::string list;
    for (const Option& option : field.options) {
        if (!list.empty()) list += ", ";
        list += "'" + option.value + "'";
    }
    return list;
}

std::string firstOption(const Field& field, std::string_view fallback) {
    return field.options.empty() ? std::string(fallback) : field.options.front().value;
}

// "compare it with ..."
std::string advice(const Typed& value) {
    switch (value.kind) {
        case Kind::Bool: return "true or false";
        case Kind::Number: return "a number";
        case Kind::Date: return "a date such as '2026-01-31'";
        case Kind::List: return "'contains'";
        case Kind::String:
            if (value.field != nullptr && value.field->type == FieldType::Choice && !value.field->options.empty()) {
                return "one of its options (" + optionList(*value.field) + ")";
            }
            return "a text in single quotes";
    }
    return "a value of the same kind";
}

// "... not with <noun>"
std::string noun(const Typed& value) {
    if (value.field != nullptr) return quotedId(*value.field) + ", which is " + std::string(typePhrase(value.field->type));
    if (value.literal == nullptr) return "a condition in brackets";
    switch (kindOf(*value.literal)) {
        case Kind::String: return "a text";
        case Kind::Number: return "a number";
        default: return "true or false";
    }
}

// A comparison that would make sense, to show in a message about `field`.
std::string exampleComparison(const Field& field) {
    switch (kindOf(field.type).value_or(Kind::Bool)) {
        case Kind::Number: return field.id + " > 0";
        case Kind::Date: return field.id + " < '2026-01-31'";
        case Kind::List: return field.id + " contains '" + firstOption(field, "sport") + "'";
        case Kind::String:
            return field.id + " == '" + (field.type == FieldType::Choice ? firstOption(field, "text") : "text") + "'";
        case Kind::Bool: return field.id + " == true";
    }
    return field.id + " == true";
}

Error listMisuse(const Typed& list) {
    return Error{list.offset, quotedId(*list.field) + " is a multiple-choice field: use 'contains' to test one option, as in " +
                                  exampleComparison(*list.field)};
}

bool isStringLiteral(const Typed& value) {
    return value.literal != nullptr && std::holds_alternative<std::string>(value.literal->value);
}

// A date may be compared with a text literal, which must then hold a date.
bool compatible(const Typed& a, const Typed& b) {
    if (a.kind == b.kind) return true;
    return (a.kind == Kind::Date && isStringLiteral(b)) || (b.kind == Kind::Date && isStringLiteral(a));
}

Error mismatch(const Typed& left, const Typed& right) {
    // Point at the value to change: the literal rather than the field it is compared with.
    const Typed& offending = (right.field != nullptr && left.field == nullptr) ? left : right;
    const Typed* subject = left.field != nullptr ? &left : (right.field != nullptr ? &right : nullptr);
    if (subject == nullptr) {
        std::string message = noun(left) + " cannot be compared with " + noun(right);
        message[0] = static_cast<char>(message[0] - 'a' + 'A');  // both nouns start with "a "
        return Error{offending.offset, std::move(message)};
    }
    const Typed& other = subject == &left ? right : left;
    return Error{offending.offset, quotedId(*subject->field) + " is " + std::string(typePhrase(subject->field->type)) +
                                       ": compare it with " + advice(*subject) + ", not with " + noun(other)};
}

// The literal side of a comparison must be a value the field can have.
std::optional<Error> checkLiteralFits(const Typed& subject, const Typed& value) {
    if (subject.field == nullptr || !isStringLiteral(value)) return std::nullopt;
    const auto& text = std::get<std::string>(value.literal->value);
    if (subject.kind == Kind::Date && !parseIsoDate(text)) {
        return Error{value.offset, quotedId(*subject.field) + " is a date field: write the date as 'YYYY-MM-DD', such as '2026-01-31'"};
    }
    if (subject.field->type == FieldType::Choice && subject.field->findOption(text) == nullptr) {
        return Error{value.offset, quotedId(*subject.field) + " has no option '" + std::string(shorten(text)) +
                                       "'; its options are " + optionList(*subject.field)};
    }
    return std::nullopt;
}

bool isOrdering(CompareOp op) { return op != CompareOp::Equal && op != CompareOp::NotEqual; }

class Checker {
public:
    explicit Checker(const Resolver& resolve) : m_resolve(resolve) {}

    std::optional<Error> check(const Expr& expr) {
        return std::visit([&](const auto& node) { return checkNode(node, expr.offset); }, expr.node);
    }

private:
    Lookup lookup(std::string_view id) const { return m_resolve ? m_resolve(id) : Lookup{}; }

    std::expected<const Field*, Error> resolveField(const FieldRef& ref) const {
        const Lookup found = lookup(ref.id);
        if (found.where == Lookup::Where::NotEarlier) {
            return std::unexpected(Error{ref.offset, "'" + ref.id +
                                                         "' comes later in the form; a condition can only use "
                                                         "answers given before it"});
        }
        if (found.where == Lookup::Where::Unknown || found.field == nullptr) {
            return std::unexpected(Error{ref.offset, "no field '" + ref.id + "' in this form"});
        }
        if (!found.field->takesInput()) {
            return std::unexpected(Error{ref.offset, "'" + ref.id +
                                                         "' is an information text, not a question: it has no "
                                                         "answer for a condition to use"});
        }
        return found.field;
    }

    std::expected<Typed, Error> resolve(const Operand& operand) {
        if (const auto* ref = std::get_if<FieldRef>(&operand.item)) {
            auto field = resolveField(*ref);
            if (!field) return std::unexpected(field.error());
            return Typed{*kindOf((*field)->type), *field, nullptr, ref->offset};
        }
        if (const auto* literal = std::get_if<Literal>(&operand.item)) {
            return Typed{kindOf(*literal), nullptr, literal, literal->offset};
        }
        const ExprPtr& inner = std::get<ExprPtr>(operand.item);
        if (!inner) return std::unexpected(Error{operand.offset, "this part of the condition is empty"});
        if (auto problem = check(*inner)) return std::unexpected(*problem);
        return Typed{Kind::Bool, nullptr, nullptr, operand.offset};
    }

    // Staff often forget the quotes around an option: `soort_woning == huur`. Then 'huur'
    // reads as an unknown field, and the useful message is about the quotes.
    std::optional<Error> missingQuotes(const Operand& unknown, const Operand& other) const {
        const auto* ref = std::get_if<FieldRef>(&unknown.item);
        const auto* otherRef = std::get_if<FieldRef>(&other.item);
        if (ref == nullptr || otherRef == nullptr || lookup(ref->id).where != Lookup::Where::Unknown) return std::nullopt;
        const Lookup choice = lookup(otherRef->id);
        if (choice.where != Lookup::Where::Earlier || choice.field == nullptr || choice.field->type != FieldType::Choice || choice.field->findOption(ref->id) == nullptr) {
            return std::nullopt;
        }
        return Error{ref->offset, "no field '" + ref->id + "' in this form; to compare with the option '" + ref->id +
                                      "' of '" + otherRef->id + "', put it in single quotes: '" + ref->id + "'"};
    }

    std::optional<Error> checkNode(const Or& node, std::size_t offset) { return checkTerms(node.terms, offset); }
    std::optional<Error> checkNode(const And& node, std::size_t offset) { return checkTerms(node.terms, offset); }
    std::optional<Error> checkNode(const Not& node, std::size_t offset) {
        if (!node.inner) return Error{offset, "this part of the condition is empty"};
        return check(*node.inner);
    }

    std::optional<Error> checkTerms(const std::vector<ExprPtr>& terms, std::size_t offset) {
        for (const ExprPtr& term : terms) {
            if (!term) return Error{offset, "this part of the condition is empty"};
            if (auto problem = check(*term)) return problem;
        }
        return std::nullopt;
    }

    std::optional<Error> checkNode(const Bare& node, std::size_t) {
        auto value = resolve(node.value);
        if (!value) return value.error();
        if (value->kind == Kind::Bool) return std::nullopt;
        if (value->field != nullptr) {
            return Error{value->offset, quotedId(*value->field) + " is " + std::string(typePhrase(value->field->type)) +
                                            ", not a yes/no field: write a comparison, such as " +
                                            exampleComparison(*value->field)};
        }
        return Error{value->offset, noun(*value) + " on its own is not a condition: write a comparison, such as " +
                                        (value->kind == Kind::Number ? "aantal_kinderen > 2" : "soort_woning == 'huur'")};
    }

    std::optional<Error> checkNode(const Compare& node, std::size_t) {
        auto left = resolve(node.left);
        if (!left) return missingQuotes(node.left, node.right).value_or(left.error());
        auto right = resolve(node.right);
        if (!right) return missingQuotes(node.right, node.left).value_or(right.error());
        if (left->kind == Kind::List) return listMisuse(*left);
        if (right->kind == Kind::List) return listMisuse(*right);
        if (!compatible(*left, *right)) return mismatch(*left, *right);
        if (isOrdering(node.op) && left->kind == Kind::Bool) {
            return Error{node.opOffset, "'" + std::string(opText(node.op)) +
                                            "' only works with numbers, money, dates and texts, not with true or "
                                            "false: use '==' or '!='"};
        }
        if (auto problem = checkLiteralFits(*left, *right)) return problem;
        return checkLiteralFits(*right, *left);
    }

    std::optional<Error> checkNode(const In& node, std::size_t) {
        auto left = resolve(node.left);
        if (!left) return left.error();
        if (left->kind == Kind::List) return listMisuse(*left);
        for (const Literal& literal : node.list) {
            const Typed item{kindOf(literal), nullptr, &literal, literal.offset};
            if (!compatible(*left, item)) return mismatch(*left, item);
            if (auto problem = checkLiteralFits(*left, item)) return problem;
        }
        return std::nullopt;
    }

    std::optional<Error> checkNode(const Contains& node, std::size_t) {
        auto field = resolveField(node.field);
        if (!field) return field.error();
        const Field& list = **field;
        if (list.type != FieldType::Multichoice) {
            return Error{node.field.offset, quotedId(list) + " is " + std::string(typePhrase(list.type)) +
                                                ": 'contains' only works with a multiple-choice field; use '==' "
                                                "to compare"};
        }
        const auto* text = std::get_if<std::string>(&node.item.value);
        if (text == nullptr) {
            return Error{node.item.offset, quotedId(list) +
                                               " is a multiple-choice field: after 'contains' write one of its "
                                               "options in single quotes, such as '" +
                                               firstOption(list, "sport") + "'"};
        }
        if (list.findOption(*text) == nullptr) {
            return Error{node.item.offset, quotedId(list) + " has no option '" + std::string(shorten(*text)) +
                                               "'; its options are " + optionList(list)};
        }
        return std::nullopt;
    }

    const Resolver& m_resolve;
};

// [SECTION] Evaluation -----------------------------------------------------------------------

// A number as the evaluator meets it, kept in its own exact form until two are compared.
struct Numeric {
    enum class Form { Whole, Cents, Real };
    Form form = Form::Whole;
    std::int64_t whole = 0;  // Whole: the number; Cents: hundredths
    double real = 0.0;       // Real: a literal from the condition
};

// The value of an operand while evaluating. Views point into the caller's answers and the
// syntax tree, both of which outlive the evaluation, so evaluating never allocates.
struct Runtime {
    enum class Tag { NoValue, Unusable, Number, Date, String, Bool, List };
    Tag tag = Tag::NoValue;
    Numeric number;
    std::chrono::year_month_day date{};
    std::string_view text;
    bool flag = false;
    const std::vector<std::string>* list = nullptr;
};

std::partial_ordering compareNumbers(const Numeric& a, const Numeric& b) {
    using Form = Numeric::Form;
    if (a.form == b.form && a.form != Form::Real) return a.whole <=> b.whole;
    if (a.form == Form::Whole && b.form == Form::Cents) {
        // whole * 100 <=> cents, without overflowing for huge whole numbers.
        constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 100;
        if (a.whole > kLimit) return std::partial_ordering::greater;
        if (a.whole < -kLimit) return std::partial_ordering::less;
        return a.whole * 100 <=> b.whole;
    }
    if (a.form == Form::Cents && b.form == Form::Whole) return 0 <=> compareNumbers(b, a);
    // Against a literal: cents / 100.0 is the correctly rounded double of the amount, and so
    // is the literal as parsed. An amount and a literal with at most two decimals that are
    // equal therefore become the same double (exact for amounts below 2^53 cents), whereas
    // literal * 100 is not exact (0.29 * 100 != 29).
    const auto asReal = [](const Numeric& n) {
        switch (n.form) {
            case Form::Whole: return static_cast<double>(n.whole);
            case Form::Cents: return static_cast<double>(n.whole) / 100.0;
            case Form::Real: return n.real;
        }
        return n.real;
    };
    return asReal(a) <=> asReal(b);
}

Runtime fromLiteral(const Literal& literal) {
    Runtime value;
    if (const auto* text = std::get_if<std::string>(&literal.value)) {
        value.tag = Runtime::Tag::String;
        value.text = *text;
    } else if (const auto* number = std::get_if<double>(&literal.value)) {
        value.tag = Runtime::Tag::Number;
        value.number = Numeric{Numeric::Form::Real, 0, *number};
    } else {
        value.tag = Runtime::Tag::Bool;
        value.flag = std::get<bool>(literal.value);
    }
    return value;
}

// The field's value in the shape value.hpp promises for its type; Unusable otherwise.
Runtime fromAnswer(const Answer& answer) {
    Runtime value;
    if (answer.field == nullptr || answer.value == nullptr) return value;  // NoValue
    value.tag = Runtime::Tag::Unusable;
    const Value& raw = *answer.value;
    const auto* text = std::get_if<std::string>(&raw);
    switch (answer.field->type) {
        case FieldType::Number:
            if (const auto* number = std::get_if<std::int64_t>(&raw)) {
                value.tag = Runtime::Tag::Number;
                value.number = Numeric{Numeric::Form::Whole, *number, 0.0};
            }
            break;
        case FieldType::Money:
            if (text != nullptr) {
                if (const auto cents = parseCents(*text)) {
                    value.tag = Runtime::Tag::Number;
                    value.number = Numeric{Numeric::Form::Cents, *cents, 0.0};
                }
            }
            break;
        case FieldType::Date:
            if (text != nullptr) {
                if (const auto day = parseIsoDate(*text)) {
                    value.tag = Runtime::Tag::Date;
                    value.date = *day;
                }
            }
            break;
        case FieldType::Text:
        case FieldType::Choice:
        case FieldType::Postcode:
        case FieldType::Bsn:
        case FieldType::Iban:
        case FieldType::Phone:
        case FieldType::Email:
            if (text != nullptr) {
                value.tag = Runtime::Tag::String;
                value.text = *text;
            }
            break;
        case FieldType::YesNo:
        case FieldType::Consent:
            if (const auto* flag = std::get_if<bool>(&raw)) {
                value.tag = Runtime::Tag::Bool;
                value.flag = *flag;
            }
            break;
        case FieldType::Multichoice:
            if (const auto* list = std::get_if<std::vector<std::string>>(&raw)) {
                value.tag = Runtime::Tag::List;
                value.list = list;
            }
            break;
        case FieldType::Info:
            break;
    }
    return value;
}

// Nullopt: the two cannot be compared (then every comparison is false).
std::optional<std::partial_ordering> order(const Runtime& a, const Runtime& b) {
    using Tag = Runtime::Tag;
    if (a.tag == Tag::Number && b.tag == Tag::Number) return compareNumbers(a.number, b.number);
    if (a.tag == Tag::Date && b.tag == Tag::Date) return a.date <=> b.date;
    if (a.tag == Tag::Date && b.tag == Tag::String) {
        const auto day = parseIsoDate(b.text);
        if (!day) return std::nullopt;
        return a.date <=> *day;
    }
    if (a.tag == Tag::String && b.tag == Tag::Date) {
        const auto reversed = order(b, a);
        if (!reversed) return std::nullopt;
        return 0 <=> *reversed;
    }
    if (a.tag == Tag::String && b.tag == Tag::String) return a.text <=> b.text;
    if (a.tag == Tag::Bool && b.tag == Tag::Bool) return a.flag <=> b.flag;
    return std::nullopt;
}

bool holds(CompareOp op, std::partial_ordering ordering) {
    switch (op) {
        case CompareOp::Equal: return ordering == 0;
        case CompareOp::NotEqual: return ordering != 0;
        case CompareOp::Less: return ordering < 0;
        case CompareOp::LessEqual: return ordering <= 0;
        case CompareOp::Greater: return ordering > 0;
        case CompareOp::GreaterEqual: return ordering >= 0;
    }
    return false;
}

class Evaluator {
public:
    explicit Evaluator(const AnswerLookup& answers) : m_answers(answers) {}

    bool evaluate(const ExprPtr& expr) const { return expr && evaluate(*expr); }

    bool evaluate(const Expr& expr) const {
        return std::visit([&](const auto& node) { return evaluateNode(node); }, expr.node);
    }

private:
    Runtime valueOf(const Operand& operand) const {
        if (const auto* ref = std::get_if<FieldRef>(&operand.item)) {
            if (!m_answers) return Runtime{};
            return fromAnswer(m_answers(ref->id));
        }
        if (const auto* literal = std::get_if<Literal>(&operand.item)) return fromLiteral(*literal);
        Runtime value;
        value.tag = Runtime::Tag::Bool;
        value.flag = evaluate(std::get<ExprPtr>(operand.item));
        return value;
    }

    bool evaluateNode(const Or& node) const {
        return std::ranges::any_of(node.terms, [&](const ExprPtr& term) { return evaluate(term); });
    }
    bool evaluateNode(const And& node) const {
        return !node.terms.empty() &&
               std::ranges::all_of(node.terms, [&](const ExprPtr& term) { return evaluate(term); });
    }
    bool evaluateNode(const Not& node) const { return node.inner && !evaluate(*node.inner); }

    bool evaluateNode(const Bare& node) const {
        const Runtime value = valueOf(node.value);
        return value.tag == Runtime::Tag::Bool && value.flag;
    }

    bool evaluateNode(const Compare& node) const {
        const Runtime left = valueOf(node.left);
        const Runtime right = valueOf(node.right);
        if (left.tag == Runtime::Tag::NoValue || right.tag == Runtime::Tag::NoValue) {
            return node.op == CompareOp::NotEqual;  // the contract's rule for unanswered and hidden fields
        }
        const auto ordering = order(left, right);
        return ordering && holds(node.op, *ordering);
    }

    bool evaluateNode(const In& node) const {
        const Runtime left = valueOf(node.left);
        return std::ranges::any_of(node.list, [&](const Literal& literal) {
            const auto ordering = order(left, fromLiteral(literal));
            return ordering && *ordering == 0;
        });
    }

    bool evaluateNode(const Contains& node) const {
        if (!m_answers) return false;
        const Runtime value = fromAnswer(m_answers(node.field.id));
        const auto* item = std::get_if<std::string>(&node.item.value);
        if (value.tag != Runtime::Tag::List || item == nullptr) return false;
        return std::ranges::find(*value.list, *item) != value.list->end();
    }

    const AnswerLookup& m_answers;
};

}  // namespace

std::expected<ExprPtr, Error> parse(std::string_view source) {
    Parser parser(source, Lexer(source).run());
    return parser.parseCondition();
}

std::optional<Error> check(const Expr& expr, const Resolver& resolve) {
    Checker checker(resolve);
    return checker.check(expr);
}

bool evaluate(const Expr& expr, const AnswerLookup& answers) {
    return Evaluator(answers).evaluate(expr);
}

}  // namespace kiosk::forms::condition
