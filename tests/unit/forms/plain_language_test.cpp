// The plain-language lint (forms/plain_language.hpp) and the personal-data summary
// (forms/personal_data.hpp): for each rule, texts that must warn and texts that must not,
// on forms read by the real loader, with the real jargon lists of assets/lint/jargon.
#include "forms/personal_data.hpp"
#include "forms/plain_language.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <unistd.h>

using namespace kiosk::forms;
using namespace kiosk::forms::plain;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

// A one-page form whose field has `fieldLines` (indented 8 spaces, after id/type).
Form formWith(const std::string& fieldLines, const std::string& type = "text") {
    const std::string text = "form: probe\nversion: 1\ntitle: { nl: Proef, en: Probe }\nlanguages: [nl, en]\n"
                             "submit:\n  endpoint: https://example.org/x\npages:\n  - id: een\n    fields:\n"
                             "      - id: veld\n        type: " + type + "\n" + fieldLines;
    auto loaded = loadFormText(text, "probe.yaml", {});
    for (const auto& f : loaded.findings) CAPTURE(formatFinding(f));
    REQUIRE(loaded.form.has_value());
    return *loaded.form;
}

Form labelled(const std::string& nl, const std::string& en = "Name?") {
    return formWith("        label:\n          nl: \"" + nl + "\"\n          en: \"" + en + "\"\n");
}

JargonTable shipped() {
    std::vector<LintFinding> findings;
    auto table = loadJargon(kSource / "assets/lint/jargon", "/nonexistent-forms-folder", findings);
    for (const auto& f : findings) CAPTURE(formatLintFinding(f));
    CHECK(findings.empty());
    return table;
}

std::vector<LintFinding> lint(const Form& form, const JargonTable& jargon = {}) { return lintForm(form, jargon); }

int count(const std::vector<LintFinding>& findings, std::string_view rule) {
    return static_cast<int>(std::ranges::count(findings, rule, &LintFinding::rule));
}

}  // namespace

TEST_CASE("long-sentence: 10 words pass, 11 warn, with the count, the start and the value's place") {
    CHECK(wordCount("Een twee drie vier vijf zes zeven acht negen tien.") == 10);
    CHECK(count(lint(labelled("Een twee drie vier vijf zes zeven acht negen tien.")), "long-sentence") == 0);
    const auto found = lint(labelled("Een twee drie vier vijf zes zeven acht negen tien elf."));
    REQUIRE(count(found, "long-sentence") == 1);
    const auto& f = found.front();
    CHECK(f.finding.severity == Severity::Warning);
    CHECK(f.finding.pos == SourcePos{13, 15});  // the nl value, not the label: key
    CHECK(f.finding.message.find("(nl)") != std::string::npos);
    CHECK(f.finding.message.find("11 words") != std::string::npos);
    CHECK(f.finding.message.find("\"Een twee drie vier vijf zes \u2026\"") != std::string::npos);
    CHECK(f.fix.find("level B") != std::string::npos);
    CHECK(formatLintFinding(f).starts_with("probe.yaml:13:15: warning: the label of field 'veld' (nl): "));
    CHECK(formatLintFinding(f).ends_with("[long-sentence]"));
    // Two short sentences are fine; dotted abbreviations do not end a sentence.
    CHECK(count(lint(labelled("Een twee drie vier vijf zes. Zeven acht negen tien elf twaalf?")), "long-sentence") == 0);
    CHECK(count(lint(labelled("Een twee drie o.a. vier vijf zes zeven acht negen tien.")), "long-sentence") == 1);
    // The English text is checked on its own line.
    const auto english = lint(labelled("Kort.", "One two three four five six seven eight nine ten eleven."));
    REQUIRE(count(english, "long-sentence") == 1);
    CHECK(english.front().finding.pos == SourcePos{14, 15});
}

