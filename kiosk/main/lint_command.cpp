#include "forms/loader.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/main/commands.hpp"

#include <iostream>

namespace kiosk::app {

int lintCommand(const LintOptions& options) {
    forms::LoadOptions load;
    if (options.config) {
        auto config = core::loadConfig(*options.config);
        if (!config) {
            for (const auto& message : config.error().messages) std::cerr << message << '\n';
            return 2;
        }
        load.defaultEndpoint = config->submit.defaultEndpoint.empty()
                                   ? forms::LoadOptions::DefaultEndpoint::Absent
                                   : forms::LoadOptions::DefaultEndpoint::Present;
        load.allowedHosts = config->submit.allowedHosts;
    }
    const auto iconList = core::assetsDir() / "icons/material-icons.tsv";
    auto icons = forms::IconCatalog::loadTsv(iconList);
    if (!icons) {
        std::cerr << "kiosk lint: " << icons.error() << " (is the kiosk installed completely?)\n";
        return 2;
    }
    load.icons = &*icons;

    const auto result = forms::loadFormFolder(options.formsDir, load);
    int errors = 0;
    int warnings = 0;
    for (const auto& finding : result.findings) {
        std::cerr << forms::formatFinding(finding) << '\n';
        (finding.severity == forms::Severity::Error ? errors : warnings) += 1;
    }
    std::cout << options.formsDir.string() << ": " << result.forms.size() << " of "
              << result.filesRead << " form files are good; " << errors << " error"
              << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
              << (warnings == 1 ? "" : "s") << '\n';
    return errors > 0 ? 1 : 0;
}

}  // namespace kiosk::app
