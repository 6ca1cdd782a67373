// [SECTION] Shared state and commands
// [SECTION] The owner thread: start-up, commands, synthesis
// [SECTION] The synth callback
// [SECTION] Playback position (UI thread)
// [SECTION] The Speaker methods
#include "speech/espeak_speaker.hpp"
#include "speech/trace.hpp"

#include "forms/wipe.hpp"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <variant>

namespace kiosk::speech {

namespace {

constexpr int kSampleRate = 22050;        // eSpeak NG's rate for its own voices
constexpr Uint16 kDeviceSamples = 256;    // 11.6 ms: what is still heard after stop()
constexpr int kSynthBufferMs = 50;        // eSpeak hands over audio in chunks this long
constexpr std::size_t kTimesKept = 64;    // UtteranceTimes remembered for diagnostics
constexpr auto kPollWhileWaiting = std::chrono::milliseconds(10);
// eSpeak starts an utterance with 10-50 ms of silence. Said into silence, that much less is
// queued: the words start at once, after this short lead-in (no clipped soft onset).
constexpr std::size_t kLeadInSamples = kSampleRate / 100;   // 10 ms
constexpr std::int16_t kAudibleLevel = 64;   // -54 dBFS: below it a sample is "quiet"

bool audible(std::int16_t v) { return v > kAudibleLevel || v < -kAudibleLevel; }

// eSpeak NG keeps its state in globals, so only one speaker at a time may drive it. This
// flag is that rule, not session state: it is taken by the owner thread while it runs.
std::atomic<bool> g_engineTaken{false};

// eSpeak NG is initialised once per process and never terminated: espeak_Terminate() in
// 1.51 can hang forever joining its internal event thread (espeak-ng issue #572, a race in
// the termination test), which would hang the kiosk's exit or a test. Its memory stays
// reachable until the process ends. Guarded by g_engineTaken (only the owner touches it).
bool g_engineInitialised = false;
espeak_ng_STATUS g_engineStatus = ENS_OK;

std::size_t msToSamples(int ms) {
    return ms <= 0 ? 0 : static_cast<std::size_t>(ms) * kSampleRate / 1000;
}

std::string primaryTag(std::string_view language) {
    std::string tag(language.substr(0, language.find_first_of("-_")));
    std::ranges::transform(tag, tag.begin(), [](char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return tag;
}

std::string statusMessage(espeak_ng_STATUS status) {
    char buffer[256] = {};
    espeak_ng_GetStatusCodeMessage(status, buffer, sizeof buffer);
    return buffer;
}

}  // namespace

std::string_view speechErrorMessage(SpeechError error) {
    switch (error) {
    case SpeechError::EngineInitFailed: return "eSpeak NG could not be initialised";
    case SpeechError::EngineInUse: return "another EspeakSpeaker is using eSpeak NG";
    case SpeechError::VoiceMissing: return "no voice for the language; the fallback voice speaks";
    case SpeechError::AudioUnavailable: return "no audio device could be opened";
    case SpeechError::AudioLost: return "the audio device went away";
    case SpeechError::SynthesisFailed: return "eSpeak NG could not synthesise the text";
    case SpeechError::NotReady: return "speech is not ready yet";
    case SpeechError::LogWriteFailed: return "the speech log could not be written";
    }
    return "unknown speech error";
}

std::string espeakVoiceFor(std::string_view language) {
    // eSpeak NG 1.51 names its voices by language code; listed here are the kiosk's
    // languages, so that a rename in a later eSpeak is one line.
    static constexpr std::pair<std::string_view, std::string_view> kVoices[] = {
        {"nl", "nl"}, {"en", "en"}, {"tr", "tr"}, {"pl", "pl"}, {"ar", "ar"}, {"uk", "uk"},
    };
    const auto tag = primaryTag(language);
    for (const auto& [code, voice] : kVoices) {
        if (code == tag) return std::string(voice);
    }
    return tag;
}

// [SECTION] Shared state and commands ----------------------------------------------------------

struct EspeakSpeaker::Impl {
    struct Speak {
        UtteranceId id = 0;
        std::uint64_t generation = 0;
        std::string text;
        std::string language;
        int wordsPerMinute = 175;
        int gainDb = 0;
    };
    struct Render {
        std::string text;
        std::string language;
        int wordsPerMinute = 175;
        int gainDb = 0;
        std::promise<std::expected<Rendering, SpeechFailure>> result;
    };
    struct Phonemes {
        std::string text;
        std::string language;
        std::promise<std::expected<std::string, SpeechFailure>> result;
    };
    using Command = std::variant<Speak, Render, Phonemes>;

    // An utterance whose audio is (being) queued to the device.
    struct Playing {
        UtteranceId id = 0;
        WordTimeline timeline;
        bool hasAudio = false;
        std::size_t startSample = 0;  // in the device stream (see m_streamQueued)
        std::size_t samples = 0;      // queued
        // Quiet start not queued (the lead trim): the timeline counts samples as eSpeak
        // made them, so a position in it is consumed - startSample + skipped.
        std::size_t skipped = 0;
        bool synthesisDone = false;
    };

    // What the synth callback works on; passed to eSpeak as user_data.
    struct Job {
        Impl* impl = nullptr;
        std::uint64_t generation = 0;  // Speak: stale when stop() moved on
        UtteranceId id = 0;            // Speak
        Rendering* rendering = nullptr;  // Render
        WordTimeline timeline;          // Render
        double gain = 1.0;
        std::vector<std::int16_t> scaled;
        bool heard = false;  // the first audible sample was queued (times, KIOSK_TRACE)
        std::vector<std::int16_t> quietTail;  // the end of all-quiet first chunks: the lead-in
    };

    enum class State { Starting, Ready, Failed };

    explicit Impl(Options o) : options(std::move(o)) {}

    Options options;

    // Everything below is guarded by `mutex`.
    mutable std::mutex mutex;
    std::condition_variable wake;          // the owner thread waits for commands
    mutable std::condition_variable ready;  // waitUntilReady()
    State state = State::Starting;
    std::optional<SpeechFailure> startFailure;
    std::optional<SpeechFailure> lastError;
    std::deque<Command> commands;
    bool quit = false;
    std::uint64_t generation = 1;
    UtteranceId nextId = 1;
    int rateStep = kDefaultRateStep;
    int volumeStep = kDefaultVolumeStep;
    bool paused = false;
    std::vector<std::string> languages;

    SDL_AudioDeviceID device = 0;    // 0: none (yet), or closed while silent
    bool audioAvailable = false;     // a device was opened at start: speech can be heard
    int openings = 0;                // devices opened so far (diagnostics, tests)
    bool sdlAudioInitialised = false;
    std::size_t streamQueued = 0;    // samples queued since the device's queue was last cleared
    std::deque<Playing> playing;
    bool synthesising = false;
    std::uint64_t synthesisGeneration = 0;
    std::map<UtteranceId, UtteranceTimes> times;

    std::atomic<bool> quitting{false};  // read by the synth callback without the lock
    bool ownsEngine = false;            // owner thread only
    std::string currentVoiceLanguage;   // owner thread only
    // A device being opened on a helper thread while eSpeak makes the first chunk (owner
    // thread only; the synth callback waits for it before queuing the first audio).
    std::future<SDL_AudioDeviceID> opening;
    std::thread thread;

    // -- owner thread --
    void run();
    void start();
    void shutdown();
    void execute(Speak& speak);
    void execute(Render& render);
    void execute(Phonemes& phonemes);
    // SDL_OpenAudioDevice with the speaker's format; 0 and `failure` set when it fails.
    SDL_AudioDeviceID openDevice(std::optional<SpeechFailure>& failure) const;
    // Starts opening the device on a helper thread (lock held; device closed).
    void beginOpeningLocked();
    // Waits for that opening and takes its device (lock held; unlocked while waiting).
    void finishOpening(std::unique_lock<std::mutex>& lock);
    // Closes the device after a silence (lock held; unlocked while SDL closes it).
    void closeDevice(std::unique_lock<std::mutex>& lock);
    // Selects the voice for `language`; on failure the fallback voice, reported in `problem`.
    std::string selectVoice(const std::string& language, std::optional<SpeechFailure>& problem);
    static int synthCallback(short* wav, int numSamples, espeak_EVENT* events);

    // -- any thread, with `mutex` held --
    [[nodiscard]] std::size_t queuedSamplesLocked() const {
        return device == 0 ? 0 : SDL_GetQueuedAudioSize(device) / sizeof(std::int16_t);
    }
    [[nodiscard]] std::size_t consumedLocked() const {
        const auto queued = queuedSamplesLocked();
        return streamQueued > queued ? streamQueued - queued : 0;
    }
    [[nodiscard]] bool speakingLocked() const;
    void stopLocked();
    UtteranceId enqueueLocked(std::string_view text, std::string_view language);
    void pruneLocked(std::size_t consumed);
    void failPendingLocked(const SpeechFailure& failure);
};

// [SECTION] The owner thread: start-up, commands, synthesis ----------------------------------

void EspeakSpeaker::Impl::run() {
    start();
    std::unique_lock lock(mutex);
    const auto hasWork = [&] { return quit || (!commands.empty() && state != State::Starting); };
    // Since when the open device has had nothing queued and nothing to say.
    std::optional<std::chrono::steady_clock::time_point> silentSince;
    while (true) {
        if (!hasWork()) {
            const auto closeAfter = options.closeAfterSilence;
            if (device == 0 || closeAfter <= std::chrono::milliseconds::zero()) {
                wake.wait(lock, hasWork);
            } else if (const auto queued = queuedSamplesLocked(); queued > 0) {
                // Playing (or paused with audio waiting): look again when it should be done.
                silentSince.reset();
                if (paused) {
                    wake.wait(lock, [&] { return hasWork() || !paused; });
                } else {
                    wake.wait_for(lock, std::chrono::milliseconds(queued * 1000 / kSampleRate + 20), hasWork);
                }
            } else {
                const auto now = std::chrono::steady_clock::now();
                if (!silentSince) silentSince = now;
                if (now - *silentSince >= closeAfter) {
                    closeDevice(lock);
                    silentSince.reset();
                } else {
                    wake.wait_until(lock, *silentSince + closeAfter, hasWork);
                }
            }
            continue;
        }
        silentSince.reset();
        if (quit) break;
        Command command = std::move(commands.front());
        commands.pop_front();
        if (auto* speak = std::get_if<Speak>(&command)) {
            if (speak->generation != generation || state == State::Failed || !audioAvailable) {
                kiosk::wipe(speak->text);  // it can read an answer back (docs/privacy.md)
                continue;
            }
            // Closed after a silence: opened again while eSpeak makes the first chunk.
            if (device == 0 && !opening.valid()) beginOpeningLocked();
            synthesising = true;
            synthesisGeneration = speak->generation;
            Playing entry;
            entry.id = speak->id;
            entry.timeline = WordTimeline(speak->text);
            playing.push_back(std::move(entry));
        }
        lock.unlock();
        std::visit([this](auto& c) { execute(c); }, command);
        // Said (or rendered): the text is no longer needed.
        std::visit([](auto& c) { kiosk::wipe(c.text); }, command);
        lock.lock();
        if (opening.valid()) finishOpening(lock);  // no audio came (nothing to say)
        synthesising = false;
    }
    if (opening.valid()) finishOpening(lock);
    failPendingLocked({SpeechError::NotReady, "the speaker is shutting down"});
    lock.unlock();
    shutdown();
}

void EspeakSpeaker::Impl::start() {
    std::optional<SpeechFailure> failure;
    std::vector<std::string> found;
    if (g_engineTaken.exchange(true)) {
        failure = SpeechFailure{SpeechError::EngineInUse, {}};
    } else {
        ownsEngine = true;
        if (!g_engineInitialised) {
            g_engineInitialised = true;
            espeak_ng_InitializePath(nullptr);
            espeak_ng_ERROR_CONTEXT context = nullptr;
            g_engineStatus = espeak_ng_Initialize(&context);
            espeak_ng_ClearErrorContext(&context);
            if (g_engineStatus == ENS_OK) {
                g_engineStatus = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kSynthBufferMs, nullptr);
            }
        }
        if (g_engineStatus != ENS_OK) {
            failure = SpeechFailure{SpeechError::EngineInitFailed, statusMessage(g_engineStatus)};
        } else {
            espeak_SetSynthCallback(&Impl::synthCallback);
            // Which of the kiosk's languages have a voice: espeak_ListVoices reads the voice
            // files' headers only (a few ms), loading no dictionary.
            for (const espeak_VOICE** voice = espeak_ListVoices(nullptr); voice != nullptr && *voice != nullptr;
                 ++voice) {
                for (const char* entry = (*voice)->languages; entry != nullptr && *entry != '\0';) {
                    const std::string name(entry + 1);  // a priority byte, then the name
                    for (const char* code : {"nl", "en", "tr", "pl", "ar", "uk"}) {
                        if (name == code && std::ranges::find(found, name) == found.end()) found.push_back(name);
                    }
                    entry += 1 + name.size() + 1;
                }
            }
            std::optional<SpeechFailure> ignored;
            if (!options.preloadLanguage.empty()) selectVoice(options.preloadLanguage, ignored);
        }
    }

    SDL_AudioDeviceID opened = 0;
    std::optional<SpeechFailure> audioFailure;
    bool sdlInitialised = false;
    if (!failure && !options.withoutAudio) {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
            audioFailure = SpeechFailure{SpeechError::AudioUnavailable, SDL_GetError()};
        } else {
            sdlInitialised = true;
            opened = openDevice(audioFailure);
        }
    }

