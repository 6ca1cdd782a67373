// The controller without a window: a whole demo form by taps on control ids, the keyboard,
// validation with focus moved, stop and wipe, the idle warning and wipe, settings reset.
#include "kiosk/core/controller.hpp"

#include "forms/loader.hpp"
#include "tests/fakes/manual_clock.hpp"
#include "tests/fakes/print.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace kiosk;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;
const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{10};

struct Fixture {
    Fixture() {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
        icons = *forms::IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
        forms::LoadOptions load;
        load.icons = &icons;
        forms = forms::loadFormFolder(kSource / "assets/forms", load).forms;
        strings = *core::StringTable::load(kSource / "assets/strings");
    }
    core::Controller make() {
        return core::Controller(
            forms, {{"nl", "en"}, "test-kiosk", ""}, clock, strings, core::IdleTimes{},
            [this](const core::PreparedSubmission& s) -> std::expected<void, std::string> {
                if (diskFull) return std::unexpected("disk full");
                stored.push_back(s);
                return {};
            },
            []() -> std::expected<std::string, std::string> { return "K7QPD-4M2X9"; });
    }
    forms::IconCatalog icons;
    std::vector<forms::Form> forms;
    core::StringTable strings;
    test::ManualClock clock{kNow};
    std::vector<core::PreparedSubmission> stored;
    bool diskFull = false;
};

void type(core::Controller& c, std::string_view text) {
    for (char ch : text) {
        if (ch >= 'A' && ch <= 'Z') {
            c.activate("key:shift");
            c.activate("key:" + std::string(1, static_cast<char>(ch - 'A' + 'a')));
        } else if (ch == ' ') {
            c.activate("key:space");
        } else {
            c.activate("key:" + std::string(1, ch));
        }
    }
}

void toVerhuizing(core::Controller& c) {
    c.activate("start");
    REQUIRE(c.screenId() == "language");
    c.activate("lang:nl");
    REQUIRE(c.screenId() == "forms");
    c.activate("form:verhuizing");
    REQUIRE(c.screenId() == "intro");
    c.activate("next");
    REQUIRE(c.screenId() == "page:postcode");
}

void fillToReview(core::Controller& c) {
    toVerhuizing(c);
    CHECK(c.focus() == "field:postcode");
    type(c, "3511ab");
    c.activate("next");
    type(c, "12");
    c.activate("next");
    c.activate("next");  // toevoeging: optional
    type(c, "Oudegracht");
    c.activate("next");
    REQUIRE(c.screenId() == "page:datum");
    c.activate("date:day-up");    // first touch sets today
    c.activate("date:day-up");
    c.activate("next");
    c.activate("option:alleen_ik");
    c.activate("next");
    REQUIRE(c.screenId() == "page:bsn");
    type(c, "111222333");
    c.activate("next");
    c.activate("next");  // phone optional
    c.activate("next");  // email optional
    c.activate("field:akkoord");
    c.activate("next");
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a whole demo form by taps, to the stored submission") {
    auto c = make();
    CHECK(c.screenId() == "welcome");
    fillToReview(c);
    REQUIRE(c.screenId() == "review");
    const auto review = c.screen();
    const auto* bsn = review.find("change:bsn");
    REQUIRE(bsn != nullptr);
    CHECK(bsn->masked);  // private: dots until the citizen asks
    CHECK(bsn->detail == "********");
    c.activate("show:bsn");
    CHECK(c.screen().find("change:bsn")->detail == "111222333");
    c.activate("submit");
    CHECK(c.screenId() == "confirmation");
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].payload.find("\"straat\":\"Oudegracht\"") != std::string::npos);
    CHECK(stored[0].payload.find("\"verhuisdatum\":\"2026-11-30\"") != std::string::npos);
    bool bigReference = false;
    for (const auto& block : c.screen().texts) bigReference |= block.text == "K7QPD-4M2X9";
    CHECK(bigReference);
    c.activate("done");
    CHECK(c.screenId() == "welcome");
}

// Regression (found by ASan in the soak): the review built each "show" toggle from a
// reference to the answer's line that adding the toggle could leave dangling. Every review
// line of a private answer is followed by its toggle, whose state matches the line's, with
// the answer hidden and shown.
TEST_CASE_FIXTURE(Fixture, "review: each private answer's show toggle matches its line") {
    auto c = make();
    fillToReview(c);
    REQUIRE(c.screenId() == "review");
    for (const bool shown : {false, true}) {
        const auto review = c.screen();
        int toggles = 0;
        for (std::size_t i = 0; i < review.elements.size(); ++i) {
            const auto& e = review.elements[i];
            if (!e.id.starts_with("show:")) continue;
            ++toggles;
            REQUIRE(i > 0);
            const auto& line = review.elements[i - 1];
            CHECK(line.id == "change:" + e.field);
            CHECK(line.masked == !shown);
            CHECK(e.selected == shown);
        }
        CHECK(toggles > 0);
        if (!shown) {
            for (const auto& e : review.elements) {
                if (e.id.starts_with("show:")) c.activate(e.id);
            }
        }
    }
}

