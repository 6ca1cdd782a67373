// The fonts the kiosk draws with cover every letter it may have to show: every string of
// every language table, and every text of the demo forms.
#include "forms/loader.hpp"
#include "kiosk/core/strings.hpp"

#include <doctest/doctest.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <set>

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

std::set<char32_t> codePoints(const std::string& utf8) {
    std::set<char32_t> out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t point = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
            point = (point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        }
        out.insert(point);
        i += length;
    }
    return out;
}

}  // namespace

TEST_CASE("DejaVu Sans and Bold have a glyph for every character the kiosk shows") {
    std::set<char32_t> needed;
    const auto strings = kiosk::core::StringTable::load(kSource / "assets/strings");
    REQUIRE(strings.has_value());
    for (const auto& language : strings->languages()) {
        for (const auto& id : strings->ids(language)) {
            for (char32_t c : codePoints(strings->get(language, id))) needed.insert(c);
        }
    }
    const auto demo = kiosk::forms::loadFormFolder(kSource / "assets/forms", {});
    for (const auto& form : demo.forms) {
        for (const auto& page : form.pages) {
            for (const auto& field : page.fields) {
                for (const auto& [language, text] : field.label.byLanguage) {
                    for (char32_t c : codePoints(text)) needed.insert(c);
                }
            }
        }
    }
    // The accented letters of the on-screen keyboard (nl, en, tr, pl).
    for (char32_t c : codePoints("\u00e0\u00e1\u00e2\u00e4\u00e8\u00e9\u00ea\u00eb\u00ef\u00ed\u00f3\u00f6\u00f4"
                                 "\u00fa\u00fc\u00fb\u00e7\u00f1\u015f\u011f\u0131\u0105\u0107\u0119\u0142"
                                 "\u0144\u015b\u017a\u017c\u0130\u015e\u011e\u0104\u0106\u0118\u0141\u0143"
                                 "\u015a\u0179\u017b\u20ac")) {
        needed.insert(c);
    }
    CHECK(needed.size() > 80);
    FT_Library library = nullptr;
    REQUIRE(FT_Init_FreeType(&library) == 0);
    for (const char* file : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                             "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}) {
        FT_Face face = nullptr;
        REQUIRE_MESSAGE(FT_New_Face(library, file, 0, &face) == 0, file);
        for (char32_t c : needed) {
            if (c < 0x20) continue;
            CAPTURE(file);
            CAPTURE(static_cast<unsigned>(c));
            CHECK(FT_Get_Char_Index(face, c) != 0);
        }
        FT_Done_Face(face);
    }
    FT_Done_FreeType(library);
}

TEST_CASE("every pictogram name of the demo forms has a glyph in the Material icon font") {
    const auto icons = kiosk::forms::IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
    REQUIRE(icons.has_value());
    kiosk::forms::LoadOptions load;
    load.icons = &*icons;
    const auto demo = kiosk::forms::loadFormFolder(kSource / "assets/forms", load);
    REQUIRE_FALSE(demo.hasErrors());
    FT_Library library = nullptr;
    REQUIRE(FT_Init_FreeType(&library) == 0);
    FT_Face face = nullptr;
    REQUIRE(FT_New_Face(library, "/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf", 0, &face) == 0);
    int checked = 0;
    for (const auto& name : icons->names()) {
        // The whole list: the code points in the table must be real glyphs.
        CAPTURE(name);
        CHECK(FT_Get_Char_Index(face, *icons->codePoint(name)) != 0);
        ++checked;
    }
    CHECK(checked > 2000);
    FT_Done_Face(face);
    FT_Done_FreeType(library);
}