    std::lock_guard lock(mutex);
    sdlAudioInitialised = sdlInitialised;
    languages = std::move(found);
    if (failure) {
        state = State::Failed;
        startFailure = failure;
        lastError = failure;
        failPendingLocked(*failure);
    } else {
        state = State::Ready;
        device = opened;
        audioAvailable = opened != 0;
        if (device != 0) {
            ++openings;
            trace::event("audio-open");
            SDL_PauseAudioDevice(device, paused ? 1 : 0);
        }
        if (audioFailure) {
            // eSpeak works (render, phonemes) but nothing can be heard: speech is dropped.
            startFailure = audioFailure;
            lastError = audioFailure;
            std::erase_if(commands, [](const Command& c) { return std::holds_alternative<Speak>(c); });
        } else if (options.withoutAudio) {
            std::erase_if(commands, [](const Command& c) { return std::holds_alternative<Speak>(c); });
        }
    }
    ready.notify_all();
}

SDL_AudioDeviceID EspeakSpeaker::Impl::openDevice(std::optional<SpeechFailure>& failure) const {
    SDL_AudioSpec want{};
    want.freq = kSampleRate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = kDeviceSamples;
    want.callback = nullptr;  // SDL_QueueAudio
    SDL_AudioSpec have{};
    // allowed_changes = 0: SDL converts to whatever the hardware wants, so the queue
    // always holds eSpeak's format and its size counts eSpeak's samples.
    const SDL_AudioDeviceID opened =
        SDL_OpenAudioDevice(options.deviceName.empty() ? nullptr : options.deviceName.c_str(), 0, &want, &have, 0);
    if (opened == 0) failure = SpeechFailure{SpeechError::AudioUnavailable, SDL_GetError()};
    return opened;
}

void EspeakSpeaker::Impl::beginOpeningLocked() {
    trace::event("audio-open");
    opening = std::async(std::launch::async, [this] {
        std::optional<SpeechFailure> failure;
        const auto opened = openDevice(failure);
        if (failure) {
            std::lock_guard lock(mutex);
            lastError = failure;
        }
        // SDL's per-thread error message: freed here, as shutdown() does for the owner.
        SDL_TLSCleanup();
        return opened;
    });
}

void EspeakSpeaker::Impl::finishOpening(std::unique_lock<std::mutex>& lock) {
    auto pending = std::move(opening);
    lock.unlock();
    const SDL_AudioDeviceID opened = pending.get();
    lock.lock();
    device = opened;
    if (device != 0) {
        ++openings;
        SDL_PauseAudioDevice(device, paused ? 1 : 0);
    }
}

void EspeakSpeaker::Impl::closeDevice(std::unique_lock<std::mutex>& lock) {
    // Only with nothing queued: every utterance is played, and the count of samples queued
    // (streamQueued) equals what was consumed, before and after, so positions stay right.
    pruneLocked(streamQueued);
    const SDL_AudioDeviceID closing = device;
    device = 0;
    lock.unlock();
    SDL_CloseAudioDevice(closing);  // joins SDL's audio thread (at most one buffer)
    trace::event("audio-close");
    lock.lock();
}

void EspeakSpeaker::Impl::shutdown() {
    SDL_AudioDeviceID closing = 0;
    {
        std::lock_guard lock(mutex);
        closing = device;
        device = 0;
        playing.clear();
        streamQueued = 0;
    }
    if (closing != 0) SDL_CloseAudioDevice(closing);
    if (sdlAudioInitialised) SDL_QuitSubSystem(SDL_INIT_AUDIO);
    // SDL keeps per-thread data (its error message) for threads it did not create and frees
    // it only when asked: without this every speaker's owner thread leaks it.
    SDL_TLSCleanup();
    if (ownsEngine) g_engineTaken.store(false);
}

void EspeakSpeaker::Impl::failPendingLocked(const SpeechFailure& failure) {
    for (auto& command : commands) {
        if (auto* render = std::get_if<Render>(&command)) render->result.set_value(std::unexpected(failure));
        if (auto* phonemes = std::get_if<Phonemes>(&command)) phonemes->result.set_value(std::unexpected(failure));
    }
    commands.clear();
}

std::string EspeakSpeaker::Impl::selectVoice(const std::string& language, std::optional<SpeechFailure>& problem) {
    const std::string wanted = primaryTag(language);
    if (wanted == currentVoiceLanguage) return espeakVoiceFor(wanted);
    if (espeak_ng_SetVoiceByName(espeakVoiceFor(wanted).c_str()) == ENS_OK) {
        currentVoiceLanguage = wanted;
        return espeakVoiceFor(wanted);
    }
    problem = SpeechFailure{SpeechError::VoiceMissing, wanted};
    const std::string fallback = primaryTag(options.fallbackLanguage);
    if (fallback != currentVoiceLanguage) {
        if (espeak_ng_SetVoiceByName(espeakVoiceFor(fallback).c_str()) == ENS_OK) {
            currentVoiceLanguage = fallback;
        } else {
            // Not even the fallback: eSpeak's built-in default ("en") is always there.
            espeak_ng_SetVoiceByName(ESPEAKNG_DEFAULT_VOICE);
            currentVoiceLanguage = ESPEAKNG_DEFAULT_VOICE;
        }
    }
    return espeakVoiceFor(currentVoiceLanguage);
}

void EspeakSpeaker::Impl::execute(Speak& speak) {
    std::optional<SpeechFailure> problem;
    selectVoice(speak.language, problem);
    espeak_SetParameter(espeakRATE, speak.wordsPerMinute, 0);
    Job job;
    job.impl = this;
    job.generation = speak.generation;
    job.id = speak.id;
    job.gain = std::pow(10.0, speak.gainDb / 20.0);
    unsigned int uniqueId = 0;
    const auto status = espeak_Synth(speak.text.c_str(), speak.text.size() + 1, 0, POS_CHARACTER, 0,
                                     espeakCHARS_UTF8 | espeakENDPAUSE, &uniqueId, &job);
    std::lock_guard lock(mutex);
    if (problem) lastError = problem;
    if (status != EE_OK && speak.generation == generation) {
        lastError = SpeechFailure{SpeechError::SynthesisFailed, speak.language};
    }
    for (auto& entry : playing) {
        if (entry.id == speak.id) entry.synthesisDone = true;
    }
    if (auto found = times.find(speak.id); found != times.end()) {
        found->second.synthesisDone = std::chrono::steady_clock::now();
    }
}

void EspeakSpeaker::Impl::execute(Render& render) {
    Rendering rendering;
    std::optional<SpeechFailure> problem;
    rendering.voice = selectVoice(render.language, problem);
    rendering.problem = problem;
    espeak_SetParameter(espeakRATE, render.wordsPerMinute, 0);
    Job job;
    job.impl = this;
    job.rendering = &rendering;
    job.timeline = WordTimeline(render.text);
    job.gain = std::pow(10.0, render.gainDb / 20.0);
    unsigned int uniqueId = 0;
    const auto began = std::chrono::steady_clock::now();
    const auto status = espeak_Synth(render.text.c_str(), render.text.size() + 1, 0, POS_CHARACTER, 0,
                                     espeakCHARS_UTF8 | espeakENDPAUSE, &uniqueId, &job);
    rendering.synthesisTime =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began);
    if (problem) {
        std::lock_guard lock(mutex);
        lastError = problem;
    }
    if (status != EE_OK) {
        render.result.set_value(std::unexpected(SpeechFailure{SpeechError::SynthesisFailed, render.language}));
        return;
    }
    rendering.words = job.timeline.words();
    render.result.set_value(std::move(rendering));
}

