#include "kiosk/core/strings.hpp"

#include "forms/yaml_tree.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace kiosk::core {

std::expected<StringTable, std::string> StringTable::load(const std::filesystem::path& dir) {
    StringTable table;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& path = it->path();
        if (path.extension() != ".yaml") continue;
        const std::string language = path.stem().string();
        std::ifstream in(path, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        const auto root = forms::yaml::parse(content.str());
        if (!root) {
            return std::unexpected(path.string() + ":" + std::to_string(root.error().mark.line + 1) +
                                   ":" + std::to_string(root.error().mark.column + 1) + ": " +
                                   root.error().message);
        }
        if (!root->isMap()) return std::unexpected(path.string() + ": expected 'id: text' lines");
        auto& strings = table.m_tables[language];
        for (const auto& [key, value] : root->entries()) {
            if (!key.isScalar() || !value.isScalar()) {
                const auto mark = key.mark();
                return std::unexpected(path.string() + ":" + std::to_string(mark.line + 1) + ":" +
                                       std::to_string(mark.column + 1) +
                                       ": expected 'id: text'");
            }
            strings[key.scalar()] = value.scalar();
        }
    }
    if (ec) return std::unexpected("cannot read " + dir.string() + ": " + ec.message());
    if (!table.m_tables.contains("en")) {
        return std::unexpected("no English string table (en.yaml) in " + dir.string());
    }
    return table;
}

bool StringTable::has(std::string_view language, std::string_view id) const {
    const auto table = m_tables.find(language);
    return table != m_tables.end() && table->second.contains(id);
}

std::string StringTable::get(std::string_view language, std::string_view id,
                             const std::map<std::string, std::string>& params) const {
    std::string text(id);
    for (std::string_view candidate : {language, std::string_view("en")}) {
        const auto table = m_tables.find(candidate);
        if (table == m_tables.end()) continue;
        const auto found = table->second.find(id);
        if (found == table->second.end()) continue;
        text = found->second;
        break;
    }
    for (const auto& [name, value] : params) {
        const std::string placeholder = "{" + name + "}";
        for (auto at = text.find(placeholder); at != std::string::npos;
             at = text.find(placeholder, at + value.size())) {
            text.replace(at, placeholder.size(), value);
        }
    }
    return text;
}

std::vector<std::string> StringTable::languages() const {
    std::vector<std::string> out;
    for (const auto& [language, strings] : m_tables) out.push_back(language);
    return out;
}

std::vector<std::string> StringTable::ids(std::string_view language) const {
    std::vector<std::string> out;
    const auto table = m_tables.find(language);
    if (table == m_tables.end()) return out;
    for (const auto& [id, text] : table->second) out.push_back(id);
    return out;
}

}  // namespace kiosk::core
