// [SECTION] Findings and small helpers
// [SECTION] The checker for one file: keys, scalars, texts
// [SECTION] Top level, submit, pages, fields, options
// [SECTION] Conditions (second pass, once every field is known)
// [SECTION] Files and folders
#include "forms/loader.hpp"

#include "forms/condition.hpp"
#include "forms/icon_file.hpp"
#include "forms/signature.hpp"
#include "forms/staff_file.hpp"
#include "forms/suggest.hpp"
#include "forms/value.hpp"
#include "forms/yaml_tree.hpp"


#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

namespace kiosk::forms {

// [SECTION] Findings and small helpers ------------------------------------------------------

std::string formatFinding(const Finding& finding) {
    const int line = finding.pos.line > 0 ? finding.pos.line : 1;
    const int column = finding.pos.column > 0 ? finding.pos.column : 1;
    return finding.path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
           (finding.severity == Severity::Error ? "error" : "warning") + ": " + finding.message;
}

bool FolderResult::hasErrors() const {
    return std::ranges::any_of(findings,
                               [](const Finding& f) { return f.severity == Severity::Error; });
}

namespace {

SourcePos posOf(const yaml::Mark& mark) {
    if (mark.line < 0 || mark.column < 0) return {};
    return {mark.line + 1, mark.column + 1};
}
SourcePos posOf(const yaml::Node& node) { return posOf(node.mark()); }

bool isIdChar(char c, bool allowDash, bool allowUnderscore) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (allowDash && c == '-') ||
           (allowUnderscore && c == '_');
}

bool isId(std::string_view text, bool allowDash, bool allowUnderscore) {
    return !text.empty() && std::ranges::all_of(text, [&](char c) {
        return isIdChar(c, allowDash, allowUnderscore);
    });
}

std::string quoteList(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += items[i];
    }
    return out;
}

// A language's name for staff messages: "English (en)".
std::string languageName(std::string_view code) {
    static const std::map<std::string, std::string, std::less<>> kNames{
        {"nl", "Dutch"},  {"en", "English"}, {"tr", "Turkish"},   {"pl", "Polish"},
        {"ar", "Arabic"}, {"uk", "Ukrainian"}, {"de", "German"},  {"fr", "French"},
        {"es", "Spanish"}, {"fa", "Persian"}, {"ru", "Russian"},  {"pap", "Papiamento"},
    };
    const auto found = kNames.find(code);
    if (found == kNames.end()) return "'" + std::string(code) + "'";
    return found->second + " (" + std::string(code) + ")";
}

// The parts of a YAML mapping, in file order, duplicates kept (so they can be reported).
struct Entry {
    std::string key;
    const yaml::Node* keyNode = nullptr;
    const yaml::Node* value = nullptr;
};

// The keys a kind of mapping may have.
struct KeySet {
    std::vector<std::string> allowed;
    std::vector<std::string> required;
};

const std::vector<std::string> kCommonFieldKeys{"id",   "type",     "label",    "hint",
                                                "why",  "speak",    "icon",     "show_if",
                                                "required", "private", "personal"};

// Keys that only some field types use, and which types.
const std::map<std::string, std::vector<FieldType>> kTypeSpecificKeys{
    {"min_length", {FieldType::Text}},
    {"max_length", {FieldType::Text}},
    {"min", {FieldType::Number, FieldType::Money, FieldType::Date, FieldType::Multichoice}},
    {"max", {FieldType::Number, FieldType::Money, FieldType::Date, FieldType::Multichoice}},
    {"options", {FieldType::Choice, FieldType::Multichoice}},
};

bool typeUsesKey(FieldType type, const std::string& key) {
    const auto found = kTypeSpecificKeys.find(key);
    return found != kTypeSpecificKeys.end() && std::ranges::find(found->second, type) !=
                                                   found->second.end();
}

std::string typeList(const std::vector<FieldType>& types) {
    std::vector<std::string> names;
    for (FieldType t : types) names.emplace_back(fieldTypeName(t));
    return quoteList(names);
}

// [SECTION] The checker for one file: keys, scalars, texts ------------------------------------

SourcePos positionOfOffset(std::string_view text, std::size_t offset);

class FileChecker {
public:
    // `verified`: the bytes of a signed folder's files (readSignedFolder), by relative path;
    // icons are then checked from those bytes, never read from disk again.
    FileChecker(std::string_view text, std::string path, const LoadOptions& options,
                std::filesystem::path iconDir,
                const std::map<std::string, std::string>* verified = nullptr)
        : m_text(text), m_path(std::move(path)), m_options(options),
          m_iconDir(std::move(iconDir)), m_verified(verified) {}

    FileResult run() {
        auto root = yaml::parse(m_text);
        if (!root) {
            syntaxError(root.error());
        } else {
            readForm(*root);
            if (!hasErrors()) checkConditions();
        }
        return finish();
    }

private:
    // -- reporting --
    void errorAt(SourcePos pos, std::string message) {
        m_findings.push_back({Severity::Error, m_path, pos, std::move(message)});
    }
    void error(const yaml::Node& at, std::string message) { errorAt(posOf(at), std::move(message)); }
    void warning(const yaml::Node& at, std::string message) {
        m_findings.push_back({Severity::Warning, m_path, posOf(at), std::move(message)});
    }
    [[nodiscard]] bool hasErrors() const {
        return std::ranges::any_of(m_findings,
                                   [](const Finding& f) { return f.severity == Severity::Error; });
    }

    FileResult finish() {
        std::ranges::stable_sort(m_findings, [](const Finding& a, const Finding& b) {
            return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
        });
        FileResult result;
        result.findings = std::move(m_findings);
        if (!std::ranges::any_of(result.findings, [](const Finding& f) {
                return f.severity == Severity::Error;
            })) {
            m_form.sourcePath = m_path;
            result.form = std::move(m_form);
        }
        return result;
    }

    std::string_view lineOfText(int line) const {
        std::size_t start = 0;
        for (int i = 1; i < line && start != std::string_view::npos; ++i) {
            start = m_text.find('\n', start);
            if (start != std::string_view::npos) ++start;
        }
        if (start == std::string_view::npos || start > m_text.size()) return {};
        const auto end = m_text.find('\n', start);
        return m_text.substr(start, end == std::string_view::npos ? end : end - start);
    }

