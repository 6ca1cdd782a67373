// The staff menu (forms and their problems, reload, voices, self-test) and the preview
// (every page, errors instead of the form, nothing sent), through the controller alone.
#include "kiosk/core/controller.hpp"

#include "forms/loader.hpp"
#include "kiosk/core/pin.hpp"
#include "tests/fakes/manual_clock.hpp"
#include "tests/fakes/minimal_form.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

using namespace kiosk;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;
const auto kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{10};

struct Folder {
    Folder() {
        char name[] = "/tmp/staff-menu-XXXXXX";
        path = ::mkdtemp(name);
    }
    ~Folder() { std::filesystem::remove_all(path); }
    void write(const std::string& file, const std::string& text) const {
        std::ofstream(path / file) << text;
    }
    std::filesystem::path path;
};

struct Fixture {
    Fixture() {
        strings = *core::StringTable::load(kSource / "assets/strings");
        icons = *forms::IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
        pinHash = *core::hashPin("4711");
    }
    core::FormsLoad read() const {
        forms::LoadOptions options;
        options.icons = &icons;
        auto loaded = forms::loadFormFolder(folder.path, options);
        core::FormsLoad load;
        load.forms = std::move(loaded.forms);
        load.findings = std::move(loaded.findings);
        load.folder = folder.path.string();
        load.filesRead = loaded.filesRead;
        load.filesRefused = loaded.filesRefused;
        return load;
    }
    core::Controller make(std::span<const forms::Form> forms) {
        core::Controller c(
            forms, {{"nl", "en"}, "test-kiosk", ""}, clock, strings, core::IdleTimes{},
            [](const core::PreparedSubmission&) -> std::expected<void, std::string> { return std::unexpected("no"); },
            []() -> std::expected<std::string, std::string> { return "K7QPD-4M2X9"; });
        c.setStaffPinHash(pinHash);
        return c;
    }
    static void openMenu(core::Controller& c) {
        c.openStaff();
        for (char digit : std::string("4711")) c.activate("key:" + std::string(1, digit));
        c.activate("staff-ok");
        REQUIRE(c.screenId() == "staff");
        REQUIRE(c.screen().find("staff-exit") != nullptr);
    }
    Folder folder;
    core::StringTable strings;
    forms::IconCatalog icons;
    test::ManualClock clock{kNow};
    std::string pinHash;
};

bool hasText(const core::Screen& screen, const std::string& needle) {
    return std::ranges::any_of(screen.texts, [&](const core::TextBlock& b) { return b.text.find(needle) != std::string::npos; });
}

std::string allSaid(core::Controller& c) {
    std::string out;
    for (const auto& u : c.takeUtterances()) out += "[" + u.language + "] " + u.text + "\n";
    return out;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "the staff menu shows the forms' problems and reads a fixed folder again") {
    folder.write("goed.yaml", test::kMinimalForm);
    std::string broken = test::kMinimalForm;
    broken.replace(broken.find("form: goed"), 10, "form: tweede");
    broken.replace(broken.find("type: text"), 10, "type: txet");
    folder.write("tweede.yaml", broken);
    auto first = read();
    REQUIRE(first.forms.size() == 1);
    auto c = make(first.forms);
    c.setFormsLoad(first, [this] { return read(); });
    openMenu(c);

    auto screen = c.screen();
    CHECK(hasText(screen, "Formulieren: 1 klaar, 1 met fouten."));
    CHECK(hasText(screen, "Map: " + folder.path.string()));
    CHECK(hasText(screen, "tweede.yaml:11:15: unknown field type 'txet'"));
    for (const char* id : {"staff-reload", "staff-voice:nl", "staff-voice:en", "staff-exit", "staff-back"}) {
        CHECK_MESSAGE(screen.find(id) != nullptr, id);
    }
    CHECK(screen.find("staff-selftest") == nullptr);   // no self-test given: no button

    // Staff fix the file and reload: both forms now, said and shown.
    folder.write("tweede.yaml", std::string(test::kMinimalForm).replace(test::kMinimalForm.find("form: goed"), 10, "form: tweede"));
    (void)c.takeUtterances();
    c.activate("staff-reload");
    CHECK(c.screenId() == "staff");
    const std::string said = allSaid(c);
    CHECK(said.find("Formulieren opnieuw gelezen. Formulieren: 2 klaar, 0 met fouten.") != std::string::npos);
    screen = c.screen();
    CHECK(hasText(screen, "Formulieren: 2 klaar, 0 met fouten."));
    CHECK_FALSE(hasText(screen, "txet"));
    // The citizen sees both forms after staff leave.
    c.activate("staff-back");
    c.activate("start");
    c.activate("lang:nl");
    CHECK(c.screenId() == "forms");
    CHECK(c.screen().find("form:tweede") != nullptr);
}

TEST_CASE_FIXTURE(Fixture, "forms are never replaced under a citizen's hands") {
    folder.write("goed.yaml", test::kMinimalForm);
    auto first = read();
    auto c = make(first.forms);
    c.setFormsLoad(first, [this] { return read(); });
    c.activate("start");
    c.activate("lang:nl");
    REQUIRE(c.screenId() != "welcome");
    CHECK_FALSE(c.reloadForms());
    CHECK_FALSE(c.replaceForms({}));
    CHECK(c.screenId() != "out-of-order");
}

