// The screen model: what one screen shows and says, built in the core from the session and
// the kiosk's state, before anything is drawn. The UI draws it and reports taps and keys
// back by control id; speech decides what to say from it (never from pixels), and tests
// check whole flows without a window.
#pragma once

#include <string>
#include <vector>

namespace kiosk::core {

// What a control is, for drawing and for speech ("Yes, button, selected").
enum class Role {
    Button,     // an action: next, back, submit, start, ...
    Tile,       // a large choice with pictogram: language, form, option, yes/no
    Toggle,     // on/off: consent, a multichoice option
    Field,      // shows what was entered; tapping it puts the typing focus there
    Key,        // a key of the on-screen keyboard or keypad
    Stepper,    // date day/month/year up/down
    Setting,    // text size, contrast, speed, volume
};

// Where a control sits; the UI lays out each area on its own.
enum class Area {
    Top,       // settings row, help, stop
    Body,      // the question's own controls (tiles, fields, steppers)
    Keys,      // on-screen keyboard or keypad
    Bottom,    // back, repeat, next / submit
    Overlay,   // the buttons of a dialog drawn over the screen (stop, help)
};

struct Element {
    std::string id;         // the contract's control id ("next", "option:huur", "key:a")
    Role role = Role::Button;
    Area area = Area::Body;
    std::string label;      // shown (may be empty for icon-only keys)
    std::string icon;       // Material icon name, or empty
    std::string detail;     // a second line: the answer on review, the weekday on a date
    bool selected = false;  // chosen option, toggle on, active field
    bool wide = false;      // takes a whole row (fields, review lines)
    bool danger = false;    // stop, delete: drawn so it stands out
    bool masked = false;    // a private answer shown as dots (review)
    std::string field;      // the form field this control belongs to ("" for none)
    // What speech says when the control gets the focus: label, role and state.
    std::string spoken;
};

// One block of text on the screen, in reading order.
struct TextBlock {
    enum class Kind { Title, Question, Hint, Body, Error, Big, Step } kind = Kind::Body;
    std::string text;
    std::string spoken;  // what speech says for it (the `speak` override, spelled numbers)
    std::string field;   // the form field it belongs to ("" for the page as a whole)
};

struct Screen {
    std::string id;                  // "welcome", "page:wie", "idle-warning", ...
    std::vector<TextBlock> texts;    // title, question, hint, errors, ...
    std::vector<Element> elements;   // every control, in focus order
    float progress = -1;             // 0..1 on question pages; -1: no progress bar
    int countdown = -1;              // seconds left on the idle warning; -1: none
    std::string overlay;             // "help", "stop-confirm" or "" (drawn over the screen)
    std::vector<TextBlock> overlayTexts;  // what the overlay says
    std::string banner;              // a strip across the top ("PREVIEW ..."); "" for none

    [[nodiscard]] const Element* find(const std::string& controlId) const {
        for (const auto& element : elements) {
            if (element.id == controlId) return &element;
        }
        return nullptr;
    }
};

}  // namespace kiosk::core
