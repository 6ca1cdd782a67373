// [SECTION] Millimetres, fonts and colours
// [SECTION] Layout: where every control and text goes
// [SECTION] Drawing
// [SECTION] Input: touches and keys to controller calls
// [SECTION] Test scripts
// [SECTION] The loop
#include "kiosk/ui/kiosk_app.hpp"

#include "kiosk/core/script.hpp"
#include "kiosk/ui/folder_watch.hpp"
#include "kiosk/ui/icon_image.hpp"
#include "kiosk/ui/redraw.hpp"
#include "kiosk/core/theme.hpp"
#include "forms/icons.hpp"
#include "forms/wipe.hpp"
#include "kiosk/core/assets.hpp"
#include "speech/trace.hpp"  // KIOSK_TRACE (docs/performance.md)

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include <malloc.h>
#include <unistd.h>

namespace kiosk::ui {

namespace {

using core::Area;
using core::Element;
using core::Role;
using core::Screen;
using core::TextBlock;

// Counts every change of a texture's pixels (font atlases, staff icons): the back buffer
// (partial redraw) keeps pixels drawn from the old contents, so the next frame is drawn whole.
std::uint64_t g_textureGeneration = 0;

// [SECTION] Millimetres, fonts and colours ------------------------------------------------------

// Capital-letter height of body text per text-size step, in millimetres. The largest is
// above the 9 mm the issue asks for; the smallest is still large for a kiosk.
constexpr std::array<float, 4> kCapHeightMm{5.0f, 6.5f, 8.0f, 9.5f};
// DejaVu Sans: capital height is 1493/2048 of the em.
constexpr float kCapToEm = 0.729f;
constexpr float kMinTargetMm = 15.0f;
constexpr float kGapMm = 3.0f;

struct Metrics {
    float pxPerMmX = 4;
    float pxPerMmY = 4;
    float width = 0;
    float height = 0;
    float mmX(float mm) const { return mm * pxPerMmX; }
    float mmY(float mm) const { return mm * pxPerMmY; }
};

struct Fonts {
    ImFont* body = nullptr;      // text with icons merged in
    ImFont* bold = nullptr;      // titles and questions
    ImFont* big = nullptr;       // reference numbers, countdown
    ImFont* icons = nullptr;     // large pictograms on tiles
    float bodyPx = 20;
    int sizeStep = -1;
};

ImU32 colour(core::Rgb c, int alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }

// Soft hyphens (U+00AD, two bytes C2 AD) in a text wrapped to `wrapWidth`: where ImGui's
// wrapping would push a word that has them to the next line (or cut a word too long for a
// line), the last soft hyphen whose part still fits becomes "-\n" (two bytes for two, so
// byte offsets into the text, used to highlight the spoken word, still hold). Every other
// soft hyphen stays, drawn as nothing. The same text and width give the same breaks, so
// measuring and drawing agree.
std::string softBreaks(ImFont* font, std::string text, float wrapWidth) {
    if (wrapWidth <= 0 || text.find("\xC2\xAD") == std::string::npos) return text;
    const float hyphen = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, "-").x;
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    std::size_t line = 0;
    while (line < text.size()) {
        const char* begin = text.c_str();
        const char* endPtr = font->CalcWordWrapPositionA(1.0f, begin + line, begin + text.size(), wrapWidth);
        std::size_t end = static_cast<std::size_t>(endPtr - begin);
        if (end >= text.size()) break;
        // The word that does not fit: the one cut at `end`, or the next one.
        std::size_t wordStart = end;
        if (end > line && !blank(text[end - 1]) && text[end - 1] != '\n' && !blank(text[end]) && text[end] != '\n') {
            while (wordStart > line && !blank(text[wordStart - 1])) --wordStart;
        } else {
            while (wordStart < text.size() && blank(text[wordStart])) ++wordStart;
        }
        std::size_t wordEnd = wordStart;
        while (wordEnd < text.size() && !blank(text[wordEnd]) && text[wordEnd] != '\n') ++wordEnd;
        std::size_t best = std::string::npos;
        for (std::size_t at = text.find("\xC2\xAD", wordStart); at != std::string::npos && at + 1 < wordEnd;
             at = text.find("\xC2\xAD", at + 2)) {
            const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, begin + line, begin + at).x;
            if (at > line && w + hyphen <= wrapWidth) best = at;
        }
        if (best != std::string::npos) {
            text[best] = '-';
            text[best + 1] = '\n';
            line = best + 2;
            continue;
        }
        // As ImGui does: the next line starts after the blanks (and one line break).
        std::size_t next = end;
        while (next < text.size() && blank(text[next])) ++next;
        if (next < text.size() && text[next] == '\n') ++next;
        line = next > line ? next : line + 1;
    }
    return text;
}

class FontSet {
public:
    FontSet(const forms::IconCatalog& catalog, const std::vector<std::string>& iconNames)
        : m_catalog(catalog) {
        // Every pictogram the kiosk's own controls use, plus those of the forms.
        for (const char* own : {"format_size", "contrast", "speed", "volume_up", "help", "close",
                                "arrow_back", "arrow_forward", "record_voice_over", "send", "home",
                                "touch_app", "translate", "description", "edit", "visibility",
                                "check", "check_box", "check_box_outline_blank", "event", "remove",
                                "add", "backspace", "keyboard_capslock", "space_bar", "delete",
                                "undo", "error", "arrow_upward", "arrow_downward", "check_circle", "hearing", "logout", "key", "help_outline"}) {
            addIcon(own);
        }
        for (const auto& name : iconNames) addIcon(name);
        m_iconRanges = std::make_shared<const std::vector<ImWchar>>(rangesOf(m_iconPoints));
    }

    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;
    ~FontSet() { release(); }

    // Starts making the atlas of a text-size step on a worker thread: rasterising the glyphs
    // needs no GL, so at start-up it runs while SDL makes the window and the GL context.
    // build() takes it when that step is first asked for.
    void prebuild(int step, float pxPerMmY) {
        if (m_pending.valid()) return;
        m_pendingStep = step;
        m_pendingPxPerMm = pxPerMmY;
        m_pending = std::async(std::launch::async, [step, pxPerMmY, ranges = m_iconRanges] {
            return rasterise(step, pxPerMmY, ranges);
        });
    }

    // Waits for prebuild()'s worker: before ImGui::CreateContext, because ImGui's allocator
    // counts allocations in the current context (a plain int, not to be shared by threads).
    void waitForPrebuild() const {
        if (m_pending.valid()) m_pending.wait();
    }

    // Adds the pictograms of a screen's controls. A new one (forms reloaded by staff, or a
    // file saved in the preview, that use a pictogram no form used before) makes the
    // atlases stale: build() then makes the current step's again (the others when used).
    void require(const std::vector<core::Element>& elements) {
        bool added = false;
        for (const auto& element : elements) {
            if (!element.icon.empty() && addIcon(element.icon)) added = true;
        }
        if (added) {
            m_iconRanges = std::make_shared<const std::vector<ImWchar>>(rangesOf(m_iconPoints));
            m_stale = true;
        }
    }

    // Makes the atlas of a text-size step current (ImGui's io.Fonts), building it the first
    // time that step is asked for (not all four at start: that would delay the first
    // frame). Each atlas is kept, with its own texture and without its pixels on the CPU
    // side: rebuilding on every press of "text size" took ~100-300 ms a press, and every
    // session that changed the size rebuilt twice (the wipe returns to the first size).
    // Needs the GL context current.
    void build(int step, const Metrics& metrics, Fonts& fonts) {
        ImGuiIO& io = ImGui::GetIO();
        if (m_contextAtlas == nullptr) m_contextAtlas = io.Fonts;
        if (m_stale) {
            m_stale = false;
            io.Fonts = m_contextAtlas;
            dropAll();
            fonts.sizeStep = -1;
        }
        if (fonts.sizeStep == step) return;
        auto& built = m_built[static_cast<std::size_t>(step)];
        if (!built.atlas) {
            std::optional<Pixels> pixels;
            if (m_pending.valid()) {
                Pixels made = m_pending.get();
                if (m_pendingStep == step && m_pendingPxPerMm == metrics.pxPerMmY && made.ranges == m_iconRanges) {
                    pixels = std::move(made);
                }
            }
            built = upload(pixels ? std::move(*pixels) : rasterise(step, metrics.pxPerMmY, m_iconRanges));
        }
        io.Fonts = built.atlas.get();
        fonts = built.fonts;
    }

    // Gives ImGui its own atlas back and deletes the textures: before the ImGui context and
    // the GL context go (App::shutdown).
    void release() {
        if (m_pending.valid()) m_pending.wait();
        m_pending = {};
        if (m_contextAtlas != nullptr) ImGui::GetIO().Fonts = m_contextAtlas;
        m_contextAtlas = nullptr;
        dropAll();
    }

    [[nodiscard]] std::string glyph(const std::string& icon) const {
        auto point = m_catalog.codePoint(icon);
        if (!point) return {};
        char utf8[5] = {};
        const char32_t p = *point;
        utf8[0] = static_cast<char>(0xE0 | (p >> 12));
        utf8[1] = static_cast<char>(0x80 | ((p >> 6) & 0x3F));
        utf8[2] = static_cast<char>(0x80 | (p & 0x3F));
        return utf8;
    }


private:
    using Ranges = std::shared_ptr<const std::vector<ImWchar>>;

    // An atlas rasterised on the CPU (8-bit alpha), not yet a texture.
    struct Pixels {
        std::unique_ptr<ImFontAtlas> atlas;
        Fonts fonts;
        Ranges ranges;   // the icon ranges it was made with (ImGui keeps pointers to them)
    };
    struct Built {
        std::unique_ptr<ImFontAtlas> atlas;
        GLuint texture = 0;
        Fonts fonts;
        Ranges ranges;
    };

    // True when `name` is a pictogram of the catalog not yet in the set.
    bool addIcon(const std::string& name) {
        const auto point = m_catalog.codePoint(name);
        return point && m_iconPoints.insert(static_cast<ImWchar>(*point)).second;
    }

    // Code points as ImGui glyph ranges (pairs, zero-terminated).
    static std::vector<ImWchar> rangesOf(const std::set<ImWchar>& points) {
        std::vector<ImWchar> ranges;
        for (ImWchar point : points) {
            ranges.push_back(point);
            ranges.push_back(point);
        }
        ranges.push_back(0);
        return ranges;
    }

    void dropAll() {
        for (auto& built : m_built) {
            if (built.texture != 0) glDeleteTextures(1, &built.texture);
            built = Built{};
        }
        ++g_textureGeneration;
    }

    // Any thread: loads the fonts and rasterises the glyphs (ImFontAtlas needs no ImGui
    // context and no GL).
    static Pixels rasterise(int step, float pxPerMmY, Ranges ranges) {
        Pixels made;
        made.ranges = std::move(ranges);
        made.atlas = std::make_unique<ImFontAtlas>();
        ImFontAtlas& atlas = *made.atlas;
        // The texture as high as its glyphs, not rounded up to a power of two.
        atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
        Fonts& fonts = made.fonts;
        const float capPx = kCapHeightMm[static_cast<std::size_t>(step)] * pxPerMmY;
        const float bodyPx = std::round(capPx / kCapToEm);
        static const ImWchar kText[] = {0x0020, 0x017F, 0x2010, 0x2027, 0x20AC, 0x20AC, 0x2713, 0x2717, 0};
        const std::string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        const std::string dejavuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        const std::string material =
            "/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf";
        // ImGui rasterises 3 times wider by default, for glyphs placed at a third of a pixel:
        // at the kiosk's sizes (5 mm capitals and up, 35 px and more) that is not seen, and
        // it tripled the atlas and the time to make it. Pictograms are drawn once.
        ImFontConfig text;
        text.OversampleH = 1;
        ImFontConfig merge = text;
        merge.MergeMode = true;
        merge.GlyphOffset.y = bodyPx * 0.2f;
        const ImWchar* icons = made.ranges->data();
        fonts.body = atlas.AddFontFromFileTTF(dejavu.c_str(), bodyPx, &text, kText);
        if (fonts.body != nullptr) {
            atlas.AddFontFromFileTTF(material.c_str(), bodyPx * 1.1f, &merge, icons);
        }
        const float boldPx = std::round(bodyPx * 1.2f);
        fonts.bold = atlas.AddFontFromFileTTF(dejavuBold.c_str(), boldPx, &text, kText);
        if (fonts.bold != nullptr) {
            ImFontConfig mergeBold = merge;
            mergeBold.GlyphOffset.y = boldPx * 0.2f;
            atlas.AddFontFromFileTTF(material.c_str(), boldPx * 1.1f, &mergeBold, icons);
        }
        // The big font shows references and the countdown only: ASCII is enough, and the
        // atlas (built before the first frame) stays small.
        static const ImWchar kAscii[] = {0x0020, 0x007E, 0};
        fonts.big = atlas.AddFontFromFileTTF(dejavuBold.c_str(), std::round(bodyPx * 2.2f), &text, kAscii);
        fonts.icons = atlas.AddFontFromFileTTF(material.c_str(), std::round(bodyPx * 2.0f), &text, icons);
        if (fonts.body == nullptr || fonts.bold == nullptr || fonts.big == nullptr) {
            // A kiosk without its fonts still works (ImGui's own font), and says so in the log.
            std::cerr << "kiosk: fonts missing (fonts-dejavu-core); using the built-in font\n";
            atlas.Clear();
            fonts.body = fonts.bold = fonts.big = atlas.AddFontDefault();
            fonts.icons = nullptr;
        }
        if (fonts.icons == nullptr) fonts.icons = fonts.body;
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        atlas.GetTexDataAsAlpha8(&pixels, &width, &height);   // builds the atlas
        // Soft hyphens (U+00AD) in staff's texts: drawn as nothing, zero wide; softBreaks()
        // turns one into "-\n" where a line must break inside the word.
        for (ImFont* font : atlas.Fonts) {
            if (0xAD < font->IndexAdvanceX.Size) font->IndexAdvanceX[0xAD] = 0;
            if (auto* glyph = const_cast<ImFontGlyph*>(font->FindGlyphNoFallback(0xAD))) {
                glyph->AdvanceX = 0;
                glyph->Visible = 0;
            }
        }
        fonts.bodyPx = bodyPx;
        fonts.sizeStep = step;
        return made;
    }

