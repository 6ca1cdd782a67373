// Partial redraw (docs/performance.md): which pixels a new frame can change, found by
// comparing what two frames draw, triangle by triangle. Pure: ImGui's draw data in, a
// rectangle out; no GL, no window.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiosk::ui {

// Framebuffer pixels [x0, x1) x [y0, y1), top-left origin.
struct PixelRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    int width() const { return empty() ? 0 : x1 - x0; }
    int height() const { return empty() ? 0 : y1 - y0; }
    long long area() const { return static_cast<long long>(width()) * height(); }
    // The smallest rectangle holding both (an empty one adds nothing).
    PixelRect unite(const PixelRect& other) const;
    PixelRect intersect(const PixelRect& other) const;
    bool operator==(const PixelRect&) const = default;
};

// What a frame draws, in drawing order: per triangle, a 64-bit digest of its three vertices
// (position, texture coordinates, colour), its texture and its clip rectangle, and the
// pixels it can touch (its bounds within its clip rectangle and the framebuffer).
class FrameTriangles {
public:
    FrameTriangles() = default;
    static FrameTriangles of(const ImDrawData& data);

    std::size_t size() const { return m_digests.size(); }

private:
    friend PixelRect changedArea(const FrameTriangles& before, const FrameTriangles& after);
    std::vector<std::uint64_t> m_digests;
    std::vector<PixelRect> m_bounds;
    int m_width = 0, m_height = 0;
    bool m_callbacks = false;   // ImGui draw callbacks: what they draw is not known here
};

// The pixels that can differ when `after` is drawn instead of `before`, over the same clear
// colour and the same texture contents: the bounds of the triangles between the longest
// common start and the longest common end of the two sequences (a pixel outside them is
// covered by the same triangles, in the same order, in both frames). Empty when both draw
// the same; the whole framebuffer when the sizes differ or a frame has draw callbacks.
PixelRect changedArea(const FrameTriangles& before, const FrameTriangles& after);

// The pixels ImGui 1.86's OpenGL3 backend lets a draw command reach: its scissor box, made
// as the backend makes it (each of x, y, width and height truncated on its own, so that a
// clip rectangle with fractional edges can lose or gain a pixel row when one edge moves),
// in top-left framebuffer pixels. Empty for a command the backend skips.
PixelRect backendScissor(const ImDrawCmd& cmd, const ImDrawData& data);

// Limits every draw command of `data` to `area` (framebuffer pixels): the backend's
// scissor box becomes exactly the part of the command's box inside `area` (whole pixels,
// whatever the clip rectangle's fractions), and a command with nothing inside is skipped.
void clipDrawData(ImDrawData& data, const PixelRect& area);

}  // namespace kiosk::ui
