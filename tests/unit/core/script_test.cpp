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
          "line 1: unknown expectation 'colour'; use screen, focus, spoken, not-spoken, field or layout");
    CHECK(parseScript("key+ Alt\n").error() == "line 1: 'key+' needs a modifier and a key, like: key+ Alt F4");
}
