// The form loader against the contract: every refusal from its own small file in
// tests/data/refusals (exact line, column and message), every field type accepted, and
// folder behaviour (broken files never stop the good ones).
#include "forms/loader.hpp"

#include "tests/fakes/print.hpp"
#include "tests/fakes/minimal_form.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>

using namespace kiosk::forms;

namespace {

const std::filesystem::path kData = KIOSK_TEST_DATA_DIR;

const IconCatalog& icons() {
    static const IconCatalog catalog = [] {
        auto loaded = IconCatalog::loadTsv(std::filesystem::path(KIOSK_SOURCE_DIR) /
                                           "assets/icons/material-icons.tsv");
        REQUIRE(loaded.has_value());
        return *loaded;
    }();
    return catalog;
}

LoadOptions options() {
    LoadOptions load;
    load.icons = &icons();
    return load;
}

std::vector<std::string> findingsOf(const FileResult& result) {
    std::vector<std::string> lines;
    for (const auto& finding : result.findings) {
        std::string line = formatFinding(finding);
        line.erase(0, line.find(':') + 1);  // drop the path: only line, column and message
        lines.push_back(line);
    }
    return lines;
}

// A scratch folder, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("kiosk-loader-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    static int& counter() { static int n = 0; return n; }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

const std::string& kGoodForm = kiosk::test::kMinimalForm;

}  // namespace

TEST_CASE("every refusal in the contract is reported with its exact place and a fix") {
    const std::map<std::string, std::vector<std::string>> expected{
        {"bad-field-id", {"10:13: error: the field id 'Voor naam' may only use lower-case letters a-z, digits 0-9 and '_' (no spaces)"}},
        {"choice-unknown-option-literal", {"17:34: error: show_if: 'woning' has no option 'hurr'; its options are 'huur', 'koop'"}},
        {"choice-without-options", {"10:9: error: field 'woning' is a choice field but has no 'options'; add a list of options"}},
        {"contains-on-choice", {"18:19: error: show_if: 'woning' is a choice field: 'contains' only works with a multiple-choice field; use '==' to compare"}},
        {"cut-off-flow-map", {"3:51: error: the file is not valid YAML (did not find expected ',' or '}' while parsing a flow mapping). The file ends in the middle of something: it was probably cut off while it was copied or saved; copy the whole file again"}},
        {"cut-off-letter", {"3:11: error: the file ends in the middle of a letter (an incomplete UTF-8 character): it was probably cut off while it was copied or saved; copy the whole file again"}},
        {"cut-off-quoted", {"3:26: error: the file is not valid YAML (found unexpected end of stream while scanning a quoted scalar). The file ends in the middle of something: it was probably cut off while it was copied or saved; copy the whole file again"}},
        {"date-min-above-max", {"13:14: error: min (today+10) is more than max (today-10) for field 'datum'; swap them or fix one"}},
        {"duplicate-field-id", {"15:13: error: field id 'naam' is already used on line 10; each field needs its own id"}},
        {"duplicate-key", {"13:9: error: 'label' appears twice in field 'naam'; keep only one"}},
        {"duplicate-option-value", {"15:22: error: option value 'huur' is used twice in field 'woning'; each option needs its own value"}},
        {"duplicate-page-id", {"13:9: error: page id 'p1' is already used on line 8; each page needs its own id"}},
        {"empty-file", {"1:1: error: the file is empty; a form file starts with 'form: <id>'"}},
        {"flow-map-colon", {"12:28: error: the file is not valid YAML (did not find expected ',' or '}' while parsing a flow mapping). A text with ':', '?' or '#' inside { } confuses YAML: write one language per line (nl: ... on its own line, then en: ...), or put the text in quotes"}},
        {"http-endpoint", {"6:13: error: the endpoint must start with https://, so that answers travel encrypted; http:// is not allowed"}},
        {"key-of-other-type", {"13:9: error: 'max_length' is not used by number fields, only by text fields"}},
        {"language-typo", {"14:11: error: the label of field 'naam' has a text in 'em', which is not in this form's languages (nl, en) \u2014 did you mean 'en'?"}},
        {"min-above-max", {"13:14: error: min (10) is more than max (2) for field 'kinderen'; swap them or fix one"}},
        {"missing-language", {"13:11: error: the label of field 'naam' has no English (en) text; add a line en: ..."}},
        {"missing-required-key", {"1:1: error: the form has no 'title'; add title: on its own line"}},
        {"money-bound-not-amount", {"13:14: error: max must be an amount in euros with a dot for the cents, like 0, 250 or 12.50, not '12,50'"}},
        {"multichoice-max-above-options", {"13:14: error: max is 3 but field 'dieren' has only 2 options"}},
        {"no-pages", {"7:8: error: pages must be a list with at least one page (each starting with '- id: ...')"}},
        {"not-a-map", {"1:1: error: a form file must be a block of 'key: value' lines starting with 'form: <id>'"}},
        {"not-utf8", {"12:26: error: the file is not UTF-8 text (a byte here is not valid UTF-8); save it as UTF-8 in your editor"}},
        {"png-renamed", {"1:1: error: the file is a PNG image, not a form file; a form file is text: save the form's YAML as plain text (UTF-8) under this name"}},
        {"plain-text-two-languages", {"12:16: error: the label of field 'naam' needs a text for each language (nl, en), one per line under it: nl: ...; en: ..."}},
        {"required-not-boolean", {"13:19: error: required must be true or false, not 'ja'"}},
        {"show-if-later-field", {"9:14: error: show_if: 'aantal' comes later in the form; a condition can only use answers given before it"}},
        {"show-if-syntax", {"14:23: error: show_if: '=' is not a comparison; write '==' to compare"}},
        {"show-if-type-mismatch", {"14:27: error: show_if: 'kinderen' is a yes/no field: compare it with true or false, not with a text"}},
        {"show-if-unknown-field", {"14:36: error: show_if: no field 'hond' in this form"}},
        {"tab-indentation", {"11:1: error: the file is not valid YAML (found a tab character that violates indentation while scanning a plain scalar). Check the indentation: keys of the same block must start in the same column, and use spaces, not tabs"}},
        {"unknown-icon", {"5:7: error: unknown icon 'hoem' for the form \u2014 did you mean 'home'? Use a name from the kiosk's icon list (docs/icons.md), or put hoem.png or hoem.svg in the icons folder next to the form files"}},
        {"unknown-key-typo", {"12:9: error: unknown key 'lable' in field 'naam' \u2014 did you mean 'label'?"}},
        {"unknown-type", {"11:15: error: unknown field type 'nummer' \u2014 did you mean 'number'? The types are: text, number, money, date, choice, multichoice, yesno, postcode, bsn, iban, phone, email, consent, info"}},
        {"version-not-a-number", {"2:10: error: version must be a whole number, like 2, not 'drie'"}},
        {"zero-bytes", {"3:1: error: the file holds a zero byte, so it is not a text file; save the form as plain text (UTF-8) in your editor"}},
    };
    std::set<std::string> seen;
    for (const auto& entry : std::filesystem::directory_iterator(kData / "refusals")) {
        const std::string name = entry.path().stem().string();
        seen.insert(name);
        CAPTURE(name);
        REQUIRE_MESSAGE(expected.contains(name), "a refusal file without an expectation");
        const FileResult result = loadFormFile(entry.path(), options());
        CHECK_FALSE(result.form.has_value());
        CHECK(findingsOf(result) == expected.at(name));
    }
    CHECK(seen.size() == expected.size());
}