void EspeakSpeaker::Impl::execute(Phonemes& request) {
    std::optional<SpeechFailure> problem;
    selectVoice(request.language, problem);
    if (problem) {
        request.result.set_value(std::unexpected(*problem));
        return;
    }
    std::string out;
    const void* cursor = request.text.c_str();
    // espeak_TextToPhonemes returns one clause per call and moves the cursor on (to null
    // at the end); clauses are joined with " | ".
    while (cursor != nullptr) {
        const char* clause = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, 0);
        if (clause == nullptr) break;
        if (!out.empty()) out += " | ";
        out += clause;
    }
    request.result.set_value(std::move(out));
}

// [SECTION] The synth callback ------------------------------------------------------------------

int EspeakSpeaker::Impl::synthCallback(short* wav, int numSamples, espeak_EVENT* events) {
    if (events == nullptr || events->user_data == nullptr) return 1;
    auto& job = *static_cast<Job*>(events->user_data);
    Impl& impl = *job.impl;
    if (impl.quitting.load(std::memory_order_relaxed)) return 1;

    const auto count = wav != nullptr && numSamples > 0 ? static_cast<std::size_t>(numSamples) : 0;
    job.scaled.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        // Rounded, and clamped although no step amplifies (gain <= 1).
        const double value = std::round(wav[i] * job.gain);
        job.scaled[i] = static_cast<std::int16_t>(std::clamp(value, -32768.0, 32767.0));
    }

    if (job.rendering != nullptr) {
        for (const espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
            if (e->type == espeakEVENT_WORD) job.timeline.addEvent(e->text_position, msToSamples(e->audio_position));
        }
        job.rendering->samples.insert(job.rendering->samples.end(), job.scaled.begin(), job.scaled.end());
        return 0;
    }

    std::unique_lock lock(impl.mutex);
    // The device closed after a silence is being opened (run()): wait for it before queuing.
    if (impl.device == 0 && impl.opening.valid() && count > 0) impl.finishOpening(lock);
    // stop() or say() moved on: abort this synthesis, and queue nothing of it.
    if (job.generation != impl.generation) return 1;
    if (impl.device == 0 && count > 0) return 1;  // the device did not open: nothing is heard
    auto entry = std::ranges::find(impl.playing, job.id, &Playing::id);
    if (entry == impl.playing.end()) return 1;
    for (const espeak_EVENT* e = events; e->type != espeakEVENT_LIST_TERMINATED; ++e) {
        if (e->type == espeakEVENT_WORD) entry->timeline.addEvent(e->text_position, msToSamples(e->audio_position));
    }
    if (count == 0) return 0;
    auto times = impl.times.find(job.id);
    // Where the first audible sample of the utterance is in this chunk, until it was queued.
    const auto loud = job.heard ? job.scaled.begin() : std::ranges::find_if(job.scaled, audible);
    auto& tail = job.quietTail;
    std::size_t from = 0;       // of this chunk: the quiet start not queued
    std::size_t tailFrom = 0;   // of the tail kept from quiet chunks: not queued (the rest goes first)
    if (!entry->hasAudio && impl.queuedSamplesLocked() == 0) {
        // Said into silence: the quiet start goes, but for the lead-in, the last 10 ms before
        // the first sound (which may lie in an earlier, all-quiet chunk: kept in the tail).
        // After other words it all stays: the pause between two utterances.
        auto skip = [&](std::size_t samples) {
            entry->skipped += samples;
            if (times != impl.times.end()) times->second.trimmedSamples += samples;
        };
        if (loud == job.scaled.end()) {
            tail.insert(tail.end(), job.scaled.begin(), job.scaled.end());
            const std::size_t drop = tail.size() > kLeadInSamples ? tail.size() - kLeadInSamples : 0;
            tail.erase(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(drop));
            skip(drop);
            return 0;   // all quiet: nothing queued yet
        }
        const auto quiet = static_cast<std::size_t>(loud - job.scaled.begin());
        if (quiet >= kLeadInSamples) {
            from = quiet - kLeadInSamples;
            tailFrom = tail.size();
        } else {
            const std::size_t fromTail = std::min(kLeadInSamples - quiet, tail.size());
            tailFrom = tail.size() - fromTail;
        }
        skip(tailFrom + from);
    }
    const std::size_t lead = tail.size() - tailFrom;   // queued before this chunk
    if (!entry->hasAudio) {
        entry->hasAudio = true;
        entry->startSample = impl.streamQueued;
        if (times != impl.times.end()) times->second.firstAudioQueued = std::chrono::steady_clock::now();
    }
    if (!job.heard && loud != job.scaled.end()) {
        job.heard = true;
        // How much audio plays before the first audible sample of the utterance.
        const auto ahead = impl.queuedSamplesLocked() + lead + static_cast<std::size_t>(loud - job.scaled.begin()) - from;
        if (times != impl.times.end()) times->second.quietAhead = ahead;
        // KIOSK_TRACE (docs/performance.md): that sample is being queued; "ahead" in microseconds.
        if (trace::enabled()) trace::event("audio", std::to_string(ahead * 1'000'000 / kSampleRate));
    }
    // The lead-in and the chunk in one call: queued whole or not at all.
    if (lead > 0) {
        tail.erase(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(tailFrom));
        tail.insert(tail.end(), job.scaled.begin() + static_cast<std::ptrdiff_t>(from), job.scaled.end());
    }
    const std::int16_t* samples = lead > 0 ? tail.data() : job.scaled.data() + from;
    const auto queued = lead + count - from;
    if (SDL_QueueAudio(impl.device, samples, static_cast<Uint32>(queued * sizeof(std::int16_t))) != 0) {
        impl.lastError = SpeechFailure{SpeechError::AudioLost, SDL_GetError()};
        return 1;
    }
    tail.clear();
    impl.streamQueued += queued;
    entry->samples += queued;
    if (times != impl.times.end()) times->second.samples += queued;
    return 0;
}

