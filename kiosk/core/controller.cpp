// [SECTION] Settings and construction
// [SECTION] Screens: the model of each screen
// [SECTION] Input: activation, typing, focus
// [SECTION] Time: idle warning, wipe, repeats
// [SECTION] Preview: every page, errors on screen, nothing sent
// [SECTION] Speech: what is said
#include "kiosk/core/controller.hpp"

#include "forms/personal_data.hpp"
#include "forms/value.hpp"
#include "forms/wipe.hpp"
#include "kiosk/core/pin.hpp"
#include "kiosk/core/spoken.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>

namespace kiosk::core {

namespace {

// Wipes a working copy of an answer when it goes out of scope, on every return path.
struct WipeOnExit {
    explicit WipeOnExit(std::string& held) : text(held) {}
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;
    ~WipeOnExit() { kiosk::wipe(text); }
    std::string& text;
};

using forms::FieldType;

// The on-screen keyboard's rows. Letters in alphabetical order: calmer to search for
// people who do not know a typewriter layout (as accessible voting kiosks do).
constexpr std::array<std::string_view, 3> kLetterRows{"abcdefghij", "klmnopqrst", "uvwxyz"};
constexpr std::string_view kDigits = "1234567890";
// Accented letters for the offered languages (nl, en, tr, pl), one layer.
const std::array<std::vector<std::string>, 3> kAccentRows{{
    {"\u00e0", "\u00e1", "\u00e2", "\u00e4", "\u00e8", "\u00e9", "\u00ea", "\u00eb", "\u00ef", "\u00ed"},
    {"\u00f3", "\u00f6", "\u00f4", "\u00fa", "\u00fc", "\u00fb", "\u00e7", "\u00f1", "\u015f", "\u011f"},
    {"\u0131", "\u0105", "\u0107", "\u0119", "\u0142", "\u0144", "\u015b", "\u017a", "\u017c"},
}};

bool typesText(FieldType type) {
    switch (type) {
        case FieldType::Text: case FieldType::Number: case FieldType::Money:
        case FieldType::Postcode: case FieldType::Bsn: case FieldType::Iban:
        case FieldType::Phone: case FieldType::Email:
            return true;
        default:
            return false;
    }
}

bool usesKeypad(FieldType type) {
    return type == FieldType::Number || type == FieldType::Money || type == FieldType::Bsn ||
           type == FieldType::Phone;
}

// Upper case for the shifted keyboard; the accented letters we offer have simple pairs.
std::string upper(const std::string& letter) {
    if (letter.size() == 1 && letter[0] >= 'a' && letter[0] <= 'z') {
        return std::string(1, static_cast<char>(letter[0] - 'a' + 'A'));
    }
    static const std::map<std::string, std::string> kPairs{
        {"\u00e0", "\u00c0"}, {"\u00e1", "\u00c1"}, {"\u00e2", "\u00c2"}, {"\u00e4", "\u00c4"},
        {"\u00e8", "\u00c8"}, {"\u00e9", "\u00c9"}, {"\u00ea", "\u00ca"}, {"\u00eb", "\u00cb"},
        {"\u00ef", "\u00cf"}, {"\u00ed", "\u00cd"}, {"\u00f3", "\u00d3"}, {"\u00f6", "\u00d6"},
        {"\u00f4", "\u00d4"}, {"\u00fa", "\u00da"}, {"\u00fc", "\u00dc"}, {"\u00fb", "\u00db"},
        {"\u00e7", "\u00c7"}, {"\u00f1", "\u00d1"}, {"\u015f", "\u015e"}, {"\u011f", "\u011e"},
        {"\u0131", "I"},      {"\u0105", "\u0104"}, {"\u0107", "\u0106"}, {"\u0119", "\u0118"},
        {"\u0142", "\u0141"}, {"\u0144", "\u0143"}, {"\u015b", "\u015a"}, {"\u017a", "\u0179"},
        {"\u017c", "\u017b"},
    };
    const auto found = kPairs.find(letter);
    return found == kPairs.end() ? letter : found->second;
}

// Removes the last UTF-8 character.
void popCharacter(std::string& text) {
    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((byte & 0xC0) != 0x80) break;
    }
}

// Appends a control to a screen; returns it for the caller to set its state.
Element& addElement(Screen& screen, std::string id, Role role, Area area, std::string label,
                    std::string icon) {
    Element element;
    element.id = std::move(id);
    element.role = role;
    element.area = area;
    element.label = std::move(label);
    element.icon = std::move(icon);
    screen.elements.push_back(std::move(element));
    return screen.elements.back();
}

std::string weekdayOf(std::chrono::year_month_day day) {
    const std::chrono::weekday weekday{std::chrono::sys_days{day}};
    return "weekday." + std::to_string(weekday.iso_encoding());  // 1 = Monday
}

}  // namespace

// [SECTION] Settings and construction -----------------------------------------------------------

double speechRateFactor(int step) {
    static constexpr std::array<double, Settings::kSpeechRates> kFactors{0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0};
    return kFactors[static_cast<std::size_t>(std::clamp(step, 0, Settings::kSpeechRates - 1))];
}

Controller::Controller(std::span<const forms::Form> forms, SessionSettings settings,
                       const Clock& clock, const StringTable& strings, IdleTimes idle,
                       StoreSubmission store, MakeReference makeReference)
    : m_forms(forms), m_sessionSettings(std::move(settings)), m_clock(clock), m_strings(strings),
      m_idle(idle), m_store(std::move(store)), m_makeReference(std::move(makeReference)) {
    m_session = std::make_unique<Session>(m_forms, m_sessionSettings, m_clock, m_strings);
    m_outOfOrder = m_session->languages().empty();
    if (m_outOfOrder) m_outOfOrderReason = "out_of_order.no_forms";
    m_lastActivity = m_clock.now();
    m_lastWelcomeSpeech = m_lastActivity;
    enterScreen();
}

std::string Controller::t(std::string_view id, const std::map<std::string, std::string>& params) const {
    return m_strings.get(m_session->language(), id, params);
}

std::string Controller::screenId() const {
    if (m_staff != Staff::Off) return "staff";
    if (m_preview && previewBroken()) return "preview-errors";
    if (m_preview && m_previewPages) return "preview-pages";
    if (m_outOfOrder) return "out-of-order";
    if (m_idleWarning) return "idle-warning";
    return m_session->screenId();
}

std::vector<Utterance> Controller::takeUtterances() {
    std::vector<Utterance> out;
    out.swap(m_utterances);
    return out;
}

void Controller::wipe() {
    m_session->reset();
    // Whatever was about to be said or shown of this session goes too: utterances not yet
    // taken (they can read answers back) and validation messages.
    for (auto& utterance : m_utterances) kiosk::wipe(utterance.text);
    m_utterances.clear();
    for (auto& error : m_errors) kiosk::wipe(error.message);
    m_settings = Settings{};
    m_focus.clear();
    m_activeField.clear();
    m_shift = m_accents = false;
    m_overlay.clear();
    m_errors.clear();
    m_touched.clear();
    m_idleWarning = false;
    m_revealed.clear();
    enterScreen();
}

// [SECTION] Screens: the model of each screen ---------------------------------------------------

