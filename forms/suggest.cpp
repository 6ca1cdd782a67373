#include "forms/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace kiosk::forms {

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance: Levenshtein plus neighbour swaps ("lable").
    const std::size_t rows = a.size() + 1;
    const std::size_t cols = b.size() + 1;
    std::vector<std::size_t> d(rows * cols);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * cols + j]; };
    for (std::size_t i = 0; i < rows; ++i) at(i, 0) = i;
    for (std::size_t j = 0; j < cols; ++j) at(0, j) = j;
    for (std::size_t i = 1; i < rows; ++i) {
        for (std::size_t j = 1; j < cols; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(rows - 1, cols - 1);
}

std::optional<std::string> closestMatch(std::string_view typed,
                                        const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t bestDistance = 3;  // at most two edits
    for (const auto& candidate : candidates) {
        const std::size_t distance = editDistance(typed, candidate);
        // One edit is a likely typo even in a short word ("em" for "en"); two edits only in
        // a longer one, or every short word would match every other.
        const bool plausible =
            distance == 1 || distance * 2 < std::max(typed.size(), candidate.size());
        if (distance < bestDistance && plausible && distance < std::max(typed.size(), candidate.size())) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

}  // namespace kiosk::forms
