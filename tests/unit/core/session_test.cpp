// The session model on the real demo forms: screen order, skipping, validation messages in
// the session's language, hidden answers erased, change-from-review, and the payload of a
// completed demo form against a golden file.
#include "kiosk/core/session.hpp"

#include "forms/loader.hpp"
#include "tests/fakes/manual_clock.hpp"

#include "tests/fakes/print.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace kiosk;
using forms::RawInput;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

// 2026-11-29 10:15:00 UTC (a Sunday); TZ is set to UTC for these tests below.
const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{10} +
                  std::chrono::minutes{15};

struct Fixture {
    Fixture() {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
        auto icons = forms::IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
        REQUIRE(icons.has_value());
        m_icons = std::move(*icons);
        forms::LoadOptions load;
        load.icons = &m_icons;
        auto loaded = forms::loadFormFolder(kSource / "assets/forms", load);
        REQUIRE_FALSE(loaded.hasErrors());
        forms = std::move(loaded.forms);
        auto table = core::StringTable::load(kSource / "assets/strings");
        REQUIRE(table.has_value());
        strings = std::move(*table);
    }
    core::Session session(std::vector<std::string> languages = {"nl", "en"}) {
        return core::Session(forms, {std::move(languages), "bieb-centrum-1", ""}, clock, strings);
    }
    std::span<const forms::Form> only(std::string_view id) {
        for (std::size_t i = 0; i < forms.size(); ++i) {
            if (forms[i].id == id) return std::span<const forms::Form>(&forms[i], 1);
        }
        FAIL("no demo form " << id);
        return {};
    }

    forms::IconCatalog m_icons;
    std::vector<forms::Form> forms;
    core::StringTable strings;
    test::ManualClock clock{kNow};
};

// Walks the verhuizing form with good answers, from the language screen on.
void fillMove(core::Session& s, const std::string& who, bool children) {
    REQUIRE(s.chooseLanguage("nl"));
    REQUIRE(s.chooseForm("verhuizing"));
    CHECK(s.screenId() == "intro");
    s.next();
    auto answer = [&](std::string_view page, std::string_view field, RawInput input) {
        REQUIRE(s.screenId() == "page:" + std::string(page));
        s.setInput(field, std::move(input));
        const auto errors = s.next();
        for (const auto& e : errors) INFO(e.fieldId << ": " << e.message);
        REQUIRE(errors.empty());
    };
    answer("postcode", "postcode", std::string("3511 ab"));
    answer("huisnummer", "huisnummer", std::string("12"));
    answer("toevoeging", "toevoeging", std::monostate{});
    answer("straat", "straat", std::string("  Oudegracht "));
    answer("datum", "verhuisdatum", std::string("5-12-2026"));
    answer("wie", "wie", who);
    if (who != "alleen_ik") answer("meeverhuizers", "meeverhuizers", std::string("Mijn partner en kinderen"));
    if (who == "heel_gezin" || who == "anders") {
        answer("kinderen", "heeft_kinderen", children);
        if (children) answer("aantal_kinderen", "aantal_kinderen", std::string("2"));
    }
    answer("bsn", "bsn", std::string("1112.22.333"));
    answer("telefoon", "telefoon", std::string("06-12345678"));
    answer("email", "email", std::string("jan@Example.NL"));
    answer("akkoord", "akkoord", true);
    CHECK(s.screenId() == "review");
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "screen order: welcome, language, forms, intro, pages, review") {
    auto s = session();
    CHECK(s.screenId() == "welcome");
    CHECK(s.languages() == std::vector<std::string>{"nl", "en"});
    s.start();
    CHECK(s.screenId() == "language");
    CHECK_FALSE(s.chooseLanguage("de"));
    REQUIRE(s.chooseLanguage("en"));
    CHECK(s.screenId() == "forms");
    CHECK(s.formsInLanguage().size() == 3);
    REQUIRE(s.chooseForm("verhuizing"));
    CHECK(s.screenId() == "intro");
    s.next();
    CHECK(s.screenId() == "page:postcode");
    CHECK(s.pageNumber() == 1);
    s.back();
    CHECK(s.screenId() == "intro");
    s.back();
    CHECK(s.screenId() == "forms");
    s.back();
    CHECK(s.screenId() == "language");
    s.back();
    CHECK(s.screenId() == "welcome");
}