TEST_CASE("a file over 1 MiB is refused without being read") {
    TempDir dir;
    dir.write("groot.yaml", kGoodForm + "# " + std::string(kMaxFormFileBytes, 'x') + "\n");
    const auto result = loadFormFile(dir.path / "groot.yaml", options());
    REQUIRE(result.findings.size() == 1);
    CHECK(findingsOf(result)[0] ==
          "1:1: error: the file is 1025 KiB; form files may be at most 1024 KiB (1 MiB). Is this "
          "really a form?");
}

TEST_CASE("every field type and every optional key is accepted") {
    const auto result = loadFormFile(kData / "good/all-types.yaml", options());
    INFO(findingsOf(result).size());
    for (const auto& line : findingsOf(result)) INFO(line);
    REQUIRE(result.findings.empty());
    REQUIRE(result.form.has_value());
    const Form& form = *result.form;
    CHECK(form.id == "alles");
    CHECK(form.version == 7);
    CHECK(form.languages == std::vector<std::string>{"nl", "en", "tr"});
    CHECK(form.title.in("tr") == "Her \u015fey");
    CHECK(form.intro->in("en") == "Everything a form can ask.");
    CHECK(form.icon == "home");
    std::set<FieldType> types;
    for (const auto& page : form.pages) {
        for (const auto& field : page.fields) types.insert(field.type);
    }
    CHECK(types.size() == allFieldTypes().size());

    const Field* naam = form.findField("naam");
    REQUIRE(naam != nullptr);
    CHECK(naam->minLength == 2);
    CHECK(naam->maxLength == 60);
    CHECK(naam->hint->in("nl") == "Zoals in uw paspoort.");
    CHECK(naam->why->in("en") == "So we know who you are.");
    CHECK(naam->speak->in("nl") == "Wat is uw naam");
    CHECK_FALSE(naam->isPrivate);
    CHECK(naam->required);

    const Field* aantal = form.findField("aantal");
    CHECK(aantal->min == 1);
    CHECK(aantal->max == 15);
    CHECK_FALSE(aantal->required);
    const Field* bedrag = form.findField("bedrag");
    CHECK(bedrag->min == 0);
    CHECK(bedrag->max == 150050);  // cents
    const Field* datum = form.findField("datum");
    CHECK(datum->isPrivate);       // dates are private by default
    CHECK(datum->minDate->daysFromToday == -30);
    CHECK(datum->maxDate->fixed == std::chrono::year_month_day{std::chrono::year{2030}, std::chrono::January, std::chrono::day{31}});
    const Field* keuze = form.findField("woning");
    REQUIRE(keuze->options.size() == 2);
    CHECK(keuze->options[0].icon == "key");
    CHECK(keuze->options[1].speak->in("en") == "a home I own");
    const Field* dieren = form.findField("dieren");
    CHECK(dieren->min == 1);
    CHECK(dieren->max == 2);
    CHECK(form.findField("bsn")->isPrivate);
    CHECK(form.findField("iban")->isPrivate);
    CHECK_FALSE(form.findField("telefoon")->isPrivate);
    CHECK(form.findField("email")->isPrivate);      // private: true given explicitly
    CHECK_FALSE(form.findField("uitleg")->required); // info is never required
    CHECK(form.findField("uitleg")->icon == "info");
    // show_if on a page and on a field, kept with their source for messages.
    CHECK(form.pages[2].showIfSource == "kinderen == true");
    CHECK(form.pages[2].showIf != nullptr);
    CHECK(form.findField("hond_naam")->showIfSource == "dieren contains 'hond'");
}

