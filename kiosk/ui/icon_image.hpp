// Staff's own pictograms: NAME.png or NAME.svg in the forms folder's icons/ subfolder,
// decoded to RGBA pixels (PNG with stb_image, SVG rendered with librsvg). Pure: no GL here;
// the window uploads the pixels as a texture.
#pragma once

#include "forms/signature.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::ui {

struct IconImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4, not premultiplied
};

// Loads icons/NAME.png or icons/NAME.svg below `formsDir`, an SVG rendered at `sizePx`
// square (keeping its aspect). Nullopt when there is no such file or it cannot be decoded
// (the form loader already refused unknown names, so this is a broken file: logged). The
// file is read and checked with forms::readIconFile first (links must stay inside the forms
// folder; size, pixels and references bounded), then decoded from those bytes. With
// `signatureKey` (the config's forms_signature_key) those bytes must also be the ones the
// folder's SIGNATURE lists (forms::checkSignedFile), or the icon is not drawn (logged).
[[nodiscard]] std::optional<IconImage> loadIconImage(const std::filesystem::path& formsDir,
                                                     const std::string& name, int sizePx,
                                                     const forms::PublicKey* signatureKey = nullptr);

}  // namespace kiosk::ui