    // GL thread: the atlas becomes a texture. 8-bit (GL_R8, a quarter of RGBA) read as white
    // with the glyph's coverage as alpha (a swizzle), which is what ImGui's shader expects
    // from its RGBA atlas (colour = vertex colour x texture); RGBA where the GL has no
    // swizzle (before 3.3 without ARB_texture_swizzle).
    static Built upload(Pixels made) {
        Built built;
        ImFontAtlas& atlas = *made.atlas;
        static const bool swizzle = [] {
            int major = 0, minor = 0;
            const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
            if (version != nullptr && std::sscanf(version, "%d.%d", &major, &minor) == 2 &&
                (major > 3 || (major == 3 && minor >= 3))) {
                return true;
            }
            return SDL_GL_ExtensionSupported("GL_ARB_texture_swizzle") == SDL_TRUE;
        }();
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        glGenTextures(1, &built.texture);
        glBindTexture(GL_TEXTURE_2D, built.texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        if (swizzle) {
            atlas.GetTexDataAsAlpha8(&pixels, &width, &height);
            const GLint white[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
            glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, white);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
        } else {
            atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
        }
        ++g_textureGeneration;
        trace::event("atlas", std::to_string(width) + "x" + std::to_string(height));
        atlas.SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(built.texture)));
        atlas.ClearTexData();   // the texture has the pixels; the glyph metrics stay
        built.atlas = std::move(made.atlas);
        built.fonts = made.fonts;
        built.ranges = std::move(made.ranges);
        return built;
    }

    const forms::IconCatalog& m_catalog;
    std::set<ImWchar> m_iconPoints;          // pictograms in the atlases
    Ranges m_iconRanges;                     // the same as ImGui glyph ranges
    bool m_stale = false;                    // a pictogram was added: atlases to be made again
    std::array<Built, 4> m_built;            // per text-size step, made on first use
    std::future<Pixels> m_pending;           // prebuild()'s atlas, being made
    int m_pendingStep = -1;
    float m_pendingPxPerMm = 0;
    ImFontAtlas* m_contextAtlas = nullptr;   // ImGui's own, given back by release()
};

// [SECTION] Layout: where every control and text goes -------------------------------------------

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    [[nodiscard]] bool contains(float px, float py) const { return px >= x && px < x + w && py >= y && py < y + h; }
    [[nodiscard]] float cx() const { return x + w / 2; }
    [[nodiscard]] float cy() const { return y + h / 2; }
};

struct PlacedText {
    const TextBlock* block = nullptr;
    ImFont* font = nullptr;
    Rect rect;
    bool overlay = false;
};

struct PlacedControl {
    const Element* element = nullptr;
    Rect rect;
    bool overflows = false;   // its text needs more room than the control has
    bool overlay = false;
    bool scrolls = false;     // part of the content that scrolls (clipped to the content area)
};

struct Layout {
    std::vector<PlacedText> texts;
    std::vector<PlacedControl> controls;
    Rect progressBar;
    bool hasProgress = false;
    Rect overlayPanel;
    Rect banner;                    // the preview's strip across the top (h 0: none)
    bool contentOverflows = false;  // the content does not fit, even with scrolling
    // Content taller than its area scrolls, with big up/down buttons (no swiping needed).
    Rect contentArea;
    float contentHeight = 0;
    bool scrollable = false;
    // Controls the UI adds itself (scroll buttons, the staff corner). A deque: pointers to
    // its elements stay valid as more are added.
    std::shared_ptr<std::deque<Element>> own = std::make_shared<std::deque<Element>>();

    [[nodiscard]] bool visible(const PlacedControl& c) const {
        if (!c.scrolls) return true;
        return c.rect.y >= contentArea.y - 0.5f && c.rect.y + c.rect.h <= contentArea.y + contentArea.h + 0.5f;
    }

    [[nodiscard]] const PlacedControl* find(const std::string& id) const {
        // Overlay controls lie on top: look at them first.
        for (const auto& c : controls) if (c.overlay && c.element->id == id) return &c;
        for (const auto& c : controls) if (!c.overlay && c.element->id == id) return &c;
        return nullptr;
    }
    // The control a touch at (x, y) lands on. Scrolling content is clipped to its area: a
    // control partly scrolled out of view takes touches on the part that is drawn.
    [[nodiscard]] const PlacedControl* hit(float x, float y, bool overlayOpen) const {
        for (const auto& c : controls) {
            if (c.overlay == overlayOpen && c.rect.contains(x, y) && (!c.scrolls || contentArea.contains(x, y))) return &c;
        }
        return nullptr;
    }
};

class Layouter {
public:
    Layouter(const Metrics& metrics, const Fonts& fonts, const FontSet& glyphs)
        : m(metrics), f(fonts), m_glyphs(glyphs) {
        margin = m.mmX(5);
        gapX = m.mmX(kGapMm + 0.5f);
        gapY = m.mmY(kGapMm + 0.5f);
        minW = m.mmX(kMinTargetMm);
        minH = m.mmY(kMinTargetMm + 2);
        pad = m.mmX(2.5f);
    }

    // `scroll`: how far the content is scrolled up, in pixels (clamped here).
    Layout run(const Screen& screen, float& scroll) {
        Layout layout;
        // The preview's banner: a strip across the top; everything else starts below it.
        topStart = 0;
        if (!screen.banner.empty()) {
            topStart = f.bold->FontSize * 1.6f;
            layout.banner = {0, 0, m.width, topStart};
        }
        float contentW = m.width - 2 * margin;
        const float top = placeTop(screen, layout);
        const float bottomY = placeBottom(screen, layout, contentW);

        std::vector<const Element*> keys;
        for (const auto& element : screen.elements) if (element.area == Area::Keys) keys.push_back(&element);
        const bool keypad = !keys.empty() && keys.size() <= 13;
        const float fullKeysW = keypad ? std::min(contentW, m.mmX(150)) : contentW;

        // First try: content above, keyboard below. If that does not fit (large text), the
        // keyboard goes to the right of the content, as landscape screens allow.
        Layout trial = layout;
        const float keysH = keys.empty() ? 0 : keysHeight(keys, keypad, fullKeysW);
        const float contentEnd = placeContent(screen, trial, margin, contentW, top);
        if (keys.empty() || contentEnd + gapY + keysH <= bottomY - gapY) {
            layout = std::move(trial);
            if (!keys.empty()) placeKeys(keys, keypad, layout, margin + (contentW - fullKeysW) / 2, fullKeysW, bottomY - gapY - keysH);
            layout.contentOverflows = contentEnd > (keys.empty() ? bottomY : bottomY - gapY - keysH) + 1;
        } else {
            const float sideKeysW = keypad ? m.mmX(150) : 10 * (minW + m.mmX(1)) + 9 * gapX;
            const float leftW = contentW - sideKeysW - 2 * gapX;
            const float end = placeContent(screen, layout, margin, leftW, top);
            const float sideKeysH = keysHeight(keys, keypad, sideKeysW);
            placeKeys(keys, keypad, layout, margin + leftW + 2 * gapX, sideKeysW, top);
            layout.contentOverflows = end > bottomY + 1 || top + sideKeysH > bottomY - gapY + 1;
        }
        // Content taller than its room scrolls: narrower, with up/down buttons at the right.
        if (layout.contentOverflows && keys.empty()) {
            Layout scrolled;
            scrolled.banner = layout.banner;
            placeTop(screen, scrolled);
            placeBottom(screen, scrolled, contentW);
            const float buttonW = std::max(minW, m.mmX(22));
            const float width = contentW - buttonW - gapX;
            const float end = placeContent(screen, scrolled, margin, width, top);
            const float visibleH = bottomY - gapY - top;
            scrolled.contentHeight = end - top;
            scroll = std::clamp(scroll, 0.0f, std::max(0.0f, scrolled.contentHeight - visibleH));
            for (auto& c : scrolled.controls) {
                if (c.element->area == Area::Body) {
                    c.scrolls = true;
                    c.rect.y -= scroll;
                }
            }
            for (auto& t : scrolled.texts) t.rect.y -= scroll;
            scrolled.contentArea = {margin, top, width, visibleH};
            scrolled.scrollable = true;
            auto& own = *scrolled.own;
            for (const char* id : {"scroll-up", "scroll-down"}) {
                Element e;
                e.id = id;
                e.role = Role::Button;
                e.area = Area::Top;  // not part of the scrolling content
                e.icon = std::string(id) == "scroll-up" ? "arrow_upward" : "arrow_downward";
                own.push_back(e);
            }
            const float bh = std::min(visibleH / 2 - gapY, m.mmY(40));
            scrolled.controls.push_back({&own[0], {margin + width + gapX, top, buttonW, bh}, false, false, false});
            scrolled.controls.push_back({&own[1], {margin + width + gapX, top + visibleH - bh, buttonW, bh}, false, false, false});
            scrolled.contentOverflows = false;
            layout = std::move(scrolled);
        }
        if (layout.contentArea.h <= 0) layout.contentArea = {margin, top, contentW, bottomY - gapY - top};
        placeOverlay(screen, layout, contentW);
        // The staff gesture's corner: five touches in the top-right corner (docs/keys.md).
        // Not drawn; the settings row never reaches it. Not on the staff screens themselves
        // (staff are already there; their scroll buttons may sit in that corner).
        if (screen.id == "staff") return layout;
        Element corner;
        corner.id = "staff-corner";
        corner.area = Area::Top;
        layout.own->push_back(corner);
        const float size = m.mmX(20);
        layout.controls.push_back({&layout.own->back(), {m.width - size, 0, size, m.mmY(20)}, false, false, false});
        return layout;
    }

    ImFont* fontFor(TextBlock::Kind kind) const {
        switch (kind) {
            case TextBlock::Kind::Title:
            case TextBlock::Kind::Question:
                return f.bold;
            case TextBlock::Kind::Big:
                return f.big;
            default:
                return f.body;
        }
    }

    float textWidth(const std::string& text, ImFont* font) const {
        return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.c_str()).x;
    }

    std::string labelText(const Element& element) const {
        return element.icon.empty() ? element.label : m_glyphs.glyph(element.icon) + " " + element.label;
    }

    float labelWidth(const Element& element, ImFont* font) const {
        float width = textWidth(labelText(element), font);
        if (!element.detail.empty()) width = std::max(width, textWidth(element.detail, f.body));
        return width;
    }

    float wrappedHeight(const Element& element, ImFont* font, float width) const {
        float h = font->CalcTextSizeA(font->FontSize, FLT_MAX, width, softBreaks(font, labelText(element), width).c_str()).y;
        if (!element.detail.empty()) h += f.body->CalcTextSizeA(f.body->FontSize, FLT_MAX, width, softBreaks(f.body, element.detail, width).c_str()).y;
        return h;
    }

    // Whether a control's text, wrapped to its width, is taller than the control.
    bool overflows(const Element& element, ImFont* font, const Rect& r) const {
        return overflows(element, font, r, pad);
    }
    bool overflows(const Element& element, ImFont* font, const Rect& r, float padding) const {
        const float width = r.w - 2 * padding;
        if (width <= 0) return true;
        // A single word wider than the control would be cut in the middle.
        std::istringstream words(labelText(element));
        for (std::string word; words >> word;) {
            if (textWidth(word, font) > width + 1) return true;
        }
        return wrappedHeight(element, font, width) > r.h - padding * 0.5f + 1;
    }

