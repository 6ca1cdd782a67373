// Every readable colour pair of every theme reaches 7:1.
#include "kiosk/core/theme.hpp"

#include <doctest/doctest.h>

using namespace kiosk::core;

TEST_CASE("the contrast formula matches known values") {
    CHECK(contrastRatio({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(contrastRatio({255, 255, 255}, {255, 255, 255}) == doctest::Approx(1.0));
    // #767676 on white is the well-known 4.54:1.
    CHECK(contrastRatio({0x76, 0x76, 0x76}, {255, 255, 255}) == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("every text/background pair of every theme has a contrast of at least 7:1") {
    CHECK(themes().size() >= 4);
    for (const auto& theme : themes()) {
        for (const auto& pair : readablePairs(theme)) {
            CAPTURE(theme.name);
            CAPTURE(pair.what);
            CHECK(contrastRatio(pair.foreground, pair.background) >= 7.0);
        }
    }
}

TEST_CASE("the focus ring stands out against the screen and the buttons (3:1, WCAG 1.4.11)") {
    for (const auto& theme : themes()) {
        CAPTURE(theme.name);
        CHECK(contrastRatio(theme.focus, theme.background) >= 3.0);
        CHECK(contrastRatio(theme.focus, theme.button) >= 3.0);
    }
}