    void syntaxError(const yaml::ParseError& problem) {
        // At the end of the text libyaml counts one line further; name the last character.
        const SourcePos pos = problem.mark.offset >= m_text.size() ? positionOfOffset(m_text, m_text.size())
                                                                   : posOf(problem.mark);
        std::string message = "the file is not valid YAML (" + problem.message + ")";
        const std::string_view line = lineOfText(pos.line);
        if (problem.mark.offset >= m_text.size() && !m_text.ends_with('\n')) {
            // libyaml stops at the very end, and the last line has no line break: the file
            // was most likely cut off (an interrupted copy, a full disk).
            message += ". The file ends in the middle of something: it was probably cut off "
                       "while it was copied or saved; copy the whole file again";
        } else if (line.find('{') != std::string_view::npos) {
            message += ". A text with ':', '?' or '#' inside { } confuses YAML: write one "
                       "language per line (nl: ... on its own line, then en: ...), or put the "
                       "text in quotes";
        } else if (problem.message.find("tab") != std::string::npos ||
                   problem.message.find("indent") != std::string::npos ||
                   problem.message.find("mapping values") != std::string::npos ||
                   problem.message.find("block end") != std::string::npos) {
            message += ". Check the indentation: keys of the same block must start in the "
                       "same column, and use spaces, not tabs";
        }
        errorAt(pos, std::move(message));
    }

    // -- mappings and keys --

    // The entries of a mapping after checking its keys: unknown keys (with a suggestion),
    // keys given twice and missing required keys are errors. `what` names the mapping in
    // messages ("field 'voornaam'"). `explainKey` may give a better message for a key that
    // is known elsewhere but not allowed here.
    std::vector<Entry> entries(const yaml::Node& map, const KeySet& keys, const std::string& what,
                               const std::function<std::optional<std::string>(
                                   const std::string&)>& explainKey = {}) {
        std::vector<Entry> out;
        if (!map.isMap()) {
            error(map, what + " must be a block of 'key: value' lines");
            return out;
        }
        std::set<std::string> seen;
        std::set<std::string> suggested;  // required keys already named in a "did you mean"
        for (const auto& [keyNode, value] : map.entries()) {
            if (!keyNode.isScalar()) {
                error(keyNode, "a key in " + what + " must be a single word");
                continue;
            }
            const std::string key = keyNode.scalar();
            if (std::ranges::find(keys.allowed, key) == keys.allowed.end()) {
                std::string message;
                if (explainKey) {
                    if (auto explained = explainKey(key)) message = *explained;
                }
                if (message.empty()) {
                    message = "unknown key '" + key + "' in " + what;
                    if (auto match = closestMatch(key, keys.allowed)) {
                        message += " \u2014 did you mean '" + *match + "'?";
                        suggested.insert(*match);
                    } else {
                        message += "; the keys here are: " + quoteList(keys.allowed);
                    }
                }
                error(keyNode, std::move(message));
                continue;
            }
            if (!seen.insert(key).second) {
                error(keyNode, "'" + key + "' appears twice in " + what + "; keep only one");
                continue;
            }
            out.push_back({key, &keyNode, &value});
        }
        for (const auto& key : keys.required) {
            if (!seen.contains(key) && !suggested.contains(key)) {
                error(map, what + " has no '" + key + "'; add " + key + ": on its own line");
            }
        }
        return out;
    }

    static const yaml::Node* find(const std::vector<Entry>& entries, std::string_view key) {
        for (const auto& entry : entries) {
            if (entry.key == key) return entry.value;
        }
        return nullptr;
    }

    // -- scalars --

    std::optional<std::string> scalar(const yaml::Node& node, const std::string& what) {
        if (node.isScalar()) return node.scalar();
        if (node.isNull()) {
            error(node, what + " is empty; give it a value");
        } else {
            error(node, what + " must be a single value, not a " +
                            (node.isSequence() ? "list" : "block of keys"));
        }
        return std::nullopt;
    }

    std::optional<std::int64_t> wholeNumber(const yaml::Node& node, const std::string& what,
                                            std::int64_t lowest) {
        auto text = scalar(node, what);
        if (!text) return std::nullopt;
        std::int64_t value = 0;
        const char* end = text->data() + text->size();
        const auto [ptr, ec] = std::from_chars(text->data(), end, value);
        if (ec != std::errc{} || ptr != end) {
            error(node, what + " must be a whole number, like " + std::to_string(lowest + 1) +
                            ", not '" + *text + "'");
            return std::nullopt;
        }
        if (value < lowest) {
            error(node, what + " must be " + std::to_string(lowest) + " or more");
            return std::nullopt;
        }
        return value;
    }

    std::optional<bool> boolean(const yaml::Node& node, const std::string& what) {
        auto text = scalar(node, what);
        if (!text) return std::nullopt;
        if (*text == "true") return true;
        if (*text == "false") return false;
        error(node, what + " must be true or false, not '" + *text + "'");
        return std::nullopt;
    }

    std::optional<std::string> identifier(const yaml::Node& node, const std::string& what,
                                          bool allowDash, bool allowUnderscore) {
        auto text = scalar(node, what);
        if (!text) return std::nullopt;
        if (!isId(*text, allowDash, allowUnderscore)) {
            std::string allowed = "lower-case letters a-z, digits 0-9";
            if (allowDash) allowed += " and '-'";
            if (allowUnderscore) allowed += " and '_'";
            error(node, what + " '" + *text + "' may only use " + allowed + " (no spaces)");
            return std::nullopt;
        }
        return text;
    }

    // -- texts --

