// Fuzz target: a form file's bytes through the loader (forms/loader.hpp), as `kiosk lint`
// and the kiosk read them. Invariants beyond "no crash":
//   - a form comes back exactly when no finding is an error;
//   - every finding names the file, has a sane position (0:0 or both >= 1, the line within
//     the text), a non-empty UTF-8 message, and formats as "path:line:column: ...";
//   - a loaded form keeps the contract's promises: ids well formed and unique, every text
//     in every language, bounds in order, options where needed, an https endpoint or none,
//     and every show_if passes check() against the fields before it and evaluates without
//     answers;
//   - its payload with no answers is built.
#include "fuzz/targets.hpp"

#include "forms/condition.hpp"
#include "forms/icons.hpp"
#include "forms/loader.hpp"
#include "forms/payload.hpp"
#include "forms/value.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace kiosk::fuzz {

namespace {

using forms::Field;
using forms::FieldType;
using forms::Finding;
using forms::Form;
using forms::Severity;
using forms::Text;

// A few of the pictograms the kiosk ships (the demo forms and tests use these).
const forms::IconCatalog& icons() {
    static const forms::IconCatalog catalog = forms::IconCatalog::fromPairs(
        {{"home", U'\ue88a'}, {"key", U'\ue73c'}, {"person", U'\ue7fd'}, {"euro", U'\uea15'},
         {"child_care", U'\ueb41'}, {"info", U'\ue88e'}, {"check", U'\ue5ca'}, {"work", U'\ue8f9'}});
    return catalog;
}

bool isId(std::string_view id, char extra) {
    return !id.empty() && std::ranges::all_of(id, [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == extra;
    });
}

void checkText(const Text& text, const Form& form) {
    for (const auto& language : form.languages) {
        KIOSK_FUZZ_CHECK(text.byLanguage.contains(language));
        KIOSK_FUZZ_CHECK(!forms::firstInvalidUtf8(text.in(language)));
    }
}

// Lines as YAML counts them: "\r\n", a lone "\r" and "\n" each end one (the loader's own
// positions count "\n" only, so this is the larger of the two counts). A finding past the
// last line points nowhere an editor can show.
std::size_t lineCount(std::string_view text) {
    std::size_t breaks = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++breaks;
    }
    return breaks + 1;
}

void checkFinding(const Finding& finding, const std::string& path, std::string_view text) {
    KIOSK_FUZZ_CHECK(finding.path == path);
    KIOSK_FUZZ_CHECK(!finding.message.empty());
    KIOSK_FUZZ_CHECK(!forms::firstInvalidUtf8(finding.message));
    const bool unknown = finding.pos.line == 0 && finding.pos.column == 0;
    KIOSK_FUZZ_CHECK(unknown || (finding.pos.line >= 1 && finding.pos.column >= 1));
    KIOSK_FUZZ_CHECK(static_cast<std::size_t>(finding.pos.line) <= lineCount(text));
    const std::string formatted = forms::formatFinding(finding);
    KIOSK_FUZZ_CHECK(formatted.starts_with(path + ":"));
    KIOSK_FUZZ_CHECK(formatted.find(": error: ") != std::string::npos ||
                     formatted.find(": warning: ") != std::string::npos);
    KIOSK_FUZZ_CHECK(formatted.substr(path.size() + 1, 2) != "0:");
}

void checkField(const Field& field, const Form& form) {
    KIOSK_FUZZ_CHECK(isId(field.id, '_'));
    checkText(field.label, form);
    for (const auto* text : {&field.hint, &field.why, &field.speak}) {
        if (*text) checkText(**text, form);
    }
    if (field.type == FieldType::Info) KIOSK_FUZZ_CHECK(!field.required);
    if (field.min && field.max) KIOSK_FUZZ_CHECK(*field.min <= *field.max);
    if (field.minLength) KIOSK_FUZZ_CHECK(*field.minLength <= field.maxLength);
    if (field.type == FieldType::Choice || field.type == FieldType::Multichoice) {
        KIOSK_FUZZ_CHECK(!field.options.empty());
    }
    std::set<std::string> values;
    for (const auto& option : field.options) {
        KIOSK_FUZZ_CHECK(isId(option.value, '_'));
        KIOSK_FUZZ_CHECK(values.insert(option.value).second);
        checkText(option.label, form);
        if (option.speak) checkText(*option.speak, form);
        KIOSK_FUZZ_CHECK(field.findOption(option.value) == &option);
    }
    KIOSK_FUZZ_CHECK((field.showIf != nullptr) == !field.showIfSource.empty());
}

