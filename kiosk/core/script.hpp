// The test-script language of ../shared/kiosk-cli.md ("Test script"): one command per line,
// '#' starts a comment. Parsing is pure; the UI runs the commands through real SDL input.
//
//   tap CONTROL | type TEXT | key NAME | key+ MOD NAME | wait MS | advance S
//   screenshot FILE.png | expect screen ID | expect focus CONTROL
//   expect spoken TEXT | expect not-spoken TEXT
// Added by this project (documented in docs/script.md):
//   expect field FIELD TEXT   the field's current input is exactly TEXT ("" for empty)
//   expect layout             every control passes the 15 mm / 3 mm rule, no text overflows
//   settle                    let every pending frame, utterance and timer run
#pragma once

#include <expected>
#include <string>
#include <vector>

namespace kiosk::core {

struct ScriptCommand {
    enum class Kind {
        Tap, Type, Key, KeyWithModifier, Wait, Advance, Screenshot,
        ExpectScreen, ExpectFocus, ExpectSpoken, ExpectNotSpoken, ExpectField, ExpectLayout, Settle,
    };
    Kind kind = Kind::Tap;
    std::string argument;   // control, text, key name, file, id
    std::string modifier;   // key+: Alt, Ctrl, Shift, Gui
    std::string extra;      // expect field: the expected text
    double number = 0;      // wait: milliseconds; advance: seconds
    int line = 0;
};

// Reads a whole script. Fails with "line N: what is wrong" on the first bad line.
[[nodiscard]] std::expected<std::vector<ScriptCommand>, std::string> parseScript(const std::string& text);

}  // namespace kiosk::core
