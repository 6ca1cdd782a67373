// Colour themes and their contrast. Every text/background pair of every theme must reach
// a contrast ratio of at least 7:1 (WCAG 2 AAA); a test computes them all.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct Theme {
    std::string_view name;
    Rgb background;      // the screen
    Rgb text;            // body text on the screen
    Rgb button;          // controls' face
    Rgb buttonText;
    Rgb selected;        // a chosen tile or active field
    Rgb selectedText;
    Rgb error;           // error text on the screen background
    Rgb focus;           // the focus ring: must stand out against background and button
    Rgb danger;          // stop button face
    Rgb dangerText;
};

// Standard, high-contrast light, high-contrast dark, yellow on black.
[[nodiscard]] const std::array<Theme, 4>& themes();

// WCAG 2 relative luminance and contrast ratio (1..21).
[[nodiscard]] double relativeLuminance(Rgb colour);
[[nodiscard]] double contrastRatio(Rgb a, Rgb b);

// Every pair of colours that must be readable, with a name for test messages.
struct ColourPair {
    std::string_view what;
    Rgb foreground;
    Rgb background;
};
[[nodiscard]] std::vector<ColourPair> readablePairs(const Theme& theme);

}  // namespace kiosk::core