    std::optional<Text> text(const yaml::Node& node, const std::string& what) {
        Text result;
        result.pos = posOf(node);
        if (node.isScalar()) {
            if (m_form.languages.size() == 1) {
                if (node.scalar().empty()) {
                    error(node, what + " is empty; write the text");
                    return std::nullopt;
                }
                result.byLanguage[m_form.languages.front()] = node.scalar();
                result.posByLanguage[m_form.languages.front()] = posOf(node);
                return result;
            }
            if (m_form.languages.empty()) return std::nullopt;  // languages already reported
            std::string example;
            for (const auto& language : m_form.languages) example += " " + language + ": ...;";
            error(node, what + " needs a text for each language (" +
                            quoteList(m_form.languages) +
                            "), one per line under it:" + example.substr(0, example.size() - 1));
            return std::nullopt;
        }
        if (!node.isMap()) {
            error(node, what + " must be a text for each language, like nl: ... and en: ...");
            return std::nullopt;
        }
        bool ok = true;
        std::set<std::string> seen;
        std::set<std::string> suggested;  // missing languages already named in a "did you mean"
        for (const auto& [languageNode, textNode] : node.entries()) {
            const std::string language = languageNode.isScalar() ? languageNode.scalar() : "";
            if (!seen.insert(language).second) {
                error(languageNode, what + " has two " + languageName(language) +
                                     " texts; keep only one");
                ok = false;
                continue;
            }
            if (std::ranges::find(m_form.languages, language) == m_form.languages.end()) {
                if (m_form.languages.empty()) continue;
                std::string message = what + " has a text in " + languageName(language) +
                                      ", which is not in this form's languages (" +
                                      quoteList(m_form.languages) + ")";
                if (auto match = closestMatch(language, m_form.languages)) {
                    message += " \u2014 did you mean '" + *match + "'?";
                    suggested.insert(*match);
                    error(languageNode, std::move(message));
                    ok = false;
                } else {
                    warning(languageNode, message + "; add it to languages or remove this line");
                }
                continue;
            }
            if (!textNode.isScalar()) {
                error(textNode, "the " + languageName(language) + " text of " + what +
                                      " must be one piece of text" +
                                      (textNode.isNull() ? ", but it is empty" : ""));
                ok = false;
                continue;
            }
            if (textNode.scalar().empty()) {
                error(textNode, "the " + languageName(language) + " text of " + what +
                                      " is empty; write the text");
                ok = false;
                continue;
            }
            result.byLanguage[language] = textNode.scalar();
            result.posByLanguage[language] = posOf(textNode);
            if (node.isFlow() && !textNode.isQuoted() &&
                textNode.scalar().find_first_of("?:#") != std::string::npos) {
                warning(textNode, "the kiosk reads this text, but many YAML tools and editors "
                                  "refuse a '?', ':' or '#' inside { }: write one language per "
                                  "line, or put the text in quotes");
            }
        }
        for (const auto& language : m_form.languages) {
            if (!seen.contains(language) && !suggested.contains(language)) {
                error(node, what + " has no " + languageName(language) + " text; add a line " +
                                language + ": ...");
                ok = false;
            }
        }
        if (!ok) return std::nullopt;
        return result;
    }

    std::optional<Text> optionalText(const std::vector<Entry>& entries, std::string_view key,
                                     const std::string& owner) {
        const yaml::Node* node = find(entries, key);
        if (node == nullptr) return std::nullopt;
        return text(*node, "the " + std::string(key) + " of " + owner);
    }

    // -- icons --

    std::string icon(const yaml::Node& node, const std::string& owner) {
        auto name = scalar(node, "the icon of " + owner);
        if (!name) return {};
        if (m_options.icons != nullptr && m_options.icons->contains(*name)) return *name;
        const bool safeName = isId(*name, true, true);
        if (safeName && m_verified != nullptr) {
            for (const char* extension : {".png", ".svg"}) {
                const std::string shown = "icons/" + *name + extension;
                const auto file = m_verified->find(shown);
                if (file == m_verified->end()) continue;
                auto [checked, fresh] = m_iconChecks.try_emplace(shown);
                if (fresh && file->second.size() > kMaxIconFileBytes) {
                    checked->second = "icons may be at most 1024 KiB (1 MiB): make the picture "
                                      "smaller (512 x 512 pixels is plenty)";
                } else if (fresh) {
                    auto good = checkIconBytes(file->second, extension == std::string_view(".png")
                                                                 ? IconFormat::Png
                                                                 : IconFormat::Svg);
                    if (!good) checked->second = good.error();
                }
                if (checked->second.empty()) return *name;
                error(node, "the icon file " + shown + " cannot be used: " + checked->second);
                return {};
            }
        } else if (safeName && !m_iconDir.empty()) {
            for (const char* extension : {".png", ".svg"}) {
                const auto file = m_iconDir / (*name + extension);
                std::error_code ignored;
                // symlink_status: a dangling link, a folder or a pipe by that name is a
                // broken icon to report, not a missing one.
                if (!std::filesystem::exists(std::filesystem::symlink_status(file, ignored))) continue;
                const std::string shown = "icons/" + *name + extension;
                auto [checked, fresh] = m_iconChecks.try_emplace(shown);
                if (fresh) {
                    auto read = readIconFile(m_iconDir.parent_path(), file,
                                             extension == std::string_view(".png") ? IconFormat::Png
                                                                                   : IconFormat::Svg);
                    if (!read) checked->second = read.error();
                }
                if (checked->second.empty()) return *name;
                error(node, "the icon file " + shown + " cannot be used: " + checked->second);
                return {};
            }
        }
        std::string message = "unknown icon '" + *name + "' for " + owner;
        if (m_options.icons != nullptr) {
            if (auto match = closestMatch(*name, m_options.icons->names())) {
                message += " \u2014 did you mean '" + *match + "'?";
            }
        }
        message += " Use a name from the kiosk's icon list (docs/icons.md), or put " +
                   (safeName ? *name + ".png or " + *name + ".svg" : std::string("a PNG or SVG file")) +
                   " in the icons folder next to the form files";
        error(node, std::move(message));
        return {};
    }

    // [SECTION] Top level, submit, pages, fields, options ------------------------------------

