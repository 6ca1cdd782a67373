// RecordingSpeaker, SilentSpeaker, SpeechLog and AudioPrivacy: the parts without audio.
#include "speech/audio_privacy.hpp"
#include "speech/recording_speaker.hpp"
#include "speech/silent_speaker.hpp"
#include "speech/speech_log.hpp"

#include "tests/fakes/print.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace kiosk::speech;

namespace {

std::filesystem::path tempFile(const std::string& name) {
    std::random_device random;
    const auto dir = std::filesystem::temp_directory_path() / ("kiosk-speech-test-" + std::to_string(random()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

std::vector<std::string> readLines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace

TEST_CASE("RecordingSpeaker keeps every call in order, with language and exact text") {
    RecordingSpeaker speaker;
    const auto first = speaker.say("Wat is uw naam?", "nl");
    const auto second = speaker.queue("Typ uw voornaam.", "nl");
    CHECK(second == first + 1);
    CHECK(speaker.isSpeaking());
    speaker.stop();
    CHECK_FALSE(speaker.isSpeaking());
    speaker.setRate(99);
    speaker.setVolume(-3);
    speaker.queue("  spaties  blijven  ", "tr");
    speaker.resetToDefaults();
    CHECK(speaker.transcript() == std::vector<std::string>{
                                      "say nl: Wat is uw naam?",
                                      "queue nl: Typ uw voornaam.",
                                      "stop",
                                      "rate 6",
                                      "volume 0",
                                      "queue tr:   spaties  blijven  ",
                                      "reset",
                                  });
    CHECK(speaker.texts() == std::vector<std::string>{"Wat is uw naam?", "Typ uw voornaam.", "  spaties  blijven  "});
    CHECK(speaker.rate() == kDefaultRateStep);
    CHECK(speaker.volume() == kDefaultVolumeStep);
}

TEST_CASE("SilentSpeaker is never speaking but keeps the settings") {
    SilentSpeaker speaker;
    const auto id = speaker.say("Hallo", "nl");
    CHECK(id > 0);
    CHECK_FALSE(speaker.isSpeaking());
    CHECK_FALSE(speaker.currentWord().has_value());
    CHECK_FALSE(speaker.nextChangeIn().has_value());
    speaker.setRate(0);
    speaker.setVolume(6);
    CHECK(speaker.rate() == 0);
    CHECK(speaker.volume() == 6);
    speaker.resetToDefaults();
    CHECK(speaker.rate() == kDefaultRateStep);
}

TEST_CASE("the rate steps span 0.5x to 2x, the volume steps 18 dB in 3 dB steps") {
    CHECK(kRateSteps.size() >= 6);
    CHECK(kRateSteps.front().factor == doctest::Approx(0.5));
    CHECK(kRateSteps.back().factor == doctest::Approx(2.0));
    CHECK(kRateSteps[static_cast<std::size_t>(kDefaultRateStep)].factor == doctest::Approx(1.0));
    for (std::size_t i = 1; i < kRateSteps.size(); ++i) {
        CHECK(kRateSteps[i].factor > kRateSteps[i - 1].factor);
        // eSpeak's wpm follows the factor (175 wpm = 1x) and stays in its range 80..450.
        CHECK(kRateSteps[i].wordsPerMinute == doctest::Approx(175 * kRateSteps[i].factor).epsilon(0.01));
        CHECK(kRateSteps[i].wordsPerMinute <= 450);
    }
    CHECK(kRateSteps.front().wordsPerMinute >= 80);
    CHECK(kVolumeStepsDb.back() - kVolumeStepsDb.front() >= 18);
    for (std::size_t i = 1; i < kVolumeStepsDb.size(); ++i) CHECK(kVolumeStepsDb[i] - kVolumeStepsDb[i - 1] == 3);
    CHECK(kVolumeStepsDb.back() == 0);  // no step amplifies, so nothing clips
    CHECK(clampRateStep(-1) == 0);
    CHECK(clampVolumeStep(100) == static_cast<int>(kVolumeStepsDb.size()) - 1);
}

TEST_CASE("SpeechLog writes one valid JSON line per utterance and passes every call on") {
    const auto file = tempFile("speech.jsonl");
    RecordingSpeaker inner;
    {
        auto log = SpeechLog::open(file, inner);
        REQUIRE(log.has_value());
        (*log)->say("Wat is uw \"naam\"?\nTyp \\ hier.", "nl");
        (*log)->queue("Zażółć gęślą jaźń \x01 tab\t", "pl");
        (*log)->queue(std::string("bad \xC3( utf-8"), "en");
        (*log)->stop();
        (*log)->setRate(4);
        CHECK_FALSE((*log)->lastError().has_value());
    }
    CHECK(inner.transcript().size() == 5);
    CHECK(inner.rate() == 4);
    const auto lines = readLines(file);
    REQUIRE(lines.size() == 3);
    std::int64_t previous = -1;
    const std::vector<std::pair<std::string, std::string>> expected{
        {"nl", "Wat is uw \"naam\"?\nTyp \\ hier."},
        {"pl", "Zażółć gęślą jaźń \x01 tab\t"},
        {"en", "bad \xEF\xBF\xBD( utf-8"},  // the bad byte became U+FFFD
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CAPTURE(lines[i]);
        const auto json = nlohmann::json::parse(lines[i]);  // throws (fails the test) if invalid
        REQUIRE(json.is_object());
        CHECK(json.size() == 3);
        CHECK(json.at("t_ms").is_number_integer());
        CHECK(json.at("t_ms").get<std::int64_t>() >= previous);
        previous = json.at("t_ms").get<std::int64_t>();
        CHECK(json.at("lang") == expected[i].first);
        CHECK(json.at("text") == expected[i].second);
    }
    CHECK(lines[0].starts_with("{\"t_ms\":"));  // the contract's key order
    CHECK(SpeechLog::line(std::chrono::milliseconds(1532), "nl", "Ja") ==
          R"({"t_ms":1532,"lang":"nl","text":"Ja"})");

    // Appends: a second kiosk run adds to the file.
    {
        auto log = SpeechLog::open(file, inner);
        REQUIRE(log.has_value());
        (*log)->say("Nog een", "nl");
    }
    CHECK(readLines(file).size() == 4);
    std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("SpeechLog that cannot open its file is an error value") {
    RecordingSpeaker inner;
    const auto log = SpeechLog::open("/nonexistent-dir/for/sure/speech.jsonl", inner);
    REQUIRE_FALSE(log.has_value());
    CHECK(log.error().error == SpeechError::LogWriteFailed);
    CHECK_FALSE(speechErrorMessage(log.error().error).empty());
}

TEST_CASE("private answers are read aloud only when headphones are in use") {
    AudioPrivacy loudspeaker(HeadphonePolicy::Never);
    CHECK_FALSE(loudspeaker.headphonesInUse());
    CHECK_FALSE(loudspeaker.setCitizenHeadphones(true));  // the citizen cannot override the hardware
    CHECK_FALSE(loudspeaker.mayReadAloud(true));
    CHECK(loudspeaker.mayReadAloud(false));
    CHECK_FALSE(loudspeaker.citizenCanSwitch());

    AudioPrivacy handset(HeadphonePolicy::Always);
    CHECK(handset.headphonesInUse());
    CHECK(handset.mayReadAloud(true));

    AudioPrivacy jack;  // Citizen
    CHECK(jack.policy() == HeadphonePolicy::Citizen);
    CHECK(jack.citizenCanSwitch());
    CHECK_FALSE(jack.mayReadAloud(true));
    CHECK(jack.toggleCitizenHeadphones());
    CHECK(jack.mayReadAloud(true));
    jack.resetForNextCitizen();
    CHECK_FALSE(jack.headphonesInUse());

    CHECK(headphonePolicyFromName("never") == HeadphonePolicy::Never);
    CHECK(headphonePolicyFromName("always") == HeadphonePolicy::Always);
    CHECK(headphonePolicyFromName("citizen") == HeadphonePolicy::Citizen);
    CHECK_FALSE(headphonePolicyFromName("Always").has_value());
    CHECK(headphonePolicyName(HeadphonePolicy::Never) == "never");
}

TEST_CASE("device names hint at headsets, not at built-in outputs") {
    CHECK(deviceNameSuggestsHeadphones("Jabra EVOLVE 20 MS Mono"));
    CHECK(deviceNameSuggestsHeadphones("USB Headset Analog Stereo"));
    CHECK(deviceNameSuggestsHeadphones("Built-in Audio Headphones"));
    CHECK_FALSE(deviceNameSuggestsHeadphones("Built-in Audio Analog Stereo"));
    CHECK_FALSE(deviceNameSuggestsHeadphones("HDA Intel PCH, ALC892 Analog"));
    CHECK_FALSE(deviceNameSuggestsHeadphones(""));
}