void Controller::addChrome(Screen& screen) const {
    auto add = [&](std::string id, Role role, Area area, std::string label, std::string icon) {
        return &addElement(screen, std::move(id), role, area, std::move(label), std::move(icon));
    };
    // Focus order: the question's controls, then the bottom row, then the top row.
    // Bottom row: back, read aloud, then next or submit.
    const auto kind = m_session->screen();
    if (kind != ScreenKind::Welcome && kind != ScreenKind::Confirmation) {
        add("back", Role::Button, Area::Bottom, t("button.back"), "arrow_back");
    }
    add("repeat", Role::Button, Area::Bottom, t("button.repeat"), "record_voice_over");
    if (kind == ScreenKind::Intro || kind == ScreenKind::Page) {
        add("next", Role::Button, Area::Bottom, t(kind == ScreenKind::Intro ? "button.begin" : "button.next"),
            "arrow_forward");
    } else if (kind == ScreenKind::Review) {
        add("submit", Role::Button, Area::Bottom, t("button.submit"), "send");
    } else if (kind == ScreenKind::Confirmation) {
        add("done", Role::Button, Area::Bottom, t("button.done"), "home");
    }
    // Settings first in the top row: text size, contrast, speed, volume; then help, stop.
    add("setting:text-size", Role::Setting, Area::Top, t("setting.text_size"), "format_size")->detail =
        std::to_string(m_settings.textSize + 1) + "/" + std::to_string(Settings::kTextSizes);
    add("setting:contrast", Role::Setting, Area::Top, t("setting.contrast"), "contrast")->detail =
        t("theme." + std::to_string(m_settings.theme));
    add("setting:speed", Role::Setting, Area::Top, t("setting.speed"), "speed")->detail =
        std::to_string(speechRateFactor(m_settings.speechRate)).substr(0, 4) + "x";
    add("setting:volume", Role::Setting, Area::Top, t("setting.volume"), "volume_up")->detail =
        std::to_string(m_settings.volume + 1) + "/" + std::to_string(Settings::kVolumes);
    Element* explore = add("setting:explore", Role::Setting, Area::Top, t("setting.explore"), "hearing");
    explore->detail = t(m_settings.touchExplore ? "setting.on" : "setting.off");
    add("help", Role::Button, Area::Top, t("button.help"), "help");
    if (m_preview) add("preview-pages", Role::Button, Area::Top, t("preview.pages"), "description");
    if (m_session->screen() != ScreenKind::Welcome) {
        add("stop", Role::Button, Area::Top, t("button.stop"), "close")->danger = true;
    }
}

Screen Controller::screen() const {
    Screen screen;
    screen.id = screenId();
    auto text = [&](TextBlock::Kind kind, std::string body, std::string field = {}) {
        TextBlock block;
        block.kind = kind;
        block.spoken = body;
        block.text = std::move(body);
        block.field = std::move(field);
        screen.texts.push_back(std::move(block));
    };
    auto element = [&](std::string id, Role role, std::string label, std::string icon = {}) -> Element& {
        Element e;
        e.id = std::move(id);
        e.role = role;
        e.label = std::move(label);
        e.icon = std::move(icon);
        screen.elements.push_back(std::move(e));
        return screen.elements.back();
    };

    if (m_staff != Staff::Off) {
        buildStaff(screen);
        for (auto& e : screen.elements) e.spoken = spokenFor(e);
        return screen;
    }
    if (m_preview) {
        // Never mistaken for a live kiosk: every preview screen carries the banner.
        screen.banner = t("preview.banner");
        if (previewBroken() || m_previewPages) {
            if (previewBroken()) buildPreviewErrors(screen);
            else buildPreviewPages(screen);
            for (auto& e : screen.elements) e.spoken = spokenFor(e);
            return screen;
        }
    }
    if (m_outOfOrder) {
        text(TextBlock::Kind::Title, t("out_of_order.title"));
        text(TextBlock::Kind::Body, t(m_outOfOrderReason));
    } else if (m_idleWarning) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(
                              m_idle.countdown - (m_clock.now() - m_lastActivity - m_idle.warnAfter))
                              .count();
        screen.countdown = static_cast<int>(std::max<long long>(0, left));
        text(TextBlock::Kind::Title, t("idle.title"));
        text(TextBlock::Kind::Body, t("idle.body"));
        text(TextBlock::Kind::Big, std::to_string(screen.countdown));
        element("still-here", Role::Button, t("idle.still_here"), "touch_app").wide = true;
    } else {
        switch (m_session->screen()) {
            case ScreenKind::Welcome:
                text(TextBlock::Kind::Title, t("welcome.title"));
                text(TextBlock::Kind::Body, t("welcome.body"));
                element("start", Role::Tile, t("welcome.start"), "touch_app").wide = true;
                break;
            case ScreenKind::Language:
                text(TextBlock::Kind::Title, t("language.title"));
                for (const auto& language : m_session->languages()) {
                    element("lang:" + language, Role::Tile,
                            m_strings.get(language, "language.self_name"), "translate")
                        .selected = language == m_session->language();
                }
                break;
            case ScreenKind::Forms:
                text(TextBlock::Kind::Title, t("forms.title"));
                for (const auto* form : m_session->formsInLanguage()) {
                    element("form:" + form->id, Role::Tile, form->title.in(language()),
                            form->icon.empty() ? "description" : form->icon);
                }
                break;
            case ScreenKind::Intro:
                buildIntro(screen);
                break;
            case ScreenKind::Page:
                buildPage(screen);
                break;
            case ScreenKind::Review: {
                text(TextBlock::Kind::Title, t("review.title"));
                text(TextBlock::Kind::Hint, t("review.hint"));
                if (m_preview) text(TextBlock::Kind::Error, t("preview.review_hint"));
                for (const auto& item : m_session->review()) {
                    Element& line = element("change:" + item.field->id, Role::Button,
                                            item.field->label.in(language()), "edit");
                    line.detail = item.answer;
                    line.field = item.field->id;
                    line.wide = true;
                    const auto revealed = m_revealed.find(item.field->id);
                    line.masked = item.field->isPrivate &&
                                  (revealed == m_revealed.end() || !revealed->second);
                    if (line.masked) line.detail = std::string(8, '*');
                    // Read before the next element(): adding one can move the elements, and
                    // `line` with them (a use after free that ASan found in the soak).
                    const bool masked = line.masked;
                    if (item.field->isPrivate) {
                        Element& show = element("show:" + item.field->id, Role::Toggle,
                                                t("review.show"), "visibility");
                        show.field = item.field->id;
                        show.selected = !masked;
                    }
                }
                break;
            }
            case ScreenKind::Confirmation: {
                text(TextBlock::Kind::Title, t("confirmation.title"));
                text(TextBlock::Kind::Body, t("confirmation.stored"));
                text(TextBlock::Kind::Hint, t("confirmation.reference"));
                TextBlock big;
                big.kind = TextBlock::Kind::Big;
                big.text = m_session->reference();
                screen.texts.push_back(big);
                text(TextBlock::Kind::Body, t("confirmation.next"));
                break;
            }
        }
        if (!m_overlay.empty()) screen.overlay = m_overlay;
    }
    // The idle warning shows one thing: the big "I am still here" button.
    if (!m_outOfOrder && !m_idleWarning) addChrome(screen);
    if (m_overlay == "stop-confirm") {
        screen.overlayTexts.push_back({TextBlock::Kind::Title, t("stop.question"), t("stop.question"), ""});
        Element& yes = element("stop-yes", Role::Button, t("stop.yes"), "delete");
        yes.danger = true;
        yes.area = Area::Overlay;
        element("stop-no", Role::Button, t("stop.no"), "undo").area = Area::Overlay;
    } else if (m_overlay == "preview-not-sent") {
        screen.overlayTexts.push_back({TextBlock::Kind::Title, t("preview.not_sent"), t("preview.not_sent"), ""});
        element("preview-ok", Role::Button, t("staff.ok"), "check").area = Area::Overlay;
    } else if (m_overlay == "help") {
        screen.overlayTexts.push_back({TextBlock::Kind::Title, t("button.help"), t("button.help"), ""});
        if (m_session->screen() == ScreenKind::Page) {
            for (const auto* field : m_session->visibleFields()) {
                if (field->hint) screen.overlayTexts.push_back({TextBlock::Kind::Body, field->hint->in(language()), field->hint->in(language()), field->id});
                if (field->why) screen.overlayTexts.push_back({TextBlock::Kind::Body, field->why->in(language()), field->why->in(language()), field->id});
            }
        }
        screen.overlayTexts.push_back({TextBlock::Kind::Body, t("help.staff"), t("help.staff"), ""});
        element("help-close", Role::Button, t("help.close"), "close").area = Area::Overlay;
    }
    for (auto& e : screen.elements) e.spoken = spokenFor(e);
    return screen;
}

