// `kiosk sign DIR --key KEY`: signs a forms folder for kiosks with forms_signature_key
// (forms/signature.hpp, docs/signing.md). Runs on a staff or operator machine, never on a
// kiosk: the private key must not be there.
#include "forms/loader.hpp"
#include "forms/signature.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/main/commands.hpp"

#include <iostream>

namespace kiosk::app {

int signCommand(const SignOptions& options) {
    auto result = forms::signFolder(options.formsDir, options.key);
    if (!result) {
        std::cerr << "kiosk sign: " << result.error() << '\n';
        return 1;
    }
    for (const auto& hidden : result->hiddenFiles) {
        std::cerr << "kiosk sign: note: the hidden file " << hidden
                  << " is signed too; remove it and sign again if it does not belong on the kiosks\n";
    }
    // A signed folder with broken forms is still signed; staff should know before copying it.
    if (auto icons = forms::IconCatalog::loadTsv(core::assetsDir() / "icons/material-icons.tsv")) {
        forms::LoadOptions load;
        load.icons = &*icons;
        const auto loaded = forms::loadFormFolder(options.formsDir, load);
        if (loaded.filesRefused > 0) {
            std::cerr << "kiosk sign: warning: " << loaded.filesRefused << " of " << loaded.filesRead
                      << " form files have errors, and a kiosk leaves them out; see: kiosk lint "
                      << options.formsDir.string() << '\n';
        }
    }
    std::cout << "Signed " << result->files << " file" << (result->files == 1 ? "" : "s") << " in "
              << options.formsDir.string() << " with the key " << result->keyFingerprint << ".\n"
              << "Wrote " << (options.formsDir / std::string(forms::kSignatureFileName)).string()
              << ". Copy the whole folder to the kiosks. After any change, sign it again.\n";
    return 0;
}

}  // namespace kiosk::app
