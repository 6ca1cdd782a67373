#include "speech/recording_speaker.hpp"

namespace kiosk::speech {

UtteranceId RecordingSpeaker::say(std::string_view text, std::string_view language) {
    const UtteranceId id = m_nextId++;
    m_calls.push_back({Call::Kind::Say, std::string(text), std::string(language), 0, id});
    m_speaking = true;
    m_word.reset();
    return id;
}

UtteranceId RecordingSpeaker::queue(std::string_view text, std::string_view language) {
    const UtteranceId id = m_nextId++;
    m_calls.push_back({Call::Kind::Queue, std::string(text), std::string(language), 0, id});
    m_speaking = true;
    return id;
}

void RecordingSpeaker::stop() {
    m_calls.push_back({Call::Kind::Stop, {}, {}, 0, 0});
    finishSpeaking();
}

void RecordingSpeaker::pause() {
    m_calls.push_back({Call::Kind::Pause, {}, {}, 0, 0});
    m_paused = true;
}

void RecordingSpeaker::resume() {
    m_calls.push_back({Call::Kind::Resume, {}, {}, 0, 0});
    m_paused = false;
}

void RecordingSpeaker::setRate(int step) {
    m_rate = clampRateStep(step);
    m_calls.push_back({Call::Kind::SetRate, {}, {}, m_rate, 0});
}

void RecordingSpeaker::setVolume(int step) {
    m_volume = clampVolumeStep(step);
    m_calls.push_back({Call::Kind::SetVolume, {}, {}, m_volume, 0});
}

void RecordingSpeaker::resetToDefaults() {
    m_calls.push_back({Call::Kind::ResetToDefaults, {}, {}, 0, 0});
    m_rate = kDefaultRateStep;
    m_volume = kDefaultVolumeStep;
    m_paused = false;
}

void RecordingSpeaker::finishSpeaking() {
    m_speaking = false;
    m_word.reset();
}

std::vector<std::string> RecordingSpeaker::transcript() const {
    std::vector<std::string> lines;
    lines.reserve(m_calls.size());
    for (const auto& call : m_calls) {
        switch (call.kind) {
        case Call::Kind::Say: lines.push_back("say " + call.language + ": " + call.text); break;
        case Call::Kind::Queue: lines.push_back("queue " + call.language + ": " + call.text); break;
        case Call::Kind::Stop: lines.emplace_back("stop"); break;
        case Call::Kind::Pause: lines.emplace_back("pause"); break;
        case Call::Kind::Resume: lines.emplace_back("resume"); break;
        case Call::Kind::SetRate: lines.push_back("rate " + std::to_string(call.step)); break;
        case Call::Kind::SetVolume: lines.push_back("volume " + std::to_string(call.step)); break;
        case Call::Kind::ResetToDefaults: lines.emplace_back("reset"); break;
        }
    }
    return lines;
}

std::vector<std::string> RecordingSpeaker::texts() const {
    std::vector<std::string> out;
    for (const auto& call : m_calls) {
        if (call.kind == Call::Kind::Say || call.kind == Call::Kind::Queue) out.push_back(call.text);
    }
    return out;
}

}  // namespace kiosk::speech
