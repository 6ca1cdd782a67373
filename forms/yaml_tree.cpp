#include "forms/yaml_tree.hpp"

#include <yaml.h>

#include <algorithm>
#include <memory>

namespace kiosk::forms::yaml {

std::size_t Node::size() const {
    if (m_kind == Kind::Sequence) return m_items.size();
    if (m_kind == Kind::Map) return m_entries.size();
    return 0;
}

const Node& Node::operator[](std::string_view key) const {
    static const Node kUndefined;
    for (const auto& [k, v] : m_entries) {
        if (k.m_kind == Kind::Scalar && k.m_scalar == key) return v;
    }
    return kUndefined;
}

namespace {

bool isPlainNull(std::string_view text) {
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

}  // namespace

// Builds the tree from libyaml's events with an explicit stack (no recursion, so the depth
// limit is a number we choose rather than the size of the thread's stack).
class TreeBuilder {
public:
    std::expected<Node, ParseError> run(std::string_view text) {
        m_text = text;
        // libyaml skips a byte-order mark without counting it.
        m_start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
        m_walkedBytes = m_start;
        yaml_parser_t parser;
        if (yaml_parser_initialize(&parser) == 0) return std::unexpected(ParseError{{}, "out of memory"});
        std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
        yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size());
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
        int documents = 0;
        for (;;) {
            yaml_event_t event;
            if (yaml_parser_parse(&parser, &event) == 0) {
                const yaml_mark_t& at = parser.problem_mark;
                std::string message = parser.problem != nullptr ? parser.problem : "unreadable YAML";
                if (parser.context != nullptr) message += " " + std::string(parser.context);
                return std::unexpected(ParseError{markOf(at), message});
            }
            std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> eventGuard(&event, yaml_event_delete);
            switch (event.type) {
                case YAML_STREAM_END_EVENT:
                    if (documents == 0) {
                        Node empty;
                        empty.m_kind = Node::Kind::Null;
                        empty.m_mark = {0, 0, 0};
                        return empty;
                    }
                    return std::move(m_root);
                case YAML_DOCUMENT_START_EVENT:
                    if (++documents > 1) {
                        return std::unexpected(ParseError{
                            markOf(event.start_mark),
                            "a second document starts here; one file holds one document, so "
                            "remove the second '---'"});
                    }
                    break;
                case YAML_ALIAS_EVENT:
                    return std::unexpected(ParseError{
                        markOf(event.start_mark),
                        "aliases (*name) are not allowed; write the value out in full"});
                case YAML_SCALAR_EVENT:
                case YAML_SEQUENCE_START_EVENT:
                case YAML_MAPPING_START_EVENT: {
                    const yaml_char_t* anchor =
                        event.type == YAML_SCALAR_EVENT ? event.data.scalar.anchor
                        : event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                                  : event.data.mapping_start.anchor;
                    if (anchor != nullptr) {
                        return std::unexpected(ParseError{
                            markOf(event.start_mark),
                            "anchors (&name) are not allowed; write the value out in full"});
                    }
                    if (++m_nodes > kMaxNodes) {
                        return std::unexpected(ParseError{
                            markOf(event.start_mark),
                            "the file holds more than " + std::to_string(kMaxNodes) +
                                " values (keys, texts and list items); no kiosk file needs that "
                                "many. Is this really the right file?"});
                    }
                    Node node;
                    node.m_mark = markOf(event.start_mark);
                    if (event.type == YAML_SCALAR_EVENT) {
                        node.m_scalar.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                                             event.data.scalar.length);
                        node.m_quoted = event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
                        node.m_kind = !node.m_quoted && isPlainNull(node.m_scalar) ? Node::Kind::Null
                                                                                   : Node::Kind::Scalar;
                        if (auto added = add(std::move(node)); !added) return std::unexpected(added.error());
                    } else {
                        if (m_stack.size() >= static_cast<std::size_t>(kMaxDepth)) {
                            return std::unexpected(ParseError{
                                markOf(event.start_mark),
                                "the file is nested too deeply (more than " +
                                    std::to_string(kMaxDepth) + " levels)"});
                        }
                        const bool sequence = event.type == YAML_SEQUENCE_START_EVENT;
                        node.m_kind = sequence ? Node::Kind::Sequence : Node::Kind::Map;
                        node.m_flow = sequence ? event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                                               : event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                        m_stack.push_back({std::move(node), {}, false});
                    }
                    break;
                }
                case YAML_SEQUENCE_END_EVENT:
                case YAML_MAPPING_END_EVENT: {
                    Node done = std::move(m_stack.back().node);
                    m_stack.pop_back();
                    if (auto added = add(std::move(done)); !added) return std::unexpected(added.error());
                    break;
                }
                default:
                    break;
            }
        }
    }

private:
    // libyaml counts `index` in characters, not bytes (found by fuzz/form_loader_fuzz.cpp: with
    // any non-ASCII letter earlier in a file, a mark's offset fell short of its byte, so "the
    // file ends here" went unnoticed and a line past the end was named). Mark::offset is in
    // bytes, so the index is converted by walking the UTF-8 text. Marks arrive in file order,
    // so the walk resumes where the previous one stopped: linear in the file, not quadratic.
    Mark markOf(const yaml_mark_t& mark) {
        if (mark.index < m_walkedCharacters) {
            m_walkedCharacters = 0;
            m_walkedBytes = m_start;
        }
        while (m_walkedCharacters < mark.index && m_walkedBytes < m_text.size()) {
            const auto lead = static_cast<unsigned char>(m_text[m_walkedBytes]);
            const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            m_walkedBytes = std::min(m_text.size(), m_walkedBytes + length);
            ++m_walkedCharacters;
        }
        const std::size_t offset = m_walkedCharacters < mark.index
                                       ? m_text.size() + (mark.index - m_walkedCharacters)
                                       : m_walkedBytes;
        return {static_cast<int>(mark.line), static_cast<int>(mark.column), offset};
    }

    struct Open {
        Node node;
        Node pendingKey;   // maps: the key waiting for its value
        bool haveKey = false;
    };

    std::expected<void, ParseError> add(Node node) {
        if (m_stack.empty()) {
            m_root = std::move(node);
            return {};
        }
        Open& parent = m_stack.back();
        if (parent.node.m_kind == Node::Kind::Sequence) {
            parent.node.m_items.push_back(std::move(node));
        } else if (!parent.haveKey) {
            parent.pendingKey = std::move(node);
            parent.haveKey = true;
        } else {
            parent.node.m_entries.emplace_back(std::move(parent.pendingKey), std::move(node));
            parent.pendingKey = Node{};
            parent.haveKey = false;
        }
        return {};
    }

    std::vector<Open> m_stack;
    Node m_root;
    std::size_t m_nodes = 0;
    std::string_view m_text;
    std::size_t m_walkedCharacters = 0;  // markOf(): how far the text has been walked
    std::size_t m_walkedBytes = 0;
    std::size_t m_start = 0;             // bytes of a byte-order mark
};

std::expected<Node, ParseError> parse(std::string_view text) { return TreeBuilder().run(text); }

}  // namespace kiosk::forms::yaml