private:
    float placeTop(const Screen& screen, Layout& layout) const {
        float x = margin;
        float y = topStart + m.mmY(3);
        float rowH = 0;
        for (const auto& element : screen.elements) {
            if (element.area != Area::Top) continue;
            const float w = std::max(minW, labelWidth(element, f.body) + 2 * pad);
            const float lines = element.detail.empty() ? 1.0f : 2.0f;
            const float h = std::max(minH, f.body->FontSize * 1.15f * lines + pad);
            // The row keeps clear of the staff gesture's corner (20 mm, top right).
            if (x + w > m.width - m.mmX(20) - gapX && x > margin) {
                x = margin;
                y += rowH + gapY;
                rowH = 0;
            }
            layout.controls.push_back({&element, {x, y, w, h}, labelWidth(element, f.body) > w - pad, false});
            x += w + gapX;
            rowH = std::max(rowH, h);
        }
        return y + rowH + gapY;
    }

    float placeBottom(const Screen& screen, Layout& layout, float contentW) const {
        const float h = std::max(minH, f.bold->FontSize * 1.4f + pad);
        const float y = m.height - m.mmY(3) - h;
        std::vector<const Element*> bottom;
        for (const auto& element : screen.elements) if (element.area == Area::Bottom) bottom.push_back(&element);
        if (bottom.empty()) return y;
        const float slot = (contentW - gapX * static_cast<float>(bottom.size() - 1)) / static_cast<float>(bottom.size());
        for (std::size_t i = 0; i < bottom.size(); ++i) {
            const float w = std::min(slot, std::max(m.mmX(60), labelWidth(*bottom[i], f.bold) + 2 * pad + 4));
            // Back on the left, the way forward on the right, read aloud in the middle.
            float x = margin + static_cast<float>(i) * (slot + gapX);
            if (bottom.size() > 1 && i == bottom.size() - 1) x = m.width - margin - w;
            if (bottom.size() == 3 && i == 1) x = m.width / 2 - w / 2;
            const Rect r{x, y, w, h};
            layout.controls.push_back({bottom[i], r, overflows(*bottom[i], f.bold, r), false});
        }
        return y;
    }

    static bool isWideKey(const Element& key, bool keypad) { return !keypad && key.label.size() > 3; }

    float keySize(bool keypad, float blockW, float& keyW) const {
        const std::size_t perRow = keypad ? 3 : 10;
        keyW = (blockW - gapX * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
        return std::max(m.mmY(kMinTargetMm), f.body->FontSize * 1.4f);
    }

    float keysHeight(const std::vector<const Element*>& keys, bool keypad, float blockW) const {
        Layout scratch;
        return placeKeys(keys, keypad, scratch, 0, blockW, 0);
    }

    // Places the keyboard in a block; returns its height. A row grows when a key's label
    // must wrap (large text), so no label is ever cut off.
    float placeKeys(const std::vector<const Element*>& keys, bool keypad, Layout& layout, float left,
                    float blockW, float top) const {
        float keyW = 0;
        const float minKeyH = keySize(keypad, blockW, keyW);
        const std::size_t perRow = keypad ? 3 : 10;
        const float keyPad = m.mmX(1);
        struct Slot { const Element* key; float x; float w; std::size_t row; };
        std::vector<Slot> slots;
        std::vector<float> rowHeights{minKeyH};
        float x = left;
        std::size_t column = 0;
        for (const auto* key : keys) {
            std::size_t cells = isWideKey(*key, keypad) || (keypad && key->id == "key:backspace") ? 2 : 1;
            // A label whose longest word needs more room takes more cells (large text).
            float longest = 0;
            std::istringstream words(labelText(*key));
            for (std::string word; words >> word;) longest = std::max(longest, textWidth(word, f.body));
            while (cells < perRow && keyW * static_cast<float>(cells) + gapX * static_cast<float>(cells - 1) < longest + 2 * keyPad + 1) ++cells;
            if (column + cells > perRow) {
                column = 0;
                x = left;
                rowHeights.push_back(minKeyH);
            }
            const float w = keyW * static_cast<float>(cells) + gapX * static_cast<float>(cells - 1);
            const float needed = wrappedHeight(*key, f.body, w - 2 * keyPad) + keyPad * 2;
            rowHeights.back() = std::max(rowHeights.back(), needed);
            slots.push_back({key, x, w, rowHeights.size() - 1});
            x += w + gapX;
            column += cells;
        }
        std::vector<float> rowTop(rowHeights.size(), top);
        for (std::size_t r = 1; r < rowHeights.size(); ++r) rowTop[r] = rowTop[r - 1] + rowHeights[r - 1] + gapY;
        for (const auto& slot : slots) {
            const Rect r{slot.x, rowTop[slot.row], slot.w, rowHeights[slot.row]};
            layout.controls.push_back({slot.key, r, overflows(*slot.key, f.body, r, keyPad), false});
        }
        return rowTop.back() + rowHeights.back() - top;
    }

    // Places texts and the question's controls from `y`; returns where they end.
    float placeContent(const Screen& screen, Layout& layout, float left, float width, float y) const {
        auto placeText = [&](const TextBlock& block) {
            ImFont* font = fontFor(block.kind);
            const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, width, softBreaks(font, block.text, width).c_str());
            layout.texts.push_back({&block, font, {left, y, width, size.y}, false});
            y += size.y + m.mmY(block.kind == TextBlock::Kind::Step ? 1.5f : 2.5f);
            if (block.kind == TextBlock::Kind::Step && screen.progress >= 0) {
                layout.progressBar = {left, y, width, m.mmY(3)};
                layout.hasProgress = true;
                y += m.mmY(6);
            }
        };
        std::vector<std::string> fieldsInOrder;
        auto remember = [&](const std::string& field) {
            if (!field.empty() && std::ranges::find(fieldsInOrder, field) == fieldsInOrder.end()) fieldsInOrder.push_back(field);
        };
        for (const auto& block : screen.texts) remember(block.field);
        for (const auto& element : screen.elements) if (element.area == Area::Body) remember(element.field);
        for (const auto& block : screen.texts) if (block.field.empty()) placeText(block);
        auto placeBody = [&](const std::string& field) {
            std::vector<const Element*> body;
            for (const auto& element : screen.elements) {
                if (element.area == Area::Body && element.field == field) body.push_back(&element);
            }
            std::size_t i = 0;
            while (i < body.size()) {
                const Element& element = *body[i];
                if (element.role == Role::Stepper) {
                    // Day, month, year: three columns of [-] [+].
                    const float colW = (width - 2 * gapX) / 3;
                    const float w = (colW - gapX) / 2;
                    float h = minH;
                    for (std::size_t k = i; k < body.size() && body[k]->role == Role::Stepper; ++k) {
                        h = std::max(h, wrappedHeight(*body[k], f.body, w - 2 * pad) + pad);
                    }
                    for (std::size_t k = 0; k < 6 && i < body.size() && body[i]->role == Role::Stepper; ++k, ++i) {
                        const float cx = left + static_cast<float>(k / 2) * (colW + gapX);
                        const Rect r{cx + static_cast<float>(k % 2) * (w + gapX), y, w, h};
                        layout.controls.push_back({body[i], r, overflows(*body[i], f.body, r), false});
                    }
                    y += h + gapY;
                    continue;
                }
                if (element.wide || element.role == Role::Field) {
                    const float textH = wrappedHeight(element, f.body, width - 2 * pad);
                    float h = std::max(minH + m.mmY(2), textH + 2 * pad);
                    // The one big thing to touch on the welcome and idle screens.
                    if (element.id == "start" || element.id == "still-here") h = std::max(h, m.mmY(60));
                    layout.controls.push_back({&element, {left, y, width, h}, false, false});
                    y += h + gapY;
                    ++i;
                    continue;
                }
                // Tiles and toggles: a grid, two or three across, each at least 25 mm high.
                std::size_t run = i;
                while (run < body.size() && !body[run]->wide && body[run]->role != Role::Stepper && body[run]->role != Role::Field) ++run;
                const std::size_t count = run - i;
                const std::size_t columns = std::clamp<std::size_t>(static_cast<std::size_t>(width / m.mmX(110)), 1, count > 4 ? 3 : 2);
                const float tileW = (width - gapX * static_cast<float>(columns - 1)) / static_cast<float>(columns);
                float tallest = 0;
                for (std::size_t k = i; k < run; ++k) {
                    // Room for the pictogram on the left and the chosen-mark on the right.
                    const float textW = tileW - 2 * pad - (body[k]->icon.empty() ? 0 : f.icons->FontSize + pad) - (f.icons->FontSize + pad);
                    tallest = std::max(tallest, f.body->CalcTextSizeA(f.body->FontSize, FLT_MAX, textW, softBreaks(f.body, body[k]->label, textW).c_str()).y);
                }
                const float tileH = std::max({m.mmY(25), tallest + 2 * pad, f.icons->FontSize + 2 * pad});
                for (std::size_t k = i; k < run; ++k) {
                    const std::size_t index = k - i;
                    const float tx = left + static_cast<float>(index % columns) * (tileW + gapX);
                    const float ty = y + static_cast<float>(index / columns) * (tileH + gapY);
                    layout.controls.push_back({body[k], {tx, ty, tileW, tileH}, false, false});
                }
                y += static_cast<float>((count + columns - 1) / columns) * (tileH + gapY);
                i = run;
            }
        };
        placeBody("");
        for (const auto& field : fieldsInOrder) {
            for (const auto& block : screen.texts) {
                if (block.field == field) placeText(block);
            }
            placeBody(field);
        }
        return y;
    }

    void placeOverlay(const Screen& screen, Layout& layout, float contentW) const {
        if (screen.overlay.empty()) return;
        const float panelW = std::min(contentW, m.mmX(300));
        const float left = (m.width - panelW) / 2 + pad;
        Layout texts;
        float y = 0;
        const float textW = panelW - 2 * pad;
        for (const auto& block : screen.overlayTexts) {
            ImFont* font = fontFor(block.kind);
            const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, textW, softBreaks(font, block.text, textW).c_str());
            texts.texts.push_back({&block, font, {left, y, textW, size.y}, true});
            y += size.y + m.mmY(2.5f);
        }
        std::vector<const Element*> buttons;
        for (const auto& element : screen.elements) if (element.area == Area::Overlay) buttons.push_back(&element);
        const float buttonsY = y + gapY;
        const float bh = minH + m.mmY(4);
        const float panelH = buttonsY + bh + 2 * pad;
        const float panelY = std::max(m.mmY(3), (m.height - panelH) / 2);
        for (auto& t : texts.texts) {
            t.rect.y += panelY + pad;
            layout.texts.push_back(t);
        }
        const float bw = buttons.empty() ? 0 : (textW - gapX * static_cast<float>(buttons.size() - 1)) / static_cast<float>(buttons.size());
        for (std::size_t k = 0; k < buttons.size(); ++k) {
            const Rect r{left + static_cast<float>(k) * (bw + gapX), panelY + pad + buttonsY, bw, bh};
            layout.controls.push_back({buttons[k], r, overflows(*buttons[k], f.body, r), true});
        }
        layout.overlayPanel = {(m.width - panelW) / 2, panelY, panelW, panelH};
    }

    const Metrics& m;
    const Fonts& f;
    const FontSet& m_glyphs;
    float margin = 0, gapX = 0, gapY = 0, minW = 0, minH = 0, pad = 0;
    float topStart = 0;   // below the banner, if any
};

// [SECTION] Drawing -----------------------------------------------------------------------------

// The word being spoken, as a byte range of one of the screen's texts.
struct Highlight {
    const TextBlock* block = nullptr;
    std::size_t offset = 0;
    std::size_t length = 0;
};

// Where a byte range of wrapped text stands: the same line breaking as ImDrawList::AddText.
bool wordRect(ImFont* font, const std::string& text, float wrapWidth, std::size_t offset, std::size_t length,
              ImVec2& topLeft, ImVec2& size) {
    const char* begin = text.c_str();
    const char* end = begin + text.size();
    const char* line = begin;
    float y = 0;
    const float lineHeight = font->FontSize;
    while (line < end) {
        const char* lineEnd = font->CalcWordWrapPositionA(1.0f, line, end, wrapWidth);
        if (lineEnd == line) lineEnd = line + 1;
        const char* newline = static_cast<const char*>(memchr(line, '\n', static_cast<std::size_t>(lineEnd - line)));
        if (newline != nullptr) lineEnd = newline;
        if (begin + offset >= line && begin + offset < lineEnd) {
            const float x = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, line, begin + offset).x;
            const char* wordEnd = std::min(begin + offset + length, lineEnd);
            size = {font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, begin + offset, wordEnd).x, lineHeight};
            topLeft = {x, y};
            return true;
        }
        y += lineHeight;
        line = lineEnd;
        while (line < end && (*line == ' ' || *line == '\n')) ++line;
    }
    return false;
}

// Staff's own icon (icons/NAME.png or .svg) as a texture, or 0 when there is none.
using CustomIcon = std::function<ImTextureID(const std::string& name)>;