TEST_CASE_FIXTURE(Fixture, "validation: the message at the top and at the field, focus moved, spoken") {
    auto c = make();
    toVerhuizing(c);
    (void)c.takeUtterances();
    c.activate("next");
    CHECK(c.screenId() == "page:postcode");
    CHECK(c.focus() == "field:postcode");
    const auto screen = c.screen();
    int errors = 0;
    for (const auto& block : screen.texts) errors += block.kind == core::TextBlock::Kind::Error;
    CHECK(errors == 2);
    const auto said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].text.find(strings.get("nl", "validation.required")) != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "stop asks first, then wipes; settings go back to defaults") {
    auto c = make();
    toVerhuizing(c);
    type(c, "1234");
    c.activate("setting:text-size");
    c.activate("setting:contrast");
    CHECK(c.settings().theme == 1);
    c.activate("stop");
    CHECK(c.screen().overlay == "stop-confirm");
    c.activate("stop-no");
    CHECK(c.screenId() == "page:postcode");
    CHECK(c.screen().find("field:postcode")->label == "1234");
    c.activate("stop");
    c.activate("stop-yes");
    CHECK(c.screenId() == "welcome");
    CHECK(c.settings() == core::Settings{});
    toVerhuizing(c);
    CHECK(c.screen().find("field:postcode")->label.empty());
}

TEST_CASE_FIXTURE(Fixture, "idle: warning after warn_after_s, still here keeps the answers, zero wipes") {
    auto c = make();
    toVerhuizing(c);
    type(c, "1234AB");
    clock.advance(std::chrono::seconds{119});
    c.tick();
    CHECK(c.screenId() == "page:postcode");
    clock.advance(std::chrono::seconds{1});
    c.tick();
    CHECK(c.screenId() == "idle-warning");
    CHECK(c.screen().countdown == 45);
    clock.advance(std::chrono::seconds{10});
    c.tick();
    CHECK(c.screen().countdown == 35);
    c.activate("still-here");
    CHECK(c.screenId() == "page:postcode");
    CHECK(c.screen().find("field:postcode")->label == "1234AB");
    clock.advance(std::chrono::seconds{120});
    c.tick();
    CHECK(c.screenId() == "idle-warning");
    clock.advance(std::chrono::seconds{45});
    c.tick();
    CHECK(c.screenId() == "welcome");
    toVerhuizing(c);
    CHECK(c.screen().find("field:postcode")->label.empty());
}

TEST_CASE_FIXTURE(Fixture, "the welcome screen repeats its invitation every 20 seconds") {
    auto c = make();
    (void)c.takeUtterances();
    clock.advance(std::chrono::seconds{20});
    c.tick();
    const auto said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].text == strings.get("nl", "welcome.invite"));
    REQUIRE(c.nextDeadline().has_value());
    CHECK(*c.nextDeadline() == clock.now() + std::chrono::seconds{20});
}

TEST_CASE_FIXTURE(Fixture, "a question left alone is said once more after 40 seconds, then the warning") {
    auto c = make();
    toVerhuizing(c);
    (void)c.takeUtterances();
    clock.advance(std::chrono::seconds{39});
    c.tick();
    CHECK(c.takeUtterances().empty());
    clock.advance(std::chrono::seconds{1});
    c.tick();
    const auto said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].text.find("postcode") != std::string::npos);
    clock.advance(std::chrono::seconds{40});
    c.tick();
    CHECK(c.takeUtterances().empty());  // once, not every 40 seconds
    clock.advance(std::chrono::seconds{40});
    c.tick();
    CHECK(c.screenId() == "idle-warning");
}

TEST_CASE_FIXTURE(Fixture, "a full disk: the citizen is told, nothing is confirmed") {
    auto c = make();
    fillToReview(c);
    REQUIRE(c.screenId() == "review");
    diskFull = true;
    c.activate("submit");
    CHECK(stored.empty());
    CHECK(c.screenId() == "out-of-order");
    bool told = false;
    for (const auto& block : c.screen().texts) told |= block.text == strings.get("nl", "out_of_order.cannot_store");
    CHECK(told);
}

TEST_CASE_FIXTURE(Fixture, "out of order for a full disk until the outbox can store again") {
    auto c = make();
    bool canStore = false;
    c.setStorageCheck([&] { return canStore; });
    fillToReview(c);
    diskFull = true;
    c.activate("submit");
    REQUIRE(c.screenId() == "out-of-order");
    clock.advance(std::chrono::seconds{15});
    c.tick();
    CHECK(c.screenId() == "out-of-order");
    canStore = true;
    diskFull = false;
    clock.advance(std::chrono::seconds{15});
    c.tick();
    CHECK(c.screenId() == "welcome");
    CHECK(stored.empty());  // nothing half-stored or confirmed from before
}

