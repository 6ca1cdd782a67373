// Staff's own pictograms decode: a PNG as it is, an SVG drawn at the size asked for.
#include "kiosk/ui/icon_image.hpp"

#include <array>
#include <chrono>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

namespace {
const std::filesystem::path kIcons = std::filesystem::path(KIOSK_TEST_DATA_DIR) / "custom-icons";

// The pixel at (x, y) as {r, g, b, a}.
std::array<int, 4> pixel(const kiosk::ui::IconImage& image, int x, int y) {
    const auto* p = &image.rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) * 4];
    return {p[0], p[1], p[2], p[3]};
}
}  // namespace

namespace {
// Whether a library whose file name contains `name` is mapped into this process now.
bool mapped(const std::string& name) {
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        if (line.find(name) != std::string::npos) return true;
    }
    return false;
}
}  // namespace

// First in this file (and ctest runs each case in a process of its own): librsvg and the
// libraries only it needs are not loaded at start, only for the first SVG (start-up time
// and memory, docs/performance.md).
TEST_CASE("librsvg is loaded when the first SVG icon is drawn, not at start") {
    CHECK_FALSE(mapped("librsvg"));
    CHECK_FALSE(mapped("libpango"));
    REQUIRE(kiosk::ui::loadIconImage(kIcons, "fiets", 64).has_value());  // a PNG needs none
    CHECK_FALSE(mapped("librsvg"));
    REQUIRE(kiosk::ui::loadIconImage(kIcons, "e-fiets", 48).has_value());
    CHECK(mapped("librsvg"));
}

TEST_CASE("a PNG icon decodes to its own pixels") {
    const auto image = kiosk::ui::loadIconImage(kIcons, "fiets", 64);
    REQUIRE(image.has_value());
    CHECK(image->width == 32);
    CHECK(image->height == 32);
    CHECK(pixel(*image, 16, 16) == std::array<int, 4>{0, 90, 200, 255});  // inside the circle
    CHECK(pixel(*image, 0, 0)[3] == 0);                                    // transparent corner
}

TEST_CASE("an SVG icon is drawn at the size asked for") {
    const auto small = kiosk::ui::loadIconImage(kIcons, "e-fiets", 48);
    const auto large = kiosk::ui::loadIconImage(kIcons, "e-fiets", 200);
    REQUIRE(small.has_value());
    REQUIRE(large.has_value());
    CHECK(small->width == 48);
    CHECK(large->width == 200);
    // The bottom bar of the building is solid red (#c00000) across the middle.
    const auto bottom = pixel(*large, 100, 190);
    CHECK(bottom[3] == 255);
    CHECK(bottom[0] > 180);
    CHECK(bottom[1] < 30);
    CHECK(pixel(*large, 100, 2)[3] == 0);  // above the roof: nothing
}

TEST_CASE("a missing or broken icon file gives nothing, not a crash") {
    CHECK_FALSE(kiosk::ui::loadIconImage(kIcons, "no-such-icon", 64).has_value());
    const auto broken = std::filesystem::temp_directory_path() / "kiosk-broken-icons";
    std::filesystem::create_directories(broken / "icons");
    std::ofstream(broken / "icons/kapot.png") << "not a png";
    std::ofstream(broken / "icons/stuk.svg") << "<svg";
    CHECK_FALSE(kiosk::ui::loadIconImage(broken, "kapot", 64).has_value());
    CHECK_FALSE(kiosk::ui::loadIconImage(broken, "stuk", 64).has_value());
    std::filesystem::remove_all(broken);
}

TEST_CASE("a hostile icon swapped in after loading is refused at the screen, fast, not decoded") {
    const auto bad = std::filesystem::path(KIOSK_TEST_DATA_DIR) / "bad-icons";
    const auto outside = std::filesystem::temp_directory_path() / "kiosk-icon-outside";
    const auto forms = std::filesystem::temp_directory_path() / "kiosk-icon-forms";
    std::filesystem::remove_all(outside);
    std::filesystem::remove_all(forms);
    std::filesystem::create_directories(outside);
    std::filesystem::create_directories(forms / "icons");
    std::filesystem::copy_file(bad / "icons/goed.png", outside / "elders.png");
    std::filesystem::create_symlink(outside / "elders.png", forms / "icons/elders.png");
    const auto start = std::chrono::steady_clock::now();
    CHECK(kiosk::ui::loadIconImage(bad, "goed", 64).has_value());
    CHECK(kiosk::ui::loadIconImage(bad, "goed", 64)->width == 64);
    CHECK(kiosk::ui::loadIconImage(bad, "goed", 64)->rgba.size() == 64u * 64u * 4u);
    for (const char* name : {"bom", "reus", "afgekapt", "beschadigd", "willekeurig", "entiteiten", "extern-bestand",
                             "extern-web", "ingepakt"}) {
        CAPTURE(name);
        CHECK_FALSE(kiosk::ui::loadIconImage(bad, name, 64).has_value());
    }
    CHECK_FALSE(kiosk::ui::loadIconImage(forms, "elders", 64).has_value());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    std::filesystem::remove_all(outside);
    std::filesystem::remove_all(forms);
}