// The intro: the form's title and intro, then (data minimisation) the personal data the
// form asks for, before any is entered: the questions' labels, and with why-data the why
// of each. Only the form's texts: never an answer.
void Controller::buildIntro(Screen& screen) const {
    const auto* form = m_session->form();
    const std::string& lang = language();
    auto text = [&](TextBlock::Kind kind, std::string shown, std::string spoken) {
        screen.texts.push_back({kind, std::move(shown), std::move(spoken), ""});
    };
    text(TextBlock::Kind::Title, form->title.in(lang), form->title.in(lang));
    if (form->intro) text(TextBlock::Kind::Body, form->intro->in(lang), form->intro->in(lang));
    const auto personal = forms::personalData(*form, lang);
    if (!personal.empty()) {
        text(TextBlock::Kind::Body, t(m_showWhy ? "intro.why_title" : "intro.asks_for"),
             t(m_showWhy ? "intro.why_title" : "intro.asks_for"));
        for (const auto& item : personal) {
            // A bullet on screen; speech reads the label alone (or the field's speak).
            const std::string said = item.field->speak ? item.field->speak->in(lang) : item.label;
            text(m_showWhy ? TextBlock::Kind::Question : TextBlock::Kind::Body, "\u2022 " + item.label, said);
            if (m_showWhy) {
                const std::string why = item.why.empty() ? t("intro.no_why") : item.why;
                text(TextBlock::Kind::Body, why, why);
            }
        }
    }
    text(TextBlock::Kind::Hint, t("intro.how"), t("intro.how"));
    if (!personal.empty()) {
        addElement(screen, "why-data", Role::Button, Area::Body, t("intro.why_button"), "help_outline").wide = true;
    }
}

void Controller::sayWhy() {
    std::string spoken = t("intro.why_title");
    for (const auto& item : forms::personalData(*m_session->form(), language())) {
        const std::string said = item.field->speak ? item.field->speak->in(language()) : item.label;
        spoken += " " + said + " " + (item.why.empty() ? t("intro.no_why") : item.why);
    }
    say(spoken);
}

void Controller::buildPage(Screen& screen) const {
    const auto* page = m_session->page();
    TextBlock step;
    step.kind = TextBlock::Kind::Step;
    step.text = t("page.step", {{"n", std::to_string(m_session->pageNumber())},
                                {"total", std::to_string(m_session->pageCount())}});
    step.spoken = step.text;
    screen.texts.push_back(step);
    screen.progress = m_session->pageCount() > 0
                          ? static_cast<float>(m_session->pageNumber()) / static_cast<float>(m_session->pageCount())
                          : 0.0f;
    if (page->title) {
        screen.texts.push_back({TextBlock::Kind::Title, page->title->in(language()), page->title->in(language()), ""});
    }
    if (!m_errors.empty()) {
        screen.texts.push_back({TextBlock::Kind::Error, t("page.errors"), t("page.errors"), ""});
    }
    for (const auto* field : m_session->visibleFields()) {
        const std::string& lang = language();
        TextBlock question{TextBlock::Kind::Question, field->label.in(lang),
                           field->speak ? field->speak->in(lang) : field->label.in(lang), field->id};
        screen.texts.push_back(question);
        if (field->hint) {
            screen.texts.push_back({TextBlock::Kind::Hint, field->hint->in(lang), field->hint->in(lang), field->id});
        }
        for (const auto& error : m_errors) {
            if (error.fieldId == field->id) {
                screen.texts.push_back({TextBlock::Kind::Error, error.message, error.message, field->id});
            }
        }
        auto add = [&](std::string id, Role role, std::string label, std::string icon) -> Element& {
            Element e;
            e.id = std::move(id);
            e.role = role;
            e.label = std::move(label);
            e.icon = std::move(icon);
            e.field = field->id;
            screen.elements.push_back(std::move(e));
            return screen.elements.back();
        };
        switch (field->type) {
            case FieldType::Info:
                break;
            case FieldType::Choice:
            case FieldType::Multichoice: {
                const auto& input = m_session->input(field->id);
                for (const auto& option : field->options) {
                    Element& tile = add("option:" + option.value,
                                        field->type == FieldType::Choice ? Role::Tile : Role::Toggle,
                                        option.label.in(lang), option.icon);
                    if (field->type == FieldType::Choice) {
                        const auto* picked = std::get_if<std::string>(&input);
                        tile.selected = picked != nullptr && *picked == option.value;
                    } else {
                        const auto* picked = std::get_if<std::vector<std::string>>(&input);
                        tile.selected = picked != nullptr &&
                                        std::ranges::find(*picked, option.value) != picked->end();
                    }
                }
                break;
            }
            case FieldType::YesNo: {
                const auto* answer = std::get_if<bool>(&m_session->input(field->id));
                add("yes", Role::Tile, t("answer.yes"), "check").selected = answer != nullptr && *answer;
                add("no", Role::Tile, t("answer.no"), "close").selected = answer != nullptr && !*answer;
                break;
            }
            case FieldType::Consent: {
                const auto* answer = std::get_if<bool>(&m_session->input(field->id));
                Element& toggle = add("field:" + field->id, Role::Toggle, t("consent.agree"),
                                      answer != nullptr && *answer ? "check_box" : "check_box_outline_blank");
                toggle.selected = answer != nullptr && *answer;
                toggle.wide = true;
                break;
            }
            case FieldType::Date: {
                const auto* text = std::get_if<std::string>(&m_session->input(field->id));
                Element& shown = add("field:" + field->id, Role::Field, text != nullptr ? *text : "", "event");
                shown.wide = true;
                if (text != nullptr) {
                    if (auto day = forms::parseIsoDate(*text)) {
                        shown.label = t(weekdayOf(*day)) + " " + std::to_string(static_cast<unsigned>(day->day())) +
                                      " " + t("month." + std::to_string(static_cast<unsigned>(day->month()))) +
                                      " " + std::to_string(static_cast<int>(day->year()));
                    }
                }
                if (text == nullptr) shown.detail = t("date.choose");
                for (const char* part : {"day", "month", "year"}) {
                    add("date:" + std::string(part) + "-down", Role::Stepper, t("date." + std::string(part) + "_down"), "remove");
                    add("date:" + std::string(part) + "-up", Role::Stepper, t("date." + std::string(part) + "_up"), "add");
                }
                break;
            }
            default: {
                Element& box = add("field:" + field->id, Role::Field, fieldText(*field), field->icon);
                box.wide = true;
                box.selected = m_activeField == field->id;
                break;
            }
        }
    }
    if (const auto* field = activeField(); field != nullptr && typesText(field->type)) {
        buildKeys(screen, *field);
    }
}

void Controller::buildKeys(Screen& screen, const forms::Field& field) const {
    auto key = [&](std::string id, std::string label, std::string icon = {}) -> Element& {
        Element e;
        e.id = "key:" + std::move(id);
        e.role = Role::Key;
        e.area = Area::Keys;
        e.label = std::move(label);
        e.icon = std::move(icon);
        e.field = field.id;
        screen.elements.push_back(std::move(e));
        return screen.elements.back();
    };
    if (usesKeypad(field.type)) {
        for (char digit : std::string_view("1234567890")) key(std::string(1, digit), std::string(1, digit));
        if (field.type == FieldType::Money) key(",", ",");
        if (field.type == FieldType::Phone) key("+", "+");
        key("backspace", t("key.backspace"), "backspace");
        return;
    }
    for (char digit : kDigits) key(std::string(1, digit), std::string(1, digit));
    if (m_accents) {
        for (const auto& row : kAccentRows) {
            for (const auto& letter : row) key(letter, m_shift ? upper(letter) : letter);
        }
    } else {
        // Postcodes and IBANs are written in capitals: their keys show and type capitals.
        const bool capitals = m_shift || field.type == FieldType::Postcode || field.type == FieldType::Iban;
        for (const auto row : kLetterRows) {
            for (char letter : row) {
                const std::string l(1, letter);
                key(l, capitals ? upper(l) : l);
            }
        }
    }
    if (field.type == FieldType::Email) {
        for (const char* symbol : {"@", ".", "-", "_"}) key(symbol, symbol);
    } else if (field.type == FieldType::Text) {
        for (const char* symbol : {"-", "'", ".", ","}) key(symbol, symbol);
    }
    if (field.type == FieldType::Text || field.type == FieldType::Email) {
        key("shift", t("key.shift"), "keyboard_capslock").selected = m_shift;
        key("accents", t("key.accents"), "").selected = m_accents;
    }
    if (field.type == FieldType::Text) key("space", t("key.space"), "space_bar");
    key("backspace", t("key.backspace"), "backspace");
}

