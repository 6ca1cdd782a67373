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

}  // namespace

FrameTriangles FrameTriangles::of(const ImDrawData& data) {
    FrameTriangles frame;
    const ImVec2 origin = data.DisplayPos;
    const ImVec2 scale = data.FramebufferScale;
    frame.m_width = static_cast<int>(data.DisplaySize.x * scale.x);
    frame.m_height = static_cast<int>(data.DisplaySize.y * scale.y);
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
            // The command's clip rectangle in framebuffer pixels, rounded outwards.
            const PixelRect clip = PixelRect{
                static_cast<int>(std::floor((cmd.ClipRect.x - origin.x) * scale.x)),
                static_cast<int>(std::floor((cmd.ClipRect.y - origin.y) * scale.y)),
                static_cast<int>(std::ceil((cmd.ClipRect.z - origin.x) * scale.x)),
                static_cast<int>(std::ceil((cmd.ClipRect.w - origin.y) * scale.y))}.intersect(screen);
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
                const PixelRect bounds{static_cast<int>(std::floor(minX)) - 1, static_cast<int>(std::floor(minY)) - 1,
                                       static_cast<int>(std::ceil(maxX)) + 1, static_cast<int>(std::ceil(maxY)) + 1};
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
    const ImVec2 origin = data.DisplayPos;
    const ImVec2 scale = data.FramebufferScale;
    // The area in ImGui's coordinates.
    const float ax0 = static_cast<float>(area.x0) / scale.x + origin.x;
    const float ay0 = static_cast<float>(area.y0) / scale.y + origin.y;
    const float ax1 = static_cast<float>(area.x1) / scale.x + origin.x;
    const float ay1 = static_cast<float>(area.y1) / scale.y + origin.y;
    for (int l = 0; l < data.CmdListsCount; ++l) {
        for (ImDrawCmd& cmd : data.CmdLists[l]->CmdBuffer) {
            ImVec4& clip = cmd.ClipRect;
            clip.x = std::max(clip.x, ax0);
            clip.y = std::max(clip.y, ay0);
            clip.z = std::min(clip.z, ax1);
            clip.w = std::min(clip.w, ay1);
            if (clip.z <= clip.x || clip.w <= clip.y) clip = ImVec4(clip.x, clip.y, clip.x, clip.y);   // skipped
        }
    }
}

}  // namespace kiosk::ui
