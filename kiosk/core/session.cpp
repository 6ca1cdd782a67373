// [SECTION] Construction and wiping
// [SECTION] Where we are
// [SECTION] Moving between screens
// [SECTION] Answers, visibility and erasure
// [SECTION] Messages and answer texts
// [SECTION] Submitting
#include "kiosk/core/session.hpp"

#include "forms/condition.hpp"
#include "forms/payload.hpp"
#include "forms/wipe.hpp"

#include <algorithm>
#include <cassert>

namespace kiosk::core {

namespace {

const forms::RawInput kNoInput{};

}  // namespace

// [SECTION] Construction and wiping -----------------------------------------------------------

Session::Session(std::span<const forms::Form> forms, SessionSettings settings, const Clock& clock,
                 const StringTable& strings)
    : m_forms(forms), m_settings(std::move(settings)), m_clock(clock), m_strings(strings) {
    m_language = defaultLanguage();
}

std::string Session::defaultLanguage() const {
    // The first offered language; with no form at all, the kiosk's own first language (the
    // out-of-order screen still speaks the language of the hall).
    const auto offered = languages();
    if (!offered.empty()) return offered.front();
    if (!m_settings.languages.empty()) return m_settings.languages.front();
    return "en";
}

Session::~Session() { wipeAnswers(); }

void Session::wipeAnswers() {
    for (auto& [id, input] : m_inputs) wipe(input);
    for (auto& [id, value] : m_values) wipe(value);
    m_inputs.clear();
    m_values.clear();
    wipe(m_reference);
}

void Session::reset() {
    m_forcedPage.reset();
    wipeAnswers();
    m_form = nullptr;
    m_places.clear();
    m_page = 0;
    m_changing = false;
    m_language = defaultLanguage();
    m_screen = ScreenKind::Welcome;
}

// [SECTION] Where we are ------------------------------------------------------------------------

std::string Session::screenId() const {
    switch (m_screen) {
        case ScreenKind::Welcome: return "welcome";
        case ScreenKind::Language: return "language";
        case ScreenKind::Forms: return "forms";
        case ScreenKind::Intro: return "intro";
        case ScreenKind::Page: return "page:" + m_form->pages[m_page].id;
        case ScreenKind::Review: return "review";
        case ScreenKind::Confirmation: return "confirmation";
    }
    return "welcome";
}

const forms::Page* Session::page() const {
    if (m_screen != ScreenKind::Page || m_form == nullptr) return nullptr;
    return &m_form->pages[m_page];
}

int Session::pageNumber() const {
    if (m_form == nullptr) return 0;
    int number = 0;
    for (std::size_t p = 0; p <= m_page && p < m_form->pages.size(); ++p) {
        if (pageShown(p)) ++number;
    }
    return number;
}

int Session::pageCount() const {
    if (m_form == nullptr) return 0;
    int count = 0;
    for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
        if (pageShown(p)) ++count;
    }
    return count;
}

std::vector<std::string> Session::languages() const {
    std::vector<std::string> out;
    for (const auto& language : m_settings.languages) {
        const bool spoken = std::ranges::any_of(
            m_forms, [&](const forms::Form& form) { return form.offersLanguage(language); });
        if (spoken && std::ranges::find(out, language) == out.end()) out.push_back(language);
    }
    return out;
}

std::vector<const forms::Form*> Session::formsInLanguage() const {
    std::vector<const forms::Form*> out;
    for (const auto& form : m_forms) {
        if (form.offersLanguage(m_language)) out.push_back(&form);
    }
    return out;
}

// [SECTION] Moving between screens -----------------------------------------------------------

// The screens between welcome and the first page, as they apply now.
std::vector<ScreenKind> Session::screensBeforePages() const {
    std::vector<ScreenKind> screens{ScreenKind::Welcome};
    if (languages().size() > 1) screens.push_back(ScreenKind::Language);
    if (formsInLanguage().size() > 1) screens.push_back(ScreenKind::Forms);
    if (m_form != nullptr && (m_form->intro || m_form->asksPersonalData())) {
        screens.push_back(ScreenKind::Intro);
    }
    return screens;
}

void Session::start() {
    if (m_screen != ScreenKind::Welcome) return;
    if (languages().size() > 1) {
        m_screen = ScreenKind::Language;
        return;
    }
    if (!languages().empty()) m_language = languages().front();
    const auto available = formsInLanguage();
    if (available.size() == 1) {
        chooseForm(available.front()->id);
    } else if (!available.empty()) {
        m_screen = ScreenKind::Forms;
    }
}