// [SECTION] Input: activation, typing, focus ----------------------------------------------------

void Controller::noteActivity() {
    m_lastActivity = m_clock.now();
    m_repeatedWhileIdle = false;
    if (m_idleWarning) {
        // Any touch or key on the warning counts as "I am still here".
        m_idleWarning = false;
        enterScreen();
    }
}

const forms::Field* Controller::activeField() const {
    if (m_session->screen() != ScreenKind::Page || m_activeField.empty()) return nullptr;
    for (const auto* field : m_session->visibleFields()) {
        if (field->id == m_activeField) return field;
    }
    return nullptr;
}

std::string Controller::fieldText(const forms::Field& field) const {
    const auto* text = std::get_if<std::string>(&m_session->input(field.id));
    return text != nullptr ? *text : std::string();
}

void Controller::setFieldText(const forms::Field& field, std::string text) {
    if (text.empty()) {
        m_session->setInput(field.id, std::monostate{});
    } else {
        m_session->setInput(field.id, std::move(text));
    }
    kiosk::wipe(text);  // a short text is copied, not moved: its bytes stay here
}

void Controller::pressKey(const std::string& key) {
    const auto* field = activeField();
    if (field == nullptr) return;
    std::string text = fieldText(*field);
    const WipeOnExit scrub{text};
    if (key == "shift") {
        m_shift = !m_shift;
        say(t(m_shift ? "key.shift_on" : "key.shift_off"));
        return;
    }
    if (key == "accents") {
        m_accents = !m_accents;
        say(t(m_accents ? "key.accents_on" : "key.accents_off"));
        return;
    }
    if (key == "backspace") {
        if (!text.empty()) popCharacter(text);
        setFieldText(*field, text);
        say(t("key.deleted"));
        return;
    }
    const bool capitals = m_shift || field->type == FieldType::Postcode || field->type == FieldType::Iban;
    const std::string typed = key == "space" ? " " : (capitals ? upper(key) : key);
    if (forms::codePointCount(text) >= static_cast<std::size_t>(field->maxLength) && field->type == FieldType::Text) {
        say(t("key.full"));
        return;
    }
    text += typed;
    setFieldText(*field, text);
    // Echo the key (EN 301 549 5.1.3.x); private fields only say "typed" over loudspeakers.
    if (field->isPrivate && !m_settings.headphones) {
        say(t("key.typed"));
    } else {
        say(key == "space" ? t("key.space") : typed);
    }
    m_shift = false;
    m_accents = false;
}

void Controller::stepDate(const forms::Field& field, const std::string& part, int delta) {
    const auto today = localDate(m_clock.now());
    auto current = forms::parseIsoDate(fieldText(field));
    std::chrono::year_month_day day = current ? *current : today;
    if (!current) {
        // Start from today, kept within the field's limits.
        if (field.minDate && std::chrono::sys_days{day} < std::chrono::sys_days{field.minDate->resolve(today)}) day = field.minDate->resolve(today);
        if (field.maxDate && std::chrono::sys_days{day} > std::chrono::sys_days{field.maxDate->resolve(today)}) day = field.maxDate->resolve(today);
    } else if (part == "day") {
        day = std::chrono::year_month_day{std::chrono::sys_days{day} + std::chrono::days{delta}};
    } else if (part == "month") {
        auto moved = day.year() / (day.month() + std::chrono::months{delta}) / day.day();
        if (delta > 0 && static_cast<unsigned>(day.month()) == 12) moved = (day.year() + std::chrono::years{1}) / std::chrono::January / day.day();
        if (delta < 0 && static_cast<unsigned>(day.month()) == 1) moved = (day.year() - std::chrono::years{1}) / std::chrono::December / day.day();
        if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
        day = moved;
    } else {
        auto moved = (day.year() + std::chrono::years{delta}) / day.month() / day.day();
        if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
        day = moved;
    }
    m_session->setInput(field.id, forms::formatIsoDate(day));
    say(t(weekdayOf(day)) + " " + std::to_string(static_cast<unsigned>(day.day())) + " " +
        t("month." + std::to_string(static_cast<unsigned>(day.month()))) + " " +
        std::to_string(static_cast<int>(day.year())));
}

void Controller::submit() {
    if (m_preview) {
        // The preview never stores or sends anything: it says so instead.
        m_overlay = "preview-not-sent";
        m_focus = "preview-ok";
        say(t("preview.not_sent"));
        return;
    }
    auto reference = m_makeReference();
    if (!reference) {
        m_outOfOrder = true;
        m_outOfOrderReason = "out_of_order.cannot_store";
        enterScreen();
        return;
    }
    auto prepared = m_session->prepareSubmission(*reference);
    if (!prepared) {
        m_errors = prepared.error();
        enterScreen();
        return;
    }
    auto stored = m_store(*prepared);
    kiosk::wipe(prepared->payload);  // stored (encrypted) or not: this copy is done with
    if (!stored) {
        // Nothing was stored: say so plainly, and stop taking forms until staff fix it.
        m_outOfOrder = true;
        m_outOfOrderReason = "out_of_order.cannot_store";
        enterScreen();
        return;
    }
    m_session->confirmSubmitted(prepared->reference);
    m_confirmedAt = m_clock.now();
    m_revealed.clear();
    enterScreen();
}

void Controller::activate(const std::string& controlId) {
    noteActivity();
    if (m_staff != Staff::Off) return activateStaff(controlId);
    if (m_preview && activatePreview(controlId)) return;
    if (m_outOfOrder) return;
    m_touched.clear();
    const auto screenBefore = screenId();
    // Overlays first: they take every tap until closed.
    if (m_overlay == "preview-not-sent") {
        if (controlId == "preview-ok" || controlId == "back") {
            m_overlay.clear();
            enterScreen();
        }
        return;
    }
    if (m_overlay == "stop-confirm") {
        if (controlId == "stop-yes") {
            wipe();
        } else if (controlId == "stop-no" || controlId == "back") {
            m_overlay.clear();
            enterScreen();
        }
        return;
    }
    if (m_overlay == "help") {
        if (controlId == "help-close" || controlId == "back" || controlId == "help") {
            m_overlay.clear();
            m_focus = "help";
            sayFocus();
        }
        return;
    }
    if (controlId.starts_with("setting:")) {
        const std::string which = controlId.substr(8);
        if (which == "text-size") m_settings.textSize = (m_settings.textSize + 1) % Settings::kTextSizes;
        if (which == "contrast") m_settings.theme = (m_settings.theme + 1) % Settings::kThemes;
        if (which == "speed") m_settings.speechRate = (m_settings.speechRate + 1) % Settings::kSpeechRates;
        if (which == "volume") m_settings.volume = (m_settings.volume + 1) % Settings::kVolumes;
        if (which == "explore") m_settings.touchExplore = !m_settings.touchExplore;
        m_focus = controlId;
        sayFocus();
        return;
    }
    if (controlId == "help") return help();
    if (controlId == "repeat") return repeat();
    if (controlId == "stop") {
        m_overlay = "stop-confirm";
        m_focus = "stop-no";
        say(t("stop.question"));
        return;
    }
    if (controlId == "back") return goBack();
    if (controlId == "next") return goNext();
    if (controlId == "why-data" && m_session->screen() == ScreenKind::Intro) {
        m_showWhy = true;
        m_focus = controlId;
        sayWhy();
        return;
    }
    if (controlId == "start") {
        m_session->start();
    } else if (controlId.starts_with("lang:")) {
        m_session->chooseLanguage(controlId.substr(5));
    } else if (controlId.starts_with("form:")) {
        m_session->chooseForm(controlId.substr(5));
    } else if (controlId == "submit") {
        submit();
        return;
    } else if (controlId == "done") {
        wipe();
        return;
    } else if (controlId.starts_with("change:")) {
        m_session->change(controlId.substr(7));
        if (m_session->screen() == ScreenKind::Page) {
            enterScreen();
            m_focus = "field:" + controlId.substr(7);
            for (const auto* f : m_session->visibleFields()) {
                if (f->id == controlId.substr(7)) m_activeField = f->id;
            }
            return;
        }
    } else if (controlId.starts_with("show:")) {
        auto& shown = m_revealed[controlId.substr(5)];
        shown = !shown;
        m_focus = controlId;
        sayFocus();
        return;
    } else if (m_session->screen() == ScreenKind::Page) {
        m_focus = controlId;
        if (controlId.starts_with("key:")) {
            pressKey(controlId.substr(4));
            return;
        }
        if (controlId.starts_with("date:")) {
            const auto* field = activeField();
            if (field == nullptr) {
                for (const auto* f : m_session->visibleFields()) {
                    if (f->type == FieldType::Date) field = f;
                }
            }
            if (field != nullptr) {
                const std::string spec = controlId.substr(5);  // "day-up"
                const auto dash = spec.find('-');
                stepDate(*field, spec.substr(0, dash), spec.substr(dash + 1) == "up" ? 1 : -1);
            }
            return;
        }
        for (const auto* field : m_session->visibleFields()) {
            if (controlId == "field:" + field->id) {
                if (field->type == FieldType::Consent) {
                    const auto* now = std::get_if<bool>(&m_session->input(field->id));
                    m_session->setInput(field->id, !(now != nullptr && *now));
                } else {
                    m_activeField = field->id;
                }
                sayFocus();
                return;
            }
            if (field->type == FieldType::YesNo && (controlId == "yes" || controlId == "no")) {
                m_session->setInput(field->id, controlId == "yes");
                sayFocus();
                return;
            }
            if ((field->type == FieldType::Choice || field->type == FieldType::Multichoice) &&
                controlId.starts_with("option:") && field->findOption(controlId.substr(7)) != nullptr) {
                const std::string value = controlId.substr(7);
                if (field->type == FieldType::Choice) {
                    m_session->setInput(field->id, value);
                } else {
                    const auto* now = std::get_if<std::vector<std::string>>(&m_session->input(field->id));
                    std::vector<std::string> chosen = now != nullptr ? *now : std::vector<std::string>{};
                    if (auto at = std::ranges::find(chosen, value); at != chosen.end()) {
                        chosen.erase(at);
                    } else {
                        chosen.push_back(value);
                    }
                    m_session->setInput(field->id, chosen.empty() ? forms::RawInput{} : forms::RawInput{chosen});
                }
                sayFocus();
                return;
            }
        }
        return;
    }
    if (screenId() != screenBefore) enterScreen();
}

