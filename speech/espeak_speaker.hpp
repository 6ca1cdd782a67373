// The real voice: eSpeak NG speaking into an SDL audio device.
//
// [SECTION] Threads
//   eSpeak NG keeps its state in globals, so exactly one thread, the speaker's owner thread,
//   ever calls it. The constructor starts that thread and returns at once; the thread then
//   initialises SDL audio and eSpeak (together about 20 ms) while the kiosk draws its first
//   frame. What is said before it is ready waits and is spoken when it is.
//   The UI thread calls the Speaker methods. say()/queue() hand the text to the owner
//   thread; stop() clears SDL's audio queue itself, on the calling thread, under the same
//   lock that the owner thread takes to queue audio, so no stale audio can slip in after
//   it (every utterance carries a generation number; a stale one aborts its synthesis).
//   SDL's own audio thread plays the queue.
//   Only one EspeakSpeaker may be alive in a process (eSpeak is global); a second reports
//   SpeechError::EngineInUse and stays silent.
//
// [SECTION] SDL
//   The owner thread calls SDL_InitSubSystem(SDL_INIT_AUDIO) and opens a device for 22050 Hz
//   mono S16 (eSpeak's format; SDL converts for the hardware) with a 256-sample buffer
//   (11.6 ms, the most that is still heard after stop()). While the device is open SDL's audio
//   thread wakes every buffer (86 times a second), feeding silence even when paused, so the
//   owner thread closes the device after Options::closeAfterSilence with nothing queued or
//   being said, and opens it again when the next words come: on another short-lived thread,
//   while eSpeak makes the first chunk, so the first word is hardly later (docs/performance.md).
//   Create the speaker after the UI's
//   SDL_Init and destroy it before SDL_Quit; do not init or quit other SDL subsystems while
//   it starts. Without a sound card use SDL_AUDIODRIVER=dummy (or disk).
//
// [SECTION] Word timing
//   eSpeak's word events (character position, time in the audio) are kept per utterance
//   (WordTimeline). The device's progress is the number of samples queued minus
//   SDL_GetQueuedAudioSize(); currentWord() is the word whose start lies at or before that
//   point. So the highlight follows what the device has actually taken, pauses with it, and
//   runs at most one device buffer (11.6 ms) ahead of the loudspeaker. The count of samples
//   queued runs on across a close and a reopen (the device is closed only when its queue is
//   empty, and a new device's queue starts empty), so positions stay in step.
#pragma once