void drawScreen(const Screen& screen, const Layout& layout, const Fonts& fonts, const FontSet& glyphs,
                const core::Theme& theme, const std::string& focus, const Metrics& m,
                const Highlight& highlight, const CustomIcon& customIcon) {
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    // The background is the frame's clear colour (App::render): a rectangle over the whole
    // screen cost a blended, textured pass over every pixel, in software.
    const float rounding = m.mmX(2);

    auto drawText = [&](const PlacedText& t) {
        core::Rgb c = t.block->kind == TextBlock::Kind::Error ? theme.error : theme.text;
        std::string text = t.block->text;
        if (t.block->kind == TextBlock::Kind::Error) text = glyphs.glyph("error") + " " + text;
        text = softBreaks(t.font, std::move(text), t.rect.w);
        draw->AddText(t.font, t.font->FontSize, {t.rect.x, t.rect.y}, colour(c), text.c_str(), nullptr, t.rect.w);
        if (highlight.block == t.block && t.block->kind != TextBlock::Kind::Error) {
            // The word being heard now: the selected colours behind it, as web readers do.
            ImVec2 at;
            ImVec2 size;
            if (wordRect(t.font, text, t.rect.w, highlight.offset, highlight.length, at, size)) {
                const ImVec2 min{t.rect.x + at.x - 2, t.rect.y + at.y};
                const ImVec2 max{min.x + size.x + 4, min.y + size.y + 2};
                draw->AddRectFilled(min, max, colour(theme.selected), 3);
                const std::string word = text.substr(highlight.offset, highlight.length);
                draw->AddText(t.font, t.font->FontSize, {min.x + 2, min.y}, colour(theme.selectedText), word.c_str());
            }
        }
    };
    auto drawFocus = [&](const Element& e, const Rect& r) {
        if (e.id != focus) return;
        // A thick ring in the focus colour with a thin ring of the screen colour inside:
        // visible on every face colour.
        const float ring = m.mmX(1.5f);
        draw->AddRect({r.x - ring, r.y - ring}, {r.x + r.w + ring, r.y + r.h + ring}, colour(theme.focus), rounding + ring, 0, ring * 1.4f);
        draw->AddRect({r.x - ring * 0.2f, r.y - ring * 0.2f}, {r.x + r.w + ring * 0.2f, r.y + r.h + ring * 0.2f}, colour(theme.background), rounding, 0, ring * 0.4f);
    };
    auto drawControl = [&](const PlacedControl& p) {
        const Element& e = *p.element;
        if (e.id == "staff-corner") return;
        const Rect& r = p.rect;
        core::Rgb face = theme.button;
        core::Rgb ink = theme.buttonText;
        if (e.selected) { face = theme.selected; ink = theme.selectedText; }
        if (e.danger) { face = theme.danger; ink = theme.dangerText; }
        if (e.role == Role::Field) {
            // An answer box: the screen's colours with a strong border, like paper.
            face = theme.background;
            ink = theme.text;
        }
        draw->AddRectFilled({r.x, r.y}, {r.x + r.w, r.y + r.h}, colour(face), rounding);
        draw->AddRect({r.x, r.y}, {r.x + r.w, r.y + r.h}, colour(theme.text), rounding, 0, m.mmX(e.role == Role::Field ? 0.8f : 0.4f));
        const float pad = e.role == Role::Key ? m.mmX(1) : m.mmX(2.5f);
        ImFont* font = (e.area == Area::Bottom) ? fonts.bold : fonts.body;
        float textX = r.x + pad;
        const bool tile = e.role == Role::Tile || e.role == Role::Toggle;
        if (tile && !e.icon.empty() && fonts.icons != nullptr) {
            const std::string icon = glyphs.glyph(e.icon);
            const float size = fonts.icons->FontSize;
            if (!icon.empty()) {
                draw->AddText(fonts.icons, size, {r.x + pad, r.cy() - size / 2}, colour(ink), icon.c_str());
            } else if (ImTextureID texture = customIcon(e.icon)) {
                draw->AddImage(texture, {r.x + pad, r.cy() - size / 2}, {r.x + pad + size, r.cy() + size / 2});
            }
            textX += size + pad;
        }
        if (!tile && !e.icon.empty() && glyphs.glyph(e.icon).empty() && e.role != Role::Key) {
            // A custom icon before the label of a button or answer field.
            if (ImTextureID texture = customIcon(e.icon)) {
                const float size = fonts.body->FontSize;
                draw->AddImage(texture, {textX, r.cy() - size / 2}, {textX + size, r.cy() + size / 2});
                textX += size + pad / 2;
            }
        }
        if (e.area == Area::Top) {
            // Icon, label and the setting's value, each centred on its own line.
            const float lines = e.detail.empty() ? 1.0f : 2.0f;
            float ly = r.cy() - fonts.body->FontSize * 1.15f * lines / 2;
            auto centred = [&](const std::string& line) {
                if (line.empty()) return;
                const float lw = fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, 0, line.c_str()).x;
                draw->AddText(fonts.body, fonts.body->FontSize, {r.cx() - lw / 2, ly}, colour(ink), line.c_str());
                ly += fonts.body->FontSize * 1.15f;
            };
            centred(e.icon.empty() ? e.label : glyphs.glyph(e.icon) + " " + e.label);
            centred(e.detail);
            drawFocus(e, r);
            return;
        }
        if (tile && (e.selected || e.role == Role::Toggle) && fonts.icons != nullptr) {
            // Chosen is shown by a mark, not by colour alone (colour-blind citizens).
            const std::string mark = glyphs.glyph(e.role == Role::Toggle ? (e.selected ? "check_box" : "check_box_outline_blank") : "check_circle");
            const float size = fonts.icons->FontSize;
            draw->AddText(fonts.icons, size, {r.x + r.w - pad - size, r.cy() - size / 2}, colour(ink), mark.c_str());
        }
        std::string label = e.label;
        if (!tile && !e.icon.empty() && e.role != Role::Key) label = glyphs.glyph(e.icon) + " " + label;
        if (e.role == Role::Key && !e.icon.empty() && (e.id == "key:backspace" || e.id == "key:shift")) {
            label = glyphs.glyph(e.icon) + " " + label;
        }
        const float wrap = r.x + r.w - pad - textX - (tile && fonts.icons != nullptr ? fonts.icons->FontSize + pad : 0);
        label = softBreaks(font, std::move(label), wrap);
        const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, label.c_str());
        float detailH = 0;
        std::string detail = softBreaks(fonts.body, e.detail, wrap);
        if (!detail.empty()) detailH = fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, wrap, detail.c_str()).y;
        float ty = r.cy() - (size.y + detailH) / 2;
        float tx = (e.role == Role::Key || e.area == Area::Bottom || e.area == Area::Top) ? r.cx() - size.x / 2 : textX;
        if (e.role == Role::Field && label.empty()) label = " ";
        draw->AddText(font, font->FontSize, {tx, ty}, colour(ink), label.c_str(), nullptr, wrap);
        if (!detail.empty()) {
            const float dx = (e.area == Area::Top) ? r.cx() - fonts.body->CalcTextSizeA(fonts.body->FontSize, FLT_MAX, 0, detail.c_str()).x / 2 : textX;
            draw->AddText(fonts.body, fonts.body->FontSize, {dx, ty + size.y}, colour(ink), detail.c_str(), nullptr, wrap);
        }
        if (e.role == Role::Field && e.selected) {
            // A text cursor after the answer: where typing goes.
            const float cx = tx + font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.c_str()).x + m.mmX(0.8f);
            draw->AddRectFilled({cx, ty}, {cx + m.mmX(0.8f), ty + font->FontSize}, colour(theme.text));
        }
        drawFocus(e, r);
    };

    if (layout.scrollable) draw->PushClipRect({layout.contentArea.x - m.mmX(3), layout.contentArea.y}, {layout.contentArea.x + layout.contentArea.w + m.mmX(3), layout.contentArea.y + layout.contentArea.h}, true);
    for (const auto& t : layout.texts) if (!t.overlay) drawText(t);
    for (const auto& c : layout.controls) if (!c.overlay && c.scrolls) drawControl(c);
    if (layout.scrollable) draw->PopClipRect();
    if (layout.hasProgress) {
        const Rect& bar = layout.progressBar;
        draw->AddRect({bar.x, bar.y}, {bar.x + bar.w, bar.y + bar.h}, colour(theme.text), bar.h / 2, 0, 2);
        draw->AddRectFilled({bar.x, bar.y}, {bar.x + bar.w * std::clamp(screen.progress, 0.0f, 1.0f), bar.y + bar.h}, colour(theme.text), bar.h / 2);
    }
    for (const auto& c : layout.controls) if (!c.overlay && !c.scrolls) drawControl(c);
    if (layout.banner.h > 0) {
        // The preview is never mistaken for a live kiosk: a strip in the warning colours
        // across the top, and a frame of the same colour round the window.
        const Rect& b = layout.banner;
        draw->AddRectFilled({b.x, b.y}, {b.x + b.w, b.y + b.h}, colour(theme.danger));
        const float frame = m.mmX(2);
        draw->AddRect({frame / 2, frame / 2}, {m.width - frame / 2, m.height - frame / 2}, colour(theme.danger), 0, 0, frame);
        const std::string text = glyphs.glyph("visibility") + " " + screen.banner;
        const float tw = fonts.bold->CalcTextSizeA(fonts.bold->FontSize, FLT_MAX, 0, text.c_str()).x;
        draw->AddText(fonts.bold, fonts.bold->FontSize, {std::max(m.mmX(5), (b.w - tw) / 2), b.cy() - fonts.bold->FontSize / 2},
                      colour(theme.dangerText), text.c_str());
    }
    if (!screen.overlay.empty()) {
        draw->AddRectFilled({0, 0}, {m.width, m.height}, colour(theme.background, 215));
        const Rect& p = layout.overlayPanel;
        draw->AddRectFilled({p.x, p.y}, {p.x + p.w, p.y + p.h}, colour(theme.background), rounding);
        draw->AddRect({p.x, p.y}, {p.x + p.w, p.y + p.h}, colour(theme.text), rounding, 0, m.mmX(1));
        for (const auto& t : layout.texts) if (t.overlay) drawText(t);
        for (const auto& c : layout.controls) if (c.overlay) drawControl(c);
    }
}

// [SECTION] Input: touches and keys to controller calls -----------------------------------------

// How far a finger may wander and still tap what it went down on: about a third of the
// smallest target (15 mm), so that a tremor does not turn a tap into nothing, and well below
// the distance a finger travels when it means to slide.
constexpr float kTremorMm = 6.0f;

// One finger (or the mouse button) from down to up. docs/keys.md, "Touch: tremor and slides".
struct Press {
    bool active = false;
    bool mouse = false;
    SDL_FingerID finger = 0;
    float downX = 0, downY = 0;
    std::string control;        // the control it went down on; empty: none
    Rect rect;                  // where that control was
    std::string screenId;       // the screen it went down on
    bool overlay = false;       // a dialog was open
    bool inContent = false;     // it went down on content that scrolls
    bool cancelled = false;     // it left its control: lifting activates nothing
    bool scrolling = false;     // it slides the content: lifting activates nothing
    float anchorY = 0;          // where the slide started, and the scroll then
    float anchorScroll = 0;
};

struct InputState {
    Press press;
    bool skipNextText = false;   // a keypad key also sends text: it was a command, not typing
    int cornerTaps = 0;          // the staff gesture
    std::chrono::steady_clock::time_point cornerFirst{};
};

std::string normaliseKeyName(const std::string& name) {
    // SDL calls the keypad keys "Keypad 4"; accept "KP_4" too.
    if (name.starts_with("KP_")) return "Keypad " + name.substr(3);
    return name;
}

// Returns true when the screen must be drawn again.
bool handleEvent(const SDL_Event& event, core::Controller& controller, const Layout& layout,
                 const Screen& screen, InputState& input, const Metrics& m, SDL_Window* window,
                 const std::function<void()>& stopSpeaking, float& scroll) {
    const bool overlay = !screen.overlay.empty();
    auto tapControl = [&](const std::string& id) {
        if (id == "staff-corner") {
            // Five touches within four seconds open the staff PIN screen.
            const auto now = std::chrono::steady_clock::now();
            if (now - input.cornerFirst > std::chrono::seconds{4}) {
                input.cornerFirst = now;
                input.cornerTaps = 0;
            }
            if (++input.cornerTaps >= 5) {
                input.cornerTaps = 0;
                controller.openStaff();
            }
            return;
        }
        if (id == "scroll-up" || id == "scroll-down") {
            // Most of a screenful, so that the last line stays in view.
            scroll += (id == "scroll-up" ? -0.7f : 0.7f) * layout.contentArea.h;
            controller.scrolled();
            return;
        }
        controller.touch(id);
    };
    // A finger (or the mouse button) goes down: remember what it went down on. A new finger
    // replaces a press still open (a resting palm, or a lift the system never reported), so
    // touch can never get stuck.
    auto pressAt = [&](float x, float y, bool mouse, SDL_FingerID finger) {
        stopSpeaking();
        Press press;
        press.active = true;
        press.mouse = mouse;
        press.finger = finger;
        press.downX = x;
        press.downY = y;
        press.screenId = screen.id;
        press.overlay = overlay;
        if (const auto* hit = layout.hit(x, y, overlay)) {
            press.control = hit->element->id;
            press.rect = hit->rect;
        }
        press.inContent = layout.scrollable && !overlay && layout.contentArea.contains(x, y);
        press.anchorScroll = scroll;
        input.press = press;
    };
    auto moveTo = [&](float x, float y) {
        Press& press = input.press;
        if (!press.active) return false;
        const float dxMm = (x - press.downX) / m.pxPerMmX;
        const float dyMm = (y - press.downY) / m.pxPerMmY;
        if (!press.scrolling && press.inContent && std::abs(dyMm) > kTremorMm) {
            // A slide up or down over content that scrolls moves the content with the finger.
            press.scrolling = true;
            press.cancelled = true;
            press.anchorY = y;
            press.anchorScroll = scroll;
        }
        if (press.scrolling) {
            scroll = press.anchorScroll - (y - press.anchorY);
            controller.scrolled();
            return true;
        }
        if (std::hypot(dxMm, dyMm) > kTremorMm && !press.rect.contains(x, y)) press.cancelled = true;
        return false;
    };
    auto releaseAt = [&](float x, float y) {
        if (!input.press.active) return false;
        moveTo(x, y);
        const Press press = input.press;
        input.press = Press{};
        if (press.scrolling) return true;
        if (press.screenId != screen.id || press.overlay != overlay) return false;
        if (press.control.empty()) {
            // Nothing under the finger: the welcome and idle-warning screens ask for a touch
            // anywhere, and any touch there counts.
            if (screen.id == "welcome" && !overlay) controller.activate("start");
            else if (screen.id == "idle-warning") controller.activate("still-here");
            return true;
        }
        // What the finger went down on decides (not where it lifts), as long as it stayed on
        // that control or within the tremor distance, and the screen did not change meanwhile.
        const auto* now = layout.find(press.control);
        if (press.cancelled || now == nullptr || now->overlay != overlay) return false;
        tapControl(press.control);
        return true;
    };
    switch (event.type) {
        case SDL_QUIT:
            // Lock-down: the window manager's close request (Alt+F4) never ends the kiosk.
            std::cerr << "kiosk: close request ignored (staff leave through the staff menu)\n";
            return false;
        case SDL_WINDOWEVENT:
            if (event.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                SDL_RaiseWindow(window);
                return false;
            }
            return true;
        case SDL_MOUSEBUTTONDOWN:
            if (event.button.which == SDL_TOUCH_MOUSEID) return false;  // the finger event handles it
            pressAt(static_cast<float>(event.button.x), static_cast<float>(event.button.y), true, 0);
            return false;
        case SDL_MOUSEMOTION:
            if (event.motion.which == SDL_TOUCH_MOUSEID || !input.press.mouse) return false;
            return moveTo(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
        case SDL_MOUSEBUTTONUP:
            if (event.button.which == SDL_TOUCH_MOUSEID || !input.press.mouse) return false;
            return releaseAt(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
        case SDL_FINGERDOWN:
            pressAt(event.tfinger.x * m.width, event.tfinger.y * m.height, false, event.tfinger.fingerId);
            return false;
        case SDL_FINGERMOTION:
            if (input.press.mouse || input.press.finger != event.tfinger.fingerId) return false;
            return moveTo(event.tfinger.x * m.width, event.tfinger.y * m.height);
        case SDL_FINGERUP:
            if (input.press.mouse || input.press.finger != event.tfinger.fingerId) return false;
            return releaseAt(event.tfinger.x * m.width, event.tfinger.y * m.height);
        case SDL_TEXTINPUT:
            if (input.skipNextText) {
                input.skipNextText = false;
                return false;
            }
            stopSpeaking();
            controller.typeText(event.text.text);
            return true;
        case SDL_KEYDOWN: {
            stopSpeaking();
            const SDL_Keycode key = event.key.keysym.sym;
            const Uint16 mods = event.key.keysym.mod;
            const bool keypad = key >= SDLK_KP_DIVIDE && key <= SDLK_KP_PERIOD;
            input.skipNextText = keypad;
            if ((mods & KMOD_ALT) && key == SDLK_F4) return false;   // lock-down: ignored
            if ((mods & KMOD_CTRL) && (mods & KMOD_ALT) && key == SDLK_s) {
                controller.openStaff();   // the staff gesture on a keyboard
                return true;
            }
            if ((mods & KMOD_CTRL) && (key == SDLK_q || key == SDLK_w)) return false;
            if ((mods & KMOD_ALT) && key == SDLK_TAB) return false;
            switch (key) {
                case SDLK_TAB: controller.moveFocus((mods & KMOD_SHIFT) ? -1 : 1); return true;
                case SDLK_DOWN: case SDLK_RIGHT: controller.moveFocus(1); return true;
                case SDLK_UP: case SDLK_LEFT: controller.moveFocus(-1); return true;
                case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_KP_5: {
                    const Element* focused = screen.find(controller.focus());
                    if (focused != nullptr && focused->role == Role::Field && key != SDLK_KP_5) {
                        controller.goNext();   // Enter in an answer field: done, next question
                    } else if (!controller.focus().empty()) {
                        controller.activate(controller.focus());
                    } else if (screen.id == "welcome") {
                        controller.activate("start");
                    }
                    return true;
                }
                case SDLK_PAGEDOWN: controller.goNext(); return true;
                case SDLK_PAGEUP: controller.goBack(); return true;
                case SDLK_ESCAPE: case SDLK_KP_4: controller.goBack(); return true;
                case SDLK_BACKSPACE: controller.backspace(); return true;
                case SDLK_KP_8: controller.moveFocus(-1); return true;
                case SDLK_KP_2: controller.moveFocus(1); return true;
                case SDLK_KP_6: controller.goNext(); return true;
                case SDLK_KP_0: case SDLK_F5: controller.repeat(); return true;
                case SDLK_KP_PERIOD: case SDLK_F1: controller.help(); return true;
                case SDLK_KP_MULTIPLY: case SDLK_F9: controller.toggleCurtain(); return true;
                case SDLK_KP_DIVIDE: case SDLK_F8: controller.toggleHeadphones(); return true;
                case SDLK_F2: controller.togglePreviewPages(); return true;   // the preview's page list
                default: return keypad;
            }
        }
        default:
            return false;
    }
}

// [SECTION] Test scripts ------------------------------------------------------------------------

struct ScriptRun {
    std::vector<core::ScriptCommand> commands;
    std::size_t next = 0;
    int failures = 0;
    std::vector<std::string> spokenSinceExpect;   // the last kSpokenKept utterances
    long memoryMarkKiB = -1;   // `memory mark`
    std::set<std::string> visited;                  // screen ids seen, for the summary
    std::chrono::steady_clock::duration slowest{};  // the slowest command, with its line
    int slowestLine = 0;
};
// `expect spoken` looks this far back: a long script (the monkey) must not grow the
// kiosk's memory with everything it ever said.
constexpr std::size_t kSpokenKept = 1000;

// Resident memory of this process in KiB (Linux /proc/self/statm), or -1.
long residentKiB() {
    std::ifstream statm("/proc/self/statm");
    long sizePages = 0;
    long residentPages = 0;
    if (!(statm >> sizePages >> residentPages)) return -1;
    return residentPages * (sysconf(_SC_PAGESIZE) / 1024);
}

// Every text the screen model holds: texts, controls (label, detail, what is said), the
// overlay. Used by `expect on-screen` / `expect not-on-screen`.
bool screenContains(const Screen& screen, const std::string& needle) {
    auto has = [&](const std::string& text) { return text.find(needle) != std::string::npos; };
    if (has(screen.banner)) return true;
    for (const auto& block : screen.texts) {
        if (has(block.text) || has(block.spoken)) return true;
    }
    for (const auto& block : screen.overlayTexts) {
        if (has(block.text) || has(block.spoken)) return true;
    }
    return std::ranges::any_of(screen.elements, [&](const Element& element) {
        return has(element.label) || has(element.detail) || has(element.spoken);
    });
}

bool writeScreenshot(const std::filesystem::path& file, int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL's rows go bottom-up; PNG's go top-down.
    std::vector<unsigned char> flipped(pixels.size());
    const std::size_t row = static_cast<std::size_t>(width) * 3;
    for (int y = 0; y < height; ++y) {
        std::copy_n(pixels.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row), row,
                    flipped.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(height - 1 - y) * row));
    }
    std::error_code ignored;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ignored);
    return stbi_write_png(file.c_str(), width, height, 3, flipped.data(), static_cast<int>(row)) != 0;
}

