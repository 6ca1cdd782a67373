#include "speech/audio_privacy.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace kiosk::speech {

std::optional<HeadphonePolicy> headphonePolicyFromName(std::string_view name) {
    if (name == "never") return HeadphonePolicy::Never;
    if (name == "always") return HeadphonePolicy::Always;
    if (name == "citizen") return HeadphonePolicy::Citizen;
    return std::nullopt;
}

std::string_view headphonePolicyName(HeadphonePolicy policy) {
    switch (policy) {
    case HeadphonePolicy::Never: return "never";
    case HeadphonePolicy::Always: return "always";
    case HeadphonePolicy::Citizen: return "citizen";
    }
    return "citizen";
}

bool AudioPrivacy::setCitizenHeadphones(bool on) {
    if (m_policy == HeadphonePolicy::Citizen) m_citizenSaysOn = on;
    return headphonesInUse();
}

bool deviceNameSuggestsHeadphones(std::string_view deviceName) {
    std::string lower(deviceName);
    std::ranges::transform(lower, lower.begin(), [](char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    // Names seen from PulseAudio/PipeWire and ALSA for USB and Bluetooth headsets; "jabra"
    // and "plantronics" are the headsets town halls buy for their counters.
    static constexpr std::array<std::string_view, 9> kHints{
        "headphone", "headset", "earphone", "koptelefoon", "kopfh", "casque", "jabra", "plantronics", "handsfree",
    };
    return std::ranges::any_of(kHints, [&](std::string_view hint) { return lower.find(hint) != std::string::npos; });
}

}  // namespace kiosk::speech