void Controller::typeText(std::string_view utf8) {
    noteActivity();
    const auto* field = activeField();
    if (field == nullptr || !typesText(field->type)) return;
    std::string text = fieldText(*field);
    const WipeOnExit scrub{text};
    text += utf8;
    setFieldText(*field, text);
    say(field->isPrivate && !m_settings.headphones ? t("key.typed") : std::string(utf8));
}

void Controller::backspace() {
    noteActivity();
    if (activeField() != nullptr) pressKey("backspace");
}

void Controller::moveFocus(int delta) {
    noteActivity();
    const Screen current = screen();
    std::vector<const Element*> order;
    for (const auto& element : current.elements) {
        // With an overlay open, only its own controls take the focus.
        const bool overlayControl = element.area == Area::Overlay;
        if (current.overlay.empty() || overlayControl) order.push_back(&element);
    }
    if (order.empty()) return;
    auto at = std::ranges::find_if(order, [&](const Element* e) { return e->id == m_focus; });
    std::ptrdiff_t index = at == order.end() ? (delta > 0 ? -1 : 0) : at - order.begin();
    const auto size = static_cast<std::ptrdiff_t>(order.size());
    index = ((index + delta) % size + size) % size;
    const std::string left = m_focus;
    m_focus = order[static_cast<std::size_t>(index)]->id;
    // Leaving an answer field: its value is read back (privately only with headphones).
    if (left.starts_with("field:") && left != m_focus && m_session->screen() == ScreenKind::Page) {
        for (const auto* field : m_session->visibleFields()) {
            if ("field:" + field->id == left && field->type != FieldType::Consent) {
                if (auto answer = answerForSpeech(*field); !answer.empty()) {
                    say(t("speech.current_answer", {{"answer", answer}}));
                }
            }
        }
    }
    if (m_focus.starts_with("field:")) {
        const std::string id = m_focus.substr(6);
        for (const auto* field : m_session->visibleFields()) {
            if (field->id == id && field->type != FieldType::Consent) m_activeField = id;
        }
    }
    sayFocus();
}

void Controller::goBack() {
    noteActivity();
    if (m_staff != Staff::Off) return activateStaff("back");
    if (m_preview && (m_previewPages || previewBroken())) {
        activatePreview("preview-close");
        return;
    }
    if (!m_overlay.empty()) {
        m_overlay.clear();
        enterScreen();
        return;
    }
    m_session->back();
    m_errors.clear();
    enterScreen();
}

void Controller::goNext() {
    noteActivity();
    if (m_session->screen() == ScreenKind::Review) return submit();
    auto errors = m_session->next();
    m_errors = errors;
    if (!errors.empty()) {
        // Focus to the first field with a problem, and say the problem.
        m_focus = "field:" + errors.front().fieldId;
        m_activeField = errors.front().fieldId;
        std::string spoken;
        for (const auto& error : errors) spoken += (spoken.empty() ? "" : " ") + error.message;
        say(spoken);
        return;
    }
    enterScreen();
}

void Controller::repeat() {
    noteActivity();
    announceScreen();
}

void Controller::help() {
    noteActivity();
    if (m_staff != Staff::Off) return;   // F1 on the PIN screen must not open help for the next citizen
    m_overlay = "help";
    m_focus = "help-close";
    std::string spoken = t("help.intro");
    if (m_session->screen() == ScreenKind::Page) {
        for (const auto* field : m_session->visibleFields()) {
            if (field->hint) spoken += " " + field->hint->in(language());
            if (field->why) spoken += " " + field->why->in(language());
        }
    }
    spoken += " " + t("help.staff");
    say(spoken);
}

void Controller::toggleHeadphones() {
    noteActivity();
    m_settings.headphones = !m_settings.headphones;
    say(t(m_settings.headphones ? "speech.headphones_on" : "speech.headphones_off"));
}

void Controller::toggleCurtain() {
    noteActivity();
    m_settings.curtain = !m_settings.curtain;
    say(t(m_settings.curtain ? "speech.curtain_on" : "speech.curtain_off"));
}

void Controller::touch(const std::string& controlId) {
    if (!m_settings.touchExplore) return activate(controlId);
    noteActivity();
    if (m_touched == controlId) {
        m_touched.clear();
        return activate(controlId);
    }
    m_touched = controlId;
    m_focus = controlId;
    sayFocus();
}

void Controller::enterScreen() {
    m_errors.clear();
    m_showWhy = false;
    m_shift = m_accents = false;
    m_activeField.clear();
    m_focus.clear();
    if (m_session->screen() == ScreenKind::Page && !m_outOfOrder) {
        // The first field that takes input has the focus (kiosk-cli.md).
        for (const auto* field : m_session->visibleFields()) {
            if (field->takesInput()) {
                if (field->type != FieldType::Consent && field->type != FieldType::Choice &&
                    field->type != FieldType::Multichoice && field->type != FieldType::YesNo) {
                    m_activeField = field->id;
                }
                break;
            }
        }
    }
    const Screen current = screen();
    for (const auto& element : current.elements) {
        // On the intro "begin" keeps the focus; "why do we ask this?" is one Tab away.
        if (element.area == Area::Body && element.id != "why-data") {
            m_focus = element.id;
            break;
        }
    }
    if (m_focus.empty()) {
        for (const auto& element : current.elements) {
            if (element.area == Area::Bottom && element.id != "back") m_focus = element.id;
        }
    }
    announceScreen();
}

// [SECTION] Time: idle warning, wipe, repeats ----------------------------------------------------

