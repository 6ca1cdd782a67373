// The kiosk's behaviour between the citizen's hands and the session: focus, the on-screen
// keyboard, settings, help and stop, idle warning and wipe, and what to say. Pure C++: the
// UI turns taps and keys into calls here and draws screen(); tests drive it directly.
//
// Thread: one (the UI thread). The forms, clock and strings must outlive it.
#pragma once

#include "kiosk/core/clock.hpp"
#include "kiosk/core/screen.hpp"
#include "kiosk/core/session.hpp"
#include "kiosk/core/strings.hpp"

#include "forms/loader.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kiosk::core {

// The citizen's settings. Every session starts with the defaults.
struct Settings {
    static constexpr int kTextSizes = 4;
    static constexpr int kThemes = 4;
    static constexpr int kSpeechRates = 7;   // 0.5x .. 2x, see speechRateFactor()
    static constexpr int kVolumes = 7;       // 3 dB apart: 18 dB from the lowest to the highest
    int textSize = 1;
    int theme = 0;
    int speechRate = 2;                       // 1x
    int volume = 4;
    bool touchExplore = false;                // first touch speaks, second activates
    bool headphones = false;                  // private answers may be read back
    bool curtain = false;                     // audio-only: the screen stays dark
    friend bool operator==(const Settings&, const Settings&) = default;
};
// 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2
[[nodiscard]] double speechRateFactor(int step);

// Which part of an utterance reads which text of the screen, so the UI can highlight the
// word being heard in the text on screen (bytes of Utterance::text -> bytes of the text).
struct SpokenSegment {
    std::size_t start = 0;      // in Utterance::text
    std::size_t length = 0;
    std::size_t textIndex = 0;  // into Screen::texts
    friend bool operator==(const SpokenSegment&, const SpokenSegment&) = default;
};

// Something to say. `interrupt`: stop what is being said first.
struct Utterance {
    std::string text;
    std::string language;
    bool interrupt = true;
    std::string screenId;                  // the screen it was said on
    std::vector<SpokenSegment> segments;   // where it reads the screen's texts, if it does
    friend bool operator==(const Utterance&, const Utterance&) = default;
};

struct IdleTimes {
    std::chrono::seconds warnAfter{120};
    std::chrono::seconds countdown{45};
    std::chrono::seconds welcomeRepeat{20};   // the invitation on the welcome screen
    std::chrono::seconds screenRepeat{40};    // a question left alone is said once more
    std::chrono::seconds confirmationShown{60};
};

// Stores a finished submission durably (the outbox). Returns an error text for logs when
// it cannot (disk full): the citizen is then told, and the kiosk goes out of order.
using StoreSubmission = std::function<std::expected<void, std::string>(const PreparedSubmission&)>;
using MakeReference = std::function<std::expected<std::string, std::string>()>;

// One line of a staff check (self-test): a sentence in the staff's language that says what
// was found and, for a problem, what to do.
struct StaffLine {
    bool ok = true;
    std::string text;
    friend bool operator==(const StaffLine&, const StaffLine&) = default;
};

// What one load of the forms folder gave: the staff menu shows it, the preview shows its
// errors instead of the form.
struct FormsLoad {
    std::vector<forms::Form> forms;
    std::vector<forms::Finding> findings;   // errors and warnings, every file
    std::string folder;
    int filesRead = 0;
    int filesRefused = 0;                   // files with at least one error (left out)
};
// Reads the forms folder again (staff "reload forms", a save seen by the preview).
using LoadForms = std::function<FormsLoad()>;
// The staff self-test. Runs on a worker thread: it must not touch the controller, only
// read `strings` (immutable) and its own captures. Slow parts (the network) bound their time.
using SelfTest = std::function<std::vector<StaffLine>(const StringTable& strings, const std::string& language)>;

class Controller {
public:
    Controller(std::span<const forms::Form> forms, SessionSettings settings, const Clock& clock,
               const StringTable& strings, IdleTimes idle, StoreSubmission store,
               MakeReference makeReference);