// [SECTION] Playback position (UI thread) ------------------------------------------------------

bool EspeakSpeaker::Impl::speakingLocked() const {
    if (state == State::Failed) return false;
    if (device != 0 && SDL_GetAudioDeviceStatus(device) == SDL_AUDIO_STOPPED) return false;  // lost
    if (synthesising && synthesisGeneration == generation) return true;
    if (std::ranges::any_of(commands, [](const Command& c) { return std::holds_alternative<Speak>(c); })) {
        return true;
    }
    return queuedSamplesLocked() > 0;
}

void EspeakSpeaker::Impl::pruneLocked(std::size_t consumed) {
    while (!playing.empty()) {
        const auto& front = playing.front();
        const bool played = front.synthesisDone && (!front.hasAudio || front.startSample + front.samples <= consumed);
        if (!played) break;
        playing.pop_front();
    }
}

void EspeakSpeaker::Impl::stopLocked() {
    ++generation;
    std::erase_if(commands, [](Command& c) {
        auto* speak = std::get_if<Speak>(&c);
        if (speak != nullptr) kiosk::wipe(speak->text);  // never said: wiped as it goes
        return speak != nullptr;
    });
    playing.clear();
    if (device != 0) SDL_ClearQueuedAudio(device);
    streamQueued = 0;
}