// The loader's rule: a page's condition sees the fields of earlier pages; a field's also
// those before it on its own page.
void checkConditions(const Form& form) {
    std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> places;
    for (std::size_t p = 0; p < form.pages.size(); ++p) {
        for (std::size_t f = 0; f < form.pages[p].fields.size(); ++f) {
            places.emplace(form.pages[p].fields[f].id, std::pair{p, f});
        }
    }
    auto check = [&](const forms::ConditionPtr& expr, std::size_t page, std::optional<std::size_t> field) {
        if (!expr) return;
        const auto resolve = [&](std::string_view id) {
            forms::condition::Lookup lookup;
            const auto found = places.find(id);
            if (found == places.end()) return lookup;
            const auto [p, f] = found->second;
            lookup.field = &form.pages[p].fields[f];
            const bool earlier = p < page || (field && p == page && f < *field);
            lookup.where = earlier ? forms::condition::Lookup::Where::Earlier
                                   : forms::condition::Lookup::Where::NotEarlier;
            return lookup;
        };
        KIOSK_FUZZ_CHECK(!forms::condition::check(*expr, resolve));
        const auto noAnswers = [&](std::string_view id) {
            return forms::condition::Answer{form.findField(id), nullptr};
        };
        (void)forms::condition::evaluate(*expr, noAnswers);
    };
    for (std::size_t p = 0; p < form.pages.size(); ++p) {
        check(form.pages[p].showIf, p, std::nullopt);
        for (std::size_t f = 0; f < form.pages[p].fields.size(); ++f) check(form.pages[p].fields[f].showIf, p, f);
    }
}

void checkForm(const Form& form) {
    KIOSK_FUZZ_CHECK(isId(form.id, '-'));
    KIOSK_FUZZ_CHECK(form.version >= 1);
    KIOSK_FUZZ_CHECK(!form.languages.empty());
    KIOSK_FUZZ_CHECK(std::set(form.languages.begin(), form.languages.end()).size() == form.languages.size());
    checkText(form.title, form);
    if (form.intro) checkText(*form.intro, form);
    KIOSK_FUZZ_CHECK(form.endpoint.empty() || form.endpoint.starts_with("https://"));
    KIOSK_FUZZ_CHECK(!form.pages.empty());
    std::set<std::string> pageIds;
    std::set<std::string> fieldIds;
    for (const auto& page : form.pages) {
        KIOSK_FUZZ_CHECK(pageIds.insert(page.id).second);
        KIOSK_FUZZ_CHECK(!page.fields.empty());
        if (page.title) checkText(*page.title, form);
        KIOSK_FUZZ_CHECK((page.showIf != nullptr) == !page.showIfSource.empty());
        for (const auto& field : page.fields) {
            KIOSK_FUZZ_CHECK(fieldIds.insert(field.id).second);
            KIOSK_FUZZ_CHECK(form.findField(field.id) == &field);
            checkField(field, form);
        }
    }
    checkConditions(form);

    forms::SubmissionMeta meta{"23456-789AB", form.languages.front(), "fuzz-kiosk", {}};
    const auto payload = forms::buildPayload(form, {}, meta);
    KIOSK_FUZZ_CHECK(payload.has_value());
    KIOSK_FUZZ_CHECK(payload->starts_with("{\"form\":\"" + form.id + "\""));
}

void checkResult(const forms::FileResult& result, const std::string& path, std::string_view text) {
    const bool hasError = std::ranges::any_of(result.findings, [](const Finding& f) {
        return f.severity == Severity::Error;
    });
    KIOSK_FUZZ_CHECK(result.form.has_value() != hasError);
    // Findings of an undecodable file may only point into its bytes, not past them.
    for (const auto& finding : result.findings) checkFinding(finding, path, text);
    if (result.form) checkForm(*result.form);
}

}  // namespace

void formLoader(std::string_view bytes) {
    const std::string path = "fuzz/form.yaml";
    forms::LoadOptions lint;  // as `kiosk lint` without a config: endpoint Unknown
    lint.icons = &icons();
    const auto first = forms::loadFormText(bytes, path, lint);
    checkResult(first, path, bytes);

    // As the kiosk with a config: a default endpoint and an allow-list of hosts.
    forms::LoadOptions kiosk;
    kiosk.icons = &icons();
    kiosk.defaultEndpoint = forms::LoadOptions::DefaultEndpoint::Present;
    kiosk.allowedHosts = {"eservices.example.org"};
    const auto second = forms::loadFormText(bytes, path, kiosk);
    checkResult(second, path, bytes);
}

}  // namespace kiosk::fuzz
