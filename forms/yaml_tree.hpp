// A small YAML document tree with source marks, read with libyaml.
//
// Why not yaml-cpp: yaml-cpp 0.7 alone needs ~200 ms to parse 200 forms of 30 fields on
// the CI machine, twice the loader's whole budget; libyaml (the C reference parser behind
// PyYAML and Ruby's Psych, Debian libyaml-dev) parses the same files in ~20 ms and reports
// line and column for every event. This adapter turns its events into the few node kinds
// that form files, the config and the string tables use.
//
// Safety for files from outside: anchors and aliases (&a, *a) are refused (form files
// never need them, and they are how "billion laughs" files explode), nesting deeper than
// kMaxDepth is refused, so are more than kMaxNodes nodes, and a file must hold one document. Nothing here throws.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::forms::yaml {

// A place in the text, counted from 0 (as libyaml counts); `offset` in bytes.
struct Mark {
    int line = -1;
    int column = -1;
    std::size_t offset = 0;
};

class Node {
public:
    enum class Kind { Undefined, Null, Scalar, Sequence, Map };

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] bool isDefined() const { return m_kind != Kind::Undefined; }
    [[nodiscard]] bool isNull() const { return m_kind == Kind::Null; }
    [[nodiscard]] bool isScalar() const { return m_kind == Kind::Scalar; }
    [[nodiscard]] bool isSequence() const { return m_kind == Kind::Sequence; }
    [[nodiscard]] bool isMap() const { return m_kind == Kind::Map; }
    // Quoted or block scalars: written as text on purpose ("true" in quotes is a text).
    [[nodiscard]] bool isQuoted() const { return m_quoted; }
    // A sequence or map written inline: [a, b] or { a: 1 }.
    [[nodiscard]] bool isFlow() const { return m_flow; }

    // The scalar's text (empty for other kinds).
    [[nodiscard]] const std::string& scalar() const { return m_scalar; }
    [[nodiscard]] const Mark& mark() const { return m_mark; }
    // Items of a sequence, or entries (in file order, duplicates kept) of a map.
    [[nodiscard]] const std::vector<Node>& items() const { return m_items; }
    [[nodiscard]] const std::vector<std::pair<Node, Node>>& entries() const { return m_entries; }
    [[nodiscard]] std::size_t size() const;
    // The value of the first entry whose key is `key`; an Undefined node when there is none.
    [[nodiscard]] const Node& operator[](std::string_view key) const;

private:
    friend class TreeBuilder;
    Kind m_kind = Kind::Undefined;
    bool m_quoted = false;
    bool m_flow = false;
    std::string m_scalar;
    Mark m_mark;
    std::vector<Node> m_items;
    std::vector<std::pair<Node, Node>> m_entries;
};

inline constexpr int kMaxDepth = 64;
// More scalars, lists and maps than this in one file are refused: a 1 MiB file of "[1,1,..."
// would otherwise become half a million nodes (~100 MB); the largest real form has a few
// thousand.
inline constexpr std::size_t kMaxNodes = 100'000;

struct ParseError {
    Mark mark;
    std::string message;  // libyaml's words ("mapping values are not allowed in this context")
};

// Parses one YAML document. An empty text is a Null node.
[[nodiscard]] std::expected<Node, ParseError> parse(std::string_view text);

}  // namespace kiosk::forms::yaml