UtteranceId EspeakSpeaker::Impl::enqueueLocked(std::string_view text, std::string_view language) {
    const UtteranceId id = nextId++;
    if (state == State::Failed || (state == State::Ready && !audioAvailable)) return id;  // nothing can be heard
    times[id] = UtteranceTimes{std::chrono::steady_clock::now(), std::nullopt, std::nullopt, 0, std::nullopt, 0};
    while (times.size() > kTimesKept) times.erase(times.begin());
    commands.push_back(Speak{id, generation, std::string(text), std::string(language),
                             kRateSteps[static_cast<std::size_t>(rateStep)].wordsPerMinute,
                             kVolumeStepsDb[static_cast<std::size_t>(volumeStep)]});
    wake.notify_one();
    return id;
}

// [SECTION] The Speaker methods ------------------------------------------------------------------

EspeakSpeaker::EspeakSpeaker() : EspeakSpeaker(Options{}) {}

EspeakSpeaker::EspeakSpeaker(Options options) : m_impl(std::make_unique<Impl>(std::move(options))) {
    if (!m_impl->options.deferStart) start();
}

void EspeakSpeaker::start() {
    // Under the lock: render() and phonemes() (any thread) look whether it has started.
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->thread.joinable()) return;
    m_impl->thread = std::thread([impl = m_impl.get()] {
        pthread_setname_np(pthread_self(), "kiosk-speech");  // in top, perf and the bench
        impl->run();
    });
}