    void readForm(const yaml::Node& root) {
        if (root.isNull()) {
            errorAt({1, 1}, "the file is empty; a form file starts with 'form: <id>'");
            return;
        }
        if (!root.isMap()) {
            error(root, "a form file must be a block of 'key: value' lines starting with "
                        "'form: <id>'");
            return;
        }
        static const KeySet kTop{
            {"form", "version", "title", "icon", "languages", "intro", "submit", "pages"},
            {"form", "version", "title", "languages", "pages"}};
        const auto top = entries(root, kTop, "the form");

        // Languages first: every text depends on them.
        if (const auto* node = find(top, "languages")) readLanguages(*node);
        if (const auto* node = find(top, "form")) {
            if (auto id = identifier(*node, "the form id", true, false)) {
                m_form.id = *id;
                m_form.idPos = posOf(*node);
            }
        }
        if (const auto* node = find(top, "version")) {
            if (auto version = wholeNumber(*node, "version", 1)) {
                if (*version > 1'000'000) {
                    error(*node, "version must be a whole number below 1000000");
                } else {
                    m_form.version = static_cast<int>(*version);
                }
            }
        }
        if (const auto* node = find(top, "title")) {
            if (auto title = text(*node, "the form's title")) m_form.title = *title;
        }
        if (const auto* node = find(top, "icon")) m_form.icon = icon(*node, "the form");
        m_form.intro = optionalText(top, "intro", "the form");
        const yaml::Node* submit = find(top, "submit");
        const bool endpointGiven = submit != nullptr && readSubmit(*submit);
        if (!endpointGiven) missingEndpoint(submit != nullptr ? *submit : root);
        if (const auto* node = find(top, "pages")) readPages(*node);
    }

    void readLanguages(const yaml::Node& node) {
        if (!node.isSequence() || node.size() == 0) {
            error(node, "languages must be a list of language codes, like [nl, en]");
            return;
        }
        for (const auto& item : node.items()) {
            auto code = scalar(item, "a language code");
            if (!code) continue;
            const bool shaped = code->size() >= 2 && code->size() <= 3 &&
                                std::ranges::all_of(*code, [](char c) { return c >= 'a' && c <= 'z'; });
            if (!shaped) {
                error(item, "'" + *code + "' is not a language code; use two or three lower-case "
                            "letters, like nl, en, tr or pap");
                continue;
            }
            if (std::ranges::find(m_form.languages, *code) != m_form.languages.end()) {
                error(item, languageName(*code) + " is listed twice in languages");
                continue;
            }
            m_form.languages.push_back(*code);
        }
    }

    // Whether submit has an endpoint (good or bad: a bad one is reported here).
    bool readSubmit(const yaml::Node& node) {
        const auto submit = entries(node, {{"endpoint"}, {}}, "submit");
        const yaml::Node* endpoint = find(submit, "endpoint");
        if (endpoint == nullptr) return false;
        readEndpoint(*endpoint);
        return true;
    }

    void readEndpoint(const yaml::Node& node) {
        const yaml::Node* endpoint = &node;
        auto url = scalar(*endpoint, "submit.endpoint");
        if (!url) return;
        if (url->starts_with("http://")) {
            error(*endpoint, "the endpoint must start with https://, so that answers travel "
                             "encrypted; http:// is not allowed");
            return;
        }
        if (!url->starts_with("https://")) {
            error(*endpoint, "the endpoint must be a web address starting with https://");
            return;
        }
        const std::string rest = url->substr(8);
        const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
        if (authority.find('@') != std::string::npos) {
            error(*endpoint, "the endpoint must not hold a user name or password (the part "
                             "before '@'); the kiosk uses certificates instead");
            return;
        }
        std::string host = authority;
        if (host.starts_with('[')) {
            host = host.substr(0, host.find(']') + 1);
        } else {
            host = host.substr(0, host.find(':'));
        }
        if (host.empty() || host.find_first_of(" \t") != std::string::npos) {
            error(*endpoint, "the endpoint has no host name after https://");
            return;
        }
        std::ranges::transform(host, host.begin(), [](unsigned char c) {
            return static_cast<char>(std::tolower(c));
        });
        if (!m_options.allowedHosts.empty() &&
            std::ranges::find(m_options.allowedHosts, host) == m_options.allowedHosts.end()) {
            error(*endpoint, "this form may not submit to '" + host +
                                 "': it is not in the kiosk's submit.allowed_hosts (" +
                                 quoteList(m_options.allowedHosts) +
                                 "). Fix the address, or ask the operator to allow the host");
            return;
        }
        m_form.endpoint = *url;
    }

    void missingEndpoint(const yaml::Node& at) {
        using D = LoadOptions::DefaultEndpoint;
        if (m_options.defaultEndpoint == D::Present) return;
        if (m_options.defaultEndpoint == D::Absent) {
            error(at, "the form has no submit.endpoint and the kiosk config has no "
                      "submit.default_endpoint; add submit: endpoint: https://...");
        } else {
            warning(at, "the form has no submit.endpoint; it only works on a kiosk whose "
                        "config has submit.default_endpoint");
        }
    }

    void readPages(const yaml::Node& node) {
        if (!node.isSequence() || node.size() == 0) {
            error(node, "pages must be a list with at least one page (each starting with "
                        "'- id: ...')");
            return;
        }
        std::map<std::string, SourcePos> pageIds;
        for (const auto& pageNode : node.items()) {
            Page page;
            page.pos = posOf(pageNode);
            static const KeySet kPage{{"id", "title", "show_if", "fields"}, {"id", "fields"}};
            const auto parts = entries(pageNode, kPage, "a page");
            std::string owner = "a page";
            if (const auto* id = find(parts, "id")) {
                if (auto text = scalar(*id, "the page id")) {
                    if (text->empty() || text->find_first_of(" \t\r\n") != std::string::npos) {
                        error(*id, "the page id '" + *text + "' must be one word without spaces");
                    } else if (auto earlier = pageIds.find(*text); earlier != pageIds.end()) {
                        error(*id, "page id '" + *text + "' is already used on line " +
                                       std::to_string(earlier->second.line) +
                                       "; each page needs its own id");
                    } else {
                        pageIds.emplace(*text, posOf(*id));
                        page.id = *text;
                        owner = "page '" + *text + "'";
                    }
                }
            }
            page.title = optionalText(parts, "title", owner);
            const yaml::Node* condition = nullptr;
            if (const auto* showIf = find(parts, "show_if")) condition = showIf;
            m_pageConditions.push_back(condition);
            m_fieldConditions.emplace_back();
            if (const auto* fields = find(parts, "fields")) readFields(*fields, page, owner);
            m_form.pages.push_back(std::move(page));
        }
    }

