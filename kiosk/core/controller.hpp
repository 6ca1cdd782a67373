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

#include <chrono>
#include <expected>
#include <functional>
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

private:
    void noteActivity();
    void enterScreen();            // after any screen change: focus, announcement
    void announceScreen();
    void say(std::string text, bool interrupt = true);
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
    void buildPage(Screen& screen) const;
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
    enum class Staff { Off, Pin, Menu } m_staff = Staff::Off;
    std::string m_pinHash;
    std::string m_pin;             // digits typed so far (wiped when the PIN screen closes)
    int m_pinFailures = 0;
    std::chrono::system_clock::time_point m_pinLockedUntil{};
    std::string m_staffMessage;    // string id
    bool m_exitRequested = false;
    StaffStatus m_staffStatus;
    std::function<bool()> m_storageCheck;
};

}  // namespace kiosk::core
