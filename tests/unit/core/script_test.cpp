#include "kiosk/core/script.hpp"

#include <doctest/doctest.h>

using namespace kiosk::core;
using K = ScriptCommand::Kind;

TEST_CASE("every command of the contract parses") {
    const auto script = parseScript(
        "# a comment\n"
        "tap start        # touch\n"
        "type Jan de Vries\n"
        "key Return\n"
        "key Keypad 4\n"
        "key+ Alt F4\n"
        "wait 250\n"
        "advance 120\n"
        "screenshot out/welcome.png\n"
        "expect screen page:wie\n"
        "expect focus field:voornaam\n"
        "expect spoken Wat is uw naam?\n"
        "expect not-spoken 111222333\n"
        "expect field voornaam Jan\n"
        "expect field voornaam \"\"\n"
        "expect layout\n"
        "settle\n");
    REQUIRE(script.has_value());
    REQUIRE(script->size() == 16);
    CHECK((*script)[0].kind == K::Tap);
    CHECK((*script)[0].argument == "start");
    CHECK((*script)[1].argument == "Jan de Vries");
    CHECK((*script)[3].argument == "Keypad 4");
    CHECK((*script)[4].modifier == "Alt");
    CHECK((*script)[4].argument == "F4");
    CHECK((*script)[5].number == 250);
    CHECK((*script)[6].kind == K::Advance);
    CHECK((*script)[10].argument == "Wat is uw naam?");
    CHECK((*script)[12].extra == "Jan");
    CHECK((*script)[13].extra.empty());
    CHECK((*script)[14].kind == K::ExpectLayout);
    CHECK((*script)[1].line == 3);
}

TEST_CASE("bad lines are refused with their line number") {
    CHECK(parseScript("tap\n").error() == "line 1: 'tap' needs a control id");
    CHECK(parseScript("\nwait soon\n").error() == "line 2: 'wait' needs a number of milliseconds");
    CHECK(parseScript("jump start\n").error() == "line 1: unknown command 'jump'");
    CHECK(parseScript("expect colour red\n").error() ==
          "line 1: unknown expectation 'colour'; use screen, focus, spoken, not-spoken, field, layout, on-screen, not-on-screen, icon-drawn, icon-colour or memory-growth");
    CHECK(parseScript("key+ Alt\n").error() == "line 1: 'key+' needs a modifier and a key, like: key+ Alt F4");
}

TEST_CASE("the project's additions parse: touch, swipe, memory, on-screen") {
    const auto script = parseScript(
        "touch 0.5 0.25\n"
        "swipe 0 1 1 0   # up and across\n"
        "memory mark\n"
        "expect memory-growth 1024\n"
        "expect on-screen Jan # de Vries\n"
        "expect not-on-screen 111222333\n");
    REQUIRE(script.has_value());
    REQUIRE(script->size() == 6);
    CHECK((*script)[0].kind == K::Touch);
    CHECK((*script)[0].points == std::vector<double>{0.5, 0.25});
    CHECK((*script)[1].kind == K::Swipe);
    CHECK((*script)[1].points == std::vector<double>{0, 1, 1, 0});
    CHECK((*script)[2].kind == K::MemoryMark);
    CHECK((*script)[3].kind == K::ExpectMemoryGrowth);
    CHECK((*script)[3].number == 1024);
    CHECK((*script)[4].kind == K::ExpectOnScreen);
    CHECK((*script)[4].argument == "Jan # de Vries");
    CHECK((*script)[5].kind == K::ExpectNotOnScreen);
    CHECK((*script)[5].argument == "111222333");
}

TEST_CASE("points outside the window and wrong counts are refused") {
    CHECK(parseScript("touch 0.5\n").error() == "line 1: 'touch' needs 2 numbers from 0 to 1");
    CHECK(parseScript("touch 0.5 1.5\n").error() ==
          "line 1: 'touch' takes points as fractions of the window, from 0 to 1, like: touch 0.5 0.9");
    CHECK(parseScript("swipe 0 0 1\n").error() == "line 1: 'swipe' needs 4 numbers from 0 to 1");
    CHECK(parseScript("memory\n").error() == "line 1: 'memory' needs 'mark'");
    CHECK(parseScript("expect memory-growth lots\n").error() ==
          "line 1: 'expect memory-growth' needs a number of kibibytes");
}