    void readFields(const yaml::Node& node, Page& page, const std::string& pageOwner) {
        if (!node.isSequence() || node.size() == 0) {
            error(node, "the fields of " + pageOwner +
                            " must be a list with at least one field (each starting with "
                            "'- id: ...')");
            return;
        }
        for (const auto& fieldNode : node.items()) {
            Field field;
            field.pos = posOf(fieldNode);
            const yaml::Node* condition = nullptr;
            readField(fieldNode, field, condition);
            page.fields.push_back(std::move(field));
            m_fieldConditions.back().push_back(condition);
        }
    }

    void readField(const yaml::Node& node, Field& field, const yaml::Node*& condition) {
        if (!node.isMap()) {
            error(node, "a field must be a block of 'key: value' lines starting with '- id: ...'");
            return;
        }
        // The type decides which keys are allowed, so read it before checking keys.
        std::optional<FieldType> type;
        const yaml::Node typeNode = node["type"];
        if (typeNode.isDefined() && typeNode.isScalar()) {
            type = fieldTypeFromName(typeNode.scalar());
        }
        KeySet keys{kCommonFieldKeys, {"id", "type", "label"}};
        if (type) {
            for (const auto& [key, types] : kTypeSpecificKeys) {
                if (typeUsesKey(*type, key)) keys.allowed.push_back(key);
            }
        } else {
            for (const auto& [key, types] : kTypeSpecificKeys) keys.allowed.push_back(key);
        }
        std::string owner = "a field";
        if (const yaml::Node idNode = node["id"]; idNode.isDefined() && idNode.isScalar()) {
            owner = "field '" + idNode.scalar() + "'";
        }
        const auto parts = entries(node, keys, owner, [&](const std::string& key) -> std::optional<std::string> {
            if (!type || !kTypeSpecificKeys.contains(key)) return std::nullopt;
            std::string message = "'" + key + "' is not used by " + std::string(fieldTypeName(*type)) +
                                  " fields, only by " + typeList(kTypeSpecificKeys.at(key)) +
                                  " fields";
            if (*type == FieldType::Text && (key == "min" || key == "max")) {
                message += "; for the length of a text use " + key + "_length";
            }
            return message;
        });

        if (const auto* id = find(parts, "id")) {
            if (auto text = identifier(*id, "the field id", false, true)) {
                if (auto earlier = m_fieldIds.find(*text); earlier != m_fieldIds.end()) {
                    error(*id, "field id '" + *text + "' is already used on line " +
                                   std::to_string(earlier->second.line) +
                                   "; each field needs its own id");
                } else {
                    m_fieldIds.emplace(*text, posOf(*id));
                    field.id = *text;
                }
            }
        }
        if (const auto* typeEntry = find(parts, "type")) {
            if (auto name = scalar(*typeEntry, "the type of " + owner)) {
                if (!type) {
                    std::vector<std::string> names;
                    for (FieldType t : allFieldTypes()) names.emplace_back(fieldTypeName(t));
                    std::string message = "unknown field type '" + *name + "'";
                    if (auto match = closestMatch(*name, names)) {
                        message += " \u2014 did you mean '" + *match + "'?";
                    }
                    error(*typeEntry, message + " The types are: " + quoteList(names));
                }
            }
        }
        if (type) field.type = *type;
        if (const auto* label = find(parts, "label")) {
            if (auto t = text(*label, "the label of " + owner)) field.label = *t;
        }
        field.hint = optionalText(parts, "hint", owner);
        field.why = optionalText(parts, "why", owner);
        field.speak = optionalText(parts, "speak", owner);
        if (const auto* iconNode = find(parts, "icon")) field.icon = icon(*iconNode, owner);
        if (const auto* showIf = find(parts, "show_if")) condition = showIf;

        field.isPrivate = isPrivateByDefault(field.type);
        if (const auto* value = find(parts, "private")) {
            if (auto flag = boolean(*value, "private")) field.isPrivate = *flag;
        }
        if (const auto* value = find(parts, "personal")) {
            if (auto flag = boolean(*value, "personal")) field.personal = *flag;
        }
        field.required = field.type != FieldType::Info;
        if (const auto* value = find(parts, "required")) {
            if (auto flag = boolean(*value, "required")) {
                if (field.type == FieldType::Info) {
                    if (*flag) warning(*value, "an info field has nothing to answer, so it is never required; remove 'required'");
                } else if (field.type == FieldType::Consent && !*flag) {
                    warning(*value, "a consent must always be accepted; 'required: false' is ignored");
                } else {
                    field.required = *flag;
                }
            }
        }
        if (!type) return;
        switch (field.type) {
            case FieldType::Text: readLengths(parts, field, owner); break;
            case FieldType::Number: readNumberBounds(parts, field, owner); break;
            case FieldType::Money: readMoneyBounds(parts, field, owner); break;
            case FieldType::Date: readDateBounds(parts, field, owner); break;
            case FieldType::Choice:
            case FieldType::Multichoice: readOptions(parts, node, field, owner); break;
            default: break;
        }
    }

    void readLengths(const std::vector<Entry>& parts, Field& field, const std::string& owner) {
        const yaml::Node* minNode = find(parts, "min_length");
        const yaml::Node* maxNode = find(parts, "max_length");
        if (minNode != nullptr) {
            if (auto v = wholeNumber(*minNode, "min_length", 0)) field.minLength = static_cast<int>(std::min<std::int64_t>(*v, 100000));
        }
        if (maxNode != nullptr) {
            if (auto v = wholeNumber(*maxNode, "max_length", 1)) field.maxLength = static_cast<int>(std::min<std::int64_t>(*v, 100000));
        }
        if (field.minLength && *field.minLength > field.maxLength) {
            error(minNode != nullptr ? *minNode : *maxNode,
                  "min_length (" + std::to_string(*field.minLength) + ") is more than max_length (" +
                      std::to_string(field.maxLength) + ") for " + owner + "; make min_length smaller");
        }
    }