TEST_CASE_FIXTURE(Fixture, "one language skips the language screen; one form skips the form choice") {
    core::Session s(only("verhuizing"), {{"nl"}, "k", ""}, clock, strings);
    s.start();
    CHECK(s.screenId() == "intro");
    CHECK(s.language() == "nl");
    s.back();
    CHECK(s.screenId() == "welcome");
}

TEST_CASE_FIXTURE(Fixture, "languages without any form are not offered") {
    auto s = session({"tr", "nl", "en"});
    CHECK(s.languages() == std::vector<std::string>{"nl", "en"});
}

TEST_CASE_FIXTURE(Fixture, "pages whose show_if is false are skipped, and counted out of the steps") {
    auto s = session();
    s.start();
    fillMove(s, "alleen_ik", false);
    for (const auto& item : s.review()) {
        CHECK(item.field->id != "meeverhuizers");
        CHECK(item.field->id != "heeft_kinderen");
    }
    s.back();  // the last page
    CHECK(s.screenId() == "page:akkoord");
    const int withoutChildren = s.pageCount();
    s.reset();
    s.start();
    fillMove(s, "heel_gezin", true);
    s.back();
    CHECK(s.pageCount() == withoutChildren + 3);
}

TEST_CASE_FIXTURE(Fixture, "validation on next: messages in the session's language, the screen stays") {
    auto s = session();
    s.start();
    s.chooseLanguage("nl");
    s.chooseForm("verhuizing");
    s.next();
    auto errors = s.next();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].fieldId == "postcode");
    CHECK(errors[0].problem.code == forms::Problem::Required);
    CHECK(errors[0].message == strings.get("nl", "validation.required"));
    CHECK(s.screenId() == "page:postcode");
    s.setInput("postcode", std::string("0123 AB"));
    errors = s.next();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].problem.code == forms::Problem::NotPostcode);
    s.setInput("postcode", std::string("1234AB"));
    CHECK(s.next().empty());
    s.setInput("huisnummer", std::string("0"));
    errors = s.next();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == strings.get("nl", "validation.number_too_small", {{"min", "1"}}));
}

TEST_CASE_FIXTURE(Fixture, "dates are checked against the injected clock and shown in the language") {
    auto s = session();
    s.start();
    s.chooseLanguage("en");
    s.chooseForm("verhuizing");
    s.next();
    for (auto [field, value] : {std::pair{"postcode", "1234AB"}, {"huisnummer", "1"}}) {
        s.setInput(field, std::string(value));
        REQUIRE(s.next().empty());
    }
    REQUIRE(s.next().empty());  // toevoeging is optional
    s.setInput("straat", std::string("Dorpsstraat"));
    REQUIRE(s.next().empty());
    s.setInput("verhuisdatum", std::string("2027-01-01"));  // today+33, the limit is today+28
    auto errors = s.next();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == strings.get("en", "validation.date_too_late", {{"max", "27 December 2026"}}));
    clock.advance(std::chrono::days{10});
    CHECK(s.next().empty());
}

