// WordTimeline: eSpeak's word events (characters, ms) -> words of the text (bytes, samples).
// The event sequences below are the ones eSpeak NG 1.51 really produces for these texts.
#include "speech/word_timeline.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace kiosk::speech;

namespace {

std::vector<std::string> wordTexts(std::string_view text, const std::vector<WordSpan>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.emplace_back(text.substr(w.byteOffset, w.byteLength));
    return out;
}

std::vector<std::string> timedTexts(std::string_view text, const WordTimeline& timeline) {
    std::vector<std::string> out;
    for (const auto& w : timeline.words()) out.emplace_back(text.substr(w.word.byteOffset, w.word.byteLength));
    return out;
}

}  // namespace

TEST_CASE("words are runs between whitespace, without the punctuation around them") {
    const std::string_view text = "  Wat is uw naam? „Ja” — (nee)…\tK7QPD-4M2XR\xC2\xA0" "e-mail.";
    CHECK(wordTexts(text, splitWords(text)) ==
          std::vector<std::string>{"Wat", "is", "uw", "naam", "Ja", "nee", "K7QPD-4M2XR", "e-mail"});
    CHECK(splitWords("").empty());
    CHECK(splitWords(" ... — ").empty());
}

TEST_CASE("character positions become byte offsets in UTF-8 text") {
    // eSpeak NG for "Zażółć gęślą jaźń": events at characters 1, 8, 14.
    const std::string_view text = "Zażółć gęślą jaźń";
    WordTimeline timeline(text);
    timeline.addEvent(1, 0);
    timeline.addEvent(8, 11000);
    timeline.addEvent(14, 23000);
    REQUIRE(timeline.words().size() == 3);
    CHECK(timedTexts(text, timeline) == std::vector<std::string>{"Zażółć", "gęślą", "jaźń"});
    CHECK(timeline.words()[1].word.byteOffset == 11);  // ż, ó, ł, ć take two bytes each
    CHECK(timeline.words()[1].startSample == 11000);
}

TEST_CASE("several events inside one number count once; stray events on separators are dropped") {
    // "1234 euro en 50 cent": eSpeak gives positions 1, 2, 2 (inside 1234), 6, 11, 14, 17.
    const std::string_view amount = "1234 euro en 50 cent";
    WordTimeline a(amount);
    for (const auto& [position, sample] : std::vector<std::pair<int, std::size_t>>{
             {1, 0}, {2, 8000}, {2, 23000}, {6, 38000}, {11, 47000}, {14, 50000}, {17, 60000}}) {
        a.addEvent(position, sample);
    }
    CHECK(timedTexts(amount, a) == std::vector<std::string>{"1234", "euro", "en", "50", "cent"});

    // "K, 7, Q": positions 1, 4, 3 (on the space, length 0), 7.
    const std::string_view spelled = "K, 7, Q";
    WordTimeline s(spelled);
    s.addEvent(1, 0);
    s.addEvent(4, 10000);
    s.addEvent(3, 24000);
    s.addEvent(7, 25000);
    CHECK(timedTexts(spelled, s) == std::vector<std::string>{"K", "7", "Q"});
}

TEST_CASE("an event on punctuation in front of a word belongs to that word") {
    const std::string_view text = "Kies (ja) of nee";
    WordTimeline timeline(text);
    timeline.addEvent(1, 0);
    timeline.addEvent(6, 100);  // the '('
    timeline.addEvent(11, 200);
    CHECK(timedTexts(text, timeline) == std::vector<std::string>{"Kies", "ja", "of"});
}

TEST_CASE("the word heard at a sample is the last one that started; nothing before the first") {
    const std::string_view text = "een twee drie";
    WordTimeline timeline(text);
    timeline.addEvent(1, 100);
    timeline.addEvent(5, 1000);
    timeline.addEvent(10, 2000);
    CHECK_FALSE(timeline.wordAt(99).has_value());
    CHECK(timeline.wordAt(100) == WordSpan{0, 3});
    CHECK(timeline.wordAt(999) == WordSpan{0, 3});
    CHECK(timeline.wordAt(1000) == WordSpan{4, 4});
    CHECK(timeline.wordAt(50000) == WordSpan{9, 4});
    CHECK(timeline.nextStartAfter(0) == 100);
    CHECK(timeline.nextStartAfter(100) == 1000);
    CHECK_FALSE(timeline.nextStartAfter(2000).has_value());
}

TEST_CASE("positions beyond the text and before its start are ignored") {
    WordTimeline timeline("ja");
    timeline.addEvent(0, 0);
    timeline.addEvent(40, 0);
    CHECK(timeline.words().empty());
}