    void minAboveMax(const yaml::Node& at, const std::string& owner, const std::string& minText,
                     const std::string& maxText) {
        error(at, "min (" + minText + ") is more than max (" + maxText + ") for " + owner +
                      "; swap them or fix one");
    }

    void readNumberBounds(const std::vector<Entry>& parts, Field& field, const std::string& owner) {
        constexpr std::int64_t kLowest = std::numeric_limits<std::int64_t>::min() + 1;
        const yaml::Node* minNode = find(parts, "min");
        const yaml::Node* maxNode = find(parts, "max");
        if (minNode != nullptr) field.min = wholeNumber(*minNode, "min", kLowest);
        if (maxNode != nullptr) field.max = wholeNumber(*maxNode, "max", kLowest);
        if (field.min && field.max && *field.min > *field.max) {
            minAboveMax(*minNode, owner, std::to_string(*field.min), std::to_string(*field.max));
        }
    }

    std::optional<std::int64_t> amount(const yaml::Node& node, const std::string& what) {
        auto text = scalar(node, what);
        if (!text) return std::nullopt;
        auto cents = parseCents(*text);
        if (!cents) {
            error(node, what + " must be an amount in euros with a dot for the cents, like 0, "
                              "250 or 12.50, not '" + *text + "'");
        }
        return cents;
    }

    void readMoneyBounds(const std::vector<Entry>& parts, Field& field, const std::string& owner) {
        const yaml::Node* minNode = find(parts, "min");
        const yaml::Node* maxNode = find(parts, "max");
        if (minNode != nullptr) field.min = amount(*minNode, "min");
        if (maxNode != nullptr) field.max = amount(*maxNode, "max");
        if (field.min && field.max && *field.min > *field.max) {
            minAboveMax(*minNode, owner, formatCents(*field.min), formatCents(*field.max));
        }
    }

    std::optional<DateBound> dateBound(const yaml::Node& node, const std::string& what) {
        auto text = scalar(node, what);
        if (!text) return std::nullopt;
        DateBound bound;
        if (*text == "today") return bound;
        if (text->starts_with("today+") || text->starts_with("today-")) {
            const std::string digits = text->substr(6);
            int days = 0;
            const char* end = digits.data() + digits.size();
            const auto [ptr, ec] = std::from_chars(digits.data(), end, days);
            if (!digits.empty() && ec == std::errc{} && ptr == end && days <= 365 * 200 &&
                digits.front() != '+' && digits.front() != '-') {
                bound.daysFromToday = (*text)[5] == '+' ? days : -days;
                return bound;
            }
        } else if (auto day = parseIsoDate(*text)) {
            bound.fixed = *day;
            return bound;
        }
        error(node, what + " must be a date like 2026-01-31, or today, or today+30 / today-30 "
                           "(days), not '" + *text + "'");
        return std::nullopt;
    }

    void readDateBounds(const std::vector<Entry>& parts, Field& field, const std::string& owner) {
        const yaml::Node* minNode = find(parts, "min");
        const yaml::Node* maxNode = find(parts, "max");
        if (minNode != nullptr) field.minDate = dateBound(*minNode, "min");
        if (maxNode != nullptr) field.maxDate = dateBound(*maxNode, "max");
        if (!field.minDate || !field.maxDate) return;
        const DateBound& low = *field.minDate;
        const DateBound& high = *field.maxDate;
        // Comparable without knowing today: both fixed, or both relative to today.
        const bool bothFixed = low.fixed && high.fixed;
        const bool bothRelative = !low.fixed && !high.fixed;
        if ((bothFixed && std::chrono::sys_days{*low.fixed} > std::chrono::sys_days{*high.fixed}) ||
            (bothRelative && low.daysFromToday > high.daysFromToday)) {
            minAboveMax(*minNode, owner, minNode->scalar(), maxNode->scalar());
        }
    }

    void readOptions(const std::vector<Entry>& parts, const yaml::Node& fieldNode, Field& field,
                     const std::string& owner) {
        const yaml::Node* optionsNode = find(parts, "options");
        if (optionsNode == nullptr) {
            error(fieldNode, owner + " is a " + std::string(fieldTypeName(field.type)) +
                                 " field but has no 'options'; add a list of options");
            return;
        }
        if (!optionsNode->isSequence() || optionsNode->size() == 0) {
            error(*optionsNode, "the options of " + owner +
                                    " must be a list, each starting with '- value: ...'");
            return;
        }
        for (const auto& optionNode : optionsNode->items()) {
            Option option;
            option.pos = posOf(optionNode);
            static const KeySet kOption{{"value", "label", "icon", "speak"}, {"value", "label"}};
            const auto optionParts = entries(optionNode, kOption, "an option of " + owner);
            std::string optionOwner = "an option of " + owner;
            if (const auto* value = find(optionParts, "value")) {
                if (auto text = identifier(*value, "the option value", false, true)) {
                    if (field.findOption(*text) != nullptr) {
                        error(*value, "option value '" + *text + "' is used twice in " + owner +
                                          "; each option needs its own value");
                    } else {
                        option.value = *text;
                        optionOwner = "option '" + *text + "' of " + owner;
                    }
                }
            }
            if (const auto* label = find(optionParts, "label")) {
                if (auto t = text(*label, "the label of " + optionOwner)) option.label = *t;
            }
            if (const auto* iconNode = find(optionParts, "icon")) option.icon = icon(*iconNode, optionOwner);
            option.speak = optionalText(optionParts, "speak", optionOwner);
            if (!option.value.empty()) field.options.push_back(std::move(option));
        }
        if (field.type == FieldType::Choice && field.options.size() == 1 && optionsNode->size() == 1) {
            warning(*optionsNode, owner + " has only one option, so the citizen has no choice; "
                                          "add an option or use an info or consent field");
        }
        if (field.type != FieldType::Multichoice) return;
        const yaml::Node* minNode = find(parts, "min");
        const yaml::Node* maxNode = find(parts, "max");
        const auto count = static_cast<std::int64_t>(optionsNode->size());
        if (minNode != nullptr) field.min = wholeNumber(*minNode, "min (the fewest options to choose)", 0);
        if (maxNode != nullptr) field.max = wholeNumber(*maxNode, "max (the most options to choose)", 1);
        if (field.min && *field.min > count) {
            error(*minNode, "min is " + std::to_string(*field.min) + " but " + owner + " has only " +
                                std::to_string(count) + " options");
        }
        if (field.max && *field.max > count) {
            error(*maxNode, "max is " + std::to_string(*field.max) + " but " + owner + " has only " +
                                std::to_string(count) + " options");
        }
        if (field.min && field.max && *field.min > *field.max) {
            minAboveMax(*minNode, owner, std::to_string(*field.min), std::to_string(*field.max));
        }
    }

