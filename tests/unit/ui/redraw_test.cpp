// Partial redraw: which pixels a new frame can change (kiosk/ui/redraw.hpp), on real ImGui
// draw data. That the pixels drawn this way equal a whole frame is checked in a real window
// (tests/e2e/redraw_check.sh, KIOSK_CHECK_REDRAW).
#include "kiosk/ui/redraw.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <functional>
#include <vector>

namespace {

using kiosk::ui::backendScissor;
using kiosk::ui::changedArea;
using kiosk::ui::clipDrawData;
using kiosk::ui::FrameTriangles;
using kiosk::ui::PixelRect;

// One ImGui context for a test: a 800 x 600 display, drawing straight into the background list.
class Frames {
public:
    Frames() {
        m_context = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(800, 600);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);   // NewFrame needs a built atlas
    }
    ~Frames() { ImGui::DestroyContext(m_context); }
    Frames(const Frames&) = delete;
    Frames& operator=(const Frames&) = delete;

    ImDrawData& draw(const std::function<void(ImDrawList&)>& paint) {
        ImGui::GetIO().DeltaTime = 1.0f / 60;
        ImGui::NewFrame();
        paint(*ImGui::GetBackgroundDrawList());
        ImGui::Render();
        return *ImGui::GetDrawData();
    }
    FrameTriangles triangles(const std::function<void(ImDrawList&)>& paint) { return FrameTriangles::of(draw(paint)); }

private:
    ImGuiContext* m_context = nullptr;
};

constexpr ImU32 kRed = IM_COL32(200, 0, 0, 255);
constexpr ImU32 kBlue = IM_COL32(0, 0, 200, 255);

// Three buttons, one under the other; `focused` gets a ring, `colour` is the middle one's.
void buttons(ImDrawList& list, int focused, ImU32 colour = kRed) {
    for (int i = 0; i < 3; ++i) {
        const ImVec2 from(100, 100.0f + 150.0f * static_cast<float>(i));
        const ImVec2 to(700, 200.0f + 150.0f * static_cast<float>(i));
        list.AddRectFilled(from, to, i == 1 ? colour : kRed, 12.0f);
        if (i == focused) list.AddRect(ImVec2(from.x - 6, from.y - 6), ImVec2(to.x + 6, to.y + 6), kBlue, 16.0f, 0, 4.0f);
    }
}

// Filled rectangles, drawn in this order.
struct Box {
    float x0, y0, x1, y1;
    ImU32 colour;
};
std::function<void(ImDrawList&)> boxes(std::vector<Box> list) {
    return [list = std::move(list)](ImDrawList& l) {
        for (const Box& b : list) l.AddRectFilled(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), b.colour);
    };
}

// A filled rectangle seen through a clip rectangle.
void clippedBox(ImDrawList& l, ImVec2 clipMin, ImVec2 clipMax, const Box& b) {
    l.PushClipRect(clipMin, clipMax);
    l.AddRectFilled(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), b.colour);
    l.PopClipRect();
}

bool inside(const PixelRect& outer, const PixelRect& inner) {
    return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

}  // namespace

TEST_CASE("the same frame again changes no pixel") {
    Frames frames;
    const auto before = frames.triangles([](ImDrawList& l) { buttons(l, 0); });
    const auto after = frames.triangles([](ImDrawList& l) { buttons(l, 0); });
    CHECK(before.size() > 30);
    CHECK(changedArea(before, after).empty());
}

TEST_CASE("a changed colour: only that control's pixels, not its neighbours'") {
    Frames frames;
    const auto before = frames.triangles([](ImDrawList& l) { buttons(l, -1); });
    const auto after = frames.triangles([](ImDrawList& l) { buttons(l, -1, kBlue); });
    const PixelRect area = changedArea(before, after);
    INFO("area ", area.x0, ",", area.y0, " to ", area.x1, ",", area.y1);
    CHECK(inside(area, PixelRect{100, 250, 700, 350}));           // the middle button, whole
    CHECK(inside(PixelRect{98, 248, 702, 352}, area));            // and a pixel around it, no more
}

TEST_CASE("the focus moves down: the two controls it leaves and reaches, not the first") {
    Frames frames;
    const auto before = frames.triangles([](ImDrawList& l) { buttons(l, 1); });
    const auto after = frames.triangles([](ImDrawList& l) { buttons(l, 2); });
    const PixelRect area = changedArea(before, after);
    INFO("area ", area.x0, ",", area.y0, " to ", area.x1, ",", area.y1);
    CHECK(inside(area, PixelRect{94, 244, 706, 356}));    // the old ring
    CHECK(inside(area, PixelRect{94, 394, 706, 506}));    // the new ring
    CHECK(area.y0 > 200);                                // the first button is not drawn again
    CHECK(area.area() < 800LL * 600 / 2);
}

TEST_CASE("a control that appears, and one that goes") {
    Frames frames;
    const auto two = frames.triangles(boxes({{10, 10, 100, 100, kRed}, {10, 500, 100, 590, kRed}}));
    const auto three = frames.triangles(boxes({{10, 10, 100, 100, kRed}, {300, 250, 400, 300, kBlue}, {10, 500, 100, 590, kRed}}));
    const PixelRect appears = changedArea(two, three);
    CHECK(inside(appears, PixelRect{300, 250, 400, 300}));
    CHECK(inside(PixelRect{298, 248, 402, 302}, appears));
    CHECK(changedArea(three, two) == appears);
}