bool Session::chooseLanguage(std::string_view language) {
    if (m_screen != ScreenKind::Language) return false;
    const auto offered = languages();
    if (std::ranges::find(offered, language) == offered.end()) return false;
    m_language = language;
    const auto available = formsInLanguage();
    if (available.size() == 1) return chooseForm(available.front()->id);
    m_screen = ScreenKind::Forms;
    return true;
}

bool Session::chooseForm(std::string_view formId) {
    if (m_screen != ScreenKind::Forms && m_screen != ScreenKind::Language &&
        m_screen != ScreenKind::Welcome) {
        return false;
    }
    const forms::Form* chosen = nullptr;
    for (const auto* form : formsInLanguage()) {
        if (form->id == formId) chosen = form;
    }
    if (chosen == nullptr) return false;
    if (chosen != m_form) {
        wipeAnswers();
        m_form = chosen;
        m_places.clear();
        for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
            for (std::size_t f = 0; f < m_form->pages[p].fields.size(); ++f) {
                m_places.emplace(m_form->pages[p].fields[f].id, Place{p, f});
            }
        }
    }
    m_changing = false;
    if (m_form->intro || m_form->asksPersonalData()) {
        m_screen = ScreenKind::Intro;
    } else if (auto first = nextShownPage(std::nullopt)) {
        goToPage(*first);
    } else {
        m_screen = ScreenKind::Review;
    }
    return true;
}

bool Session::previewOpen(std::string_view language, std::string_view formId, std::string_view pageId) {
    const forms::Form* chosen = nullptr;
    for (const auto& form : m_forms) {
        if (form.id == formId) chosen = &form;
    }
    if (chosen == nullptr) return false;
    reset();
    m_language = chosen->offersLanguage(language) ? std::string(language) : chosen->languages.front();
    m_screen = ScreenKind::Welcome;
    if (!chooseForm(formId)) return false;
    if (pageId.empty()) return true;
    for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
        if (m_form->pages[p].id == pageId) {
            m_forcedPage = p;
            m_changing = false;
            goToPage(p);
            return true;
        }
    }
    return true;  // the page is gone (renamed or removed): the form's first screen
}

void Session::goToPage(std::size_t page) {
    m_page = page;
    m_screen = ScreenKind::Page;
}

std::vector<FieldError> Session::next() {
    switch (m_screen) {
        case ScreenKind::Welcome: start(); return {};
        case ScreenKind::Intro:
            if (auto first = nextShownPage(std::nullopt)) {
                goToPage(*first);
            } else {
                m_screen = ScreenKind::Review;
            }
            return {};
        case ScreenKind::Page: break;
        default: return {};
    }
    auto errors = pageErrors(m_page);
    if (!errors.empty()) return errors;
    if (m_changing) {
        // Back to review, unless a page that the change brought into view needs answers.
        for (auto p = nextShownPage(m_page); p; p = nextShownPage(*p)) {
            if (!pageErrors(*p).empty()) {
                goToPage(*p);
                return {};
            }
        }
        m_changing = false;
        m_screen = ScreenKind::Review;
        return {};
    }
    if (auto following = nextShownPage(m_page)) {
        goToPage(*following);
    } else {
        m_screen = ScreenKind::Review;
    }
    return {};
}

void Session::back() {
    switch (m_screen) {
        case ScreenKind::Welcome:
        case ScreenKind::Confirmation:
            return;
        case ScreenKind::Review:
            for (std::size_t p = m_form->pages.size(); p-- > 0;) {
                if (pageShown(p)) {
                    goToPage(p);
                    return;
                }
            }
            break;
        case ScreenKind::Page:
            if (m_changing) {
                m_changing = false;
                m_screen = ScreenKind::Review;
                return;
            }
            if (auto previous = previousShownPage(m_page)) {
                goToPage(*previous);
                return;
            }
            break;
        default:
            break;
    }
    // Step back through welcome / language / forms / intro.
    const auto screens = screensBeforePages();
    if (m_screen == ScreenKind::Page || m_screen == ScreenKind::Review) {
        m_screen = screens.back();
        return;
    }
    const auto here = std::ranges::find(screens, m_screen);
    if (here == screens.begin() || here == screens.end()) {
        m_screen = ScreenKind::Welcome;
    } else {
        m_screen = *std::prev(here);
    }
    if (m_screen == ScreenKind::Welcome) reset();
}

bool Session::change(std::string_view fieldId) {
    if (m_screen != ScreenKind::Review) return false;
    const auto place = m_places.find(fieldId);
    if (place == m_places.end() || !fieldShown(place->second.page, place->second.field)) {
        return false;
    }
    m_changing = true;
    goToPage(place->second.page);
    return true;
}