TEST_CASE("long-word: over 16 letters without a soft hyphen warns; with soft hyphens it does not") {
    CHECK(count(lint(labelled("Wat is uw burgerservicenummer?")), "long-word") == 1);
    CHECK(count(lint(labelled("Wat is uw burger\\u00ADservice\\u00ADnummer?")), "long-word") == 0);
    CHECK(count(lint(labelled("Wat is uw identiteitskaart?")), "long-word") == 0);     // exactly 16
    CHECK(count(lint(labelled("Mail naar iemand@gemeentebelastingen.example.nl")), "long-word") == 0);
    CHECK(count(lint(labelled("Nummer 12345678901234567890.")), "long-word") == 0);  // digits only
    // A soft hyphen that leaves a part too long still warns.
    CHECK(count(lint(labelled("Een gemeente\\u00ADbelastingaanslagbrief.")), "long-word") == 1);
    const auto found = lint(labelled("Wat is uw burgerservicenummer?"));
    CHECK(found.front().fix.find("\\u00AD") != std::string::npos);
    CHECK(found.front().fix.find("double quotes") != std::string::npos);
}

TEST_CASE("soft-hyphen-typing: &shy; and a \\u00AD outside double quotes") {
    CHECK(count(lint(labelled("burger&shy;service")), "soft-hyphen-typing") == 1);
    const Form single = formWith("        label:\n          nl: 'burger\\u00ADservice'\n          en: Name\n");
    CHECK(count(lint(single), "soft-hyphen-typing") == 1);
    CHECK(count(lint(labelled("burger\\u00ADservice")), "soft-hyphen-typing") == 0);
}

TEST_CASE("jargon: whole words and phrases, any case, from the shipped list; not inside longer words") {
    const auto jargon = shipped();
    const auto found = lint(labelled("U kunt dit formulier Indienen bij de balie."), jargon);
    REQUIRE(count(found, "jargon") == 1);
    CHECK(found.front().finding.message.find("\"indienen\"") != std::string::npos);
    CHECK(found.front().fix.find("geven") != std::string::npos);
    CHECK(count(lint(labelled("Heeft u het ingediend?"), jargon), "jargon") == 1);          // a listed form
    CHECK(count(lint(labelled("Dit is ten behoeve van u."), jargon), "jargon") == 1);       // a phrase
    CHECK(count(lint(labelled("Dit is ten goede van u."), jargon), "jargon") == 0);
    CHECK(count(lint(labelled("U kunt herindienen."), jargon), "jargon") == 0);             // inside a word
    CHECK(count(lint(labelled("Wij gaan dit indienen."), jargon), "jargon") == 1);
    CHECK(count(lint(labelled("Wilt u indien\\u00ADen?"), jargon), "jargon") == 1);         // soft hyphen ignored
    CHECK(count(lint(labelled("Kort.", "We act pursuant to the law."), jargon), "jargon") == 1);  // English list
    CHECK(count(lint(labelled("Wilt u bijstand aanvragen?"), jargon), "jargon") == 0);      // not on the list
}