TEST_CASE("changes far apart: one rectangle over both") {
    Frames frames;
    const auto before = frames.triangles(boxes({{10, 10, 50, 50, kRed}, {300, 300, 350, 350, kRed}, {700, 500, 750, 550, kRed}}));
    const auto after = frames.triangles(boxes({{10, 10, 50, 50, kBlue}, {300, 300, 350, 350, kRed}, {700, 500, 750, 550, kBlue}}));
    const PixelRect area = changedArea(before, after);
    CHECK(inside(area, PixelRect{10, 10, 750, 550}));
}

TEST_CASE("a clip rectangle limits the pixels a triangle can reach, and its change counts") {
    Frames frames;
    const auto paint = [](float clipRight) {
        return [clipRight](ImDrawList& l) {
            clippedBox(l, ImVec2(0, 0), ImVec2(clipRight, 600), {100, 100, 700, 200, kRed});
        };
    };
    const auto narrow = frames.triangles(paint(300));
    const auto wide = frames.triangles(paint(500));
    const PixelRect area = changedArea(narrow, wide);
    CHECK(inside(area, PixelRect{100, 100, 500, 200}));
    CHECK(area.x1 <= 500);   // beyond the wider clip nothing is drawn in either frame
}

TEST_CASE("another display size: all of it") {
    Frames frames;
    const auto before = frames.triangles([](ImDrawList& l) { buttons(l, 0); });
    ImGui::GetIO().DisplaySize = ImVec2(1024, 768);
    const auto after = frames.triangles([](ImDrawList& l) { buttons(l, 0); });
    CHECK(changedArea(before, after) == PixelRect{0, 0, 1024, 768});
}

TEST_CASE("clipDrawData: commands keep only their part inside the area; outside ones are emptied") {
    Frames frames;
    ImDrawData& data = frames.draw([](ImDrawList& l) {
        clippedBox(l, ImVec2(0, 0), ImVec2(400, 300), {10, 10, 50, 50, kRed});
        clippedBox(l, ImVec2(500, 400), ImVec2(800, 600), {600, 500, 650, 550, kRed});
    });
    clipDrawData(data, PixelRect{200, 100, 450, 350});
    int drawn = 0, emptied = 0;
    for (int i = 0; i < data.CmdListsCount; ++i) {
        for (const ImDrawCmd& cmd : data.CmdLists[i]->CmdBuffer) {
            if (cmd.ElemCount == 0) continue;
            const ImVec4& c = cmd.ClipRect;
            const PixelRect scissor = backendScissor(cmd, data);
            if (c.z <= c.x || c.w <= c.y) {
                ++emptied;
                CHECK(scissor.empty());
            } else {
                ++drawn;
                CHECK(scissor == PixelRect{200, 100, 400, 300});
            }
        }
    }
    CHECK(drawn == 1);
    CHECK(emptied == 1);
}

TEST_CASE("a clip rectangle with fractional edges: the cut scissor box is the whole one's part in the area, to the pixel") {
    // The backend truncates x, y, width and height each on its own: cutting such a clip
    // rectangle at a whole pixel moved its other edge by a pixel (a row cleared, not drawn).
    Frames frames;
    ImGui::GetIO().DisplaySize = ImVec2(1920, 1080);
    const auto paint = [](ImDrawList& l) {
        clippedBox(l, ImVec2(37.4f, 101.3f), ImVec2(1880.6f, 700.6f), {0, 0, 1920, 1080, kRed});
    };
    const PixelRect areas[] = {{0, 300, 1920, 1080}, {0, 0, 300, 1080}, {0, 0, 1920, 400}, {1000, 0, 1920, 1080},
                               {500, 500, 501, 501}, {0, 0, 1920, 1080}, {38, 102, 1880, 700}, {37, 101, 1881, 701}};
    for (const PixelRect& area : areas) {
        ImDrawData& whole = frames.draw(paint);
        std::vector<PixelRect> before;
        for (const ImDrawCmd& cmd : whole.CmdLists[0]->CmdBuffer) before.push_back(backendScissor(cmd, whole));
        clipDrawData(whole, area);
        std::size_t at = 0;
        for (const ImDrawCmd& cmd : whole.CmdLists[0]->CmdBuffer) {
            INFO("area ", area.x0, ",", area.y0, " to ", area.x1, ",", area.y1);
            CHECK(backendScissor(cmd, whole) == before[at++].intersect(area));
        }
    }
}

TEST_CASE("backendScissor: as ImGui's OpenGL3 backend truncates") {
    Frames frames;
    ImDrawData& data = frames.draw([](ImDrawList& l) {
        clippedBox(l, ImVec2(37.4f, 101.3f), ImVec2(1880.6f, 500.6f), {0, 0, 800, 600, kRed});
    });
    // The display is 800 x 600: the backend's scissor is x 37, width (int)1843.2 = 1843;
    // GL row (int)(600 - 500.6) = 99 from the bottom, height (int)399.3 = 399.
    bool found = false;
    for (const ImDrawCmd& cmd : data.CmdLists[0]->CmdBuffer) {
        if (cmd.ElemCount == 0) continue;
        CHECK(backendScissor(cmd, data) == PixelRect{37, 600 - 99 - 399, 37 + 1843, 600 - 99});
        found = true;
    }
    CHECK(found);
}