    // [SECTION] Conditions (second pass, once every field is known) ---------------------------

    // Where a byte offset inside a condition scalar stands in the file.
    SourcePos conditionPos(const yaml::Node& node, std::size_t offset) const {
        const yaml::Mark mark = node.mark();
        SourcePos pos = posOf(mark);
        if (mark.line < 0 || mark.offset >= m_text.size()) return pos;
        const char first = m_text[mark.offset];
        if (first == '|' || first == '>') return pos;  // block scalar: point at its start
        // Columns count characters, as editors show them; the offset counts bytes.
        const int quote = (first == '\'' || first == '"') ? 1 : 0;
        const auto before = std::string_view(node.scalar()).substr(0, offset);
        pos.column += quote + static_cast<int>(codePointCount(before));
        return pos;
    }

    void checkConditions() {
        // Where each field stands: page index, field index on the page.
        std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> places;
        for (std::size_t p = 0; p < m_form.pages.size(); ++p) {
            for (std::size_t f = 0; f < m_form.pages[p].fields.size(); ++f) {
                places.emplace(m_form.pages[p].fields[f].id, std::pair{p, f});
            }
        }
        auto resolverFor = [&](std::size_t page, std::optional<std::size_t> field) {
            return [&, page, field](std::string_view id) {
                condition::Lookup lookup;
                const auto found = places.find(id);
                if (found == places.end()) return lookup;
                const auto [p, f] = found->second;
                lookup.field = &m_form.pages[p].fields[f];
                const bool earlier = p < page || (field && p == page && f < *field);
                lookup.where = earlier ? condition::Lookup::Where::Earlier
                                       : condition::Lookup::Where::NotEarlier;
                return lookup;
            };
        };
        for (std::size_t p = 0; p < m_form.pages.size(); ++p) {
            Page& page = m_form.pages[p];
            if (m_pageConditions[p]) {
                readCondition(*m_pageConditions[p], resolverFor(p, std::nullopt), page.showIf,
                              page.showIfSource);
            }
            for (std::size_t f = 0; f < page.fields.size(); ++f) {
                if (m_fieldConditions[p][f]) {
                    readCondition(*m_fieldConditions[p][f], resolverFor(p, f),
                                  page.fields[f].showIf, page.fields[f].showIfSource);
                }
            }
        }
    }

    void readCondition(const yaml::Node& node, const condition::Resolver& resolve,
                       ConditionPtr& target, std::string& source) {
        auto text = scalar(node, "show_if");
        if (!text) return;
        auto parsed = condition::parse(*text);
        if (!parsed) {
            errorAt(conditionPos(node, parsed.error().offset), "show_if: " + parsed.error().message);
            return;
        }
        if (auto problem = condition::check(**parsed, resolve)) {
            errorAt(conditionPos(node, problem->offset), "show_if: " + problem->message);
            return;
        }
        target = *parsed;
        source = *text;
    }

    std::string_view m_text;
    std::string m_path;
    const LoadOptions& m_options;
    std::filesystem::path m_iconDir;
    const std::map<std::string, std::string>* m_verified = nullptr;
    std::map<std::string, std::string> m_iconChecks;  // icons/NAME.ext -> why refused ("": good)
    std::vector<Finding> m_findings;
    Form m_form;
    std::map<std::string, SourcePos> m_fieldIds;
    // The show_if nodes, read once every field is known: per page, and per page per field.
    std::vector<const yaml::Node*> m_pageConditions;
    std::vector<std::vector<const yaml::Node*>> m_fieldConditions;
};

// Line and column (1-based, column in characters) of a byte offset.
SourcePos positionOfOffset(std::string_view text, std::size_t offset) {
    SourcePos pos{1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

}  // namespace

// [SECTION] Files and folders ------------------------------------------------------------------

namespace {

// loadFormText, with the verified bytes of a signed folder for icons (null: icons on disk).
FileResult checkFormText(std::string_view text, const std::string& path, const LoadOptions& options,
                         const std::filesystem::path& iconDir,
                         const std::map<std::string, std::string>* verified) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM some editors write
    auto refuse = [&](std::size_t offset, std::string message) {
        FileResult result;
        result.findings.push_back({Severity::Error, path, positionOfOffset(text, offset), std::move(message)});
        return result;
    };
    if (auto format = binaryFormatOf(text)) {
        if (*format == "UTF-16 text") {
            return refuse(0, "the file is saved as UTF-16 text; save it as UTF-8 in your editor");
        }
        return refuse(0, "the file is " + *format + ", not a form file; a form file is text: save the "
                         "form's YAML as plain text (UTF-8) under this name");
    }
    if (auto bad = firstInvalidUtf8(text)) {
        const auto lead = static_cast<unsigned char>(text[*bad]);
        const std::size_t needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
        if (needed > 0 && *bad + needed > text.size() && lead <= 0xF4 &&
            std::ranges::all_of(text.substr(*bad + 1), [](char c) {
                return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
            })) {
            return refuse(*bad, "the file ends in the middle of a letter (an incomplete UTF-8 "
                                "character): it was probably cut off while it was copied or "
                                "saved; copy the whole file again");
        }
        return refuse(*bad, "the file is not UTF-8 text (a byte here is not valid UTF-8); save it "
                            "as UTF-8 in your editor");
    }
    if (text.find('\0') != std::string_view::npos) {
        return refuse(text.find('\0'), "the file holds a zero byte, so it is not a text file; save "
                                        "the form as plain text (UTF-8) in your editor");
    }
    return FileChecker(text, path, options, iconDir, verified).run();
}

}  // namespace