TEST_CASE_FIXTURE(Fixture, "focus moves with wrap-around and never gets trapped") {
    auto c = make();
    toVerhuizing(c);
    const auto screen = c.screen();
    const std::string first = c.focus();
    for (std::size_t i = 0; i < screen.elements.size(); ++i) c.moveFocus(1);
    CHECK(c.focus() == first);
    c.moveFocus(-1);
    CHECK(c.focus() != first);
    c.activate("help");
    CHECK(c.screen().overlay == "help");
    c.moveFocus(1);
    CHECK(c.focus() == "help-close");
    c.activate("help-close");
    CHECK(c.screen().overlay.empty());
}

TEST_CASE_FIXTURE(Fixture, "private answers are not echoed over loudspeakers, but are with headphones") {
    auto c = make();
    toVerhuizing(c);
    for (int i = 0; i < 8; ++i) {
        // Walk to the BSN page with valid answers.
        if (c.screenId() == "page:postcode") type(c, "1234AB");
        if (c.screenId() == "page:huisnummer") type(c, "1");
        if (c.screenId() == "page:straat") type(c, "Dorp");
        if (c.screenId() == "page:datum") c.activate("date:day-up");
        if (c.screenId() == "page:wie") c.activate("option:alleen_ik");
        if (c.screenId() == "page:bsn") break;
        c.activate("next");
    }
    REQUIRE(c.screenId() == "page:bsn");
    (void)c.takeUtterances();
    c.activate("key:1");
    auto said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].text == strings.get("nl", "key.typed"));
}

// Privacy after a session (docs/privacy.md): whichever way a session ends, nothing of its
// answers is shown, said or kept for the next citizen, including read-backs that were
// still waiting to be said when it ended.
namespace {

bool screenShows(const core::Screen& screen, std::string_view value) {
    auto has = [&](const std::string& text) { return text.find(value) != std::string::npos; };
    for (const auto& block : screen.texts) {
        if (has(block.text) || has(block.spoken)) return true;
    }
    for (const auto& block : screen.overlayTexts) {
        if (has(block.text) || has(block.spoken)) return true;
    }
    for (const auto& element : screen.elements) {
        if (has(element.label) || has(element.detail) || has(element.spoken)) return true;
    }
    return false;
}

bool saidAny(const std::vector<core::Utterance>& said, std::string_view value) {
    return std::ranges::any_of(said, [&](const core::Utterance& u) { return u.text.find(value) != std::string::npos; });
}

// To the street page and type a street on a physical keyboard: its echo (the whole text)
// is still waiting to be said when the session ends.
void typeStreet(core::Controller& c, std::string_view street) {
    toVerhuizing(c);
    type(c, "3511ab");
    c.activate("next");
    type(c, "12");
    c.activate("next");
    c.activate("next");
    REQUIRE(c.screenId() == "page:straat");
    (void)c.takeUtterances();
    c.typeText(street);
    REQUIRE(screenShows(c.screen(), street));
}

// After the end: the welcome screen, nothing of the street said or shown, and the same
// form starts empty.
void checkNothingLeft(core::Controller& c, std::string_view street) {
    REQUIRE(c.screenId() == "welcome");
    CHECK_FALSE(saidAny(c.takeUtterances(), street));
    CHECK_FALSE(screenShows(c.screen(), street));
    toVerhuizing(c);
    CHECK(c.screen().find("field:postcode")->label.empty());
    CHECK_FALSE(saidAny(c.takeUtterances(), street));
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "stop: an echo not yet said is dropped with the session") {
    auto c = make();
    typeStreet(c, "Zwanenburgsteeg");
    c.activate("stop");
    c.activate("stop-yes");
    checkNothingLeft(c, "Zwanenburgsteeg");
}

TEST_CASE_FIXTURE(Fixture, "idle timeout: nothing of the session is said or shown after it") {
    auto c = make();
    typeStreet(c, "Zwanenburgsteeg");
    clock.advance(std::chrono::seconds{120});
    c.tick();
    REQUIRE(c.screenId() == "idle-warning");
    clock.advance(std::chrono::seconds{45});
    c.tick();
    checkNothingLeft(c, "Zwanenburgsteeg");
}

TEST_CASE_FIXTURE(Fixture, "submit: the stored payload is the only copy the kiosk keeps") {
    auto c = make();
    fillToReview(c);
    REQUIRE(c.screenId() == "review");
    (void)c.takeUtterances();  // as the UI does after every input
    c.activate("submit");
    REQUIRE(c.screenId() == "confirmation");
    CHECK_FALSE(saidAny(c.takeUtterances(), "Oudegracht"));
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].payload.find("111222333") != std::string::npos);  // it was submitted
    CHECK_FALSE(screenShows(c.screen(), "111222333"));
    CHECK_FALSE(screenShows(c.screen(), "Oudegracht"));
    c.activate("done");
    REQUIRE(c.screenId() == "welcome");
    CHECK_FALSE(saidAny(c.takeUtterances(), "Oudegracht"));
    toVerhuizing(c);
    CHECK(c.screen().find("field:postcode")->label.empty());
}

