// `kiosk run --speech-log FILE` (../shared/kiosk-cli.md): a Speaker around another one that
// appends one JSON object per utterance to FILE, then passes the call on:
//
//   {"t_ms":1532,"lang":"nl","text":"Wat is uw naam?"}
//
// t_ms: milliseconds from `start` (the kiosk's start) to the say()/queue() call. Each line is
// flushed at once, so a test can read the file while the kiosk runs. Text that is not valid
// UTF-8 is written with U+FFFD in place of the bad bytes (the line stays valid JSON).
// The log can hold personal data: it exists for tests and is never on by default.
// Thread: the UI thread, like the Speaker it wraps.
#pragma once

#include "speech/speaker.hpp"

#include <chrono>
#include <cstdio>
#include <expected>
#include <filesystem>
#include <memory>

namespace kiosk::speech {

class SpeechLog final : public Speaker {
public:
    // Opens `file` for appending (created if missing). `inner` must outlive the log.
    [[nodiscard]] static std::expected<std::unique_ptr<SpeechLog>, SpeechFailure> open(
        const std::filesystem::path& file, Speaker& inner,
        std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now());
    ~SpeechLog() override;
    SpeechLog(const SpeechLog&) = delete;
    SpeechLog& operator=(const SpeechLog&) = delete;

    UtteranceId say(std::string_view text, std::string_view language) override;
    UtteranceId queue(std::string_view text, std::string_view language) override;
    void stop() override { m_inner.stop(); }
    void pause() override { m_inner.pause(); }
    void resume() override { m_inner.resume(); }
    [[nodiscard]] bool isPaused() const override { return m_inner.isPaused(); }
    void setRate(int step) override { m_inner.setRate(step); }
    [[nodiscard]] int rate() const override { return m_inner.rate(); }
    void setVolume(int step) override { m_inner.setVolume(step); }
    [[nodiscard]] int volume() const override { return m_inner.volume(); }
    void resetToDefaults() override { m_inner.resetToDefaults(); }
    [[nodiscard]] bool isSpeaking() const override { return m_inner.isSpeaking(); }
    [[nodiscard]] std::optional<WordPosition> currentWord() const override { return m_inner.currentWord(); }
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextChangeIn() const override {
        return m_inner.nextChangeIn();
    }
    // The inner speaker's error, or a failed write of the log itself.
    [[nodiscard]] std::optional<SpeechFailure> lastError() const override;

    // One log line (without the newline), as written: for tests of the format.
    [[nodiscard]] static std::string line(std::chrono::milliseconds t, std::string_view language,
                                          std::string_view text);

private:
    SpeechLog(std::FILE* file, Speaker& inner, std::chrono::steady_clock::time_point start);
    void write(std::string_view text, std::string_view language);

    std::FILE* m_file;
    Speaker& m_inner;
    std::chrono::steady_clock::time_point m_start;
    std::optional<SpeechFailure> m_writeError;
};

}  // namespace kiosk::speech
