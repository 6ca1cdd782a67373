// A Speaker that speaks nothing and remembers everything: what each screen says, in order,
// with its language, exactly as given. Screen-model tests compare transcript() with a
// golden file, so a change in phrasing shows up as a diff.
//
// It also plays "speaking" as far as a screen model can see: isSpeaking() is true from
// say()/queue() until stop() or finishSpeaking(), and a test may set the word being heard.
#pragma once

#include "speech/speaker.hpp"

#include <string>
#include <vector>

namespace kiosk::speech {

class RecordingSpeaker final : public Speaker {
public:
    struct Call {
        enum class Kind { Say, Queue, Stop, Pause, Resume, SetRate, SetVolume, ResetToDefaults };
        Kind kind = Kind::Say;
        std::string text;      // say, queue
        std::string language;  // say, queue
        int step = 0;          // setRate, setVolume (after clamping)
        UtteranceId id = 0;    // say, queue
        friend bool operator==(const Call&, const Call&) = default;
    };

    UtteranceId say(std::string_view text, std::string_view language) override;
    UtteranceId queue(std::string_view text, std::string_view language) override;
    void stop() override;
    void pause() override;
    void resume() override;
    [[nodiscard]] bool isPaused() const override { return m_paused; }
    void setRate(int step) override;
    [[nodiscard]] int rate() const override { return m_rate; }
    void setVolume(int step) override;
    [[nodiscard]] int volume() const override { return m_volume; }
    void resetToDefaults() override;
    [[nodiscard]] bool isSpeaking() const override { return m_speaking; }
    [[nodiscard]] std::optional<WordPosition> currentWord() const override { return m_word; }
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextChangeIn() const override {
        return std::nullopt;  // nothing changes by itself: a test moves it
    }
    [[nodiscard]] std::optional<SpeechFailure> lastError() const override { return std::nullopt; }

    // Every call, in order.
    [[nodiscard]] const std::vector<Call>& calls() const { return m_calls; }
    // The calls as golden-file lines:
    //   say nl: Wat is uw naam?
    //   queue nl: Typ uw voornaam.
    //   stop
    //   rate 4 / volume 2 / pause / resume / reset
    [[nodiscard]] std::vector<std::string> transcript() const;
    // Only the texts said or queued, in order (no languages, no stops).
    [[nodiscard]] std::vector<std::string> texts() const;
    void clear() { m_calls.clear(); }

    // -- for tests: play the part of the audio --
    void finishSpeaking();
    void setCurrentWord(std::optional<WordPosition> word) { m_word = word; }

private:
    std::vector<Call> m_calls;
    UtteranceId m_nextId = 1;
    int m_rate = kDefaultRateStep;
    int m_volume = kDefaultVolumeStep;
    bool m_paused = false;
    bool m_speaking = false;
    std::optional<WordPosition> m_word;
};

}  // namespace kiosk::speech