#include "speech/speaker.hpp"
#include "speech/word_timeline.hpp"

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::speech {

class EspeakSpeaker final : public Speaker {
public:
    struct Options {
        // SDL output device name (SDL_GetAudioDeviceName); empty: the system default.
        std::string deviceName;
        // Used when a language has no voice. eSpeak's own default voice, always installed.
        std::string fallbackLanguage = "en";
        // Loaded while starting, so that the first say() needn't wait for its dictionary.
        std::string preloadLanguage = "nl";
        // Open no audio device at all: render()/phonemes() only (benchmarks, tools).
        bool withoutAudio = false;
        // Close the audio device after this long with nothing queued or being said (zero
        // CPU when idle); opened again for the next words. Zero or less: never close.
        std::chrono::milliseconds closeAfterSilence{2500};
        // Start the engine (its thread, eSpeak's data, the audio device) only when start()
        // is called, not in the constructor: the kiosk starts it after its first frame, so
        // that eSpeak does not compete for the CPU with the window opening. What is said
        // before is kept and spoken then.
        bool deferStart = false;
    };

    // The audio and events of one text, made without playing it (tests, benchmarks).
    struct Rendering {
        std::vector<std::int16_t> samples;  // mono S16 at sampleRate, volume applied
        int sampleRate = 22050;
        std::vector<WordTimeline::TimedWord> words;  // byte ranges of the text, start samples
        std::string voice;                  // the eSpeak voice that spoke it
        std::chrono::microseconds synthesisTime{0};
        std::optional<SpeechFailure> problem;  // e.g. VoiceMissing (fallback used)
    };

    // What happened to one utterance, for benchmarks and logs (no text).
    struct UtteranceTimes {
        std::chrono::steady_clock::time_point requested;
        std::optional<std::chrono::steady_clock::time_point> firstAudioQueued;
        std::optional<std::chrono::steady_clock::time_point> synthesisDone;
        std::size_t samples = 0;   // queued to the device
        // Samples the device plays before this utterance's first audible one: what was
        // queued ahead of it plus its own quiet start (after the trim, see say()).
        std::optional<std::size_t> quietAhead;
        // The quiet start eSpeak made that was not queued, in samples.
        std::size_t trimmedSamples = 0;
    };

    // A consistent view of playback (tests): the utterance being played, how far the device
    // is into it (in samples as eSpeak made them, so the quiet start not queued counts as
    // played), and the word at that point.
    struct PlaybackSnapshot {
        UtteranceId utterance = 0;
        std::size_t playedSamples = 0;
        std::optional<WordPosition> word;
    };

    EspeakSpeaker();
    explicit EspeakSpeaker(Options options);
    // Starts the engine (Options::deferStart); once, and nothing when already started.
    // Thread: the one that owns the speaker.
    void start();
    ~EspeakSpeaker() override;
    EspeakSpeaker(const EspeakSpeaker&) = delete;
    EspeakSpeaker& operator=(const EspeakSpeaker&) = delete;

    // Said into silence, eSpeak's quiet start (10-50 ms) is not queued but for a 10 ms
    // lead-in, so the first word is heard at once; after other words it is kept (the pause).
    UtteranceId say(std::string_view text, std::string_view language) override;
    UtteranceId queue(std::string_view text, std::string_view language) override;
    void stop() override;
    void pause() override;
    void resume() override;
    [[nodiscard]] bool isPaused() const override;
    void setRate(int step) override;
    [[nodiscard]] int rate() const override;
    void setVolume(int step) override;
    [[nodiscard]] int volume() const override;
    void resetToDefaults() override;
    [[nodiscard]] bool isSpeaking() const override;
    [[nodiscard]] std::optional<WordPosition> currentWord() const override;
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextChangeIn() const override;
    [[nodiscard]] std::optional<SpeechFailure> lastError() const override;

    // -- start-up --
    // Blocks until initialisation finished (or `timeout`): success, or why the speaker
    // cannot speak. For main()'s log line and for tests; never needed before say().
    [[nodiscard]] std::expected<void, SpeechFailure> waitUntilReady(
        std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
    // Languages with an installed voice among nl, en, tr, pl, ar, uk (after ready).
    [[nodiscard]] std::vector<std::string> availableLanguages() const;

    // -- off the UI thread: tests, benchmarks, tools (these block) --
    // Synthesises `text` with the current rate and volume, without playing it.
    [[nodiscard]] std::expected<Rendering, SpeechFailure> render(std::string_view text,
                                                                 std::string_view language);
    // eSpeak's phoneme transcription of `text` (espeak_TextToPhonemes, its own mnemonics),
    // to check in tests how a spelled form is pronounced.
    [[nodiscard]] std::expected<std::string, SpeechFailure> phonemes(std::string_view text,
                                                                     std::string_view language);

    // -- diagnostics --
    // Bytes waiting in SDL's queue for the device (0 right after stop()).
    [[nodiscard]] std::size_t queuedAudioBytes() const;
    // Whether the audio device is open now (closed after Options::closeAfterSilence).
    [[nodiscard]] bool deviceOpen() const;
    // How often the device was opened since the speaker started (1 after start-up).
    [[nodiscard]] int deviceOpenings() const;
    [[nodiscard]] std::optional<UtteranceTimes> times(UtteranceId id) const;
    [[nodiscard]] PlaybackSnapshot snapshot() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The eSpeak voice name for a language code ("nl" -> "nl"); the code itself when unknown.
[[nodiscard]] std::string espeakVoiceFor(std::string_view language);

}  // namespace kiosk::speech