std::optional<std::chrono::system_clock::time_point> Controller::nextDeadline() const {
    // While the self-test runs, look ten times a second whether it is done.
    if (m_selfTest.valid()) return m_clock.now() + std::chrono::milliseconds{100};
    if (m_staff != Staff::Off) return m_lastActivity + m_idle.warnAfter;
    if (m_preview && (m_previewPages || previewBroken())) return std::nullopt;
    // Out of order for storage: look again every 15 seconds whether it can store.
    if (m_outOfOrder && m_outOfOrderReason == "out_of_order.cannot_store") return m_clock.now() + std::chrono::seconds{15};
    if (m_outOfOrder) return std::nullopt;
    const auto kind = m_session->screen();
    if (m_idleWarning) {
        // Once a second, for the countdown.
        const auto since = m_clock.now() - m_lastActivity - m_idle.warnAfter;
        const auto whole = std::chrono::duration_cast<std::chrono::seconds>(since) + std::chrono::seconds{1};
        return m_lastActivity + m_idle.warnAfter + whole;
    }
    if (kind == ScreenKind::Welcome) return m_lastWelcomeSpeech + m_idle.welcomeRepeat;
    if (kind == ScreenKind::Confirmation) return m_confirmedAt + m_idle.confirmationShown;
    if (!m_repeatedWhileIdle && m_idle.screenRepeat < m_idle.warnAfter) return m_lastActivity + m_idle.screenRepeat;
    return m_lastActivity + m_idle.warnAfter;
}

void Controller::tick() {
    pollSelfTest();
    const auto now = m_clock.now();
    if (m_preview && (m_previewPages || previewBroken())) return;
    if (m_staff != Staff::Off) {
        // A staff screen left alone closes, so the kiosk never stays in the staff menu.
        if (now - m_lastActivity >= m_idle.warnAfter) activateStaff("back");
        return;
    }
    if (m_outOfOrder) {
        if (m_outOfOrderReason == "out_of_order.cannot_store" && m_storageCheck && m_storageCheck()) {
            m_outOfOrder = false;  // the disk has room again: back in service
            wipe();
        }
        return;
    }
    const auto kind = m_session->screen();
    if (kind == ScreenKind::Welcome) {
        if (now - m_lastWelcomeSpeech >= m_idle.welcomeRepeat) {
            m_lastWelcomeSpeech = now;
            say(t("welcome.invite"));
        }
        return;
    }
    if (kind == ScreenKind::Confirmation) {
        if (now - m_confirmedAt >= m_idle.confirmationShown) wipe();
        return;
    }
    const auto idle = now - m_lastActivity;
    if (!m_idleWarning && !m_repeatedWhileIdle && idle >= m_idle.screenRepeat && idle < m_idle.warnAfter) {
        // A citizen who has not acted for a while hears the question once more, calmly.
        m_repeatedWhileIdle = true;
        announceScreen();
        return;
    }
    if (!m_idleWarning && idle >= m_idle.warnAfter) {
        m_idleWarning = true;
        m_overlay.clear();
        m_focus = "still-here";
        say(t("idle.title") + " " + t("idle.body"));
        return;
    }
    if (m_idleWarning && idle >= m_idle.warnAfter + m_idle.countdown) {
        wipe();  // the session's answers are gone; the welcome screen returns
    }
}

// [SECTION] Staff: PIN and menu ------------------------------------------------------------------

void Controller::openStaff() {
    noteActivity();
    // The citizen's answers are never shown to staff: wipe them first.
    wipe();
    m_staff = Staff::Pin;
    m_staffMessage = m_pinHash.empty() ? "staff.no_pin" : "";
    m_focus = "key:1";
    say(t("staff.pin"));
}

void Controller::buildStaff(Screen& screen) const {
    auto add = [&](std::string id, Role role, Area area, std::string label, std::string icon) -> Element& {
        return addElement(screen, std::move(id), role, area, std::move(label), std::move(icon));
    };
    screen.texts.push_back({TextBlock::Kind::Title, t("staff.title"), t("staff.title"), ""});
    if (m_staff == Staff::Pin) {
        screen.texts.push_back({TextBlock::Kind::Question, t("staff.pin"), t("staff.pin"), ""});
        if (!m_staffMessage.empty()) {
            screen.texts.push_back({TextBlock::Kind::Error, t(m_staffMessage), t(m_staffMessage), ""});
        }
        add("field:pin", Role::Field, Area::Body, std::string(m_pin.size(), '*'), "key").wide = true;
        for (char digit : std::string_view("1234567890")) add("key:" + std::string(1, digit), Role::Key, Area::Keys, std::string(1, digit), "");
        add("key:backspace", Role::Key, Area::Keys, t("key.backspace"), "backspace");
        add("staff-cancel", Role::Button, Area::Bottom, t("staff.cancel"), "close");
        add("staff-ok", Role::Button, Area::Bottom, t("staff.ok"), "check");
        return;
    }
    buildStaffMenu(screen);
}

void Controller::activateStaff(const std::string& controlId) {
    if (m_staff == Staff::Pin) {
        if (controlId.starts_with("key:") && controlId.size() == 5 && controlId[4] >= '0' && controlId[4] <= '9') {
            if (m_pin.size() < 12) m_pin += controlId[4];
            m_focus = controlId;
            say(t("key.typed"));
            return;
        }
        if (controlId == "key:backspace") {
            if (!m_pin.empty()) m_pin.pop_back();
            m_focus = controlId;
            return;
        }
        if (controlId == "staff-ok") {
            const auto now = m_clock.now();
            if (now < m_pinLockedUntil) {
                m_staffMessage = "staff.locked";
            } else if (!m_pinHash.empty() && verifyPin(m_pin, m_pinHash)) {
                m_pinFailures = 0;
                m_staff = Staff::Menu;
                m_staffMessage.clear();
                m_focus = "staff-exit";
                say(t("staff.menu"));
            } else {
                // Five wrong PINs lock the menu for five minutes (no guessing by citizens).
                m_staffMessage = m_pinHash.empty() ? "staff.no_pin" : "staff.wrong";
                if (++m_pinFailures >= 5) {
                    m_pinLockedUntil = now + std::chrono::minutes{5};
                    m_pinFailures = 0;
                    m_staffMessage = "staff.locked";
                }
                say(t(m_staffMessage));
            }
            OPENSSL_cleanse(m_pin.data(), m_pin.size());
            m_pin.clear();
            return;
        }
    } else if (m_staff == Staff::Menu) {
        if (controlId == "staff-exit") {
            m_exitRequested = true;
            return;
        }
        if (controlId == "staff-reload") {
            m_focus = controlId;
            if (!reloadForms()) m_reloadMessage = t("staff.reload_unavailable");
            say(m_reloadMessage);
            return;
        }
        if (controlId.starts_with("staff-voice:")) {
            // The test sentence from that language's own table, in that language's voice.
            const std::string lang = controlId.substr(12);
            m_focus = controlId;
            say(m_strings.get(lang, "staff.voice_sample"), true, lang);
            return;
        }
        if (controlId == "staff-selftest") {
            m_focus = controlId;
            if (!m_selfTestRun || m_selfTest.valid()) return;
            m_selfTestLines.clear();
            m_selfTest = std::async(std::launch::async,
                                    [run = m_selfTestRun, &strings = m_strings, lang = language()] {
                                        return run(strings, lang);
                                    });
            ++m_revision;
            say(t("staff.checking"));
            return;
        }
    }
    if (controlId == "staff-cancel" || controlId == "staff-back" || controlId == "back") {
        OPENSSL_cleanse(m_pin.data(), m_pin.size());
        m_pin.clear();
        m_staff = Staff::Off;
        m_staffMessage.clear();
        m_overlay.clear();
        enterScreen();
    }
}

