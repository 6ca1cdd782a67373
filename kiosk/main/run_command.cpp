#include "forms/loader.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/main/commands.hpp"

#include <iostream>

namespace kiosk::app {

namespace {

// The demo: the demo forms, and the local demo backend on this machine.
core::Config demoConfig() {
    core::Config config;
    config.kioskId = "demo-kiosk";
    config.forms = core::assetsDir() / "forms";
    config.languages = {"nl", "en"};
    config.submit.allowedHosts = {"localhost"};
    return config;
}

}  // namespace

int runCommand(const RunOptions& options) {
    core::Config config = demoConfig();
    if (options.config) {
        auto loaded = core::loadConfig(*options.config);
        if (!loaded) {
            for (const auto& message : loaded.error().messages) std::cerr << message << '\n';
            std::cerr << "kiosk: the config has errors; fix them and start again\n";
            return 2;
        }
        config = std::move(*loaded);
    }
    if (options.forms) config.forms = *options.forms;

    auto icons = forms::IconCatalog::loadTsv(core::assetsDir() / "icons/material-icons.tsv");
    if (!icons) {
        std::cerr << "kiosk: " << icons.error() << '\n';
        return 2;
    }
    forms::LoadOptions load;
    load.icons = &*icons;
    load.allowedHosts = config.submit.allowedHosts;
    load.defaultEndpoint = config.submit.defaultEndpoint.empty()
                               ? forms::LoadOptions::DefaultEndpoint::Absent
                               : forms::LoadOptions::DefaultEndpoint::Present;
    const auto loaded = forms::loadFormFolder(config.forms, load);
    for (const auto& finding : loaded.findings) std::cerr << forms::formatFinding(finding) << '\n';
    // Logs name form ids only, never answers.
    std::cerr << "kiosk: " << loaded.forms.size() << " form(s) ready from " << config.forms.string()
              << '\n';

    // The screens come with the screens issue; until then `run` checks the set-up and says so.
    std::cerr << "kiosk: the kiosk screens are not built yet; this build checks the config and "
                 "the forms only\n";
    return loaded.forms.empty() ? 1 : 0;
}

}  // namespace kiosk::app