TEST_CASE_FIXTURE(Fixture, "a test sentence in each language, in that language's voice") {
    folder.write("goed.yaml", test::kMinimalForm);
    auto first = read();
    auto c = make(first.forms);
    openMenu(c);
    (void)c.takeUtterances();
    c.activate("staff-voice:en");
    auto said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].language == "en");
    CHECK(said[0].text == strings.get("en", "staff.voice_sample"));
    c.activate("staff-voice:nl");
    said = c.takeUtterances();
    REQUIRE(said.size() == 1);
    CHECK(said[0].language == "nl");
    CHECK(said[0].text == "Dit is de Nederlandse stem van de kiosk.");
}

TEST_CASE_FIXTURE(Fixture, "the self-test runs on a worker thread and its lines are shown and said") {
    folder.write("goed.yaml", test::kMinimalForm);
    auto first = read();
    auto c = make(first.forms);
    std::atomic<bool> release{false};
    std::atomic<std::thread::id> ranOn{};
    c.setSelfTest([&](const core::StringTable& table, const std::string& language) {
        ranOn = std::this_thread::get_id();
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds{1});
        return std::vector<core::StaffLine>{{true, table.get(language, "staff.check.speech_ok")},
                                            {false, "Backend example.org antwoordt niet."}};
    });
    openMenu(c);
    c.activate("staff-selftest");
    CHECK(c.selfTestRunning());
    CHECK(hasText(c.screen(), "Bezig met controleren"));
    const auto revision = c.revision();
    c.tick();   // not done yet: nothing changes, the screen is not frozen
    CHECK(c.selfTestRunning());
    CHECK(c.nextDeadline().has_value());
    release = true;
    for (int i = 0; i < 500 && c.selfTestRunning(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds{2});
        c.tick();
    }
    REQUIRE_FALSE(c.selfTestRunning());
    CHECK(ranOn.load() != std::this_thread::get_id());
    CHECK(c.revision() > revision);
    const auto screen = c.screen();
    CHECK(hasText(screen, "OK: De spraak werkt."));
    CHECK(hasText(screen, "Probleem: Backend example.org antwoordt niet."));
    const std::string said = allSaid(c);
    CHECK(said.find("Zelftest klaar. Problemen: 1. OK: De spraak werkt. Probleem: Backend example.org") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "the preview shows errors instead of the form, every page, and sends nothing") {
    folder.write("verhuizing.yaml", [&] {
        std::ifstream in(kSource / "assets/forms/verhuizing.yaml");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }());
    auto first = read();
    REQUIRE(first.forms.size() == 1);
    auto c = make(first.forms);
    c.setFormsLoad(first, [this] { return read(); });
    c.setPreview(true);
    CHECK(c.screen().banner.find("VOORBEELD") != std::string::npos);
    c.activate("start");
    c.activate("lang:nl");
    c.activate("next");
    REQUIRE(c.screenId() == "page:postcode");

    // A page hidden by its show_if, from the page list.
    c.togglePreviewPages();
    CHECK(c.screenId() == "preview-pages");
    CHECK(c.screen().find("preview-page:kinderen") != nullptr);
    c.activate("preview-page:kinderen");
    CHECK(c.screenId() == "page:kinderen");

    // A broken save: its error with file:line:column, not the form.
    std::ifstream in(folder.path / "verhuizing.yaml");
    std::string text(std::istreambuf_iterator<char>(in), {});
    std::string broken = text;
    broken.replace(broken.find("type: postcode"), 14, "type: postcod");
    folder.write("verhuizing.yaml", broken);
    CHECK(c.reloadForms());
    CHECK(c.screenId() == "preview-errors");
    CHECK(hasText(c.screen(), "verhuizing.yaml:19:15"));
    // Fixed: back on the same page.
    folder.write("verhuizing.yaml", text);
    CHECK(c.reloadForms());
    CHECK(c.screenId() == "page:kinderen");

}

TEST_CASE_FIXTURE(Fixture, "in the preview, Send says that nothing is sent") {
    folder.write("goed.yaml", test::kMinimalForm);
    auto first = read();
    int stored = 0;
    core::Controller c(
        first.forms, {{"nl"}, "preview", ""}, clock, strings, core::IdleTimes{},
        [&](const core::PreparedSubmission&) -> std::expected<void, std::string> { ++stored; return {}; },
        []() -> std::expected<std::string, std::string> { return "K7QPD-4M2X9"; });
    c.setFormsLoad(first, [this] { return read(); });
    c.setPreview(true);
    c.activate("start");
    if (c.screenId() == "intro") c.activate("next");
    REQUIRE(c.screenId() == "page:p1");
    c.typeText("Jan");
    c.activate("next");
    REQUIRE(c.screenId() == "review");
    CHECK(hasText(c.screen(), "Voorbeeld: Versturen verstuurt niets."));
    c.activate("submit");
    CHECK(c.screenId() == "review");
    CHECK(c.screen().overlay == "preview-not-sent");
    CHECK(stored == 0);
    c.activate("preview-ok");
    CHECK(c.screen().overlay.empty());
}
