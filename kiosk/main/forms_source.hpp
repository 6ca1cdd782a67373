// Reading the forms folder for `run` and `preview`: the loader's result as the controller's
// FormsLoad (findings printed on stderr as path:line:column, like `kiosk lint`), and the
// pictograms the forms use (the UI's font atlas holds only those).
#pragma once

#include "forms/loader.hpp"
#include "kiosk/core/controller.hpp"

#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace kiosk::app {

[[nodiscard]] inline core::FormsLoad readFormsFolder(const std::filesystem::path& dir, const forms::LoadOptions& options) {
    auto loaded = forms::loadFormFolder(dir, options);
    for (const auto& finding : loaded.findings) std::cerr << forms::formatFinding(finding) << '\n';
    core::FormsLoad load;
    load.forms = std::move(loaded.forms);
    load.findings = std::move(loaded.findings);
    load.folder = dir.string();
    load.filesRead = loaded.filesRead;
    load.filesRefused = loaded.filesRefused;
    return load;
}

[[nodiscard]] inline std::vector<std::string> iconNamesOf(const std::vector<forms::Form>& forms) {
    std::set<std::string> names;
    for (const auto& form : forms) {
        names.insert(form.icon);
        for (const auto& page : form.pages) {
            for (const auto& field : page.fields) {
                names.insert(field.icon);
                for (const auto& option : field.options) names.insert(option.icon);
            }
        }
    }
    return {names.begin(), names.end()};
}

}  // namespace kiosk::app
