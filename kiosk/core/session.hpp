// One citizen's visit: the screens in order, the answers, validation, and the submission.
//
// Pure C++ (no window, no speech, no network): the screens draw what this says and report
// taps back as calls. The flow is the contract's (../shared/kiosk-cli.md, "Screen order"):
//   welcome -> language -> forms -> intro -> page:<id>... -> review -> confirmation
// where language is skipped when one language is offered, forms when one form is
// available in the chosen language, intro when the form has no intro and asks no personal
// data, and every page whose show_if is false.
//
// Answers: what the citizen entered is kept per field as RawInput; the normalised value is
// derived from it. When a condition turns false, the answers of the fields it hides are
// erased at once (and wiped from memory). Ending the session wipes everything.
//
// Thread: one (the UI thread). Holds references to the forms and the clock, which must
// outlive it.
#pragma once

#include "forms/condition.hpp"
#include "forms/form.hpp"
#include "forms/validate.hpp"
#include "forms/value.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/strings.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

enum class ScreenKind { Welcome, Language, Forms, Intro, Page, Review, Confirmation };

// A field's problem after "next", with its sentence in the session's language.
struct FieldError {
    std::string fieldId;
    forms::ValidationProblem problem;
    std::string message;
};

// One line of the review screen.
struct ReviewItem {
    const forms::Field* field = nullptr;
    std::string pageId;
    std::string answer;  // as shown to the citizen, in the session's language
};

// What must be stored durably before the confirmation screen may appear.
struct PreparedSubmission {
    std::string formId;
    std::string reference;
    std::string endpoint;  // the form's, or the kiosk's default
    std::string payload;   // the contract's JSON
};

struct SessionSettings {
    std::vector<std::string> languages;  // offered, in this order (config `languages`)
    std::string kioskId;
    std::string defaultEndpoint;         // may be empty
};

class Session {
public:
    Session(std::span<const forms::Form> forms, SessionSettings settings, const Clock& clock,
            const StringTable& strings);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // -- where we are --
    [[nodiscard]] ScreenKind screen() const { return m_screen; }
    // The contract's screen id: "welcome", "page:wie", "review", ...
    [[nodiscard]] std::string screenId() const;
    [[nodiscard]] const std::string& language() const { return m_language; }
    [[nodiscard]] const forms::Form* form() const { return m_form; }
    // The current page (only on a page screen).
    [[nodiscard]] const forms::Page* page() const;
    // "Question 3 of 7": the position of the current page among the shown pages.
    [[nodiscard]] int pageNumber() const;
    [[nodiscard]] int pageCount() const;

    // Languages offered that at least one form speaks, in the configured order.
    [[nodiscard]] std::vector<std::string> languages() const;
    // Forms that speak the chosen language, in folder order.
    [[nodiscard]] std::vector<const forms::Form*> formsInLanguage() const;

    // -- moving --
    // Welcome -> the next screen. No-op elsewhere.
    void start();
    // Language screen: choose one of languages(). False if not offered.
    bool chooseLanguage(std::string_view language);
    // Forms screen: choose one of formsInLanguage(). Choosing another form than before
    // wipes the answers given to the earlier one.
    bool chooseForm(std::string_view formId);
    // Intro -> first page; page -> next page after checking this page's answers (errors
    // are returned and the screen stays). From a page reached by "change" on the review
    // screen, goes back to review unless a newly shown page still needs an answer.
    std::vector<FieldError> next();
    // One screen back (no-op on welcome and confirmation). On a page reached by "change",
    // back returns to the review screen.
    void back();
    // Review: go to the page of this field to change it.
    bool change(std::string_view fieldId);
    // Confirmation or Stop: wipe everything and show welcome.
    void reset();

    // -- answers (page screens) --
    // Fields of the current page that are shown now (their show_if holds).
    [[nodiscard]] std::vector<const forms::Field*> visibleFields() const;
    void setInput(std::string_view fieldId, forms::RawInput input);
    [[nodiscard]] const forms::RawInput& input(std::string_view fieldId) const;
    // The normalised value of a field, if its input is valid and the field is shown.
    [[nodiscard]] const forms::Value* value(std::string_view fieldId) const;
    [[nodiscard]] std::vector<ReviewItem> review() const;
    // How the answer to a field reads for the citizen ("Yes", "12 March 2027", "€ 12,50").
    [[nodiscard]] std::string answerText(const forms::Field& field, const forms::Value& value) const;

    // -- submitting (review screen) --
    // The payload of the finished form, or the errors that keep it from being finished
    // (then the screen moves to the first page with a problem).
    [[nodiscard]] std::expected<PreparedSubmission, std::vector<FieldError>> prepareSubmission(
        const std::string& reference);
    // After the submission is stored durably: show the confirmation.
    void confirmSubmitted(const std::string& reference);
    [[nodiscard]] const std::string& reference() const { return m_reference; }

    // -- preview (`kiosk preview`, staff only) --
    // Opens `formId` in `language` at `pageId` (or its first screen when empty or gone),
    // from any screen. The page is shown even when its show_if is false (its fields keep
    // their own show_if), so staff can check every page. Answers are wiped.
    bool previewOpen(std::string_view language, std::string_view formId, std::string_view pageId = {});

private:
    struct Place {
        std::size_t page = 0;
        std::size_t field = 0;
    };
    [[nodiscard]] std::vector<ScreenKind> screensBeforePages() const;
    [[nodiscard]] std::string defaultLanguage() const;
    // What conditions see of a field: its type and its current value.
    [[nodiscard]] forms::condition::Answer answerFor(std::string_view fieldId) const;
    [[nodiscard]] bool pageShown(std::size_t page) const;
    [[nodiscard]] bool fieldShown(std::size_t page, std::size_t field) const;
    [[nodiscard]] std::optional<std::size_t> nextShownPage(std::optional<std::size_t> after) const;
    [[nodiscard]] std::optional<std::size_t> previousShownPage(std::size_t before) const;
    [[nodiscard]] std::vector<FieldError> pageErrors(std::size_t page) const;
    [[nodiscard]] FieldError describe(const forms::Field& field,
                                      const forms::ValidationProblem& problem) const;
    // A raw amount or date as the session's language writes it ("1.234,50", "3 maart 2027").
    [[nodiscard]] std::string formatParam(const forms::Field& field, const std::string& raw) const;
    // Recomputes values and erases answers of fields that are hidden now.
    void refresh();
    void goToPage(std::size_t page);
    void wipeAnswers();

    std::span<const forms::Form> m_forms;
    SessionSettings m_settings;
    const Clock& m_clock;
    const StringTable& m_strings;

    ScreenKind m_screen = ScreenKind::Welcome;
    std::string m_language;
    const forms::Form* m_form = nullptr;
    std::size_t m_page = 0;
    bool m_changing = false;  // on a page reached from review's "change"
    std::map<std::string, forms::RawInput, std::less<>> m_inputs;
    std::map<std::string, forms::Value, std::less<>> m_values;  // shown and valid only
    std::map<std::string, Place, std::less<>> m_places;         // of the chosen form
    std::string m_reference;
    std::optional<std::size_t> m_forcedPage;  // preview: shown whatever its show_if says
};

}  // namespace kiosk::core
