// The kiosk's own words: user-facing strings per language, looked up by id.
// The tables are assets/strings/<language>.yaml, flat maps `id: "text"`; a text may hold
// {name} placeholders filled in by get(). No user-facing sentence is literal in code.
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

class StringTable {
public:
    // Loads every <language>.yaml in `dir`. Fails with a plain message (file:line:column)
    // when a file is not a flat map of texts or there is no English table (the fallback).
    [[nodiscard]] static std::expected<StringTable, std::string> load(
        const std::filesystem::path& dir);

    // The text of `id` in `language`, with {name} placeholders replaced from `params`.
    // Falls back to English, then to the id itself, so a missing string is visible but
    // never crashes a citizen's screen (a test makes sure no id is missing).
    [[nodiscard]] std::string get(std::string_view language, std::string_view id,
                                  const std::map<std::string, std::string>& params = {}) const;
    [[nodiscard]] bool has(std::string_view language, std::string_view id) const;

    [[nodiscard]] std::vector<std::string> languages() const;
    [[nodiscard]] std::vector<std::string> ids(std::string_view language) const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_tables;
};

}  // namespace kiosk::core