    // -- what to show and say --
    [[nodiscard]] Screen screen() const;
    [[nodiscard]] std::string screenId() const;
    [[nodiscard]] const std::string& focus() const { return m_focus; }
    [[nodiscard]] const Settings& settings() const { return m_settings; }
    [[nodiscard]] const std::string& language() const { return m_session->language(); }
    // Utterances produced since the last call, in order.
    [[nodiscard]] std::vector<Utterance> takeUtterances();
    // When tick() must run next (the idle warning, its countdown, the welcome repeat), so
    // the UI can sleep until then. Nullopt: nothing is due.
    [[nodiscard]] std::optional<std::chrono::system_clock::time_point> nextDeadline() const;
    // Out of order: no form could be loaded, or the outbox cannot store.
    [[nodiscard]] bool outOfOrder() const { return m_outOfOrder; }

    // -- input (each counts as activity for the idle timer) --
    // A tap on a control, or Enter on the focused one.
    void activate(const std::string& controlId);
    // Text typed on a physical keyboard: goes to the field that has the typing focus.
    void typeText(std::string_view utf8);
    void backspace();
    // Tab / Shift+Tab / arrows: the next or previous control (wraps: no focus trap).
    void moveFocus(int delta);
    // Escape and the keypad's "back": one screen back (never leaves the kiosk).
    void goBack();
    void goNext();
    void repeat();
    // Help for the current screen (not on the staff screens: staff have their own menu).
    void help();
    // The citizen scrolled the screen (buttons or a slide): reading counts as activity.
    void scrolled() { noteActivity(); }
    // The touch-to-explore setting: the first touch on a control only says what it is.
    void touch(const std::string& controlId);
    // The headphones key: private answers may be read back while headphones are in use.
    void toggleHeadphones();
    // The privacy curtain key: the screen goes dark; keypad and speech carry on alone.
    void toggleCurtain();

    // -- time --
    void tick();

    // A finished or abandoned session: wipe everything, settings back to defaults.
    void wipe();

    // -- staff --
    // The staff gesture (docs/keys.md): wipes the citizen's session and asks for the PIN.
    void openStaff();
    // The scrypt line from the config (staff.pin_hash); empty: the staff menu cannot open.
    void setStaffPinHash(std::string hash) { m_pinHash = std::move(hash); }
    // Whether the outbox can store again; while out of order for that reason, tick() asks
    // and returns to the welcome screen once it can.
    void setStorageCheck(std::function<bool()> check) { m_storageCheck = std::move(check); }
    // Lines for the staff menu (outbox status and the like), asked for when it is shown.
    using StaffStatus = std::function<std::vector<std::string>(const StringTable&, const std::string& language)>;
    void setStaffStatus(StaffStatus status) { m_staffStatus = std::move(status); }
    // Staff chose "leave the kiosk": the UI ends the process with status 0.
    [[nodiscard]] bool exitRequested() const { return m_exitRequested; }
    // The forms folder: what its last load gave (counts, findings, folder) and how to read
    // it again. Without a loader the staff menu has no "reload forms".
    void setFormsLoad(const FormsLoad& report, LoadForms reload);
    // Staff "reload forms" and the preview's reload on save: reads the folder again and
    // replaces the forms. Only while no citizen session is open (the staff menu, the
    // welcome screen, or the preview): false, and nothing changes, otherwise.
    bool reloadForms();
    // Replaces the forms (the controller then owns them) and starts a new session; in
    // the preview the place (form, page, language) is kept where it still exists.
    bool replaceForms(std::vector<forms::Form> forms);
    // The staff self-test (run from the staff menu on a worker thread).
    void setSelfTest(SelfTest test) { m_selfTestRun = std::move(test); }
    [[nodiscard]] bool selfTestRunning() const { return m_selfTest.valid(); }
    // Blocks until a running self-test is done (before what it uses, the speaker, goes).
    void waitForSelfTest() { if (m_selfTest.valid()) m_selfTest.wait(); }
    // Grows when something changed by itself (a self-test finished): the UI draws again.
    [[nodiscard]] std::uint64_t revision() const { return m_revision; }
    // Counts the times the forms were replaced (staff "reload forms", the preview's reload
    // on save): the window drops what it made from the forms folder's files (staff icons).
    [[nodiscard]] std::uint64_t formsGeneration() const { return m_formsGeneration; }