// Checks the 15 mm / 3 mm rule and overflowing text on the current layout.
std::vector<std::string> layoutProblems(const Layout& layout, const Metrics& m) {
    std::vector<std::string> problems;
    // Controls scrolled out of view are neither drawn whole nor touchable: not checked.
    for (const auto& c : layout.controls) {
        if (!layout.visible(c)) continue;
        const float wMm = c.rect.w / m.pxPerMmX;
        const float hMm = c.rect.h / m.pxPerMmY;
        if (wMm < kMinTargetMm - 0.01f || hMm < kMinTargetMm - 0.01f) {
            problems.push_back(c.element->id + " is " + std::to_string(wMm) + " x " + std::to_string(hMm) + " mm (at least 15 x 15)");
        }
        if (c.overflows) problems.push_back(c.element->id + ": its text does not fit");
        if (c.rect.x < 0 || c.rect.y < 0 || c.rect.x + c.rect.w > m.width + 0.5f || c.rect.y + c.rect.h > m.height + 0.5f) {
            problems.push_back(c.element->id + " lies (partly) off the screen");
        }
    }
    for (std::size_t i = 0; i < layout.controls.size(); ++i) {
        for (std::size_t j = i + 1; j < layout.controls.size(); ++j) {
            const auto& a = layout.controls[i];
            const auto& b = layout.controls[j];
            if (a.overlay != b.overlay || !layout.visible(a) || !layout.visible(b)) continue;
            const float gapX = std::max(b.rect.x - (a.rect.x + a.rect.w), a.rect.x - (b.rect.x + b.rect.w)) / m.pxPerMmX;
            const float gapY = std::max(b.rect.y - (a.rect.y + a.rect.h), a.rect.y - (b.rect.y + b.rect.h)) / m.pxPerMmY;
            if (std::max(gapX, gapY) < kGapMm - 0.01f) {
                problems.push_back(a.element->id + " and " + b.element->id + " are closer than 3 mm");
            }
        }
    }
    if (layout.contentOverflows) problems.push_back("the screen's content does not fit above the keyboard and buttons");
    return problems;
}

// [SECTION] Partial redraw ---------------------------------------------------------------------

// What the window's back buffer holds when a frame begins, so that only the pixels a change
// can reach are drawn again (redraw.hpp, docs/performance.md). Its "age": 1 when it holds
// the last frame, 2 the one before, 0 when unknown. From the driver where it tells
// (EGL_EXT_buffer_age, GLX_EXT_buffer_age); Mesa's software rasteriser on X11 (llvmpipe,
// softpipe) tells nothing but keeps the back buffer after a swap (the swap copies it to the
// window), so there it is 1. Elsewhere 0: every frame drawn whole, which costs little on a
// GPU. KIOSK_REDRAW=whole draws every frame whole anyway (A/B measurements; a driver that
// would get it wrong).
class BackBuffer {
public:
    enum class Source { None, SwitchedOff, Egl, Glx, KeptBySoftware };

    // With the GL context current.
    void probe() {
        const char* redraw = std::getenv("KIOSK_REDRAW");
        if (redraw != nullptr && std::string_view(redraw) == "whole") {
            m_source = Source::SwitchedOff;
            return;
        }
        const char* driver = SDL_GetCurrentVideoDriver();
        const bool x11 = driver != nullptr && std::string_view(driver) == "x11";
        if (!x11) {
            // Wayland, KMS/DRM: EGL.
            auto getDisplay = reinterpret_cast<void* (*)()>(SDL_GL_GetProcAddress("eglGetCurrentDisplay"));
            auto getSurface = reinterpret_cast<void* (*)(int)>(SDL_GL_GetProcAddress("eglGetCurrentSurface"));
            auto queryString = reinterpret_cast<const char* (*)(void*, int)>(SDL_GL_GetProcAddress("eglQueryString"));
            m_eglQuerySurface = reinterpret_cast<unsigned (*)(void*, void*, int, int*)>(SDL_GL_GetProcAddress("eglQuerySurface"));
            if (getDisplay == nullptr || getSurface == nullptr || queryString == nullptr || m_eglQuerySurface == nullptr) return;
            m_display = getDisplay();
            m_surface = getSurface(kEglDraw);
            const char* extensions = m_display != nullptr ? queryString(m_display, kEglExtensions) : nullptr;
            if (m_surface != nullptr && extensions != nullptr && std::strstr(extensions, "EGL_EXT_buffer_age") != nullptr) {
                m_source = Source::Egl;
            }
            return;
        }
        auto getDisplay = reinterpret_cast<void* (*)()>(SDL_GL_GetProcAddress("glXGetCurrentDisplay"));
        auto getDrawable = reinterpret_cast<unsigned long (*)()>(SDL_GL_GetProcAddress("glXGetCurrentDrawable"));
        auto queryExtensions = reinterpret_cast<const char* (*)(void*, int)>(SDL_GL_GetProcAddress("glXQueryExtensionsString"));
        m_glxQueryDrawable = reinterpret_cast<void (*)(void*, unsigned long, int, unsigned*)>(SDL_GL_GetProcAddress("glXQueryDrawable"));
        if (getDisplay != nullptr && getDrawable != nullptr && queryExtensions != nullptr && m_glxQueryDrawable != nullptr) {
            m_display = getDisplay();
            m_drawable = getDrawable();
            const char* extensions = m_display != nullptr ? queryExtensions(m_display, 0) : nullptr;
            if (extensions != nullptr && std::strstr(extensions, "GLX_EXT_buffer_age") != nullptr) {
                m_source = Source::Glx;
                return;
            }
        }
        if (m_display == nullptr || m_drawable == 0) return;   // not GLX (SDL's X11 on EGL): not known
        const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
        // At the start of the name: "zink (llvmpipe ...)" is Vulkan, with a swap chain.
        if (renderer != nullptr && (std::string_view(renderer).starts_with("llvmpipe") || std::string_view(renderer).starts_with("softpipe"))) {
            m_source = Source::KeptBySoftware;
        }
    }

    // For the log at start (operator guide, "Screen drawing").
    std::string describe() const {
        switch (m_source) {
        case Source::None: return "every frame whole (the driver does not tell what its back buffer holds)";
        case Source::SwitchedOff: return "every frame whole (KIOSK_REDRAW=whole)";
        case Source::Egl: return "only what changed (EGL_EXT_buffer_age)";
        case Source::Glx: return "only what changed (GLX_EXT_buffer_age)";
        case Source::KeptBySoftware: return "only what changed (Mesa's software rasteriser keeps the back buffer)";
        }
        return {};
    }

    // How many of the last frames to keep for comparing: the oldest age that can be used
    // (older back buffers are drawn whole).
    std::size_t framesNeeded() const {
        switch (m_source) {
        case Source::None:
        case Source::SwitchedOff: return 0;
        case Source::KeptBySoftware: return 1;
        case Source::Egl:
        case Source::Glx: return 3;
        }
        return 0;
    }

    // Before drawing a frame.
    int age() const {
        switch (m_source) {
        case Source::None:
        case Source::SwitchedOff: return 0;
        case Source::KeptBySoftware: return 1;
        case Source::Egl: {
            int age = 0;
            return m_eglQuerySurface(m_display, m_surface, kEglBufferAge, &age) != 0 ? age : 0;
        }
        case Source::Glx: {
            unsigned age = 0;
            m_glxQueryDrawable(m_display, m_drawable, kGlxBackBufferAge, &age);
            return static_cast<int>(age);
        }
        }
        return 0;
    }

private:
    static constexpr int kEglDraw = 0x3059;            // EGL_DRAW
    static constexpr int kEglExtensions = 0x3055;      // EGL_EXTENSIONS
    static constexpr int kEglBufferAge = 0x313D;       // EGL_BUFFER_AGE_EXT
    static constexpr int kGlxBackBufferAge = 0x20F4;   // GLX_BACK_BUFFER_AGE_EXT
    Source m_source = Source::None;
    void* m_display = nullptr;
    void* m_surface = nullptr;
    unsigned long m_drawable = 0;
    unsigned (*m_eglQuerySurface)(void*, void*, int, int*) = nullptr;
    void (*m_glxQueryDrawable)(void*, unsigned long, int, unsigned*) = nullptr;
};

// A frame as drawn: what a later frame is compared with when the back buffer holds it.
struct DrawnFrame {
    FrameTriangles triangles;
    std::array<float, 3> clear{};
    std::uint64_t textures = 0;
};

// KIOSK_CHECK_REDRAW=1 (tests, docs/performance.md): after each partial redraw the frame is
// drawn whole as well and the two compared pixel by pixel; a difference is a script
// failure. KIOSK_CHECK_REDRAW=shrink draws 8 pixels less on each side of the changed area,
// so that the check has something to find (it must fail).
enum class RedrawCheck { Off, On, Shrink };

RedrawCheck redrawCheckFromEnvironment() {
    const char* value = std::getenv("KIOSK_CHECK_REDRAW");
    if (value == nullptr || *value == '\0' || std::string_view(value) == "0") return RedrawCheck::Off;
    return std::string_view(value) == "shrink" ? RedrawCheck::Shrink : RedrawCheck::On;
}

// [SECTION] The loop ----------------------------------------------------------------------------

