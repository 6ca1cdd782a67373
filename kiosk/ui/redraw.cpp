// Partial redraw: see redraw.hpp.
#include "kiosk/ui/redraw.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace kiosk::ui {

PixelRect PixelRect::unite(const PixelRect& other) const {
    if (other.empty()) return *this;
    if (empty()) return other;
    return {std::min(x0, other.x0), std::min(y0, other.y0), std::max(x1, other.x1), std::max(y1, other.y1)};
}

PixelRect PixelRect::intersect(const PixelRect& other) const {
    PixelRect both{std::max(x0, other.x0), std::max(y0, other.y0), std::min(x1, other.x1), std::min(y1, other.y1)};
    return both.empty() ? PixelRect{} : both;
}

namespace {

// A 64-bit digest over 32-bit words: each word mixed in with a multiply and a rotation,
// the result finished with splitmix64's avalanche. Not for security: two different
// triangles agree with a chance of about 2^-64.
class Digest {
public:
    void add(std::uint32_t word) {
        m_state = std::rotl(m_state ^ (word * 0x9E3779B97F4A7C15ull), 27) * 0xBF58476D1CE4E5B9ull;
    }
    void add(float value) { add(std::bit_cast<std::uint32_t>(value)); }
    void add(std::uint64_t value) {
        add(static_cast<std::uint32_t>(value));
        add(static_cast<std::uint32_t>(value >> 32));
    }
    std::uint64_t finish() const {
        std::uint64_t z = m_state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t m_state = 0x6A09E667F3BCC908ull;
};

// float to int without undefined behaviour: NaN and far-off values (a broken vertex) are
// pulled to a value well outside any screen, so they count as "anywhere".
constexpr float kFar = 1.0e7f;
int toPixel(float value) {
    if (!(value > -kFar)) return -static_cast<int>(kFar);   // NaN too
    if (value > kFar) return static_cast<int>(kFar);
    return static_cast<int>(value);
}

int framebufferHeight(const ImDrawData& data) { return toPixel(data.DisplaySize.y * data.FramebufferScale.y); }

// A rectangle of framebuffer pixels as a clip rectangle whose backend scissor box is exactly
// that rectangle: each edge a quarter pixel inside the truncation boundary it must not cross.
void setClip(ImDrawCmd& cmd, const PixelRect& pixels, const ImDrawData& data) {
    const ImVec2 origin = data.DisplayPos;
    const ImVec2 scale = data.FramebufferScale;
    if (pixels.empty()) {
        cmd.ClipRect = ImVec4(origin.x, origin.y, origin.x, origin.y);   // skipped by the backend
        return;
    }
    cmd.ClipRect = ImVec4((static_cast<float>(pixels.x0) + 0.25f) / scale.x + origin.x,
                          (static_cast<float>(pixels.y0) - 0.5f) / scale.y + origin.y,
                          (static_cast<float>(pixels.x1) + 0.5f) / scale.x + origin.x,
                          (static_cast<float>(pixels.y1) - 0.25f) / scale.y + origin.y);
}

}  // namespace

PixelRect backendScissor(const ImDrawCmd& cmd, const ImDrawData& data) {
    // As ImGui_ImplOpenGL3_RenderDrawData (1.86) computes it.
    const ImVec2 origin = data.DisplayPos;
    const ImVec2 scale = data.FramebufferScale;
    const ImVec2 clipMin((cmd.ClipRect.x - origin.x) * scale.x, (cmd.ClipRect.y - origin.y) * scale.y);
    const ImVec2 clipMax((cmd.ClipRect.z - origin.x) * scale.x, (cmd.ClipRect.w - origin.y) * scale.y);
    if (!(clipMax.x > clipMin.x) || !(clipMax.y > clipMin.y)) return {};
    const float fbHeight = static_cast<float>(framebufferHeight(data));
    const int x = toPixel(clipMin.x);
    const int glY = toPixel(fbHeight - clipMax.y);   // GL's rows count from the bottom
    const int width = toPixel(clipMax.x - clipMin.x);
    const int height = toPixel(clipMax.y - clipMin.y);
    const int bottom = static_cast<int>(fbHeight) - glY;
    return PixelRect{x, bottom - height, x + width, bottom};
}

FrameTriangles FrameTriangles::of(const ImDrawData& data) {
    FrameTriangles frame;
    const ImVec2 origin = data.DisplayPos;
    const ImVec2 scale = data.FramebufferScale;
    frame.m_width = toPixel(data.DisplaySize.x * scale.x);
    frame.m_height = framebufferHeight(data);
    const PixelRect screen{0, 0, frame.m_width, frame.m_height};
    frame.m_digests.reserve(static_cast<std::size_t>(data.TotalIdxCount / 3));
    frame.m_bounds.reserve(static_cast<std::size_t>(data.TotalIdxCount / 3));
    for (int l = 0; l < data.CmdListsCount; ++l) {
        const ImDrawList& list = *data.CmdLists[l];
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr) {
                frame.m_callbacks = true;
                continue;
            }
            // The pixels the command can reach.
            const PixelRect clip = backendScissor(cmd, data).intersect(screen);
            const auto texture = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(cmd.TextureId));
            for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
                Digest digest;
                digest.add(texture);
                digest.add(cmd.ClipRect.x);
                digest.add(cmd.ClipRect.y);
                digest.add(cmd.ClipRect.z);
                digest.add(cmd.ClipRect.w);
                float minX = 0, minY = 0, maxX = 0, maxY = 0;
                for (unsigned int corner = 0; corner < 3; ++corner) {
                    const ImDrawVert& v = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + list.IdxBuffer[static_cast<int>(cmd.IdxOffset + i + corner)])];
                    digest.add(v.pos.x);
                    digest.add(v.pos.y);
                    digest.add(v.uv.x);
                    digest.add(v.uv.y);
                    digest.add(static_cast<std::uint32_t>(v.col));
                    const float x = (v.pos.x - origin.x) * scale.x;
                    const float y = (v.pos.y - origin.y) * scale.y;
                    minX = corner == 0 ? x : std::min(minX, x);
                    minY = corner == 0 ? y : std::min(minY, y);
                    maxX = corner == 0 ? x : std::max(maxX, x);
                    maxY = corner == 0 ? y : std::max(maxY, y);
                }
                // One pixel more on each side: the rasteriser's rounding and anti-aliased edges.
                const PixelRect bounds{toPixel(std::floor(minX)) - 1, toPixel(std::floor(minY)) - 1,
                                       toPixel(std::ceil(maxX)) + 1, toPixel(std::ceil(maxY)) + 1};
                frame.m_digests.push_back(digest.finish());
                frame.m_bounds.push_back(bounds.intersect(clip));
            }
        }
    }
    return frame;
}

