#include "kiosk/ui/icon_image.hpp"

#include "forms/icon_file.hpp"

#include <librsvg/rsvg.h>
#include <stb/stb_image.h>

#include <cairo.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <type_traits>

#include <dlfcn.h>

namespace kiosk::ui {

namespace {

// `bytes` passed forms::checkIconBytes: at most kMaxIconPixels square, and its data unpacks
// to exactly what its header says, so stb allocates no more than that.
std::optional<IconImage> loadPng(const std::string& bytes) {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()),
                              &width, &height, &channels, 4),
        stbi_image_free);
    constexpr int kMax = static_cast<int>(forms::kMaxIconPixels);
    if (!pixels || width <= 0 || height <= 0 || width > kMax || height > kMax) return std::nullopt;
    IconImage image;
    image.width = width;
    image.height = height;
    image.rgba.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    return image;
}

// librsvg, loaded when the first SVG icon is drawn (docs/performance.md): linked in, it
// and the 25 libraries only it needs (GLib, Cairo, Pango, HarfBuzz, fontconfig...) were
// mapped and relocated at every start, before the first frame, for forms that mostly have
// no SVG icon. The functions are looked up through librsvg's handle (its dependencies too).
struct Rsvg {
    decltype(&rsvg_handle_new_from_data) newFromData = nullptr;
    decltype(&rsvg_handle_render_document) renderDocument = nullptr;
    decltype(&g_error_free) errorFree = nullptr;
    decltype(&g_object_unref) objectUnref = nullptr;
    decltype(&cairo_image_surface_create) surfaceCreate = nullptr;
    decltype(&cairo_create) create = nullptr;
    decltype(&cairo_surface_flush) surfaceFlush = nullptr;
    decltype(&cairo_image_surface_get_data) surfaceData = nullptr;
    decltype(&cairo_image_surface_get_stride) surfaceStride = nullptr;
    decltype(&cairo_destroy) destroy = nullptr;
    decltype(&cairo_surface_destroy) surfaceDestroy = nullptr;
};

// Null when librsvg (Debian: librsvg2-2) cannot be loaded; said once in the log.
const Rsvg* rsvg() {
    static const std::optional<Rsvg> loaded = []() -> std::optional<Rsvg> {
        void* library = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);  // never closed
        if (library == nullptr) {
            std::cerr << "kiosk: SVG icons cannot be drawn: " << dlerror() << '\n';
            return std::nullopt;
        }
        Rsvg r;
        bool complete = true;
        auto find = [&](auto& function, const char* name) {
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, name));
            if (function == nullptr) complete = false;
        };
        find(r.newFromData, "rsvg_handle_new_from_data");
        find(r.renderDocument, "rsvg_handle_render_document");
        find(r.errorFree, "g_error_free");
        find(r.objectUnref, "g_object_unref");
        find(r.surfaceCreate, "cairo_image_surface_create");
        find(r.create, "cairo_create");
        find(r.surfaceFlush, "cairo_surface_flush");
        find(r.surfaceData, "cairo_image_surface_get_data");
        find(r.surfaceStride, "cairo_image_surface_get_stride");
        find(r.destroy, "cairo_destroy");
        find(r.surfaceDestroy, "cairo_surface_destroy");
        if (!complete) {
            std::cerr << "kiosk: SVG icons cannot be drawn: librsvg-2.so.2 lacks a function\n";
            return std::nullopt;
        }
        return r;
    }();
    return loaded ? &*loaded : nullptr;
}

// From memory, with no base file: even if a reference slipped past the check, librsvg has
// nowhere to resolve it from.
std::optional<IconImage> loadSvg(const std::string& bytes, int sizePx) {
    const Rsvg* lib = rsvg();
    if (lib == nullptr) return std::nullopt;
    GError* error = nullptr;
    RsvgHandle* handle = lib->newFromData(reinterpret_cast<const guint8*>(bytes.data()), bytes.size(), &error);
    if (handle == nullptr) {
        if (error != nullptr) lib->errorFree(error);
        return std::nullopt;
    }
    cairo_surface_t* surface = lib->surfaceCreate(CAIRO_FORMAT_ARGB32, sizePx, sizePx);
    cairo_t* cr = lib->create(surface);
    const RsvgRectangle viewport{0, 0, static_cast<double>(sizePx), static_cast<double>(sizePx)};
    const bool drawn = lib->renderDocument(handle, cr, &viewport, &error) != 0;
    if (error != nullptr) lib->errorFree(error);
    lib->surfaceFlush(surface);
    std::optional<IconImage> image;
    if (drawn) {
        image.emplace();
        image->width = sizePx;
        image->height = sizePx;
        image->rgba.resize(static_cast<std::size_t>(sizePx) * static_cast<std::size_t>(sizePx) * 4);
        const unsigned char* data = lib->surfaceData(surface);
        const int stride = lib->surfaceStride(surface);
        for (int y = 0; y < sizePx; ++y) {
            for (int x = 0; x < sizePx; ++x) {
                // Cairo: premultiplied BGRA in native-endian words; un-premultiply to RGBA.
                const auto* p = data + y * stride + x * 4;
                const std::uint32_t word = *reinterpret_cast<const std::uint32_t*>(p);
                const std::uint8_t a = static_cast<std::uint8_t>(word >> 24);
                auto channel = [&](int shift) -> std::uint8_t {
                    const unsigned c = (word >> shift) & 0xFF;
                    return a == 0 ? 0 : static_cast<std::uint8_t>(std::min(255u, c * 255u / a));
                };
                auto* out = &image->rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(sizePx) + static_cast<std::size_t>(x)) * 4];
                out[0] = channel(16);
                out[1] = channel(8);
                out[2] = channel(0);
                out[3] = a;
            }
        }
    }
    lib->destroy(cr);
    lib->surfaceDestroy(surface);
    lib->objectUnref(handle);
    return image;
}

}  // namespace

std::optional<IconImage> loadIconImage(const std::filesystem::path& formsDir, const std::string& name,
                                       int sizePx, const forms::PublicKey* signatureKey) {
    const auto dir = formsDir / "icons";
    for (const auto format : {forms::IconFormat::Png, forms::IconFormat::Svg}) {
        const std::string file = name + (format == forms::IconFormat::Png ? ".png" : ".svg");
        std::error_code ignored;
        if (!std::filesystem::exists(std::filesystem::symlink_status(dir / file, ignored))) continue;
        // Checked again here: the file may have changed since the forms were loaded.
        auto bytes = forms::readIconFile(formsDir, dir / file, format);
        if (!bytes) {
            std::cerr << "kiosk: the icon " << file << " cannot be used: " << bytes.error() << '\n';
            return std::nullopt;
        }
        // The bytes just read are the bytes checked and decoded: no window for a swap.
        if (signatureKey != nullptr) {
            if (auto signedOk = forms::checkSignedFile(formsDir, *signatureKey, "icons/" + file, *bytes); !signedOk) {
                std::cerr << "kiosk: the icon " << file << " is not drawn: " << signedOk.error() << '\n';
                return std::nullopt;
            }
        }
        auto image = format == forms::IconFormat::Png ? loadPng(*bytes) : loadSvg(*bytes, std::clamp(sizePx, 8, 1024));
        if (!image) std::cerr << "kiosk: cannot draw the icon " << file << '\n';
        return image;
    }
    return std::nullopt;
}

}  // namespace kiosk::ui