class App {
public:
    App(core::Controller& controller, OffsetClock& clock, const AppOptions& options)
        : m_controller(controller), m_clock(clock), m_options(options) {}

    int run() {
        trace::event("startup", "app");  // KIOSK_TRACE: the steps to the first frame
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            std::cerr << "kiosk: cannot start the display: " << SDL_GetError() << '\n';
            return 2;
        }
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
        SDL_DisplayMode mode{};
        SDL_GetDesktopDisplayMode(0, &mode);
        Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
        int width = mode.w > 0 ? mode.w : 1280;
        int height = mode.h > 0 ? mode.h : 800;
        if (!m_options.window) {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        } else {
            width = std::min(width, 1280);
            height = std::min(height, 800);
        }
        // The pictograms, and the first text size's font atlas made on a worker thread
        // while SDL makes the window and the GL context (docs/performance.md).
        if (m_options.icons != nullptr) {
            m_icons = *m_options.icons;
        } else {
            auto icons = forms::IconCatalog::loadTsv(core::assetsDir() / "icons/material-icons.tsv");
            if (!icons) {
                std::cerr << "kiosk: " << icons.error() << '\n';
                return 2;
            }
            m_icons = std::move(*icons);
        }
        m_fontSet = std::make_unique<FontSet>(m_icons, m_options.iconNames);
        if (mode.h > 0) {
            m_fontSet->prebuild(m_controller.settings().textSize,
                                static_cast<float>(mode.h) / static_cast<float>(m_options.display.heightMm));
        }
        // The title gets "kiosk" only after the first frame is on screen (readiness marker).
        m_window = SDL_CreateWindow("Toegang", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
        if (m_window == nullptr) {
            std::cerr << "kiosk: cannot open the window: " << SDL_GetError() << '\n';
            return 2;
        }
        trace::event("startup", "window");
        m_gl = SDL_GL_CreateContext(m_window);
        if (m_gl == nullptr) {
            std::cerr << "kiosk: no OpenGL: " << SDL_GetError() << '\n';
            return 2;
        }
        SDL_GL_MakeCurrent(m_window, m_gl);
        SDL_GL_SetSwapInterval(1);
        m_backBuffer.probe();
        std::cerr << "kiosk: drawing: " << m_backBuffer.describe() << '\n';
        trace::event("startup", "gl");
        m_fontSet->waitForPrebuild();
        trace::event("startup", "fonts");
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;   // nothing written to disk
        ImGui::GetIO().LogFilename = nullptr;
        ImGui_ImplSDL2_InitForOpenGL(m_window, m_gl);
        ImGui_ImplOpenGL3_Init("#version 130");
        // Now, with ImGui's own (empty) atlas: NewFrame would otherwise upload the first
        // text size's atlas a second time. FontSet makes and owns the font textures.
        ImGui_ImplOpenGL3_CreateDeviceObjects();
        SDL_StartTextInput();
        trace::event("startup", "imgui");

        int drawableW = 0, drawableH = 0;
        SDL_GL_GetDrawableSize(m_window, &drawableW, &drawableH);
        m_metrics.width = static_cast<float>(drawableW);
        m_metrics.height = static_cast<float>(drawableH);
        // Millimetres come from the physical screen: the desktop's pixels over the
        // configured visible size (a preview window shows the kiosk at the real scale).
        const float screenW = static_cast<float>(mode.w > 0 ? mode.w : drawableW);
        const float screenH = static_cast<float>(mode.h > 0 ? mode.h : drawableH);
        m_metrics.pxPerMmX = screenW / static_cast<float>(m_options.display.widthMm);
        m_metrics.pxPerMmY = screenH / static_cast<float>(m_options.display.heightMm);

        if (m_options.script) {
            std::ifstream in(*m_options.script);
            std::stringstream text;
            text << in.rdbuf();
            auto parsed = core::parseScript(text.str());
            if (!parsed) {
                std::cerr << m_options.script->string() << ": " << parsed.error() << '\n';
                shutdown();
                return 1;
            }
            m_script.commands = std::move(*parsed);
        }
        if (m_options.watchDir) {
            m_folderEvent = SDL_RegisterEvents(1);
            if (m_folderEvent != static_cast<Uint32>(-1)) {
                m_folderWatch = std::make_unique<FolderWatch>(*m_options.watchDir, m_folderEvent);
                if (!m_folderWatch->valid()) {
                    std::cerr << "kiosk preview: cannot watch " << m_folderWatch->error()
                              << "; saved files are not shown until the preview starts again\n";
                }
            } else {
                m_folderEvent = 0;
            }
        }
        const int status = loop();
        m_folderWatch.reset();   // its thread pushes SDL events: gone before SDL's video goes
        shutdown();
        return status;
    }

private:
    void shutdown() {
        if (m_fontSet) m_fontSet->release();
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
        if (m_gl != nullptr) SDL_GL_DeleteContext(m_gl);
        if (m_window != nullptr) SDL_DestroyWindow(m_window);
        // Not SDL_Quit(): the speaker may still use SDL audio; main quits SDL at the end.
        SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    }

    void flushSpeech() {
        speech::Speaker* speaker = m_options.speaker;
        if (speaker != nullptr) {
            // The citizen's speed and volume settings, applied before the next words.
            const auto& settings = m_controller.settings();
            if (speaker->rate() != settings.speechRate) speaker->setRate(settings.speechRate);
            if (speaker->volume() != settings.volume) speaker->setVolume(settings.volume);
        }
        for (auto& utterance : m_controller.takeUtterances()) {
            m_script.spokenSinceExpect.push_back(utterance.text);
            if (m_script.spokenSinceExpect.size() > kSpokenKept) {
                m_script.spokenSinceExpect.erase(m_script.spokenSinceExpect.begin(),
                                                 m_script.spokenSinceExpect.begin() + static_cast<std::ptrdiff_t>(kSpokenKept / 2));
            }
            if (speaker == nullptr) continue;
            const auto id = utterance.interrupt ? speaker->say(utterance.text, utterance.language)
                                                : speaker->queue(utterance.text, utterance.language);
            if (!utterance.segments.empty()) {
                m_spoken[id] = std::move(utterance);
                while (m_spoken.size() > 8) forgetSpoken(m_spoken.begin());
            }
        }
    }

    void forgetSpoken(std::map<speech::UtteranceId, core::Utterance>::iterator entry) {
        kiosk::wipe(entry->second.text);
        m_spoken.erase(entry);
    }

    // The word being heard, if it reads a text of the screen now shown.
    Highlight currentHighlight() {
        Highlight none;
        if (m_options.speaker == nullptr) return none;
        const auto word = m_options.speaker->currentWord();
        m_highlightedWord = word;
        if (!word) return none;
        const auto found = m_spoken.find(word->utterance);
        if (found == m_spoken.end() || found->second.screenId != m_screen.id) return none;
        for (const auto& segment : found->second.segments) {
            if (word->byteOffset >= segment.start && word->byteOffset < segment.start + segment.length &&
                segment.textIndex < m_screen.texts.size()) {
                return {&m_screen.texts[segment.textIndex], word->byteOffset - segment.start,
                        std::min(word->byteLength, segment.start + segment.length - word->byteOffset)};
            }
        }
        return none;
    }