std::optional<std::size_t> Session::nextShownPage(std::optional<std::size_t> after) const {
    if (m_form == nullptr) return std::nullopt;
    for (std::size_t p = after ? *after + 1 : 0; p < m_form->pages.size(); ++p) {
        if (pageShown(p)) return p;
    }
    return std::nullopt;
}

std::optional<std::size_t> Session::previousShownPage(std::size_t before) const {
    for (std::size_t p = before; p-- > 0;) {
        if (pageShown(p)) return p;
    }
    return std::nullopt;
}

// [SECTION] Answers, visibility and erasure ----------------------------------------------------

forms::condition::Answer Session::answerFor(std::string_view fieldId) const {
    forms::condition::Answer answer;
    const auto place = m_places.find(fieldId);
    if (place == m_places.end()) return answer;
    answer.field = &m_form->pages[place->second.page].fields[place->second.field];
    const auto found = m_values.find(fieldId);
    if (found != m_values.end()) answer.value = &found->second;
    return answer;
}

bool Session::pageShown(std::size_t page) const {
    if (m_forcedPage && *m_forcedPage == page) return true;
    const auto& condition = m_form->pages[page].showIf;
    return !condition || forms::condition::evaluate(*condition, [this](std::string_view id) {
        return answerFor(id);
    });
}

bool Session::fieldShown(std::size_t page, std::size_t field) const {
    if (!pageShown(page)) return false;
    const auto& condition = m_form->pages[page].fields[field].showIf;
    return !condition || forms::condition::evaluate(*condition, [this](std::string_view id) {
        return answerFor(id);
    });
}

std::vector<const forms::Field*> Session::visibleFields() const {
    std::vector<const forms::Field*> out;
    if (m_screen != ScreenKind::Page) return out;
    const auto& fields = m_form->pages[m_page].fields;
    for (std::size_t f = 0; f < fields.size(); ++f) {
        if (fieldShown(m_page, f)) out.push_back(&fields[f]);
    }
    return out;
}

void Session::setInput(std::string_view fieldId, forms::RawInput input) {
    if (m_places.find(fieldId) == m_places.end()) return;
    auto& slot = m_inputs[std::string(fieldId)];
    wipe(slot);
    slot = std::move(input);
    refresh();
}

const forms::RawInput& Session::input(std::string_view fieldId) const {
    const auto found = m_inputs.find(fieldId);
    return found == m_inputs.end() ? kNoInput : found->second;
}

const forms::Value* Session::value(std::string_view fieldId) const {
    const auto found = m_values.find(fieldId);
    return found == m_values.end() ? nullptr : &found->second;
}

void Session::refresh() {
    // Conditions only name earlier fields, so one pass in form order settles everything:
    // by the time a field's condition is evaluated, every field it can name is final.
    const auto today = localDate(m_clock.now());
    for (auto& [id, value] : m_values) wipe(value);
    m_values.clear();
    for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
        const auto& fields = m_form->pages[p].fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const auto input = m_inputs.find(fields[f].id);
            if (input == m_inputs.end()) continue;
            if (!fieldShown(p, f)) {
                wipe(input->second);
                m_inputs.erase(input);
                continue;
            }
            auto checked = forms::validate(fields[f], input->second, today);
            if (checked && checked->has_value()) m_values.emplace(fields[f].id, std::move(**checked));
        }
    }
}

std::vector<FieldError> Session::pageErrors(std::size_t page) const {
    std::vector<FieldError> errors;
    const auto today = localDate(m_clock.now());
    const auto& fields = m_form->pages[page].fields;
    for (std::size_t f = 0; f < fields.size(); ++f) {
        if (!fields[f].takesInput() || !fieldShown(page, f)) continue;
        const auto checked = forms::validate(fields[f], input(fields[f].id), today);
        if (!checked) errors.push_back(describe(fields[f], checked.error()));
    }
    return errors;
}

std::vector<ReviewItem> Session::review() const {
    std::vector<ReviewItem> items;
    if (m_form == nullptr) return items;
    for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
        const auto& fields = m_form->pages[p].fields;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            if (!fields[f].takesInput() || !fieldShown(p, f)) continue;
            const auto* answer = value(fields[f].id);
            items.push_back({&fields[f], m_form->pages[p].id,
                             answer != nullptr ? answerText(fields[f], *answer)
                                               : m_strings.get(m_language, "review.no_answer")});
        }
    }
    return items;
}

