// forms/wipe.hpp: wiping reaches every byte a buffer owns, not only its current size.
#include "forms/wipe.hpp"

#include "forms/validate.hpp"
#include "forms/value.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <span>

namespace {

// The bytes a string owns, read through a pointer kept from before the wipe (wipe() keeps
// the buffer, so they stay ours to read).
bool allZero(const char* buffer, std::size_t capacity) {
    const std::span<const char> bytes(buffer, capacity);
    return std::ranges::all_of(bytes, [](char c) { return c == '\0'; });
}

}  // namespace

TEST_CASE("wipe overwrites a string's whole capacity, also behind its end") {
    std::string name = "Quirijntje Zwanenburg, Kwakkelsteeg 7, 3511 AB Utrecht";
    // A backspace and a shorter answer leave the old characters behind the end.
    name.pop_back();
    name.resize(10);
    const char* buffer = name.data();
    const std::size_t capacity = name.capacity();
    REQUIRE(capacity > 40);
    REQUIRE(std::string_view(buffer + 11, 10) == "Zwanenburg");  // still there before the wipe
    kiosk::wipe(name);
    CHECK(name.empty());
    CHECK(name.data() == buffer);            // the same buffer, now zeros
    CHECK(allZero(buffer, capacity));
}

TEST_CASE("wipe reaches a short string's inline buffer too") {
    std::string bsn = "273846152";
    bsn.resize(3);
    const char* buffer = bsn.data();
    const std::size_t capacity = bsn.capacity();  // 15: the string's own bytes, no heap
    kiosk::wipe(bsn);
    CHECK(allZero(buffer, capacity));
}

TEST_CASE("wipe empties lists and answer variants") {
    std::vector<std::string> chosen{"afval", "hond", "a text long enough to live on the heap"};
    const char* third = chosen[2].data();
    const std::size_t thirdCapacity = chosen[2].capacity();
    kiosk::wipe(chosen[2]);
    CHECK(allZero(third, thirdCapacity));
    kiosk::wipe(chosen);
    CHECK(chosen.empty());

    kiosk::forms::RawInput input = std::string("NL02ABNA0123456789 typed by hand");
    const char* raw = std::get<std::string>(input).data();
    const std::size_t rawCapacity = std::get<std::string>(input).capacity();
    kiosk::wipe(input);
    CHECK(std::get<std::string>(input).empty());
    CHECK(allZero(raw, rawCapacity));

    kiosk::forms::Value number = std::int64_t{273846152};
    kiosk::wipe(number);
    CHECK(std::get<std::int64_t>(number) == 0);
    kiosk::forms::Value yes = true;
    kiosk::wipe(yes);
    CHECK(std::get<bool>(yes) == false);
}