EspeakSpeaker::~EspeakSpeaker() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->quit = true;
        m_impl->quitting = true;
        m_impl->stopLocked();
    }
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable()) m_impl->thread.join();
}

UtteranceId EspeakSpeaker::say(std::string_view text, std::string_view language) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->stopLocked();
    return m_impl->enqueueLocked(text, language);
}

UtteranceId EspeakSpeaker::queue(std::string_view text, std::string_view language) {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->enqueueLocked(text, language);
}

void EspeakSpeaker::stop() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->stopLocked();
}

void EspeakSpeaker::pause() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->paused = true;
    if (m_impl->device != 0) SDL_PauseAudioDevice(m_impl->device, 1);
}

void EspeakSpeaker::resume() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->paused = false;
        if (m_impl->device != 0) SDL_PauseAudioDevice(m_impl->device, 0);
    }
    m_impl->wake.notify_one();  // the owner thread waits for the queue to play out again
}

bool EspeakSpeaker::isPaused() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->paused;
}

void EspeakSpeaker::setRate(int step) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->rateStep = clampRateStep(step);
}

int EspeakSpeaker::rate() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->rateStep;
}

void EspeakSpeaker::setVolume(int step) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->volumeStep = clampVolumeStep(step);
}

int EspeakSpeaker::volume() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->volumeStep;
}

