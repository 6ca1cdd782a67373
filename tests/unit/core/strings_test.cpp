// The string tables: every id in every language, placeholders intact, fallback visible.
#include "kiosk/core/strings.hpp"

#include "forms/validate.hpp"

#include "tests/fakes/print.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace kiosk;

namespace {

const std::filesystem::path kStrings = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/strings";

std::set<std::string> placeholdersIn(const std::string& text) {
    std::set<std::string> found;
    for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string::npos) {
            found.insert("<unclosed>");
            break;
        }
        found.insert(text.substr(open + 1, close - open - 1));
    }
    return found;
}

}  // namespace

TEST_CASE("every string id exists in Dutch, English, Turkish and Polish, with the same placeholders") {
    const auto table = core::StringTable::load(kStrings);
    REQUIRE(table.has_value());
    const std::vector<std::string> required{"nl", "en", "tr", "pl"};
    const auto present = table->languages();
    for (const auto& language : required) {
        CHECK(std::ranges::find(present, language) != present.end());
    }
    const auto english = table->ids("en");
    CHECK(english.size() > 40);
    for (const auto& language : table->languages()) {
        CAPTURE(language);
        CHECK(table->ids(language) == english);  // no more, no fewer
        for (const auto& id : english) {
            CAPTURE(id);
            CHECK_FALSE(table->get(language, id).empty());
            CHECK(placeholdersIn(table->get(language, id)) == placeholdersIn(table->get("en", id)));
        }
    }
}

TEST_CASE("every validation problem has its message, with exactly the parameters it gets") {
    const auto table = core::StringTable::load(kStrings);
    REQUIRE(table.has_value());
    for (const auto problem : forms::allProblems()) {
        const std::string id(forms::problemId(problem));
        CAPTURE(id);
        CHECK(table->has("en", id));
        const auto placeholders = placeholdersIn(table->get("en", id));
        for (const auto& name : placeholders) CHECK((name == "min" || name == "max"));
    }
}

TEST_CASE("placeholders are filled; a missing id falls back to English, then shows the id") {
    const auto table = core::StringTable::load(kStrings);
    REQUIRE(table.has_value());
    CHECK(table->get("nl", "validation.too_long", {{"max", "60"}}).find("60") != std::string::npos);
    CHECK(table->get("xx", "answer.yes") == "Yes");
    CHECK(table->get("nl", "no.such.id") == "no.such.id");
}
