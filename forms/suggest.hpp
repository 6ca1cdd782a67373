// "Did you mean ...?" for staff who mistype a key, an icon or a field id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

// Edit distance (insertions, deletions, substitutions, and swaps of neighbours) between
// two byte strings.
[[nodiscard]] std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `typed`, if it is close enough to be a likely typo: one edit,
// or two edits in a word of five letters or more.
[[nodiscard]] std::optional<std::string> closestMatch(std::string_view typed,
                                                      const std::vector<std::string>& candidates);

}  // namespace kiosk::forms