PixelRect changedArea(const FrameTriangles& before, const FrameTriangles& after) {
    const PixelRect screen{0, 0, after.m_width, after.m_height};
    if (before.m_width != after.m_width || before.m_height != after.m_height || before.m_callbacks || after.m_callbacks) {
        return screen;
    }
    const std::size_t shorter = std::min(before.size(), after.size());
    std::size_t start = 0;
    while (start < shorter && before.m_digests[start] == after.m_digests[start]) ++start;
    std::size_t end = 0;   // triangles the two have in common at their ends
    while (end < shorter - start &&
           before.m_digests[before.size() - 1 - end] == after.m_digests[after.size() - 1 - end]) {
        ++end;
    }
    PixelRect changed;
    for (std::size_t i = start; i < before.size() - end; ++i) changed = changed.unite(before.m_bounds[i]);
    for (std::size_t i = start; i < after.size() - end; ++i) changed = changed.unite(after.m_bounds[i]);
    return changed.intersect(screen);
}

void clipDrawData(ImDrawData& data, const PixelRect& area) {
    for (int l = 0; l < data.CmdListsCount; ++l) {
        for (ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) {
            if (cmd.UserCallback == nullptr) setClip(cmd, backendScissor(cmd, data).intersect(area), data);
        }
    }
}

}  // namespace kiosk::ui
