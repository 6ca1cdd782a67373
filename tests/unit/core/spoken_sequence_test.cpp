// What the kiosk says, exactly, for every screen type of a demo form: entering each screen,
// focus moves, a validation error, the review and the confirmation, in Dutch and English.
// The sequence is compared with a golden file; a phrasing change shows up as a diff.
// To accept a change on purpose: KIOSK_UPDATE_GOLDEN=1 build/tests/test_core -tc="*golden*"
#include "kiosk/core/controller.hpp"

#include "forms/loader.hpp"
#include "tests/fakes/manual_clock.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace kiosk;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

struct Recorder {
    std::vector<std::string> lines;
    void take(core::Controller& c, const std::string& step) {
        for (const auto& u : c.takeUtterances()) {
            lines.push_back("[" + step + "] " + u.language + (u.interrupt ? "" : " (queued)") + ": " + u.text);
        }
    }
};

std::string walk(const std::string& language) {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    const auto icons = *forms::IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
    forms::LoadOptions load;
    load.icons = &icons;
    const auto forms = forms::loadFormFolder(kSource / "assets/forms", load).forms;
    const auto strings = *core::StringTable::load(kSource / "assets/strings");
    test::ManualClock clock{std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{10}};
    core::Controller c(
        forms, {{"nl", "en"}, "k", ""}, clock, strings, core::IdleTimes{},
        [](const core::PreparedSubmission&) -> std::expected<void, std::string> { return {}; },
        []() -> std::expected<std::string, std::string> { return "K7QPD-4M2X9"; });
    Recorder r;
    auto type = [&](std::string_view text) {
        for (char ch : text) c.activate("key:" + std::string(1, ch));
    };
    r.take(c, "welcome");
    c.activate("start");
    r.take(c, "language");
    c.moveFocus(1);
    r.take(c, "language, focus moved");
    c.activate("lang:" + language);
    r.take(c, "forms");
    c.activate("form:verhuizing");
    r.take(c, "intro");
    c.activate("next");
    r.take(c, "page postcode");
    c.activate("next");
    r.take(c, "page postcode, error");
    type("3511AB");
    r.take(c, "page postcode, typing");
    c.activate("next");
    type("12");
    c.activate("next");
    c.activate("next");
    type("dorp");
    c.activate("next");
    r.take(c, "pages number, addition, street");
    c.activate("date:day-up");
    r.take(c, "page date, stepper");
    c.activate("next");
    r.take(c, "page choice");
    c.moveFocus(1);
    r.take(c, "page choice, focus moved");
    c.activate("option:heel_gezin");
    r.take(c, "page choice, chosen");
    c.activate("next");
    type("gezin");
    c.activate("next");
    r.take(c, "page yes/no");
    c.activate("yes");
    c.activate("next");
    type("2");
    c.activate("next");
    r.take(c, "page number of children, then bsn");
    type("111222333");
    r.take(c, "page bsn, typing (private, no headphones)");
    c.activate("next");
    c.activate("next");
    c.activate("next");
    c.activate("field:akkoord");
    r.take(c, "page consent");
    c.activate("next");
    r.take(c, "review");
    c.activate("submit");
    r.take(c, "confirmation");
    c.activate("repeat");
    r.take(c, "confirmation, read aloud again");
    std::string out;
    for (const auto& line : r.lines) out += line + "\n";
    return out;
}

void compareWithGolden(const std::string& actual, const std::filesystem::path& golden) {
    if (const char* update = std::getenv("KIOSK_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
        std::ofstream(golden) << actual;
    }
    std::ifstream in(golden);
    REQUIRE_MESSAGE(in.good(), "no golden file " << golden.string());
    std::ostringstream expected;
    expected << in.rdbuf();
    // Line by line, so a failure names the first line that changed.
    std::istringstream a(actual);
    std::istringstream e(expected.str());
    std::string la;
    std::string le;
    int line = 0;
    while (true) {
        const bool moreA = static_cast<bool>(std::getline(a, la));
        const bool moreE = static_cast<bool>(std::getline(e, le));
        ++line;
        if (!moreA && !moreE) break;
        CAPTURE(line);
        REQUIRE(la == le);
    }
}

}  // namespace

TEST_CASE("the spoken sequence of every screen type matches the golden file (Dutch)") {
    compareWithGolden(walk("nl"), kSource / "tests/data/golden/spoken-nl.txt");
}

TEST_CASE("the spoken sequence of every screen type matches the golden file (English)") {
    compareWithGolden(walk("en"), kSource / "tests/data/golden/spoken-en.txt");
}
