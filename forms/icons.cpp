#include "forms/icons.hpp"

#include <charconv>
#include <fstream>

namespace kiosk::forms {

std::expected<IconCatalog, std::string> IconCatalog::loadTsv(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return std::unexpected("cannot open the icon list " + file.string());
    IconCatalog catalog;
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (line.empty() || line.front() == '#') continue;
        const auto tab = line.find('\t');
        char32_t point = 0;
        std::uint32_t raw = 0;
        const char* begin = tab == std::string::npos ? nullptr : line.data() + tab + 1;
        const char* end = line.data() + line.size();
        if (begin == nullptr || std::from_chars(begin, end, raw, 16).ptr != end || raw == 0) {
            return std::unexpected(file.string() + ":" + std::to_string(lineNumber) +
                                   ": expected 'name<TAB>hex code point'");
        }
        point = raw;
        catalog.m_icons.emplace(line.substr(0, tab), point);
    }
    if (catalog.m_icons.empty()) return std::unexpected("the icon list " + file.string() + " is empty");
    return catalog;
}

IconCatalog IconCatalog::fromPairs(std::map<std::string, char32_t, std::less<>> icons) {
    IconCatalog catalog;
    catalog.m_icons = std::move(icons);
    return catalog;
}

std::optional<char32_t> IconCatalog::codePoint(std::string_view name) const {
    const auto found = m_icons.find(name);
    if (found == m_icons.end()) return std::nullopt;
    return found->second;
}

std::vector<std::string> IconCatalog::names() const {
    std::vector<std::string> all;
    all.reserve(m_icons.size());
    for (const auto& [name, point] : m_icons) all.push_back(name);
    return all;
}

}  // namespace kiosk::forms