// The staff menu (after the PIN): outbox, forms (problems, reload), voices, self-test,
// leave. Texts and controls that belong together share a `field` tag, so the layout puts
// each group's lines right above its buttons.
void Controller::buildStaffMenu(Screen& screen) const {
    auto text = [&](TextBlock::Kind kind, std::string body, const char* group) {
        TextBlock block{kind, body, body, group};
        screen.texts.push_back(std::move(block));
    };
    auto add = [&](std::string id, Role role, std::string label, std::string icon, const char* group) -> Element& {
        Element& e = addElement(screen, std::move(id), role, Area::Body, std::move(label), std::move(icon));
        e.field = group;
        return e;
    };
    text(TextBlock::Kind::Body, t("staff.menu"), "");
    if (m_staffStatus) {
        for (auto& line : m_staffStatus(m_strings, language())) text(TextBlock::Kind::Hint, line, "staff:outbox");
    }
    // The forms folder: what its last load gave, and the first few problems.
    text(TextBlock::Kind::Question, formsSummary(), "staff:forms");
    if (m_hasFormsReport) {
        text(TextBlock::Kind::Hint, t("staff.forms_folder", {{"folder", m_formsReport.folder}}), "staff:forms");
        constexpr std::size_t kShown = 3;
        constexpr std::size_t kLongest = 150;   // bytes: one or two lines on the screen
        std::size_t errors = 0;
        for (const auto& finding : m_formsReport.findings) {
            if (finding.severity != forms::Severity::Error) continue;
            if (++errors > kShown) continue;
            std::string line = std::filesystem::path(finding.path).filename().string() + ":" +
                               std::to_string(finding.pos.line) + ":" + std::to_string(finding.pos.column) +
                               ": " + finding.message;
            if (line.size() > kLongest) {
                std::size_t cut = kLongest;
                while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
                line = line.substr(0, cut) + "\u2026";
            }
            text(TextBlock::Kind::Error, line, "staff:forms");
        }
        if (errors > kShown) {
            text(TextBlock::Kind::Hint, t("staff.forms_more", {{"n", std::to_string(errors - kShown)}}), "staff:forms");
        }
    }
    if (!m_reloadMessage.empty()) text(TextBlock::Kind::Body, m_reloadMessage, "staff:forms");
    if (m_loadForms) add("staff-reload", Role::Button, t("staff.reload"), "undo", "staff:forms").wide = true;
    // A test sentence in every language the kiosk offers, each in its own voice.
    text(TextBlock::Kind::Question, t("staff.voices"), "staff:voices");
    for (const auto& lang : m_sessionSettings.languages) {
        add("staff-voice:" + lang, Role::Button, m_strings.get(lang, "language.self_name"), "record_voice_over",
            "staff:voices");
    }
    // The self-test: its lines, then the button that runs it.
    if (m_selfTestRun) {
        text(TextBlock::Kind::Question, t("staff.selftest_title"), "staff:selftest");
        if (m_selfTest.valid()) text(TextBlock::Kind::Body, t("staff.checking"), "staff:selftest");
        for (const auto& line : m_selfTestLines) {
            const std::string shown = t(line.ok ? "staff.check_ok" : "staff.check_problem") + " " + line.text;
            text(line.ok ? TextBlock::Kind::Body : TextBlock::Kind::Error, shown, "staff:selftest");
        }
        add("staff-selftest", Role::Button, t(m_selfTest.valid() ? "staff.checking" : "staff.selftest"),
            "check_circle", "staff:selftest").wide = true;
    }
    add("staff-exit", Role::Button, t("staff.exit"), "logout", "staff:exit").wide = true;
    addElement(screen, "staff-back", Role::Button, Area::Bottom, t("staff.back"), "arrow_back");
}

std::string Controller::formsSummary() const {
    return t("staff.forms_summary", {{"ready", std::to_string(m_forms.size())},
                                     {"errors", std::to_string(m_hasFormsReport ? m_formsReport.filesRefused : 0)}});
}

void Controller::pollSelfTest() {
    if (!m_selfTest.valid() ||
        m_selfTest.wait_for(std::chrono::seconds{0}) != std::future_status::ready) {
        return;
    }
    try {
        m_selfTestLines = m_selfTest.get();
    } catch (const std::exception& error) {
        // Nothing may unwind into the UI's frame: a check that threw is a problem line.
        m_selfTestLines = {{false, t("staff.selftest_failed", {{"error", error.what()}})}};
    }
    ++m_revision;
    if (m_staff != Staff::Menu) return;
    int problems = 0;
    std::string spoken;
    for (const auto& line : m_selfTestLines) {
        if (!line.ok) ++problems;
        spoken += " " + t(line.ok ? "staff.check_ok" : "staff.check_problem") + " " + line.text;
    }
    say(t("staff.selftest_done", {{"problems", std::to_string(problems)}}) + spoken);
}

void Controller::setFormsLoad(const FormsLoad& report, LoadForms reload) {
    m_formsReport.findings = report.findings;
    m_formsReport.folder = report.folder;
    m_formsReport.filesRead = report.filesRead;
    m_formsReport.filesRefused = report.filesRefused;
    m_hasFormsReport = true;
    m_loadForms = std::move(reload);
}

bool Controller::reloadForms() {
    if (!m_loadForms) return false;
    // Never under a citizen's hands: only from the staff menu, the welcome screen or the preview.
    if (m_staff == Staff::Off && !m_preview && m_session->screen() != ScreenKind::Welcome) return false;
    FormsLoad load = m_loadForms();
    std::vector<forms::Form> incoming = std::move(load.forms);
    setFormsLoad(load, m_loadForms);
    if (!replaceForms(std::move(incoming))) return false;
    m_reloadMessage = t("staff.reloaded", {{"summary", formsSummary()}});
    ++m_revision;
    return true;
}

bool Controller::replaceForms(std::vector<forms::Form> forms) {
    if (m_staff == Staff::Off && !m_preview && m_session->screen() != ScreenKind::Welcome) return false;
    // Where the preview was, to come back to it in the new forms.
    const std::string lang = m_session->language();
    const std::string formId = m_session->form() != nullptr ? m_session->form()->id : std::string();
    const std::string pageId = m_session->screen() == ScreenKind::Page ? m_session->page()->id : std::string();
    // The old session points into the old forms: it goes before they do.
    m_session->reset();
    m_session.reset();
    m_ownedForms = std::move(forms);
    m_forms = m_ownedForms;
    ++m_formsGeneration;
    m_session = std::make_unique<Session>(m_forms, m_sessionSettings, m_clock, m_strings);
    m_overlay.clear();
    m_errors.clear();
    m_revealed.clear();
    if (m_outOfOrderReason != "out_of_order.cannot_store") {
        m_outOfOrder = m_session->languages().empty();
        m_outOfOrderReason = m_outOfOrder ? "out_of_order.no_forms" : "";
    }
    if (!formId.empty()) m_previewPlace = {lang, formId, pageId};
    else if (!m_previewWasBroken) m_previewPlace = {};
    if (m_preview && !m_previewPlace[1].empty()) m_session->previewOpen(m_previewPlace[0], m_previewPlace[1], m_previewPlace[2]);
    m_previewWasBroken = previewBroken();
    if (m_staff == Staff::Off) enterScreen();
    return true;
}

// [SECTION] Preview: every page, errors on screen, nothing sent ---------------------------------

void Controller::setPreview(bool on) {
    m_preview = on;
    // Staff edit at their own pace: no idle warning, no repeats while they look.
    if (on) {
        m_idle.warnAfter = m_idle.countdown = m_idle.screenRepeat = m_idle.welcomeRepeat = std::chrono::hours{24 * 365};
    }
    enterScreen();
}

bool Controller::previewBroken() const {
    return m_hasFormsReport && std::ranges::any_of(m_formsReport.findings, [](const forms::Finding& f) {
               return f.severity == forms::Severity::Error;
           });
}

const forms::Form* Controller::previewForm() const {
    for (const auto& form : m_forms) {
        if (form.id == m_previewForm) return &form;
    }
    if (m_session->form() != nullptr) return m_session->form();
    return m_forms.empty() ? nullptr : &m_forms.front();
}

void Controller::togglePreviewPages() {
    if (!m_preview || m_staff != Staff::Off) return;
    activatePreview(m_previewPages ? "preview-close" : "preview-pages");
}

void Controller::buildPreviewErrors(Screen& screen) const {
    screen.texts.push_back({TextBlock::Kind::Title, t("preview.errors_title"), t("preview.errors_title"), ""});
    screen.texts.push_back({TextBlock::Kind::Body, t("preview.errors_body"), t("preview.errors_body"), ""});
    for (const auto& finding : m_formsReport.findings) {
        if (finding.severity != forms::Severity::Error) continue;
        // file:line:column on its own line, large, then what is wrong.
        const std::string where = std::filesystem::path(finding.path).filename().string() + ":" +
                                  std::to_string(finding.pos.line) + ":" + std::to_string(finding.pos.column);
        screen.texts.push_back({TextBlock::Kind::Question, where, where, ""});
        screen.texts.push_back({TextBlock::Kind::Error, finding.message, finding.message, ""});
    }
}

