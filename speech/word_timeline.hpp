// Which word of a text is heard when: eSpeak NG's word events turned into byte ranges of
// the text and start times in samples. Pure C++; used by EspeakSpeaker, tested on its own.
//
// eSpeak NG reports a word event with the word's position in CHARACTERS (1-based, counting
// UTF-8 code points of the text it was given) and the time in the audio. Its events are
// not one per word: a number gives several events inside it ("1234" -> 3 events at
// positions 1, 2, 2), letters separated by commas give stray events on the separators
// (position of the space, length 0), and a word of punctuation alone ("—") gives none.
// So each event is snapped to the word of the text that contains its position, events
// that fall outside any word or do not move forward are dropped, and a word without an
// event is simply passed over (the previous word stays highlighted).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::speech {

// A word: a run of text between whitespace (ASCII, NBSP), without punctuation around it
// ("naam?" -> "naam", "„Ja”" -> "Ja"). A run of punctuation alone is no word.
struct WordSpan {
    std::size_t byteOffset = 0;
    std::size_t byteLength = 0;
    friend bool operator==(const WordSpan&, const WordSpan&) = default;
};

// Every word of `text`, in order.
[[nodiscard]] std::vector<WordSpan> splitWords(std::string_view text);

class WordTimeline {
public:
    struct TimedWord {
        std::size_t startSample = 0;  // from the start of the utterance's audio
        WordSpan word;
        friend bool operator==(const TimedWord&, const TimedWord&) = default;
    };

    WordTimeline() = default;
    explicit WordTimeline(std::string_view text);
    // The text can read an answer back: wiped when the timeline goes (docs/privacy.md).
    ~WordTimeline();
    WordTimeline(const WordTimeline&) = default;
    WordTimeline(WordTimeline&&) noexcept = default;
    WordTimeline& operator=(const WordTimeline&) = default;
    WordTimeline& operator=(WordTimeline&& other) noexcept;

    // One eSpeak word event: `textPosition` as eSpeak gives it (1-based characters) and
    // the event's start in samples. Events must come in the order eSpeak makes them.
    void addEvent(int textPosition, std::size_t startSample);

    [[nodiscard]] const std::vector<TimedWord>& words() const { return m_timed; }
    // The word heard at `sample` (from the utterance's start): the last word that started
    // at or before it. Nullopt before the first word.
    [[nodiscard]] std::optional<WordSpan> wordAt(std::size_t sample) const;
    // The first word start strictly after `sample`, if one is known.
    [[nodiscard]] std::optional<std::size_t> nextStartAfter(std::size_t sample) const;

private:
    std::string m_text;
    std::vector<WordSpan> m_words;
    std::vector<std::size_t> m_charToByte;  // code point index (0-based) -> byte offset
    std::vector<TimedWord> m_timed;
    std::size_t m_nextWord = 0;  // words before this index are passed
};

}  // namespace kiosk::speech