FileResult loadFormText(std::string_view text, const std::string& path, const LoadOptions& options,
                        const std::filesystem::path& iconDir) {
    return checkFormText(text, path, options, iconDir, nullptr);
}

namespace {

// Reads one form file that must lie (after following links) inside `folder`.
FileResult loadFormFileIn(const std::filesystem::path& file, const std::filesystem::path& folder,
                          const LoadOptions& options) {
    ReadRules rules;
    rules.maxBytes = kMaxFormFileBytes;
    rules.sizeRule = "form files may be at most 1024 KiB (1 MiB). Is this really a form?";
    rules.kind = "form file";
    rules.insideFolder = folder;
    auto text = readStaffFile(file, rules);
    if (!text) {
        FileResult result;
        result.findings.push_back({Severity::Error, file.string(), {1, 1}, std::move(text.error())});
        return result;
    }
    return loadFormText(*text, file.string(), options, file.parent_path() / "icons");
}

}  // namespace

FileResult loadFormFile(const std::filesystem::path& file, const LoadOptions& options) {
    const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    return loadFormFileIn(file, folder, options);
}

namespace {

// One loaded file joins the folder's result: refused when another file has its form id.
void addLoaded(FolderResult& result, std::map<std::string, std::string>& idOwners, FileResult loaded,
               const std::string& path) {
    ++result.filesRead;
    if (loaded.form) {
        const auto [owner, inserted] = idOwners.emplace(loaded.form->id, path);
        if (!inserted) {
            loaded.findings.push_back({Severity::Error, path, loaded.form->idPos,
                                       "form id '" + loaded.form->id + "' is already used by " +
                                           owner->second + "; each form needs its own id"});
            loaded.form.reset();
        }
    }
    std::ranges::move(loaded.findings, std::back_inserter(result.findings));
    if (loaded.form) {
        result.forms.push_back(std::move(*loaded.form));
    } else {
        ++result.filesRefused;
    }
}

// A signed folder (LoadOptions::signatureKey): every file is read once and checked against
// the signature (readSignedFolder); the forms are then parsed from exactly those bytes, and
// their icons checked from them. Any problem refuses the whole folder.
FolderResult loadSignedFolder(const std::filesystem::path& dir, const LoadOptions& options) {
    FolderResult result;
    auto verified = readSignedFolder(dir, *options.signatureKey);
    if (!verified) {
        result.findings.push_back({Severity::Error, dir.string(), {1, 1},
                                   "the whole forms folder is refused, so no form is offered: "
                                   "this kiosk takes only a folder signed with its key "
                                   "(forms_signature_key)"});
        for (const auto& problem : verified.error()) {
            result.findings.push_back({Severity::Error,
                                       problem.path.empty() ? dir.string() : (dir / problem.path).string(),
                                       {1, 1}, problem.message});
        }
        std::ranges::stable_sort(result.findings, {}, &Finding::path);
        return result;
    }
    std::map<std::string, std::string> idOwners;
    for (const auto& [relative, bytes] : verified->files) {
        if (relative.find('/') != std::string::npos) continue;  // forms lie directly in the folder
        const std::filesystem::path file = dir / relative;
        const auto extension = file.extension().string();
        if (extension == ".yml") {
            result.findings.push_back({Severity::Warning, file.string(), {1, 1},
                                       "this file is ignored: only files ending in .yaml are read; "
                                       "rename it to " + file.stem().string() + ".yaml"});
            continue;
        }
        if (extension != ".yaml") continue;
        FileResult loaded;
        if (bytes.size() > kMaxFormFileBytes) {
            loaded.findings.push_back({Severity::Error, file.string(), {1, 1},
                                       "the file is " + std::to_string((bytes.size() + 1023) / 1024) +
                                           " KiB; form files may be at most 1024 KiB (1 MiB). Is this "
                                           "really a form?"});
        } else {
            loaded = checkFormText(bytes, file.string(), options, dir / "icons", &verified->files);
        }
        addLoaded(result, idOwners, std::move(loaded), file.string());
    }
    std::ranges::stable_sort(result.findings, {}, &Finding::path);
    return result;
}

}  // namespace

FolderResult loadFormFolder(const std::filesystem::path& dir, const LoadOptions& options) {
    FolderResult result;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        result.findings.push_back({Severity::Error, dir.string(), {1, 1},
                                   "the forms folder does not exist or is not a folder"});
        return result;
    }
    if (options.signatureKey) return loadSignedFolder(dir, options);
    const auto root = std::filesystem::canonical(dir, ec);
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& path = it->path();
        const auto extension = path.extension().string();
        if (extension == ".yml") {
            result.findings.push_back({Severity::Warning, path.string(), {1, 1},
                                       "this file is ignored: only files ending in .yaml are read; "
                                       "rename it to " + path.stem().string() + ".yaml"});
            continue;
        }
        if (extension != ".yaml") continue;
        files.push_back(path);
    }
    if (ec) {
        result.findings.push_back({Severity::Error, dir.string(), {1, 1},
                                   "cannot read the forms folder: " + ec.message()});
    }
    std::ranges::sort(files);

    std::map<std::string, std::string> idOwners;  // form id -> file that has it
    for (const auto& file : files) {
        // A link may lead anywhere inside the forms folder, never out of it; pipes,
        // sockets, folders and unreadable files are refused (readStaffFile).
        addLoaded(result, idOwners, loadFormFileIn(file, root, options), file.string());
    }
    // Staff read the findings file by file, in name order.
    std::ranges::stable_sort(result.findings, {}, &Finding::path);
    return result;
}

}  // namespace kiosk::forms