void Controller::buildPreviewPages(Screen& screen) const {
    const auto* form = previewForm();
    screen.texts.push_back({TextBlock::Kind::Title, t("preview.pages_title"), t("preview.pages_title"), ""});
    if (m_forms.size() > 1) {
        for (const auto& other : m_forms) {
            addElement(screen, "preview-form:" + other.id, Role::Tile, Area::Body, other.title.in(language()),
                       other.icon.empty() ? "description" : other.icon)
                .selected = form == &other;
        }
    }
    if (form != nullptr) {
        screen.texts.push_back({TextBlock::Kind::Hint, t("preview.pages_hint"), t("preview.pages_hint"), "preview:pages"});
        const std::string lang = form->offersLanguage(language()) ? language() : form->languages.front();
        const auto* current = m_session->form() == form && m_session->screen() == ScreenKind::Page ? m_session->page() : nullptr;
        for (const auto& page : form->pages) {
            Element& e = addElement(screen, "preview-page:" + page.id, Role::Button, Area::Body,
                                    page.title ? page.title->in(lang) : page.id, "arrow_forward");
            e.detail = page.id;
            if (!page.showIfSource.empty()) e.detail += "  \u2022  " + t("preview.show_if", {{"condition", page.showIfSource}});
            e.wide = true;
            e.selected = current == &page;
            e.field = "preview:pages";
        }
        screen.texts.push_back({TextBlock::Kind::Question, t("preview.languages"), t("preview.languages"), "preview:languages"});
        for (const auto& code : form->languages) {
            Element& e = addElement(screen, "preview-lang:" + code, Role::Tile, Area::Body,
                                    m_strings.get(code, "language.self_name"), "translate");
            e.selected = code == language();
            e.field = "preview:languages";
        }
    }
    addElement(screen, "preview-close", Role::Button, Area::Bottom, t("button.back"), "arrow_back");
}

// Returns true when the control was the preview's own.
bool Controller::activatePreview(const std::string& controlId) {
    const bool listOpen = m_previewPages || previewBroken();
    if (controlId == "preview-pages") {
        m_previewPages = true;
        m_overlay.clear();
        m_previewForm = m_session->form() != nullptr ? m_session->form()->id : m_previewForm;
        enterScreen();
        return true;
    }
    if (controlId == "preview-close") {
        m_previewPages = false;
        enterScreen();
        return true;
    }
    const auto* form = previewForm();
    if (controlId.starts_with("preview-form:")) {
        m_previewForm = controlId.substr(13);
        m_focus = controlId;
        sayFocus();
        return true;
    }
    if (controlId.starts_with("preview-page:") && form != nullptr) {
        m_previewPages = false;
        m_session->previewOpen(language(), form->id, controlId.substr(13));
        enterScreen();
        return true;
    }
    if (controlId.starts_with("preview-lang:") && form != nullptr) {
        const std::string pageId = m_session->form() == form && m_session->screen() == ScreenKind::Page
                                       ? m_session->page()->id
                                       : std::string();
        m_session->previewOpen(controlId.substr(13), form->id, pageId);
        m_focus = controlId;
        announceScreen();
        return true;
    }
    // On the page list and the error screen nothing else acts.
    return listOpen;
}

// [SECTION] Speech: what is said -----------------------------------------------------------------

void Controller::say(std::string text, bool interrupt, std::string language) {
    if (text.empty()) return;
    if (language.empty()) language = m_session->language();
    // Abbreviations eSpeak would misread are spelled out ("UWV" -> "U-W-V").
    text = spoken::expandAbbreviations(language, text).text;
    m_utterances.push_back({std::move(text), std::move(language), interrupt, screenId(), {}});
}

std::string Controller::spokenAnswer(const forms::Field& field, const forms::Value& value) const {
    // As a person would say it: "twaalf euro en vijftig cent", "zaterdag 5 december 2026",
    // postcodes, BSNs and IBANs in spelled groups.
    const std::string& lang = language();
    const auto* text = std::get_if<std::string>(&value);
    std::optional<std::string> said;
    if (text != nullptr) {
        switch (field.type) {
            case FieldType::Money: said = spoken::amount(m_strings, lang, *text); break;
            case FieldType::Date: said = spoken::date(m_strings, lang, *text); break;
            case FieldType::Postcode: said = spoken::postcode(*text); break;
            case FieldType::Bsn: said = spoken::bsn(*text); break;
            case FieldType::Iban: said = spoken::iban(*text); break;
            case FieldType::Phone: said = spoken::phone(m_strings, lang, *text); break;
            default: break;
        }
    }
    return said ? *said : m_session->answerText(field, value);
}

std::string Controller::spokenFor(const Element& element) const {
    std::string role;
    switch (element.role) {
        case Role::Button: role = t("role.button"); break;
        case Role::Tile: role = t("role.choice"); break;
        case Role::Toggle: role = t("role.toggle"); break;
        case Role::Field: role = t("role.field"); break;
        case Role::Key: role = t("role.key"); break;
        case Role::Stepper: role = t("role.button"); break;
        case Role::Setting: role = t("role.setting"); break;
    }
    std::string spoken = element.label;
    if (!element.detail.empty() && !element.masked) spoken += ", " + element.detail;
    spoken += ", " + role;
    if (element.role == Role::Tile || element.role == Role::Toggle) {
        spoken += ", " + t(element.selected ? "state.selected" : "state.not_selected");
    }
    return spoken;
}

std::string Controller::answerForSpeech(const forms::Field& field) const {
    const auto* value = m_session->value(field.id);
    if (value == nullptr) return {};
    if (field.isPrivate && !m_settings.headphones) return t("speech.private_answer");
    return spokenAnswer(field, *value);
}

void Controller::sayFocus() {
    const Screen current = screen();
    if (const auto* element = current.find(m_focus)) say(element->spoken);
}

void Controller::announceScreen() {
    const Screen current = screen();
    std::string spoken;
    std::vector<SpokenSegment> segments;
    for (std::size_t index = 0; index < current.texts.size(); ++index) {
        const auto& block = current.texts[index];
        // Highlighting follows a text only when it is read as written (no `speak` override,
        // no abbreviation spelled out).
        const bool asWritten = block.spoken == block.text && !block.text.empty() &&
                               spoken::expandAbbreviations(language(), block.text).replaced.empty();
        if (asWritten) segments.push_back({spoken.size(), block.text.size(), index});
        if (block.kind == TextBlock::Kind::Big && current.id == "confirmation") {
            // The reference, character by character in its groups, with pauses.
            spoken += spoken::reference(block.text).value_or(spoken::spell(block.text)) + ". ";
            continue;
        }
        spoken += spoken::expandAbbreviations(language(), block.spoken).text;
        if (!block.spoken.empty() && std::string_view(".?!:").find(block.spoken.back()) == std::string_view::npos) {
            spoken += ".";
        }
        spoken += " ";
    }
    if (m_session->screen() == ScreenKind::Page && !m_idleWarning && !m_outOfOrder) {
        for (const auto* field : m_session->visibleFields()) {
            if (field->type == FieldType::Choice || field->type == FieldType::Multichoice) {
                for (const auto& option : field->options) {
                    spoken += (option.speak ? option.speak->in(language()) : option.label.in(language())) + ". ";
                }
            }
            if (auto answer = answerForSpeech(*field); !answer.empty()) {
                spoken += t("speech.current_answer", {{"answer", answer}}) + " ";
            }
        }
    }
    if (m_session->screen() == ScreenKind::Review && !m_idleWarning) {
        for (const auto& item : m_session->review()) {
            const auto& field = *item.field;
            const std::string label = field.speak ? field.speak->in(language()) : field.label.in(language());
            std::string answer = item.answer;
            if (const auto* value = m_session->value(field.id)) {
                answer = field.isPrivate && !m_settings.headphones ? t("speech.private_answer")
                                                                   : spokenAnswer(field, *value);
            }
            spoken += label + " " + answer;
            if (!answer.empty() && answer.back() != '.') spoken += ".";
            spoken += " ";
        }
    }
    while (!spoken.empty() && spoken.back() == ' ') spoken.pop_back();
    // Already spelled out block by block (so the segments' offsets hold): no say().
    if (!spoken.empty()) {
        m_utterances.push_back({std::move(spoken), m_session->language(), true, screenId(), std::move(segments)});
    }
}

}  // namespace kiosk::core