// [SECTION] Messages and answer texts ------------------------------------------------------------

namespace {

// "1234.50" -> "1.234,50" (nl) or "1,234.50" (en): the separators each language reads.
std::string localAmount(const std::string& plain, const std::string& thousands,
                        const std::string& decimal) {
    const auto dot = plain.find('.');
    std::string whole = plain.substr(0, dot);
    const std::string cents = dot == std::string::npos ? "00" : plain.substr(dot + 1);
    const bool negative = !whole.empty() && whole.front() == '-';
    if (negative) whole.erase(0, 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += thousands;
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + decimal + cents;
}

}  // namespace

std::string Session::formatParam(const forms::Field& field, const std::string& raw) const {
    // Amounts without the currency: the messages around them say "€ {min}" or "{min} euro".
    if (field.type == forms::FieldType::Money) {
        return localAmount(raw, m_strings.get(m_language, "format.thousands_separator"),
                           m_strings.get(m_language, "format.decimal_separator"));
    }
    if (field.type == forms::FieldType::Date) {
        if (auto day = forms::parseIsoDate(raw)) {
            return m_strings.get(
                m_language, "format.date",
                {{"day", std::to_string(static_cast<unsigned>(day->day()))},
                 {"month", m_strings.get(m_language, "month." + std::to_string(static_cast<unsigned>(day->month())))},
                 {"year", std::to_string(static_cast<int>(day->year()))}});
        }
    }
    return raw;
}

FieldError Session::describe(const forms::Field& field, const forms::ValidationProblem& problem) const {
    std::map<std::string, std::string> params;
    for (const auto& [name, raw] : problem.params) params[name] = formatParam(field, raw);
    return {field.id, problem, m_strings.get(m_language, forms::problemId(problem.code), params)};
}

std::string Session::answerText(const forms::Field& field, const forms::Value& value) const {
    using forms::FieldType;
    auto optionLabel = [&](const std::string& optionValue) {
        const auto* option = field.findOption(optionValue);
        return option != nullptr ? option->label.in(m_language) : optionValue;
    };
    if (const auto* flag = std::get_if<bool>(&value)) {
        if (field.type == FieldType::Consent) return m_strings.get(m_language, "answer.agreed");
        return m_strings.get(m_language, *flag ? "answer.yes" : "answer.no");
    }
    if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
    if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
        std::string text;
        for (std::size_t i = 0; i < list->size(); ++i) {
            if (i > 0) text += ", ";
            text += optionLabel((*list)[i]);
        }
        return text;
    }
    const auto& text = std::get<std::string>(value);
    switch (field.type) {
        case FieldType::Choice: return optionLabel(text);
        case FieldType::Money:
            return m_strings.get(m_language, "format.money", {{"amount", formatParam(field, text)}});
        case FieldType::Date: return formatParam(field, text);
        default: return text;
    }
}

// [SECTION] Submitting ------------------------------------------------------------------------

std::expected<PreparedSubmission, std::vector<FieldError>> Session::prepareSubmission(
    const std::string& reference) {
    assert(m_screen == ScreenKind::Review && m_form != nullptr);
    for (std::size_t p = 0; p < m_form->pages.size(); ++p) {
        if (!pageShown(p)) continue;
        auto errors = pageErrors(p);
        if (!errors.empty()) {
            m_changing = true;
            goToPage(p);
            return std::unexpected(std::move(errors));
        }
    }
    PreparedSubmission prepared;
    prepared.formId = m_form->id;
    prepared.reference = reference;
    prepared.endpoint = m_form->endpoint.empty() ? m_settings.defaultEndpoint : m_form->endpoint;
    std::map<std::string, forms::Value> answers(m_values.begin(), m_values.end());
    auto payload = forms::buildPayload(
        *m_form, answers, {reference, m_language, m_settings.kioskId, m_clock.now()});
    for (auto& [id, value] : answers) wipe(value);
    if (!payload) {
        // Cannot happen with validated answers; say so plainly rather than submit garbage.
        FieldError failure;
        failure.problem.code = forms::Problem::WrongInputKind;
        failure.message = m_strings.get(m_language, "error.cannot_submit");
        std::vector<FieldError> failures;
        failures.push_back(std::move(failure));
        return std::unexpected(std::move(failures));
    }
    prepared.payload = std::move(*payload);
    return prepared;
}

void Session::confirmSubmitted(const std::string& reference) {
    wipeAnswers();
    m_reference = reference;
    m_screen = ScreenKind::Confirmation;
}

}  // namespace kiosk::core