TEST_CASE("a form with one language may use plain strings for its texts") {
    const auto result = loadFormText(R"(form: een-taal
version: 1
title: Verhuizen
languages: [nl]
submit: { endpoint: "https://example.org/x" }
pages:
  - id: p
    fields:
      - { id: naam, type: text, label: Naam }
)", "een-taal.yaml", options());
    REQUIRE(result.form.has_value());
    CHECK(result.form->title.in("nl") == "Verhuizen");
}

TEST_CASE("an endpoint outside submit.allowed_hosts is refused when the form loads") {
    LoadOptions load = options();
    load.allowedHosts = {"eservices.example.org"};
    const auto result = loadFormText(kGoodForm, "goed.yaml", load);
    CHECK_FALSE(result.form.has_value());
    CHECK(findingsOf(result) ==
          std::vector<std::string>{"6:13: error: this form may not submit to 'example.org': it is "
                                   "not in the kiosk's submit.allowed_hosts (eservices.example.org). "
                                   "Fix the address, or ask the operator to allow the host"});
    load.allowedHosts = {"example.org"};
    CHECK(loadFormText(kGoodForm, "goed.yaml", load).form.has_value());
}

TEST_CASE("a missing endpoint depends on the kiosk's default endpoint") {
    std::string noEndpoint = kGoodForm;
    noEndpoint.replace(noEndpoint.find("submit:"), std::string("submit:\n  endpoint: https://example.org/api\n").size(), "");
    LoadOptions load = options();
    load.defaultEndpoint = LoadOptions::DefaultEndpoint::Present;
    CHECK(loadFormText(noEndpoint, "x.yaml", load).findings.empty());
    load.defaultEndpoint = LoadOptions::DefaultEndpoint::Unknown;
    auto result = loadFormText(noEndpoint, "x.yaml", load);
    CHECK(result.form.has_value());
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].severity == Severity::Warning);
    load.defaultEndpoint = LoadOptions::DefaultEndpoint::Absent;
    result = loadFormText(noEndpoint, "x.yaml", load);
    CHECK_FALSE(result.form.has_value());
}

TEST_CASE("icons: shipped names and PNG or SVG files in the forms folder's icons/") {
    TempDir dir;
    std::filesystem::create_directories(dir.path / "icons");
    dir.write("icons/gemeentelogo.svg", "<svg/>");
    std::string form = kGoodForm;
    form.insert(form.find("languages:"), "icon: gemeentelogo\n");
    dir.write("logo.yaml", form);
    CHECK(loadFormFile(dir.path / "logo.yaml", options()).form.has_value());
    // A name that tries to leave the folder is never looked up as a file.
    form.replace(form.find("gemeentelogo"), 12, "../logo");
    dir.write("logo.yaml", form);
    CHECK_FALSE(loadFormFile(dir.path / "logo.yaml", options()).form.has_value());
}