TEST_CASE_FIXTURE(Fixture, "help on the staff screen opens nothing the next citizen would see") {
    auto c = make();
    c.setStaffPinHash("$scrypt$ln=1,r=8,p=1$c2FsdA$aGFzaA");
    c.openStaff();
    REQUIRE(c.screenId() == "staff");
    c.help();
    CHECK(c.screen().overlay.empty());
    c.activate("staff-cancel");
    CHECK(c.screenId() == "welcome");
    CHECK(c.screen().overlay.empty());
}

TEST_CASE_FIXTURE(Fixture, "scrolling counts as activity: a reader is not warned") {
    auto c = make();
    toVerhuizing(c);
    clock.advance(std::chrono::seconds{100});
    c.tick();
    c.scrolled();
    clock.advance(std::chrono::seconds{100});
    c.tick();
    CHECK(c.screenId() == "page:postcode");
    clock.advance(std::chrono::seconds{21});
    c.tick();
    CHECK(c.screenId() == "idle-warning");
}

TEST_CASE_FIXTURE(Fixture, "intro: the personal data the form asks for, and why, before any answer") {
    auto c = make();
    c.activate("start");
    c.activate("lang:nl");
    c.activate("form:verhuizing");
    REQUIRE(c.screenId() == "intro");
    // "Begin" keeps the focus: Enter still starts the form; the reasons are one Tab away.
    CHECK(c.focus() == "next");
    auto said = c.takeUtterances();
    REQUIRE_FALSE(said.empty());
    const std::string announced = said.back().text;
    CHECK(announced.find("Dit formulier vraagt naar: Wat is uw nieuwe postcode?") != std::string::npos);
    CHECK(announced.find("Wat is uw BSN? Dat is uw burgerservicenummer.") != std::string::npos);  // speak, as on its page
    CHECK(announced.find("In welke straat gaat u wonen?") != std::string::npos);       // personal: true
    CHECK(announced.find("Verhuizen er kinderen onder 18 jaar mee?") == std::string::npos);  // not personal
    CHECK(announced.find("Met de postcode vinden wij") == std::string::npos);  // the why: only on request
    auto screen = c.screen();
    REQUIRE(screen.find("why-data") != nullptr);
    CHECK(std::ranges::count_if(screen.texts, [](const core::TextBlock& b) { return b.text.starts_with("\u2022 "); }) == 9);

    c.activate("why-data");
    CHECK(c.screenId() == "intro");
    CHECK(c.focus() == "why-data");
    said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].text.starts_with("Waarom vragen we dit? Wat is uw nieuwe postcode? Met de postcode vinden wij uw nieuwe adres."));
    CHECK(said[0].text.find("Zo weten wij zeker wie u bent.") != std::string::npos);
    screen = c.screen();
    CHECK(std::ranges::any_of(screen.texts, [](const core::TextBlock& b) { return b.text == "Zo weten wij zeker wie u bent."; }));

    // Back on the intro later, the reasons are folded away again.
    c.activate("next");
    REQUIRE(c.screenId() == "page:postcode");
    c.goBack();
    REQUIRE(c.screenId() == "intro");
    screen = c.screen();
    CHECK_FALSE(std::ranges::any_of(screen.texts, [](const core::TextBlock& b) { return b.text == "Zo weten wij zeker wie u bent."; }));
}

TEST_CASE_FIXTURE(Fixture, "intro: answers given earlier are never part of the personal-data list") {
    auto c = make();
    fillToReview(c);
    REQUIRE(c.screenId() == "review");
    // Back to the intro with every answer still held: the list and the reasons show labels only.
    while (c.screenId() != "intro") c.goBack();
    (void)c.takeUtterances();  // the pages on the way back read their answers: not the point here
    c.activate("why-data");
    const auto screen = c.screen();
    for (const auto& block : screen.texts) {
        CHECK(block.text.find("111222333") == std::string::npos);
        CHECK(block.text.find("Oudegracht") == std::string::npos);
        CHECK(block.text.find("3511") == std::string::npos);
    }
    for (const auto& u : c.takeUtterances()) {
        CHECK(u.text.find("Oudegracht") == std::string::npos);
        CHECK(u.text.find("1 1 1") == std::string::npos);
    }
}