TEST_CASE_FIXTURE(Fixture, "answers of fields that become hidden are erased and not submitted") {
    auto s = session();
    s.start();
    fillMove(s, "heel_gezin", true);
    CHECK(s.value("aantal_kinderen") != nullptr);
    REQUIRE(s.change("heeft_kinderen"));
    CHECK(s.screenId() == "page:kinderen");
    s.setInput("heeft_kinderen", false);
    CHECK(s.value("aantal_kinderen") == nullptr);
    CHECK(std::holds_alternative<std::monostate>(s.input("aantal_kinderen")));
    CHECK(s.next().empty());
    CHECK(s.screenId() == "review");
    const auto prepared = s.prepareSubmission("K7QPD-4M2X9");
    REQUIRE(prepared.has_value());
    CHECK(prepared->payload.find("aantal_kinderen") == std::string::npos);
    CHECK(prepared->payload.find("\"heeft_kinderen\":false") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "change from review returns to review, or to a page that now needs an answer") {
    auto s = session();
    s.start();
    fillMove(s, "alleen_ik", false);
    REQUIRE(s.change("straat"));
    CHECK(s.screenId() == "page:straat");
    s.setInput("straat", std::string("Lange Nieuwstraat"));
    CHECK(s.next().empty());
    CHECK(s.screenId() == "review");
    // Back on a changed page also returns to review.
    REQUIRE(s.change("straat"));
    s.back();
    CHECK(s.screenId() == "review");
    // A change that shows new pages leads through them first.
    REQUIRE(s.change("wie"));
    s.setInput("wie", std::string("heel_gezin"));
    CHECK(s.next().empty());
    CHECK(s.screenId() == "page:meeverhuizers");
    s.setInput("meeverhuizers", std::string("Mijn gezin"));
    CHECK(s.next().empty());
    CHECK(s.screenId() == "page:kinderen");
    s.setInput("heeft_kinderen", false);
    CHECK(s.next().empty());
    CHECK(s.screenId() == "review");
}

TEST_CASE_FIXTURE(Fixture, "review shows answers as a citizen reads them") {
    auto s = session();
    s.start();
    fillMove(s, "heel_gezin", true);
    std::map<std::string, std::string> shown;
    for (const auto& item : s.review()) shown[item.field->id] = item.answer;
    CHECK(shown["postcode"] == "3511AB");
    CHECK(shown["straat"] == "Oudegracht");
    CHECK(shown["verhuisdatum"] == "5 december 2026");
    CHECK(shown["heeft_kinderen"] == "Ja");
    CHECK(shown["toevoeging"] == "Geen antwoord");
    CHECK(shown["akkoord"] == "Ik ga akkoord");
    CHECK(shown["wie"] == forms[2].findField("wie")->findOption("heel_gezin")->label.in("nl"));
}

TEST_CASE_FIXTURE(Fixture, "the payload of a completed demo form matches the golden file") {
    auto s = session();
    s.start();
    fillMove(s, "heel_gezin", true);
    const auto prepared = s.prepareSubmission("K7QPD-4M2X9");
    REQUIRE(prepared.has_value());
    CHECK(prepared->endpoint == "https://localhost:8443/api/verhuizing");
    CHECK(prepared->reference == "K7QPD-4M2X9");
    const auto golden = readFile(kSource / "tests/data/golden/verhuizing-payload.json");
    CHECK(prepared->payload + "\n" == golden);
    s.confirmSubmitted(prepared->reference);
    CHECK(s.screenId() == "confirmation");
    CHECK(s.reference() == "K7QPD-4M2X9");
    CHECK(s.value("bsn") == nullptr);  // answers are gone once stored
    s.reset();
    CHECK(s.screenId() == "welcome");
    CHECK(s.reference().empty());
}

TEST_CASE_FIXTURE(Fixture, "choosing another form wipes the answers of the first") {
    auto s = session();
    s.start();
    s.chooseLanguage("nl");
    s.chooseForm("verhuizing");
    s.next();
    s.setInput("postcode", std::string("1234AB"));
    CHECK(s.value("postcode") != nullptr);
    s.back();
    s.back();
    CHECK(s.screenId() == "forms");
    s.chooseForm("kwijtschelding");
    s.back();
    s.chooseForm("verhuizing");
    CHECK(s.value("postcode") == nullptr);
}

TEST_CASE_FIXTURE(Fixture, "submitting with a missing answer goes to that page instead") {
    auto s = session();
    s.start();
    fillMove(s, "alleen_ik", false);
    // Make an answer invalid behind the citizen's back: the date limit moves on.
    clock.advance(std::chrono::days{60});
    const auto prepared = s.prepareSubmission("K7QPD-4M2X9");
    REQUIRE_FALSE(prepared.has_value());
    CHECK(prepared.error().front().fieldId == "verhuisdatum");
    CHECK(s.screenId() == "page:datum");
}
