// `kiosk lint DIR`: the loader's findings plus the plain-language warnings
// (forms/plain_language.hpp), as text on stderr or as one JSON array on stdout; with
// --summary, each form's personal data and why (forms/personal_data.hpp) instead.
#include "forms/loader.hpp"
#include "forms/personal_data.hpp"
#include "forms/plain_language.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/main/commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace kiosk::app {

namespace {

using forms::plain::LintFinding;

// The loader's findings print as before (`path:line:column: error: message`); the
// plain-language ones add their fix and rule id.
std::string format(const LintFinding& finding) {
    return finding.rule == "form-file" ? forms::formatFinding(finding.finding) : forms::plain::formatLintFinding(finding);
}

nlohmann::json toJson(const LintFinding& item) {
    const auto& f = item.finding;
    return {{"file", f.path},
            {"line", f.pos.line > 0 ? f.pos.line : 1},
            {"column", f.pos.column > 0 ? f.pos.column : 1},
            {"severity", f.severity == forms::Severity::Error ? "error" : "warning"},
            {"rule", item.rule},
            {"message", f.message},
            {"fix", item.fix}};
}

nlohmann::json textJson(const forms::Text& text) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [language, value] : text.byLanguage) out[language] = value;
    return out;
}

// Per form: which personal data it asks, and why (plain text or JSON on stdout).
void printSummary(const std::vector<forms::Form>& loaded, const LintOptions& options) {
    if (options.format == "json") {
        nlohmann::json forms = nlohmann::json::array();
        for (const auto& form : loaded) {
            nlohmann::json personal = nlohmann::json::array();
            for (const auto& item : forms::personalData(form, form.languages.front())) {
                const auto& field = *item.field;
                personal.push_back({{"field", field.id},
                                    {"type", forms::fieldTypeName(field.type)},
                                    {"private", field.isPrivate},
                                    {"label", textJson(field.label)},
                                    {"why", field.why ? textJson(*field.why) : nlohmann::json(nullptr)}});
            }
            forms.push_back({{"form", form.id},
                             {"file", form.sourcePath},
                             {"title", textJson(form.title)},
                             {"languages", form.languages},
                             {"personal_data", personal}});
        }
        std::cout << forms.dump(2) << '\n';
        return;
    }
    for (const auto& form : loaded) {
        const std::string language =
            !options.language.empty() && form.offersLanguage(options.language) ? options.language : form.languages.front();
        const auto items = forms::personalData(form, language);
        std::cout << form.id << " (" << form.sourcePath << "): " << form.title.in(language) << " [" << language << "]\n";
        if (items.empty()) {
            std::cout << "  asks for no personal data\n\n";
            continue;
        }
        std::cout << "  asks for " << items.size() << " piece" << (items.size() == 1 ? "" : "s")
                  << " of personal data:\n";
        for (const auto& item : items) {
            std::cout << "  - " << item.label << " (" << forms::fieldTypeName(item.field->type)
                      << (item.field->isPrivate ? ", private" : "") << ")\n";
            std::cout << "    why: " << (item.why.empty() ? "(no why: add one, see kiosk lint)" : item.why) << '\n';
        }
        std::cout << '\n';
    }
}

}  // namespace

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
        load.signatureKey = config->formsSignatureKey;
    }
    // --signature-key: check the folder's SIGNATURE as a kiosk would (docs/signing.md).
    if (options.signatureKey) {
        auto key = forms::readPublicKeyFile(*options.signatureKey);
        if (!key) {
            std::cerr << options.signatureKey->string() << ":1:1: cannot use this key: " << key.error() << '\n';
            return 2;
        }
        load.signatureKey = *key;
    }
    const auto iconList = core::assetsDir() / "icons/material-icons.tsv";
    auto icons = forms::IconCatalog::loadTsv(iconList);
    if (!icons) {
        std::cerr << "kiosk lint: " << icons.error() << " (is the kiosk installed completely?)\n";
        return 2;
    }
    load.icons = &*icons;

    const auto result = forms::loadFormFolder(options.formsDir, load);
    std::vector<LintFinding> findings;
    for (const auto& finding : result.findings) findings.push_back({finding, "form-file", ""});
    // Plain language: only for forms that load (a broken form's texts are not all known).
    auto jargon = forms::plain::loadJargon(core::assetsDir() / "lint/jargon", options.formsDir, findings);
    for (const auto& form : result.forms) {
        std::ranges::move(forms::plain::lintForm(form, jargon), std::back_inserter(findings));
    }
    std::ranges::stable_sort(findings, [](const LintFinding& a, const LintFinding& b) {
        return std::tie(a.finding.path, a.finding.pos.line, a.finding.pos.column) <
               std::tie(b.finding.path, b.finding.pos.line, b.finding.pos.column);
    });
    const auto errors = std::ranges::count_if(
        findings, [](const LintFinding& f) { return f.finding.severity == forms::Severity::Error; });
    const auto warnings = static_cast<std::ptrdiff_t>(findings.size()) - errors;

    if (options.summary) {
        // Errors still count (a broken form is missing from the summary); warnings are for
        // the plain lint.
        for (const auto& f : findings) {
            if (f.finding.severity == forms::Severity::Error) std::cerr << format(f) << '\n';
        }
        printSummary(result.forms, options);
        return errors > 0 ? 1 : 0;
    }
    std::ostream& summaryOut = options.format == "json" ? std::cerr : std::cout;
    if (options.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& f : findings) out.push_back(toJson(f));
        std::cout << out.dump(2) << '\n';
    } else {
        for (const auto& f : findings) std::cerr << format(f) << '\n';
    }
    summaryOut << options.formsDir.string() << ": " << result.forms.size() << " of " << result.filesRead
               << " form files are good; " << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings
               << " warning" << (warnings == 1 ? "" : "s") << '\n';
    return errors > 0 ? 1 : 0;
}

}  // namespace kiosk::app