TEST_CASE("'?' inside { } is read, with a warning that other YAML tools refuse it") {
    std::string form = kGoodForm;
    form.replace(form.find("label: { nl: Naam, en: Name }"), 29, "label: { nl: Uw naam?, en: Your name? }");
    const auto result = loadFormText(form, "vraag.yaml", options());
    REQUIRE(result.form.has_value());
    CHECK(result.form->findField("naam")->label.in("nl") == "Uw naam?");
    CHECK(findingsOf(result) ==
          std::vector<std::string>{
              "12:22: warning: the kiosk reads this text, but many YAML tools and editors refuse a "
              "'?', ':' or '#' inside { }: write one language per line, or put the text in quotes",
              "12:36: warning: the kiosk reads this text, but many YAML tools and editors refuse a "
              "'?', ':' or '#' inside { }: write one language per line, or put the text in quotes"});
}

TEST_CASE("anchors, aliases and a second document are refused") {
    CHECK(findingsOf(loadFormText("form: &a x\n", "a.yaml", options())) ==
          std::vector<std::string>{"1:7: error: the file is not valid YAML (anchors (&name) are not allowed; write the value out in full)"});
    CHECK(findingsOf(loadFormText("a: b\nc: *b\n", "a.yaml", options())) ==
          std::vector<std::string>{"2:4: error: the file is not valid YAML (aliases (*name) are not allowed; write the value out in full)"});
    CHECK(findingsOf(loadFormText(kGoodForm + "---\n" + kGoodForm, "a.yaml", options())) ==
          std::vector<std::string>{"13:1: error: the file is not valid YAML (a second document starts here; one file holds one document, so remove the second '---')"});
}

TEST_CASE("deep nesting is refused, not followed") {
    const std::string deep = "form: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
    const auto result = loadFormText(deep, "deep.yaml", options());
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].message == "the file is not valid YAML (the file is nested too deeply (more than 64 levels))");
}

TEST_CASE("a condition's column counts characters, not bytes") {
    std::string form = kGoodForm;
    form += "      - id: reden\n        type: text\n        show_if: \"naam == 'Jos\u00e9' and x\"\n"
            "        label: { nl: Reden, en: Reason }\n";
    CHECK(findingsOf(loadFormText(form, "c.yaml", options())) ==
          std::vector<std::string>{"15:38: error: show_if: no field 'x' in this form"});
}

TEST_CASE("a UTF-8 byte order mark is accepted") {
    CHECK(loadFormText("\xEF\xBB\xBF" + kGoodForm, "bom.yaml", options()).form.has_value());
}

TEST_CASE("a folder: broken files never stop the good ones, and form ids are unique") {
    TempDir dir;
    dir.write("a-goed.yaml", kGoodForm);
    dir.write("b-kapot.yaml", "form: kapot\nversion: [\n");
    std::string twin = kGoodForm;
    dir.write("c-dubbel.yaml", twin);  // same id 'goed'
    std::string other = kGoodForm;
    other.replace(other.find("goed"), 4, "ander");
    dir.write("d-ander.yaml", other);
    dir.write("e-oud.yml", kGoodForm);
    dir.write("notes.txt", "not a form");
    const auto result = loadFormFolder(dir.path, options());
    REQUIRE(result.forms.size() == 2);
    CHECK(result.forms[0].id == "goed");
    CHECK(result.forms[1].id == "ander");
    CHECK(result.filesRead == 4);
    CHECK(result.filesRefused == 2);
    CHECK(result.hasErrors());
    std::vector<std::string> lines;
    for (const auto& finding : result.findings) {
        lines.push_back(formatFinding(finding).substr(dir.path.string().size() + 1));
    }
    CHECK(lines == std::vector<std::string>{
                       "b-kapot.yaml:3:1: error: the file is not valid YAML (did not find expected node content while parsing a flow node)",
                       "c-dubbel.yaml:1:7: error: form id 'goed' is already used by " +
                           (dir.path / "a-goed.yaml").string() + "; each form needs its own id",
                       "e-oud.yml:1:1: warning: this file is ignored: only files ending in .yaml are read; rename it to e-oud.yaml",
                   });
}

TEST_CASE("a link that leads out of the forms folder is refused") {
    TempDir outside;
    outside.write("elders.yaml", kGoodForm);
    TempDir dir;
    std::filesystem::create_symlink(outside.path / "elders.yaml", dir.path / "link.yaml");
    const auto result = loadFormFolder(dir.path, options());
    CHECK(result.forms.empty());
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].message.starts_with("refused: this link points outside the forms folder (to "));
}

TEST_CASE("a missing folder is one clear finding") {
    const auto result = loadFormFolder("/nonexistent/forms", options());
    CHECK(result.forms.empty());
    REQUIRE(result.findings.size() == 1);
    CHECK(formatFinding(result.findings[0]) ==
          "/nonexistent/forms:1:1: error: the forms folder does not exist or is not a folder");
}
