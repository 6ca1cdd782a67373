// Whether only the citizen can hear the kiosk: private answers (form contract `private`:
// bsn, iban and date by default) are read back ONLY then.
//
// How the kiosk can know (see docs/speech.md, "Headphones"):
//   - the installation: a kiosk with a handset or headphones and no loudspeaker is always
//     private (policy Always); one with loudspeakers only never is (policy Never);
//   - the citizen: on a kiosk with a headphone jack, the citizen says "I am wearing
//     headphones" with a key or the on-screen headphone button (policy Citizen);
//   - the SDL audio device name: a hint only. A name like "USB Headset" says a headset is
//     the output; "Built-in Audio Analog Stereo" says nothing (the jack and the speaker
//     share one device), so a name never turns privacy on by itself.
// There is no reliable jack-sense through SDL, so the policy is plain state that the
// config and the citizen set, and the screen model asks headphonesInUse().
// Pure C++ and cheap: copy it, query it every frame. Thread: the UI thread.
#pragma once

#include <optional>
#include <string_view>

namespace kiosk::speech {

enum class HeadphonePolicy {
    Never,    // loudspeakers only: private answers are never read aloud
    Always,   // handset or headphones only: everything may be read aloud
    Citizen,  // the citizen switches headphones on and off (default)
};

// The config's words for a policy: "never", "always", "citizen"; nullopt for anything else.
[[nodiscard]] std::optional<HeadphonePolicy> headphonePolicyFromName(std::string_view name);
[[nodiscard]] std::string_view headphonePolicyName(HeadphonePolicy policy);

class AudioPrivacy {
public:
    explicit AudioPrivacy(HeadphonePolicy policy = HeadphonePolicy::Citizen) : m_policy(policy) {}

    [[nodiscard]] HeadphonePolicy policy() const { return m_policy; }
    // Whether only the citizen hears the kiosk now.
    [[nodiscard]] bool headphonesInUse() const {
        return m_policy == HeadphonePolicy::Always || (m_policy == HeadphonePolicy::Citizen && m_citizenSaysOn);
    }
    // Whether an answer may be read aloud now: always for a field that is not private,
    // for a private one only through headphones.
    [[nodiscard]] bool mayReadAloud(bool fieldIsPrivate) const { return !fieldIsPrivate || headphonesInUse(); }

    // Whether the screen offers the headphone switch at all.
    [[nodiscard]] bool citizenCanSwitch() const { return m_policy == HeadphonePolicy::Citizen; }
    // The citizen's switch (a key, the headphone button). Ignored under Never and Always.
    // Returns headphonesInUse() afterwards.
    bool setCitizenHeadphones(bool on);
    bool toggleCitizenHeadphones() { return setCitizenHeadphones(!m_citizenSaysOn); }
    // End of a session: the next citizen starts without headphones until they say so.
    void resetForNextCitizen() { m_citizenSaysOn = false; }

private:
    HeadphonePolicy m_policy;
    bool m_citizenSaysOn = false;
};

// Whether an SDL audio device name suggests a headset or headphones ("USB Headset",
// "Jabra EVOLVE 20", "Kopfhörer", "koptelefoon"). A hint for the staff screen and logs,
// never a reason to read private answers aloud on its own.
[[nodiscard]] bool deviceNameSuggestsHeadphones(std::string_view deviceName);

}  // namespace kiosk::speech