void EspeakSpeaker::resetToDefaults() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->rateStep = kDefaultRateStep;
    m_impl->volumeStep = kDefaultVolumeStep;
    m_impl->paused = false;
    if (m_impl->device != 0) SDL_PauseAudioDevice(m_impl->device, 0);
    m_impl->wake.notify_one();  // see resume()
}

bool EspeakSpeaker::isSpeaking() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->speakingLocked();
}

EspeakSpeaker::PlaybackSnapshot EspeakSpeaker::snapshot() const {
    std::lock_guard lock(m_impl->mutex);
    const auto consumed = m_impl->consumedLocked();
    m_impl->pruneLocked(consumed);
    for (const auto& entry : m_impl->playing) {
        if (!entry.hasAudio || consumed < entry.startSample) break;
        const bool inside = consumed < entry.startSample + entry.samples || !entry.synthesisDone;
        if (!inside) continue;
        PlaybackSnapshot snap;
        snap.utterance = entry.id;
        snap.playedSamples = consumed - entry.startSample + entry.skipped;
        if (const auto word = entry.timeline.wordAt(snap.playedSamples)) {
            snap.word = WordPosition{entry.id, word->byteOffset, word->byteLength};
        }
        return snap;
    }
    return {};
}

std::optional<WordPosition> EspeakSpeaker::currentWord() const {
    return snapshot().word;
}

