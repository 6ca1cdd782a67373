// The kiosk's voice: the Speaker interface, its rate and volume steps, and its errors.
//
// For citizens who cannot read, speech is the interface. The screens never talk to eSpeak
// or SDL: they call a Speaker (EspeakSpeaker on a kiosk, RecordingSpeaker in tests,
// SilentSpeaker where there is no sound, SpeechLog around any of them for --speech-log).
//
// [SECTION] Utterances and words
// [SECTION] Rate and volume steps
// [SECTION] Errors
// [SECTION] The interface
//
// Thread: every Speaker is driven from ONE thread, the UI thread. No call blocks: say(),
// queue() and stop() return in microseconds, currentWord() and isSpeaking() are cheap
// enough to call every frame. Implementations that do work elsewhere (EspeakSpeaker's
// owner thread) hide that behind this contract.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::speech {

// [SECTION] Utterances and words -------------------------------------------------------------

// Names one say()/queue() call. Ids start at 1 and grow; 0 never names an utterance.
using UtteranceId = std::uint64_t;

// The word being heard now: a byte range of the exact text given to say()/queue().
// The range covers one whitespace-separated word without surrounding punctuation
// ("naam" in "Wat is uw naam?"), so the UI can underline it in the text it shows.
struct WordPosition {
    UtteranceId utterance = 0;
    std::size_t byteOffset = 0;
    std::size_t byteLength = 0;
    friend bool operator==(const WordPosition&, const WordPosition&) = default;
};

// [SECTION] Rate and volume steps ----------------------------------------------------------

// Speaking rate steps: 7 steps of 0.25x from half to double speed, the same steps as the
// controller's Settings::speechRate (kiosk/core/controller.hpp), so its step index passes
// straight to setRate(). eSpeak NG's rate is nominally in words per minute (80..450,
// default 175 = 1x); the figures below are what EspeakSpeaker passes to it. Measured
// durations follow the factor to within a few percent (bench_speech, tests).
struct RateStep {
    double factor;       // relative to the default rate
    int wordsPerMinute;  // eSpeak NG's espeakRATE
};
inline constexpr std::array<RateStep, 7> kRateSteps{{
    {0.50, 88},
    {0.75, 131},
    {1.00, 175},
    {1.25, 219},
    {1.50, 263},
    {1.75, 306},
    {2.00, 350},
}};
inline constexpr int kDefaultRateStep = 2;  // 1x, 175 wpm

// Volume steps: 7 steps of 3 dB, an 18 dB range. 0 dB is eSpeak NG's full volume; the
// operator sets the system mixer so that the default step (-6 dB) is comfortable in the
// room, which leaves the citizen 6 dB louder and 12 dB softer. Applied by scaling samples,
// so each step is exactly 3 dB and nothing clips (no step amplifies).
inline constexpr std::array<int, 7> kVolumeStepsDb{-18, -15, -12, -9, -6, -3, 0};
inline constexpr int kDefaultVolumeStep = 4;  // -6 dB

// A step clamped into range: the "+" button on the highest step just stays there.
[[nodiscard]] constexpr int clampRateStep(int step) {
    return step < 0 ? 0 : step >= static_cast<int>(kRateSteps.size()) ? static_cast<int>(kRateSteps.size()) - 1 : step;
}
[[nodiscard]] constexpr int clampVolumeStep(int step) {
    return step < 0 ? 0
           : step >= static_cast<int>(kVolumeStepsDb.size()) ? static_cast<int>(kVolumeStepsDb.size()) - 1
                                                             : step;
}

// [SECTION] Errors ---------------------------------------------------------------------------

// What can go wrong with speech. None of these crash or throw: a speaker that cannot speak
// falls back (another voice) or goes quiet (no device), and says why through lastError().
enum class SpeechError {
    EngineInitFailed,   // eSpeak NG did not initialise (data files missing?)
    EngineInUse,        // another EspeakSpeaker is alive in this process (eSpeak is global)
    VoiceMissing,       // no voice for the language: the fallback voice was used
    AudioUnavailable,   // no SDL audio device could be opened: nothing is heard
    AudioLost,          // the audio device went away while speaking
    SynthesisFailed,    // eSpeak NG refused the text
    NotReady,           // initialisation did not finish within the time asked for
    LogWriteFailed,     // SpeechLog could not open or write its file
};

// A short English description for logs (never shown to citizens).
[[nodiscard]] std::string_view speechErrorMessage(SpeechError error);

// An error with its detail: a language code, a device name or a library's message. Never
// the spoken text (it can hold personal data, which never reaches a log).
struct SpeechFailure {
    SpeechError error = SpeechError::SynthesisFailed;
    std::string detail;
};

// [SECTION] The interface --------------------------------------------------------------------

class Speaker {
public:
    virtual ~Speaker() = default;

    // Stops whatever is being said or waiting, then says `text` in `language` ("nl", "en",
    // "tr", "pl", "ar", "uk"). Plain UTF-8 text, no markup. Returns the utterance's id.
    virtual UtteranceId say(std::string_view text, std::string_view language) = 0;
    // Says `text` after everything said or queued before.
    virtual UtteranceId queue(std::string_view text, std::string_view language) = 0;
    // Silence now: queued audio is dropped before this returns (at most one audio device
    // buffer, about 12 ms, is still heard) and nothing queued before is said afterwards.
    // EN 301 549 5.1.3.5.
    virtual void stop() = 0;
    // Holds the audio where it is; resume() goes on from there. Speech asked for while
    // paused waits too. stop() and say() keep the pause.
    virtual void pause() = 0;
    virtual void resume() = 0;
    [[nodiscard]] virtual bool isPaused() const = 0;

    // Index into kRateSteps / kVolumeStepsDb, clamped. Applies from the next say()/queue()
    // (audio already made keeps its rate and level; the settings screen says a sample
    // sentence after each change anyway).
    virtual void setRate(int step) = 0;
    [[nodiscard]] virtual int rate() const = 0;
    virtual void setVolume(int step) = 0;
    [[nodiscard]] virtual int volume() const = 0;
    // Rate and volume back to their defaults and the pause lifted: for the next citizen.
    // Does not stop speech (call stop() for that).
    virtual void resetToDefaults() = 0;

    // True from say()/queue() until the last queued audio has been played (or stop()).
    // Stays true while paused.
    [[nodiscard]] virtual bool isSpeaking() const = 0;
    // The word the citizen hears now, in step with the audio actually consumed by the
    // device; nullopt in silence (before the first word, between utterances, when idle).
    [[nodiscard]] virtual std::optional<WordPosition> currentWord() const = 0;
    // When currentWord() or isSpeaking() will change next, from now, assuming playback
    // goes on: the UI waits for events at most this long (SDL_WaitEventTimeout) instead of
    // spinning. nullopt when nothing will change by itself (idle or paused).
    [[nodiscard]] virtual std::optional<std::chrono::milliseconds> nextChangeIn() const = 0;
    // The latest thing that went wrong (a missing voice, no device), or nullopt.
    [[nodiscard]] virtual std::optional<SpeechFailure> lastError() const = 0;
};

}  // namespace kiosk::speech
