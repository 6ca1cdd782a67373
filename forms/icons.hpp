// The pictograms the kiosk ships: Material Design icon names -> code points in
// MaterialIcons-Regular.ttf (Debian package fonts-material-design-icons-iconfont).
// The list is assets/icons/material-icons.tsv, made by tools/extract-icon-names.py.
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

class IconCatalog {
public:
    // Reads a `name<TAB>hex code point` file; lines starting with '#' are comments.
    // Fails with a message naming the file and line when the file is missing or broken.
    [[nodiscard]] static std::expected<IconCatalog, std::string> loadTsv(
        const std::filesystem::path& file);
    // A catalogue from pairs, for tests.
    [[nodiscard]] static IconCatalog fromPairs(std::map<std::string, char32_t, std::less<>> icons);

    [[nodiscard]] std::optional<char32_t> codePoint(std::string_view name) const;
    [[nodiscard]] bool contains(std::string_view name) const { return codePoint(name).has_value(); }
    [[nodiscard]] std::vector<std::string> names() const;
    [[nodiscard]] std::size_t size() const { return m_icons.size(); }

private:
    std::map<std::string, char32_t, std::less<>> m_icons;
};

}  // namespace kiosk::forms
