#include "speech/word_timeline.hpp"

#include "forms/wipe.hpp"

#include <algorithm>
#include <array>

namespace kiosk::speech {
namespace {

// Separators between words: ASCII whitespace and the no-break space (U+00A0), which eSpeak
// also reads as a pause between words. Returns the separator's length in bytes, or 0.
std::size_t separatorAt(std::string_view text, std::size_t at) {
    const char c = text[at];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (text.substr(at, 2) == "\xC2\xA0") return 2;
    return 0;
}

// Punctuation stripped from both ends of a word. Multi-byte entries are the dashes,
// quotes, guillemets and ellipsis that Dutch, Polish and Turkish texts use.
constexpr std::array<std::string_view, 16> kPunctuation{
    "\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\xA6", "\xE2\x80\x9E", "\xE2\x80\x9C", "\xE2\x80\x9D",
    "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB",     "\xC2\xBB",     "\xC2\xBF",     "\xC2\xA1",
    "\xE2\x80\x9A", "\xE2\x80\xB9", "\xE2\x80\xBA", "\xE2\x80\x90",
};

bool asciiPunctuation(char c) {
    return std::string_view(".,;:!?\"'()[]{}<>/\\-*_`~").find(c) != std::string_view::npos;
}

// Length of the punctuation mark that starts at `word`'s front (or 0).
std::size_t punctuationAtFront(std::string_view word) {
    if (!word.empty() && asciiPunctuation(word.front())) return 1;
    for (const auto mark : kPunctuation) {
        if (word.starts_with(mark)) return mark.size();
    }
    return 0;
}

std::size_t punctuationAtBack(std::string_view word) {
    if (!word.empty() && asciiPunctuation(word.back())) return 1;
    for (const auto mark : kPunctuation) {
        if (word.ends_with(mark)) return mark.size();
    }
    return 0;
}

}  // namespace

std::vector<WordSpan> splitWords(std::string_view text) {
    std::vector<WordSpan> words;
    std::size_t at = 0;
    while (at < text.size()) {
        if (const auto sep = separatorAt(text, at); sep != 0) {
            at += sep;
            continue;
        }
        std::size_t end = at;
        while (end < text.size() && separatorAt(text, end) == 0) ++end;
        std::size_t begin = at;
        at = end;
        while (begin < end) {
            const auto n = punctuationAtFront(text.substr(begin, end - begin));
            if (n == 0) break;
            begin += n;
        }
        while (begin < end) {
            const auto n = punctuationAtBack(text.substr(begin, end - begin));
            if (n == 0) break;
            end -= n;
        }
        if (begin < end) words.push_back({begin, end - begin});
    }
    return words;
}

WordTimeline::~WordTimeline() { kiosk::wipe(m_text); }

WordTimeline& WordTimeline::operator=(WordTimeline&& other) noexcept {
    if (this != &other) {
        kiosk::wipe(m_text);  // the text this timeline had is overwritten, not just dropped
        m_text = std::move(other.m_text);
        m_words = std::move(other.m_words);
        m_charToByte = std::move(other.m_charToByte);
        m_timed = std::move(other.m_timed);
        m_nextWord = other.m_nextWord;
    }
    return *this;
}

WordTimeline::WordTimeline(std::string_view text) : m_text(text), m_words(splitWords(text)) {
    // eSpeak counts characters by their lead bytes; a continuation byte (10xxxxxx) belongs
    // to the character before it. Invalid UTF-8 then counts one character per stray byte,
    // which keeps the mapping monotonic instead of failing.
    m_charToByte.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) m_charToByte.push_back(i);
    }
    m_charToByte.push_back(text.size());
}

void WordTimeline::addEvent(int textPosition, std::size_t startSample) {
    if (textPosition < 1) return;
    const auto character = static_cast<std::size_t>(textPosition - 1);
    if (character >= m_charToByte.size()) return;
    const std::size_t byte = m_charToByte[character];
    // The first word that ends after the event's byte; the event belongs to it when the
    // byte lies inside it (not in the whitespace or punctuation before it).
    const auto found = std::ranges::find_if(m_words.begin() + static_cast<std::ptrdiff_t>(m_nextWord),
                                            m_words.end(), [byte](const WordSpan& w) {
                                                return byte < w.byteOffset + w.byteLength;
                                            });
    if (found == m_words.end()) return;
    // Punctuation in front of a word ("(ja)" has its event on '(') still means that word;
    // an event on whitespace, or on punctuation standing alone, means none.
    if (byte < found->byteOffset) {
        const std::string_view gap = std::string_view(m_text).substr(byte, found->byteOffset - byte);
        if (gap.find_first_of(" \t\n\r\f\v") != std::string_view::npos ||
            gap.find("\xC2\xA0") != std::string_view::npos) {
            return;
        }
    }
    const auto index = static_cast<std::size_t>(found - m_words.begin());
    if (!m_timed.empty() && startSample < m_timed.back().startSample) startSample = m_timed.back().startSample;
    m_timed.push_back({startSample, *found});
    m_nextWord = index + 1;
}

std::optional<WordSpan> WordTimeline::wordAt(std::size_t sample) const {
    const auto after = std::ranges::upper_bound(m_timed, sample, {}, &TimedWord::startSample);
    if (after == m_timed.begin()) return std::nullopt;
    return std::prev(after)->word;
}

std::optional<std::size_t> WordTimeline::nextStartAfter(std::size_t sample) const {
    const auto after = std::ranges::upper_bound(m_timed, sample, {}, &TimedWord::startSample);
    if (after == m_timed.end()) return std::nullopt;
    return after->startSample;
}

}  // namespace kiosk::speech