    // Staff's own icon as a texture, made once per text size (SVGs are drawn at the size
    // they are shown, so they stay sharp).
    ImTextureID customIcon(const std::string& name) {
        // The forms were read again (staff reload, a preview's save): an icon file may have
        // changed under the same name, or come since it was found missing.
        if (m_iconGeneration != m_controller.formsGeneration()) {
            dropIconTextures();
            m_iconGeneration = m_controller.formsGeneration();
        }
        const int size = static_cast<int>(m_fonts.icons != nullptr ? m_fonts.icons->FontSize : 64);
        const std::string key = name + "@" + std::to_string(size);
        if (auto found = m_iconTextures.find(key); found != m_iconTextures.end()) {
            return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(found->second));
        }
        GLuint texture = 0;
        const forms::PublicKey* signatureKey =
            m_options.formsSignatureKey ? &*m_options.formsSignatureKey : nullptr;
        if (auto image = loadIconImage(m_options.formsDir, name, size, signatureKey)) {
            glGenTextures(1, &texture);
            glBindTexture(GL_TEXTURE_2D, texture);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, image->width, image->height, 0, GL_RGBA, GL_UNSIGNED_BYTE, image->rgba.data());
            ++g_textureGeneration;
        }
        m_iconTextures[key] = texture;  // 0 remembers "none": the file is not read again
        return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture));
    }

    void dropIconTextures() {
        for (const auto& [key, texture] : m_iconTextures) {
            if (texture != 0) glDeleteTextures(1, &texture);
        }
        m_iconTextures.clear();
        ++g_textureGeneration;
    }

    // `expect icon-colour NAME RRGGBB`: the staff icon NAME's texture, as made for the text
    // size now shown, has that colour (each channel within 24) at its centre. Tells which
    // file the window drew from after the icon file changed.
    std::optional<std::string> iconColourProblem(const std::string& name, const std::string& hex) {
        const auto texture = static_cast<GLuint>(reinterpret_cast<intptr_t>(customIcon(name)));
        if (texture == 0) return "the staff icon '" + name + "' is not drawn: no usable icons/" + name + ".png or .svg";
        glBindTexture(GL_TEXTURE_2D, texture);
        GLint width = 0;
        GLint height = 0;
        glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH, &width);
        glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_HEIGHT, &height);
        if (width <= 0 || height <= 0) return "the staff icon '" + name + "' has an empty texture";
        std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        const std::size_t centre = (static_cast<std::size_t>(height / 2) * static_cast<std::size_t>(width) +
                                    static_cast<std::size_t>(width / 2)) * 4;
        const auto wanted = std::stoul(hex, nullptr, 16);
        char got[8];
        std::snprintf(got, sizeof got, "%02X%02X%02X", pixels[centre], pixels[centre + 1], pixels[centre + 2]);
        for (int channel = 0; channel < 3; ++channel) {
            const int want = static_cast<int>((wanted >> (16 - 8 * channel)) & 0xFF);
            if (std::abs(pixels[centre + static_cast<std::size_t>(channel)] - want) > 24) {
                return "the staff icon '" + name + "' is drawn with " + got + " at its centre, not " + hex;
            }
        }
        return std::nullopt;
    }

    void stopSpeaking() {
        if (m_options.speaker != nullptr) m_options.speaker->stop();
    }

    // The screen model and its layout, from the controller as it is now (no drawing).
    void relayout() {
        m_screen = m_controller.screen();
        // Pictograms that first appear now (forms reloaded, a preview's saved file) are
        // added to the atlases before the layout measures them.
        m_fontSet->require(m_screen.elements);
        m_fontSet->build(m_controller.settings().textSize, m_metrics, m_fonts);
        // A new screen starts at its top.
        if (m_screen.id != m_lastScreenId) {
            m_scroll = 0;
            // Back on the welcome screen a session has ended: hand the heap memory it freed
            // back to the system, so that a kiosk running for months keeps a flat footprint
            // (glibc otherwise keeps freed blocks in its arenas, fragmented).
            if (m_screen.id == "welcome" && !m_lastScreenId.empty()) malloc_trim(0);
            m_lastScreenId = m_screen.id;
            // Only the shown screen's words are highlighted: what other screens said (it can
            // read answers back) is wiped, so nothing of a session outlives it here.
            for (auto entry = m_spoken.begin(); entry != m_spoken.end();) {
                const auto next = std::next(entry);
                if (entry->second.screenId != m_screen.id) forgetSpoken(entry);
                entry = next;
            }
        }
        Layouter layouter(m_metrics, m_fonts, *m_fontSet);
        m_layout = layouter.run(m_screen, m_scroll);
        // Keep the focused control in view when the focus moves (keyboard, keypad, switch).
        if (m_layout.scrollable && m_controller.focus() != m_lastFocus) {
            m_lastFocus = m_controller.focus();
            if (const auto* focused = m_layout.find(m_lastFocus); focused != nullptr && focused->scrolls && !m_layout.visible(*focused)) {
                const Rect& area = m_layout.contentArea;
                if (focused->rect.y < area.y) m_scroll -= area.y - focused->rect.y;
                else m_scroll += (focused->rect.y + focused->rect.h) - (area.y + area.h);
                m_layout = layouter.run(m_screen, m_scroll);
            }
        }
    }

    void render() {
        relayout();
        m_lastDrawn = std::chrono::steady_clock::now();
        m_undrawn = false;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        const core::Theme& theme = core::themes()[static_cast<std::size_t>(m_controller.settings().theme)];
        // The privacy curtain: nothing readable over the citizen's shoulder (the black clear
        // colour, nothing drawn on it).
        const bool curtain = m_controller.settings().curtain;
        if (!curtain) {
            drawScreen(m_screen, m_layout, m_fonts, *m_fontSet, theme, m_controller.focus(), m_metrics, currentHighlight(),
                       [this](const std::string& name) { return customIcon(name); });
        }
        ImGui::Render();
        ImDrawData& data = *ImGui::GetDrawData();
        const int width = static_cast<int>(m_metrics.width);
        const int height = static_cast<int>(m_metrics.height);
        const PixelRect whole{0, 0, width, height};
        const std::array<float, 3> clear = curtain ? std::array<float, 3>{0, 0, 0}
                                                   : std::array<float, 3>{theme.background.r / 255.0f, theme.background.g / 255.0f,
                                                                          theme.background.b / 255.0f};
        // Partial redraw (redraw.hpp): what changed since the frame the back buffer holds.
        // (Not worked out where no frame is kept: every frame is drawn whole there.)
        DrawnFrame frame{m_backBuffer.framesNeeded() > 0 ? FrameTriangles::of(data) : FrameTriangles{}, clear,
                         g_textureGeneration};
        PixelRect area = whole;
        const int age = m_backBuffer.age();
        if (age > 0 && static_cast<std::size_t>(age) <= m_drawn.size()) {
            const DrawnFrame& held = m_drawn[m_drawn.size() - static_cast<std::size_t>(age)];
            if (held.clear == clear && held.textures == frame.textures) {
                area = changedArea(held.triangles, frame.triangles);
                if (m_redrawCheck == RedrawCheck::Shrink && area.width() > 16 && area.height() > 16) {
                    area = {area.x0 + 8, area.y0 + 8, area.x1 - 8, area.y1 - 8};
                }
            }
        }
        const bool partial = area != whole;
        std::vector<ImVec4> clips;   // the draw commands' own clip rectangles, for the check
        if (partial && m_redrawCheck != RedrawCheck::Off) clips = clipRects(data);
        glViewport(0, 0, width, height);
        drawArea(data, area, clear, partial);
        if (partial && m_redrawCheck != RedrawCheck::Off) checkRedraw(data, clips, area, clear);
        m_drawn.push_back(std::move(frame));
        while (m_drawn.size() > m_backBuffer.framesNeeded()) m_drawn.pop_front();
        if (m_pendingScreenshot) {
            glFinish();
            if (!writeScreenshot(*m_pendingScreenshot, static_cast<int>(m_metrics.width), static_cast<int>(m_metrics.height))) {
                std::cerr << "kiosk: cannot write " << m_pendingScreenshot->string() << '\n';
                ++m_script.failures;
            }
            m_pendingScreenshot.reset();
        }
        SDL_GL_SwapWindow(m_window);
        // KIOSK_TRACE: the frame is handed to the display; how many pixels were drawn again.
        if (trace::enabled()) trace::event("frame", std::to_string(area.area()));
        if (!m_firstFrameShown) {
            m_firstFrameShown = true;
            SDL_SetWindowTitle(m_window, m_options.preview ? "Toegang kiosk PREVIEW (not a live kiosk)" : "Toegang kiosk");
            if (m_options.afterFirstFrame) m_options.afterFirstFrame();
        }
    }

    // Clears and draws `area` of the bound framebuffer (all of it when not partial).
    static void drawArea(ImDrawData& data, const PixelRect& area, const std::array<float, 3>& clear, bool partial) {
        if (area.empty()) return;   // nothing changed: the back buffer is shown as it is
        glClearColor(clear[0], clear[1], clear[2], 1);
        if (partial) {
            glEnable(GL_SCISSOR_TEST);
            glScissor(area.x0, static_cast<int>(data.DisplaySize.y * data.FramebufferScale.y) - area.y1, area.width(), area.height());
            glClear(GL_COLOR_BUFFER_BIT);
            glDisable(GL_SCISSOR_TEST);
            clipDrawData(data, area);
        } else {
            glClear(GL_COLOR_BUFFER_BIT);
        }
        ImGui_ImplOpenGL3_RenderDrawData(&data);
    }

    static std::vector<ImVec4> clipRects(const ImDrawData& data) {
        std::vector<ImVec4> clips;
        for (int l = 0; l < data.CmdListsCount; ++l) {
            for (const ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) clips.push_back(cmd.ClipRect);
        }
        return clips;
    }

    // KIOSK_CHECK_REDRAW: the partially redrawn frame (now in the back buffer) against the
    // same frame drawn whole over it (which is then shown).
    void checkRedraw(ImDrawData& data, const std::vector<ImVec4>& clips, const PixelRect& area, const std::array<float, 3>& clear) {
        const int width = static_cast<int>(m_metrics.width);
        const int height = static_cast<int>(m_metrics.height);
        const auto readBack = [&] {
            std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
            return pixels;
        };
        const auto partialPixels = readBack();
        std::size_t at = 0;
        for (int l = 0; l < data.CmdListsCount; ++l) {
            for (ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) cmd.ClipRect = clips[at++];
        }
        drawArea(data, PixelRect{0, 0, width, height}, clear, false);
        const auto wholePixels = readBack();
        ++m_redrawChecked;
        std::size_t differ = 0;
        std::size_t first = 0;
        for (std::size_t i = 0; i < partialPixels.size(); i += 4) {
            const bool same = partialPixels[i] == wholePixels[i] && partialPixels[i + 1] == wholePixels[i + 1] &&
                              partialPixels[i + 2] == wholePixels[i + 2];   // red, green, blue
            if (!same && differ++ == 0) first = i / 4;
        }
        if (differ == 0) return;
        ++m_redrawDiffered;
        ++m_script.failures;
        // glReadPixels' rows go bottom-up.
        const auto x = static_cast<int>(first % static_cast<std::size_t>(width));
        const auto y = height - 1 - static_cast<int>(first / static_cast<std::size_t>(width));
        std::cerr << "kiosk: redraw check: " << differ << " pixels of a partial redraw differ from the whole frame, the first at "
                  << x << "," << y << " (redrawn: " << area.x0 << "," << area.y0 << " to " << area.x1 << "," << area.y1
                  << ") on " << m_screen.id << '\n';
    }

    void pushTap(const std::string& control, int line) {
        const auto* placed = m_layout.find(control);
        if (placed != nullptr && !m_layout.visible(*placed)) {
            // A person would scroll first: press the scroll buttons until it is in view.
            for (int i = 0; i < 20 && placed != nullptr && !m_layout.visible(*placed); ++i) {
                const bool above = placed->rect.y < m_layout.contentArea.y;
                const auto* button = m_layout.find(above ? "scroll-up" : "scroll-down");
                if (button == nullptr) break;
                pushTapAt(button->rect.cx(), button->rect.cy());
                pumpOnce(0);
                placed = m_layout.find(control);
            }
        }
        if (placed == nullptr || !m_layout.visible(*placed)) {
            std::cerr << "script line " << line << ": no control '" << control << "' on screen " << m_screen.id << '\n';
            ++m_script.failures;
            return;
        }
        pushTapAt(placed->rect.cx(), placed->rect.cy());
    }

    // A touch: finger down and up at a point, in the window's 0..1 space.
    void pushTapAt(float x, float y) {
        SDL_Event event{};
        event.type = SDL_FINGERDOWN;
        event.tfinger.touchId = 1;
        event.tfinger.fingerId = 1;
        event.tfinger.x = x / m_metrics.width;
        event.tfinger.y = y / m_metrics.height;
        event.tfinger.pressure = 1;
        SDL_PushEvent(&event);
        event.type = SDL_FINGERUP;
        SDL_PushEvent(&event);
    }

    // A swipe: finger down at the first point, moved in steps, lifted at the second (points
    // in the window's 0..1 space).
    void pushSwipe(const std::vector<double>& points) {
        constexpr int kSteps = 8;
        SDL_Event event{};
        event.tfinger.touchId = 1;
        event.tfinger.fingerId = 1;
        event.tfinger.pressure = 1;
        float x = static_cast<float>(points[0]);
        float y = static_cast<float>(points[1]);
        event.type = SDL_FINGERDOWN;
        event.tfinger.x = x;
        event.tfinger.y = y;
        SDL_PushEvent(&event);
        const float stepX = (static_cast<float>(points[2]) - x) / kSteps;
        const float stepY = (static_cast<float>(points[3]) - y) / kSteps;
        event.type = SDL_FINGERMOTION;
        for (int i = 0; i < kSteps; ++i) {
            x += stepX;
            y += stepY;
            event.tfinger.x = x;
            event.tfinger.y = y;
            event.tfinger.dx = stepX;
            event.tfinger.dy = stepY;
            SDL_PushEvent(&event);
        }
        event.type = SDL_FINGERUP;
        event.tfinger.dx = 0;
        event.tfinger.dy = 0;
        SDL_PushEvent(&event);
    }

    bool pushKey(const std::string& name, const std::string& modifier, int line) {
        const SDL_Keycode key = SDL_GetKeyFromName(normaliseKeyName(name).c_str());
        if (key == SDLK_UNKNOWN) {
            std::cerr << "script line " << line << ": unknown key '" << name << "'\n";
            ++m_script.failures;
            return false;
        }
        // One modifier, or several joined by '+': "Alt", "Ctrl+Alt".
        Uint16 mod = KMOD_NONE;
        std::istringstream parts(modifier);
        for (std::string part; std::getline(parts, part, '+');) {
            SDL_Keymod one = KMOD_NONE;
            if (part == "Alt") one = KMOD_LALT;
            else if (part == "Ctrl") one = KMOD_LCTRL;
            else if (part == "Shift") one = KMOD_LSHIFT;
            else if (part == "Gui") one = KMOD_LGUI;
            mod = static_cast<Uint16>(mod | one);
        }
        SDL_Event event{};
        event.type = SDL_KEYDOWN;
        event.key.state = SDL_PRESSED;
        event.key.keysym.sym = key;
        event.key.keysym.scancode = SDL_GetScancodeFromKey(key);
        event.key.keysym.mod = mod;
        SDL_PushEvent(&event);
        // A real keyboard also sends the typed character as text input.
        const bool printable = (key >= SDLK_SPACE && key < SDLK_DELETE) && mod == KMOD_NONE;
        if (printable) {
            SDL_Event text{};
            text.type = SDL_TEXTINPUT;
            const char typed = key == SDLK_SPACE ? ' ' : static_cast<char>(key);
            text.text.text[0] = typed;
            text.text.text[1] = '\0';
            SDL_PushEvent(&text);
        }
        event.type = SDL_KEYUP;
        event.key.state = SDL_RELEASED;
        SDL_PushEvent(&event);
        return true;
    }

    // The on-screen keys to tap for one character (shift or the accent layer first).
    std::vector<std::string> keysFor(const std::string& character) const {
        static const std::string kAccented = "\u00e0\u00e1\u00e2\u00e4\u00e8\u00e9\u00ea\u00eb\u00ef\u00ed\u00f3\u00f6\u00f4\u00fa\u00fc\u00fb\u00e7\u00f1\u015f\u011f\u0131\u0105\u0107\u0119\u0142\u0144\u015b\u017a\u017c";
        if (character == " ") return {"key:space"};
        if (character.size() == 1 && character[0] >= 'A' && character[0] <= 'Z') {
            const std::string key = "key:" + std::string(1, static_cast<char>(character[0] - 'A' + 'a'));
            // Keyboards for postcodes and IBANs type capitals without a shift key.
            if (m_layout.find("key:shift") == nullptr) return {key};
            return {"key:shift", key};
        }
        if (character.size() > 1 && kAccented.find(character) != std::string::npos) {
            return {"key:accents", "key:" + character};
        }
        return {"key:" + character};
    }

    // Runs the next script command. Returns false when the script has ended.
    bool stepScript() {
        using K = core::ScriptCommand::Kind;
        if (m_script.next >= m_script.commands.size()) return false;
        const auto& command = m_script.commands[m_script.next++];
        auto fail = [&](const std::string& message) {
            std::cerr << m_options.script->string() << ":" << command.line << ": expect failed: " << message << '\n';
            ++m_script.failures;
        };
        switch (command.kind) {
            case K::Tap:
                pushTap(command.argument, command.line);
                break;
            case K::Type: {
                // Key by key on the on-screen keyboard, each tap processed before the next.
                std::vector<std::string> characters;
                const std::string& text = command.argument;
                for (std::size_t i = 0; i < text.size();) {
                    std::size_t length = 1;
                    const auto lead = static_cast<unsigned char>(text[i]);
                    if (lead >= 0xF0) length = 4; else if (lead >= 0xE0) length = 3; else if (lead >= 0xC0) length = 2;
                    characters.push_back(text.substr(i, length));
                    i += length;
                }
                for (const auto& character : characters) {
                    for (const auto& key : keysFor(character)) {
                        pushTap(key, command.line);
                        pumpOnce(0);
                    }
                }
                break;
            }
            case K::Key:
                pushKey(command.argument, "", command.line);
                break;
            case K::KeyWithModifier:
                pushKey(command.argument, command.modifier, command.line);
                break;
            case K::Wait: {
                const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(command.number));
                while (std::chrono::steady_clock::now() < until) pumpOnce(5);
                break;
            }
            case K::Advance:
                m_clock.advance(std::chrono::milliseconds(static_cast<long>(command.number * 1000)));
                m_controller.tick();
                m_dirty = true;
                break;
            case K::Screenshot:
                m_pendingScreenshot = command.argument;
                m_dirty = true;
                break;
            case K::Settle:
                break;
            case K::TapAny: {
                // The controls a finger can touch now (the staff corner is a gesture, not a
                // control), in screen order; the number picks one.
                const bool overlayOpen = !m_screen.overlay.empty();
                std::vector<const PlacedControl*> touchable;
                for (const auto& c : m_layout.controls) {
                    if (c.overlay == overlayOpen && m_layout.visible(c) && c.element->id != "staff-corner") touchable.push_back(&c);
                }
                if (touchable.empty()) break;
                const auto index = std::min(touchable.size() - 1, static_cast<std::size_t>(command.number * static_cast<double>(touchable.size())));
                pushTapAt(touchable[index]->rect.cx(), touchable[index]->rect.cy());
                break;
            }
            case K::TapIfShown: {
                const auto* placed = m_layout.find(command.argument);
                if (placed != nullptr && placed->overlay == !m_screen.overlay.empty()) pushTap(command.argument, command.line);
                break;
            }
            case K::Touch:
                pushTapAt(static_cast<float>(command.points[0]) * m_metrics.width,
                          static_cast<float>(command.points[1]) * m_metrics.height);
                break;
            case K::Swipe:
                pushSwipe(command.points);
                break;
            case K::MemoryMark:
                m_script.memoryMarkKiB = settledResidentKiB();
                std::cerr << "kiosk: memory mark: resident " << m_script.memoryMarkKiB << " KiB\n";
                break;
            case K::ExpectMemoryGrowth: {
                const long now = settledResidentKiB();
                std::cerr << "kiosk: memory: resident " << now << " KiB, " << (now - m_script.memoryMarkKiB)
                          << " KiB since the mark\n";
                if (m_script.memoryMarkKiB < 0) fail("no 'memory mark' before 'expect memory-growth'");
                else if (static_cast<double>(now - m_script.memoryMarkKiB) >= command.number) {
                    fail("resident memory grew by " + std::to_string(now - m_script.memoryMarkKiB) + " KiB since the mark, not less than " +
                         std::to_string(static_cast<long>(command.number)) + " KiB");
                }
                break;
            }
            case K::WaitForOnScreen: {
                // Real time passes (events, the folder watch, timers) until the text shows.
                const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(command.number));
                while (!screenContains(m_controller.screen(), command.argument) && std::chrono::steady_clock::now() < until) pumpOnce(10);
                if (!screenContains(m_controller.screen(), command.argument)) {
                    fail("'" + command.argument + "' did not show on screen " + m_controller.screenId() + " within " +
                         std::to_string(static_cast<long>(command.number)) + " ms");
                }
                break;
            }
            case K::ReplaceInFile: {
                // As an editor saves: the whole new text to a temporary file, renamed over it.
                const std::filesystem::path file = command.argument;
                std::ifstream in(file);
                std::stringstream text;
                text << in.rdbuf();
                std::string content = text.str();
                const auto at = content.find(command.extra);
                if (!in || at == std::string::npos) {
                    fail("'" + command.extra + "' is not in " + file.string());
                    break;
                }
                content.replace(at, command.extra.size(), command.replacement);
                const std::filesystem::path temporary = file.string() + ".edit~";
                {
                    std::ofstream out(temporary, std::ios::trunc);
                    out << content;
                }
                std::error_code error;
                std::filesystem::rename(temporary, file, error);
                if (error) fail("cannot save " + file.string() + ": " + error.message());
                break;
            }
            case K::ExpectOnScreen:
            case K::ExpectNotOnScreen: {
                const bool found = screenContains(m_controller.screen(), command.argument);
                if (command.kind == K::ExpectOnScreen && !found) fail("'" + command.argument + "' is not on screen " + m_controller.screenId());
                if (command.kind == K::ExpectNotOnScreen && found) fail("'" + command.argument + "' is on screen " + m_controller.screenId());
                break;
            }
            case K::ExpectScreen:
                if (m_controller.screenId() != command.argument) fail("screen is " + m_controller.screenId() + ", not " + command.argument);
                break;
            case K::ExpectFocus:
                if (m_controller.focus() != command.argument) fail("focus is on '" + m_controller.focus() + "', not " + command.argument);
                break;
            case K::ExpectSpoken:
            case K::ExpectNotSpoken: {
                flushSpeech();
                const bool found = std::ranges::any_of(m_script.spokenSinceExpect, [&](const std::string& said) {
                    return said.find(command.argument) != std::string::npos;
                });
                if (command.kind == K::ExpectSpoken && !found) {
                    std::string all;
                    for (const auto& said : m_script.spokenSinceExpect) all += "\n    \"" + said + "\"";
                    fail("'" + command.argument + "' was not spoken; spoken since the last expect:" + all);
                }
                if (command.kind == K::ExpectNotSpoken && found) fail("'" + command.argument + "' was spoken");
                if (command.kind == K::ExpectSpoken) m_script.spokenSinceExpect.clear();
                break;
            }
            case K::ExpectField: {
                const Screen screen = m_controller.screen();
                const auto* field = screen.find("field:" + command.argument);
                if (field == nullptr) {
                    fail("no field '" + command.argument + "' on screen " + screen.id);
                } else if (field->label != command.extra) {
                    fail("field '" + command.argument + "' holds '" + field->label + "', not '" + command.extra + "'");
                }
                break;
            }
            case K::ExpectLayout: {
                render();
                for (const auto& problem : layoutProblems(m_layout, m_metrics)) fail("layout on " + m_screen.id + ": " + problem);
                break;
            }
            case K::ExpectIconDrawn: {
                render();
                const auto point = m_icons.codePoint(command.argument);
                if (!point) {
                    fail("'" + command.argument + "' is not a pictogram of assets/icons/material-icons.tsv");
                } else if (m_fonts.body == nullptr || m_fonts.body->FindGlyphNoFallback(static_cast<ImWchar>(*point)) == nullptr ||
                           m_fonts.icons == nullptr || m_fonts.icons->FindGlyphNoFallback(static_cast<ImWchar>(*point)) == nullptr) {
                    fail("the pictogram '" + command.argument + "' is not in the font atlas: it shows as missing on " + m_screen.id);
                }
                break;
            }
            case K::ExpectIconColour: {
                render();
                if (auto problem = iconColourProblem(command.argument, command.extra)) fail(*problem);
                break;
            }
        }
        return true;
    }

    // Resident memory for `memory mark` and `expect memory-growth`, read the same way at
    // both: the screen as it is now drawn and the frame finished (llvmpipe holds ~64 KiB
    // blocks per frame in flight, 2 MiB and more for a full screen, until its threads are
    // done), then the freed heap handed back as on every return to the welcome screen. So
    // the figure is what the kiosk keeps, not where a frame or a free happened to be.
    long settledResidentKiB() {
        if (m_undrawn) render();
        glFinish();
        malloc_trim(0);
        return residentKiB();
    }

    // Handles pending events (waiting at most `timeoutMs` for the first), then draws if
    // anything changed.
    void pumpOnce(int timeoutMs) {
        SDL_Event event;
        bool got = timeoutMs > 0 ? SDL_WaitEventTimeout(&event, timeoutMs) != 0 : SDL_PollEvent(&event) != 0;
        while (got) {
            traceInput(event);
            // The window's buffers may have been made anew: the next frame is drawn whole.
            if (event.type == SDL_WINDOWEVENT &&
                (event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || event.window.event == SDL_WINDOWEVENT_SHOWN ||
                 event.window.event == SDL_WINDOWEVENT_RESTORED)) {
                m_drawn.clear();   // (handleEvent asks for the frame)
            }
            if (m_folderEvent != 0 && event.type == m_folderEvent) {
                // A form file was saved (the preview): read the folder again, keep the place.
                m_controller.reloadForms();
                std::cerr << "kiosk preview: forms read again\n";
                m_dirty = true;
                got = SDL_PollEvent(&event) != 0;
                if (got) relayout();
                continue;
            }
            const bool changed = handleEvent(event, m_controller, m_layout, m_screen, m_input, m_metrics, m_window,
                                             [this] { stopSpeaking(); }, m_scroll);
            m_dirty |= changed;
            got = SDL_PollEvent(&event) != 0;
            // The next event of the same batch is hit-tested against the screen as it is now,
            // not as it was last drawn (a second tap must not land on a control that is gone).
            if (changed && got) relayout();
        }
        const auto before = m_controller.screenId();
        m_controller.tick();
        if (m_options.script) {
            m_script.visited.insert(before);
            m_script.visited.insert(m_controller.screenId());
        }
        if (m_controller.screenId() != before || m_screen.countdown >= 0) m_dirty = true;
        if (m_controller.revision() != m_revision) {
            m_revision = m_controller.revision();   // something changed by itself (a self-test)
            m_dirty = true;
        }
        traceFocus();
        flushSpeech();
        if (m_options.speaker != nullptr && m_options.speaker->currentWord() != m_highlightedWord) m_dirty = true;
        if (m_dirty) {
            if (scriptFrameDue()) {
                render();
            } else {
                // Script: the model and layout follow every change (taps are placed from it),
                // but the frame is drawn later; the heard word counts as drawn.
                relayout();
                if (m_options.speaker != nullptr) m_highlightedWord = m_options.speaker->currentWord();
                m_undrawn = true;
            }
            m_dirty = false;
        } else if (m_undrawn && scriptFrameDue()) {
            render();
        }
    }

    // KIOSK_TRACE (docs/performance.md, bench/kiosk_bench.sh): when a key, touch or click
    // is handled, and when the focus or the screen changes (before its words go to the
    // speaker). Ids only: nothing typed, nothing said.
    static void traceInput(const SDL_Event& event) {
        if (!trace::enabled()) return;
        if (event.type == SDL_KEYDOWN || event.type == SDL_FINGERDOWN || event.type == SDL_MOUSEBUTTONDOWN) trace::event("input");
    }
    void traceFocus() {
        if (!trace::enabled()) return;
        if (m_controller.screenId() != m_tracedScreen) {
            m_tracedScreen = m_controller.screenId();
            trace::event("screen", m_tracedScreen);
        }
        if (m_controller.focus() != m_tracedFocus) {
            m_tracedFocus = m_controller.focus();
            trace::event("focus");
        }
    }

    // A script plays far faster than a screen shows frames, and drawing 1920 x 1080 in
    // software (Xvfb, llvmpipe) is what its time went on (~20 ms a frame, 80 % of a soak).
    // So a script draws a frame at most every kScriptFrameInterval, and always for a
    // screenshot; the last state is drawn when the script ends. Without a script, always.
    [[nodiscard]] bool scriptFrameDue() const {
        // KIOSK_CHECK_REDRAW: a frame after every command, each one checked.
        return !m_options.script || m_pendingScreenshot || m_redrawCheck != RedrawCheck::Off ||
               std::chrono::steady_clock::now() - m_lastDrawn >= kScriptFrameInterval;
    }

    // One line on stderr after a script: how long it took, its slowest command, the screens seen.
    void printScriptSummary(std::chrono::steady_clock::duration took) const {
        using Ms = std::chrono::duration<double, std::milli>;
        const double totalMs = Ms(took).count();
        const std::size_t count = std::max<std::size_t>(1, m_script.next);
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(1);
        line << "kiosk: script: " << m_script.next << " commands in " << totalMs / 1000 << " s (mean "
             << totalMs / static_cast<double>(count) << " ms, slowest " << Ms(m_script.slowest).count() << " ms at line "
             << m_script.slowestLine << "); screens visited (" << m_script.visited.size() << "):";
        for (const auto& id : m_script.visited) line << ' ' << id;
        std::cerr << line.str() << '\n';
    }

    int loop() {
        render();
        flushSpeech();
        if (m_options.script) {
            const auto start = std::chrono::steady_clock::now();
            while (!m_controller.exitRequested()) {
                // Each command with the frame it causes: the slowest one is reported.
                const auto before = std::chrono::steady_clock::now();
                if (!stepScript()) break;
                pumpOnce(0);
                if (const auto took = std::chrono::steady_clock::now() - before; took > m_script.slowest) {
                    m_script.slowest = took;
                    m_script.slowestLine = m_script.commands[m_script.next - 1].line;
                }
            }
            pumpOnce(0);
            if (m_undrawn) render();
            if (m_controller.exitRequested()) std::cerr << "kiosk: staff left the kiosk\n";
            printScriptSummary(std::chrono::steady_clock::now() - start);
            printRedrawCheck();
            return m_script.failures == 0 ? 0 : 1;
        }
        while (!m_controller.exitRequested()) {
            // Event-driven: sleep until input arrives or the controller's next deadline
            // (idle warning, countdown, welcome repeat). No frame while nothing changes.
            int timeout = 60'000;
            if (auto deadline = m_controller.nextDeadline()) {
                const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - m_clock.now()).count();
                timeout = static_cast<int>(std::clamp<long long>(wait + 1, 1, 60'000));
            }
            // While speaking, wake up when the next word starts (to move the highlight).
            if (m_options.speaker != nullptr) {
                if (auto change = m_options.speaker->nextChangeIn()) {
                    timeout = std::min(timeout, static_cast<int>(std::max<long long>(1, change->count())));
                }
            }
            pumpOnce(timeout);
        }
        std::cerr << "kiosk: staff left the kiosk\n";
        printRedrawCheck();
        return 0;
    }

    void printRedrawCheck() const {
        if (m_redrawCheck == RedrawCheck::Off) return;
        std::cerr << "kiosk: redraw check: " << m_redrawChecked << " partial redraws compared with the whole frame, "
                  << m_redrawDiffered << " differed\n";
    }

    core::Controller& m_controller;
    OffsetClock& m_clock;
    const AppOptions& m_options;
    SDL_Window* m_window = nullptr;
    SDL_GLContext m_gl = nullptr;
    Metrics m_metrics;
    Fonts m_fonts;
    forms::IconCatalog m_icons;
    std::unique_ptr<FontSet> m_fontSet;
    Screen m_screen;
    Layout m_layout;
    InputState m_input;
    ScriptRun m_script;
    bool m_dirty = false;
    bool m_undrawn = false;   // a script changed the screen model since the last frame drawn
    std::chrono::steady_clock::time_point m_lastDrawn{};
    static constexpr std::chrono::milliseconds kScriptFrameInterval{100};
    bool m_firstFrameShown = false;
    float m_scroll = 0;
    std::map<std::string, GLuint> m_iconTextures;
    std::uint64_t m_iconGeneration = 0;      // the controller's formsGeneration they were made for
    std::map<speech::UtteranceId, core::Utterance> m_spoken;  // recent utterances that read texts
    std::optional<speech::WordPosition> m_highlightedWord;
    std::string m_lastScreenId;
    std::string m_lastFocus;
    std::string m_tracedScreen;  // KIOSK_TRACE
    std::string m_tracedFocus;   // KIOSK_TRACE
    std::optional<std::filesystem::path> m_pendingScreenshot;
    // Partial redraw: the back buffer, and the last frames drawn (newest last).
    BackBuffer m_backBuffer;
    std::deque<DrawnFrame> m_drawn;
    RedrawCheck m_redrawCheck = redrawCheckFromEnvironment();
    std::size_t m_redrawChecked = 0;
    std::size_t m_redrawDiffered = 0;
    std::uint64_t m_revision = 0;
    Uint32 m_folderEvent = 0;                  // the preview's "a file was saved"
    std::unique_ptr<FolderWatch> m_folderWatch;
};

}  // namespace

int runKioskApp(core::Controller& controller, OffsetClock& clock, const AppOptions& options) {
    App app(controller, clock, options);
    return app.run();
}

}  // namespace kiosk::ui