TEST_CASE("jargon: staff's own list adds and removes words; a bad line is a finding with line:column") {
    const auto dir = std::filesystem::temp_directory_path() / ("kiosk-plain-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "plain-language");
    std::ofstream(dir / "plain-language/nl.txt") << "# onze woorden\n"
                                                    "aanvragen, aangevraagd = vragen om\n"
                                                    "! indienen\n"
                                                    "zonder is-teken\n"
                                                    "leeg =\n"
                                                    "a, , b = c\n";
    std::ofstream(dir / "plain-language/dutch.txt") << "x = y\n";
    std::vector<LintFinding> findings;
    const auto jargon = loadJargon(kSource / "assets/lint/jargon", dir, findings);
    CHECK(count(lint(labelled("Wilt u bijstand aanvragen?"), jargon), "jargon") == 1);
    CHECK(count(lint(labelled("U kunt dit indienen."), jargon), "jargon") == 0);   // removed by staff
    CHECK(count(lint(labelled("Heeft u het ingediend?"), jargon), "jargon") == 1); // other forms stay
    REQUIRE(findings.size() == 4);
    const std::string list = (dir / "plain-language/nl.txt").string();
    CHECK(formatLintFinding(findings[0]).starts_with((dir / "plain-language/dutch.txt").string() + ":1:1: warning:"));
    CHECK(formatLintFinding(findings[1]).starts_with(list + ":4:1: warning: this line has no '='"));
    CHECK(formatLintFinding(findings[2]).starts_with(list + ":5:6: warning: there is nothing after '='"));
    CHECK(formatLintFinding(findings[3]).starts_with(list + ":6:3: warning: a word is missing here"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("abbreviation: capitals and dotted ones warn unless the field or option has speak") {
    CHECK(count(lint(labelled("Wat is uw BSN?")), "abbreviation") == 1);
    CHECK(count(lint(labelled("Uw pas, bijv. een rijbewijs.")), "abbreviation") == 1);
    CHECK(count(lint(labelled("Dit geldt o.a. voor u.")), "abbreviation") == 1);
    CHECK(count(lint(labelled("Uw ID-kaart.")), "abbreviation") == 1);
    CHECK(count(lint(labelled("Bijvoorbeeld 1234 AB.")), "abbreviation") == 0);  // postcode letters
    CHECK(count(lint(labelled("Wat is uw naam?")), "abbreviation") == 0);
    const Form spoken = formWith("        label: { nl: Wat is uw BSN?, en: What is your BSN? }\n"
                                 "        speak: { nl: Wat is uw burgerservicenummer?, en: What is your citizen service number? }\n"
                                 "        why: { nl: Zo weten wij wie u bent., en: So we know who you are. }\n",
                                 "bsn");
    CHECK(count(lint(spoken), "abbreviation") == 0);
    // A hint has no speak: the fix says to write it out.
    const Form hint = formWith("        label: { nl: Naam, en: Name }\n        hint: { nl: Zoals bij de WMO., en: As at the WMO. }\n");
    const auto found = lint(hint);
    REQUIRE(count(found, "abbreviation") == 2);
    CHECK(found.front().fix.starts_with("Write it out in full"));
    // An option label with speak is fine; without, the fix names speak on the option.
    const Form options = formWith("        label: { nl: Welke?, en: Which? }\n        options:\n"
                                  "          - { value: a, label: { nl: De WMO, en: The WMO }, speak: { nl: De wet, en: The law } }\n"
                                  "          - { value: b, label: { nl: Het UWV, en: The UWV } }\n",
                                  "choice");
    const auto optionFindings = lint(options);
    REQUIRE(count(optionFindings, "abbreviation") == 2);
    CHECK(optionFindings.front().finding.message.find("option 'b'") != std::string::npos);
    CHECK(optionFindings.front().fix.find("speak: to this option") != std::string::npos);
}

TEST_CASE("missing-why: personal-data fields need why; other fields do not") {
    for (const char* type : {"bsn", "iban", "date", "phone", "email", "postcode"}) {
        CAPTURE(type);
        const auto found = lint(formWith("        label: { nl: Vraag, en: Question }\n", type));
        REQUIRE(count(found, "missing-why") == 1);
        CHECK(found.front().finding.pos == SourcePos{10, 9});
    }
    CHECK(count(lint(formWith("        label: { nl: Vraag, en: Question }\n        why: { nl: Daarom., en: Because. }\n", "bsn")), "missing-why") == 0);
    CHECK(count(lint(formWith("        label: { nl: Vraag, en: Question }\n", "text")), "missing-why") == 0);
    CHECK(count(lint(formWith("        label: { nl: Naam, en: Name }\n        personal: true\n", "text")), "missing-why") == 1);
    CHECK(count(lint(formWith("        label: { nl: Hoeveel, en: How much }\n        private: true\n", "money")), "missing-why") == 1);
}

TEST_CASE("personal data summary: which fields, in form order, label and why in a language") {
    const std::string text = R"(form: probe
version: 1
title: { nl: Proef, en: Probe }
languages: [nl, en]
submit:
  endpoint: https://example.org/x
pages:
  - id: een
    fields:
      - id: naam
        type: text
        personal: true
        label: { nl: Wat is uw naam?, en: What is your name? }
        why: { nl: Zo weten wij wie u bent., en: So we know who you are. }
      - id: kleur
        type: text
        label: { nl: Welke kleur?, en: Which colour? }
      - id: bsn
        type: bsn
        label: { nl: Wat is uw BSN?, en: What is your BSN? }
)";
    auto loaded = loadFormText(text, "probe.yaml", {});
    REQUIRE(loaded.form.has_value());
    const auto items = personalData(*loaded.form, "en");
    REQUIRE(items.size() == 2);
    CHECK(items[0].field->id == "naam");
    CHECK(items[0].label == "What is your name?");
    CHECK(items[0].why == "So we know who you are.");
    CHECK(items[1].field->id == "bsn");
    CHECK(items[1].why.empty());
    CHECK(loaded.form->asksPersonalData());
    // `personal` is a yes/no key like `private`.
    auto bad = loadFormText(text.substr(0, text.find("personal: true")) + "personal: ja\n" +
                                text.substr(text.find("personal: true") + 15),
                            "probe.yaml", {});
    REQUIRE_FALSE(bad.form.has_value());
    CHECK(formatFinding(bad.findings.front()).find("personal must be true or false") != std::string::npos);
}

TEST_CASE("the intro is shown for personal data exactly when there is a list to show") {
    // Plain text and money fields are not personal data unless staff mark them: a form of
    // those alone has no personal-data list, and so no intro for it.
    const std::string plain = R"(form: probe
version: 1
title: { nl: Proef, en: Probe }
languages: [nl, en]
submit:
  endpoint: https://example.org/x
pages:
  - id: een
    fields:
      - id: kleur
        type: text
        label: { nl: Welke kleur?, en: Which colour? }
      - id: bedrag
        type: money
        label: { nl: Hoeveel?, en: How much? }
)";
    auto loaded = loadFormText(plain, "probe.yaml", {});
    REQUIRE(loaded.form.has_value());
    CHECK(personalData(*loaded.form, "nl").empty());
    CHECK_FALSE(loaded.form->asksPersonalData());
    // Marked personal (or private): listed, and the intro is shown.
    for (const std::string mark : {"personal", "private"}) {
        CAPTURE(mark);
        std::string text = plain;
        text.insert(text.find("        label: { nl: Hoeveel?"), "        " + mark + ": true\n");
        auto marked = loadFormText(text, "probe.yaml", {});
        REQUIRE(marked.form.has_value());
        REQUIRE(personalData(*marked.form, "en").size() == 1);
        CHECK(personalData(*marked.form, "en")[0].field->id == "bedrag");
        CHECK(marked.form->asksPersonalData());
    }
}

TEST_CASE("the shipped jargon lists exist for every kiosk language and read without findings") {
    const auto jargon = shipped();
    for (const char* language : {"nl", "en", "tr", "pl", "ar", "uk"}) {
        CAPTURE(language);
        CHECK(jargon.contains(language));
        CHECK_FALSE(jargon.at(language).empty());
    }
}

TEST_CASE("the demo forms, the staff's worked examples, lint without a single warning") {
    const IconCatalog icons = *IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
    LoadOptions load;
    load.icons = &icons;
    const auto folder = loadFormFolder(kSource / "assets/forms", load);
    REQUIRE(folder.forms.size() == 3);
    const auto jargon = shipped();
    for (const auto& form : folder.forms) {
        for (const auto& f : lintForm(form, jargon)) {
            CAPTURE(formatLintFinding(f));
            CHECK(false);
        }
    }
}