TEST_CASE("the monkey's additions parse: tap-any and tap-if-shown") {
    const auto script = parseScript(
        "tap-any 0.25\n"
        "tap-any 1   # the last control\n"
        "tap-if-shown stop-yes # only in the stop dialog\n");
    REQUIRE(script.has_value());
    REQUIRE(script->size() == 3);
    CHECK((*script)[0].kind == K::TapAny);
    CHECK((*script)[0].number == 0.25);
    CHECK((*script)[1].kind == K::TapAny);
    CHECK((*script)[1].number == 1);
    CHECK((*script)[2].kind == K::TapIfShown);
    CHECK((*script)[2].argument == "stop-yes");
    CHECK(parseScript("tap-any\n").error() ==
          "line 1: 'tap-any' needs a number from 0 to 1 that picks the control, like: tap-any 0.25");
    CHECK(parseScript("tap-any 1.5\n").error() ==
          "line 1: 'tap-any' needs a number from 0 to 1 that picks the control, like: tap-any 0.25");
    CHECK(parseScript("tap-if-shown\n").error() == "line 1: 'tap-if-shown' needs a control id");
}

TEST_CASE("wait-for on-screen and replace-in-file (the preview test's commands)") {
    auto parsed = kiosk::core::parseScript(
        "wait-for on-screen Wat wordt uw # naam? 3000\n"
        "replace-in-file forms/a.yaml type: text -> type: # txet\n");
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 2);
    CHECK((*parsed)[0].kind == kiosk::core::ScriptCommand::Kind::WaitForOnScreen);
    CHECK((*parsed)[0].argument == "Wat wordt uw # naam?");
    CHECK((*parsed)[0].number == 3000);
    CHECK((*parsed)[1].kind == kiosk::core::ScriptCommand::Kind::ReplaceInFile);
    CHECK((*parsed)[1].argument == "forms/a.yaml");
    CHECK((*parsed)[1].extra == "type: text");
    CHECK((*parsed)[1].replacement == "type: # txet");
    CHECK_FALSE(kiosk::core::parseScript("wait-for on-screen Naam\n"));
    CHECK_FALSE(kiosk::core::parseScript("wait-for screen page:a 3000\n"));
    CHECK_FALSE(kiosk::core::parseScript("replace-in-file forms/a.yaml no arrow\n"));
}

TEST_CASE("expect icon-drawn names a pictogram (the preview test after a new icon)") {
    auto parsed = kiosk::core::parseScript("expect icon-drawn local_post_office\n");
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 1);
    CHECK((*parsed)[0].kind == kiosk::core::ScriptCommand::Kind::ExpectIconDrawn);
    CHECK((*parsed)[0].argument == "local_post_office");
    CHECK(kiosk::core::parseScript("expect icon-drawn\n").error() == "line 1: 'expect icon-drawn' needs a value");
}

TEST_CASE("expect icon-colour names a staff icon and six hex digits (the preview test after a changed icon file)") {
    auto parsed = kiosk::core::parseScript("expect icon-colour eigen 1040c0\n");
    REQUIRE(parsed);
    REQUIRE(parsed->size() == 1);
    CHECK((*parsed)[0].kind == kiosk::core::ScriptCommand::Kind::ExpectIconColour);
    CHECK((*parsed)[0].argument == "eigen");
    CHECK((*parsed)[0].extra == "1040c0");
    const std::string help =
        "line 1: 'expect icon-colour' needs a staff icon's name and a colour as six hex digits, like: expect icon-colour huis 1F6FEB";
    CHECK(kiosk::core::parseScript("expect icon-colour eigen\n").error() == help);
    CHECK(kiosk::core::parseScript("expect icon-colour eigen 1040c\n").error() == help);
    CHECK(kiosk::core::parseScript("expect icon-colour eigen 1040cg\n").error() == help);
    CHECK(kiosk::core::parseScript("expect icon-colour\n").error() == help);
}