    // -- preview (`kiosk preview`): staff check forms; nothing is ever sent --
    void setPreview(bool on);
    [[nodiscard]] bool preview() const { return m_preview; }
    // F2 in the preview: the list of every page (also those hidden by show_if) and the
    // languages; again: back to where staff were.
    void togglePreviewPages();

private:
    void noteActivity();
    void enterScreen();            // after any screen change: focus, announcement
    void announceScreen();
    void say(std::string text, bool interrupt = true, std::string language = {});
    void sayFocus();
    [[nodiscard]] std::string t(std::string_view id, const std::map<std::string, std::string>& params = {}) const;
    [[nodiscard]] const forms::Field* activeField() const;
    [[nodiscard]] std::string fieldText(const forms::Field& field) const;
    void setFieldText(const forms::Field& field, std::string text);
    void pressKey(const std::string& key);
    void stepDate(const forms::Field& field, const std::string& part, int delta);
    void submit();
    void activateStaff(const std::string& controlId);
    void buildStaff(Screen& screen) const;
    void buildStaffMenu(Screen& screen) const;
    void buildPreviewErrors(Screen& screen) const;
    void buildPreviewPages(Screen& screen) const;
    bool activatePreview(const std::string& controlId);
    void pollSelfTest();
    [[nodiscard]] std::string formsSummary() const;
    [[nodiscard]] bool previewBroken() const;
    [[nodiscard]] const forms::Form* previewForm() const;
    void buildPage(Screen& screen) const;
    void buildIntro(Screen& screen) const;
    void sayWhy();
    void buildKeys(Screen& screen, const forms::Field& field) const;
    void addChrome(Screen& screen) const;
    [[nodiscard]] std::string spokenFor(const Element& element) const;
    [[nodiscard]] std::string answerForSpeech(const forms::Field& field) const;
    [[nodiscard]] std::string spokenAnswer(const forms::Field& field, const forms::Value& value) const;

    std::span<const forms::Form> m_forms;
    SessionSettings m_sessionSettings;
    const Clock& m_clock;
    const StringTable& m_strings;
    IdleTimes m_idle;
    StoreSubmission m_store;
    MakeReference m_makeReference;

    std::unique_ptr<Session> m_session;
    Settings m_settings;
    std::string m_focus;
    std::string m_activeField;      // the field that typing goes to
    bool m_shift = false;
    bool m_accents = false;
    std::string m_overlay;          // "", "help", "stop-confirm"
    std::vector<FieldError> m_errors;
    std::string m_touched;          // touch to explore: the control touched once
    bool m_idleWarning = false;
    bool m_outOfOrder = false;
    std::string m_outOfOrderReason; // string id
    std::chrono::system_clock::time_point m_lastActivity;
    std::chrono::system_clock::time_point m_lastWelcomeSpeech;
    std::chrono::system_clock::time_point m_confirmedAt;
    bool m_repeatedWhileIdle = false;  // the screen's once-more since the last input
    std::vector<Utterance> m_utterances;
    std::map<std::string, bool, std::less<>> m_revealed;  // review: private answers shown
    bool m_showWhy = false;        // intro: why each piece of personal data is asked (why-data)
    enum class Staff { Off, Pin, Menu } m_staff = Staff::Off;
    std::string m_pinHash;
    std::string m_pin;             // digits typed so far (wiped when the PIN screen closes)
    int m_pinFailures = 0;
    std::chrono::system_clock::time_point m_pinLockedUntil{};
    std::string m_staffMessage;    // string id
    bool m_exitRequested = false;
    StaffStatus m_staffStatus;
    std::function<bool()> m_storageCheck;
    // Forms read again (reload, preview): owned here; m_forms then points into it.
    std::vector<forms::Form> m_ownedForms;
    FormsLoad m_formsReport;         // the last load: findings and counts (forms moved out)
    bool m_hasFormsReport = false;
    LoadForms m_loadForms;
    std::string m_reloadMessage;     // shown after "reload forms"
    SelfTest m_selfTestRun;
    std::future<std::vector<StaffLine>> m_selfTest;   // valid while the self-test runs
    std::vector<StaffLine> m_selfTestLines;
    std::uint64_t m_revision = 0;
    std::uint64_t m_formsGeneration = 0;
    bool m_preview = false;
    bool m_previewPages = false;     // the preview's page list is open
    std::string m_previewForm;       // the form the page list is about
    // Where the preview was (language, form, page): kept while a file is broken, so the
    // fixed form opens where staff were.
    std::array<std::string, 3> m_previewPlace;
    bool m_previewWasBroken = false;
};

}  // namespace kiosk::core
