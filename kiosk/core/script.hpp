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
//   touch X Y                 a touch at a point given as fractions of the window (0..1)
//   swipe X1 Y1 X2 Y2         a finger down at one point, moved and lifted at another
//   memory mark               remember the resident memory now (and print it)
//   expect memory-growth KB   resident memory grew by less than KB kibibytes since the mark
//   expect on-screen TEXT     some text or control on the current screen contains TEXT
//   expect not-on-screen TEXT no text, control, answer or overlay on the screen contains TEXT
//   tap-any R                 tap one of the controls that can be touched now: the one at
//                             position floor(R x count) in screen order (R from 0 to 1)
//   tap-if-shown CONTROL      tap CONTROL if it is on the screen and not under a dialog;
//                             otherwise do nothing (never a failure)
//   wait-for on-screen TEXT MS  let real time pass until TEXT is on screen (at most MS ms;
//                             a failure when it never shows)
//   replace-in-file FILE OLD -> NEW  in FILE (relative to the working folder), replace the
//                             first OLD by NEW, written as an editor saves: a temporary
//                             file renamed over FILE (the preview test)
//   expect icon-drawn ICON    the pictogram ICON (a name of the icon catalogue) is in the
//                             font atlas of the text size now shown, so it is drawn
#pragma once

#include <expected>
#include <string>
#include <vector>

namespace kiosk::core {

struct ScriptCommand {
    enum class Kind {
        Tap, Type, Key, KeyWithModifier, Wait, Advance, Screenshot,
        ExpectScreen, ExpectFocus, ExpectSpoken, ExpectNotSpoken, ExpectField, ExpectLayout, Settle,
        Touch, Swipe, MemoryMark, ExpectMemoryGrowth, ExpectOnScreen, ExpectNotOnScreen,
        TapAny, TapIfShown, WaitForOnScreen, ReplaceInFile, ExpectIconDrawn, ExpectIconColour,
    };
    Kind kind = Kind::Tap;
    std::string argument;   // control, text, key name, file, id
    std::string modifier;   // key+: Alt, Ctrl, Shift, Gui
    std::string extra;      // expect field: the expected text; replace-in-file: OLD; icon-colour: RRGGBB
    std::string replacement;  // replace-in-file: NEW
    double number = 0;      // wait: milliseconds; advance: seconds; memory-growth: KiB; tap-any: 0..1
    std::vector<double> points;  // touch: x y; swipe: x1 y1 x2 y2 (fractions of the window)
    int line = 0;
};

// Reads a whole script. Fails with "line N: what is wrong" on the first bad line.
[[nodiscard]] std::expected<std::vector<ScriptCommand>, std::string> parseScript(const std::string& text);

}  // namespace kiosk::core
