// A Speaker for machines without sound (a staff terminal, a kiosk whose audio failed): says
// nothing, is never speaking, but keeps the rate and volume the citizen chose so that the
// settings screen still works.
#pragma once

#include "speech/speaker.hpp"

namespace kiosk::speech {

class SilentSpeaker final : public Speaker {
public:
    UtteranceId say(std::string_view, std::string_view) override { return m_nextId++; }
    UtteranceId queue(std::string_view, std::string_view) override { return m_nextId++; }
    void stop() override {}
    void pause() override { m_paused = true; }
    void resume() override { m_paused = false; }
    [[nodiscard]] bool isPaused() const override { return m_paused; }
    void setRate(int step) override { m_rate = clampRateStep(step); }
    [[nodiscard]] int rate() const override { return m_rate; }
    void setVolume(int step) override { m_volume = clampVolumeStep(step); }
    [[nodiscard]] int volume() const override { return m_volume; }
    void resetToDefaults() override {
        m_rate = kDefaultRateStep;
        m_volume = kDefaultVolumeStep;
        m_paused = false;
    }
    [[nodiscard]] bool isSpeaking() const override { return false; }
    [[nodiscard]] std::optional<WordPosition> currentWord() const override { return std::nullopt; }
    [[nodiscard]] std::optional<std::chrono::milliseconds> nextChangeIn() const override { return std::nullopt; }
    [[nodiscard]] std::optional<SpeechFailure> lastError() const override { return std::nullopt; }

private:
    UtteranceId m_nextId = 1;
    int m_rate = kDefaultRateStep;
    int m_volume = kDefaultVolumeStep;
    bool m_paused = false;
};

}  // namespace kiosk::speech