std::optional<std::chrono::milliseconds> EspeakSpeaker::nextChangeIn() const {
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->paused || !m_impl->speakingLocked()) return std::nullopt;
    const auto consumed = m_impl->consumedLocked();
    std::optional<std::size_t> boundary;
    for (const auto& entry : m_impl->playing) {
        if (!entry.hasAudio) break;
        const auto end = entry.startSample + entry.samples;
        // Timeline positions count the quiet start that was not queued (Playing::skipped).
        if (consumed < entry.startSample) {
            boundary = entry.startSample;  // the next utterance's audio starts (silence now)
            if (const auto first = entry.timeline.nextStartAfter(0)) {
                boundary = entry.startSample + (*first > entry.skipped ? *first - entry.skipped : 0);
            }
            break;
        }
        if (consumed < end || !entry.synthesisDone) {
            if (const auto next = entry.timeline.nextStartAfter(consumed - entry.startSample + entry.skipped)) {
                boundary = entry.startSample + *next - entry.skipped;
            } else if (entry.synthesisDone) {
                boundary = end;
            }
            break;
        }
    }
    if (!boundary || *boundary <= consumed) return kPollWhileWaiting;  // synthesis still to come
    const auto samples = *boundary - consumed;
    // Rounded up, so that the UI wakes just after the change rather than just before it.
    return std::chrono::milliseconds((samples * 1000 + kSampleRate - 1) / kSampleRate);
}

std::optional<SpeechFailure> EspeakSpeaker::lastError() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->lastError;
}

std::expected<void, SpeechFailure> EspeakSpeaker::waitUntilReady(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_impl->mutex);
    if (!m_impl->ready.wait_for(lock, timeout, [&] { return m_impl->state != Impl::State::Starting; })) {
        return std::unexpected(SpeechFailure{SpeechError::NotReady, {}});
    }
    if (m_impl->startFailure) return std::unexpected(*m_impl->startFailure);
    return {};
}

std::vector<std::string> EspeakSpeaker::availableLanguages() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->languages;
}

std::expected<EspeakSpeaker::Rendering, SpeechFailure> EspeakSpeaker::render(std::string_view text,
                                                                             std::string_view language) {
    std::future<std::expected<Rendering, SpeechFailure>> result;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->state == Impl::State::Failed) return std::unexpected(*m_impl->startFailure);
        if (!m_impl->thread.joinable()) return std::unexpected(SpeechFailure{SpeechError::NotReady, "not started"});
        Impl::Render render{std::string(text), std::string(language),
                            kRateSteps[static_cast<std::size_t>(m_impl->rateStep)].wordsPerMinute,
                            kVolumeStepsDb[static_cast<std::size_t>(m_impl->volumeStep)], {}};
        result = render.result.get_future();
        m_impl->commands.push_back(std::move(render));
    }
    m_impl->wake.notify_one();
    return result.get();
}

std::expected<std::string, SpeechFailure> EspeakSpeaker::phonemes(std::string_view text,
                                                                  std::string_view language) {
    std::future<std::expected<std::string, SpeechFailure>> result;
    {
        std::lock_guard lock(m_impl->mutex);
        if (m_impl->state == Impl::State::Failed) return std::unexpected(*m_impl->startFailure);
        if (!m_impl->thread.joinable()) return std::unexpected(SpeechFailure{SpeechError::NotReady, "not started"});
        Impl::Phonemes request{std::string(text), std::string(language), {}};
        result = request.result.get_future();
        m_impl->commands.push_back(std::move(request));
    }
    m_impl->wake.notify_one();
    return result.get();
}

std::size_t EspeakSpeaker::queuedAudioBytes() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->device == 0 ? 0 : SDL_GetQueuedAudioSize(m_impl->device);
}

bool EspeakSpeaker::deviceOpen() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->device != 0;
}

int EspeakSpeaker::deviceOpenings() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->openings;
}

std::optional<EspeakSpeaker::UtteranceTimes> EspeakSpeaker::times(UtteranceId id) const {
    std::lock_guard lock(m_impl->mutex);
    const auto found = m_impl->times.find(id);
    if (found == m_impl->times.end()) return std::nullopt;
    return found->second;
}

}  // namespace kiosk::speech
