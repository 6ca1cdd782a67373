// Prints how quickly the kiosk's voice reacts, with the real eSpeak NG and SDL audio:
//   - start-up: constructor to ready (eSpeak + SDL audio, on the owner thread);
//   - say() to the first sample queued to the audio device (aim: < 30 ms), median of N;
//   - stop() to silence: the call's duration, the device queue being empty when it returns
//     (aim: < 20 ms), median of N;
//   - synthesis speed per language, as a multiple of real time.
// Not a test: it measures and prints. Without a sound card it plays into SDL's dummy driver
// (SDL_AUDIODRIVER=dummy unless the environment says otherwise).
//   bench_speech [--short]     --short: 5 rounds instead of 20 (CI runs it so it cannot rot)
#include "speech/espeak_speaker.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace kiosk::speech;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::ranges::sort(values);
    return values[values.size() / 2];
}

double maximum(const std::vector<double>& values) {
    return values.empty() ? 0 : *std::ranges::max_element(values);
}

template <typename Condition>
bool waitFor(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

struct Text {
    const char* language;
    const char* shortText;
    const char* paragraph;
};
const Text kTexts[] = {
    {"nl", "Wat is uw naam?",
     "Dit formulier is voor een verhuizing. U heeft uw DigiD niet nodig. Het duurt ongeveer vijf "
     "minuten. Wij vragen uw nieuwe adres, de datum van de verhuizing en wie er met u meeverhuist. "
     "Aan het eind krijgt u een nummer. Bewaar dat nummer goed."},
    {"en", "What is your name?",
     "This form is for a change of address. You do not need your DigiD. It takes about five minutes. "
     "We ask for your new address, the date of the move and who moves with you. At the end you get "
     "a number. Keep that number safe."},
    {"tr", "Adınız nedir?",
     "Bu form taşınma içindir. DigiD'nize ihtiyacınız yok. Yaklaşık beş dakika sürer. Yeni "
     "adresinizi, taşınma tarihini ve sizinle kimin taşındığını soruyoruz. Sonunda bir numara "
     "alırsınız. Bu numarayı iyi saklayın."},
    {"pl", "Jak się nazywasz?",
     "Ten formularz dotyczy przeprowadzki. Nie potrzebujesz DigiD. Zajmie to około pięciu minut. "
     "Pytamy o nowy adres, datę przeprowadzki i o to, kto przeprowadza się z tobą. Na końcu "
     "otrzymasz numer. Zachowaj ten numer."},
};

}  // namespace

int main(int argc, char** argv) {
    const bool isShort = argc > 1 && std::strcmp(argv[1], "--short") == 0;
    const int rounds = isShort ? 5 : 20;
    ::setenv("SDL_AUDIODRIVER", "dummy", 0);  // keep what the environment says

    const auto constructed = Clock::now();
    EspeakSpeaker speaker;
    const double constructorMs = ms(Clock::now() - constructed);
    if (const auto ready = speaker.waitUntilReady(std::chrono::seconds(10)); !ready) {
        std::printf("bench_speech: speech not ready: %s (%s)\n",
                    std::string(speechErrorMessage(ready.error().error)).c_str(), ready.error().detail.c_str());
        return 1;
    }
    const double readyMs = ms(Clock::now() - constructed);
    std::printf("start-up: constructor returned in %.2f ms; ready (eSpeak NG + SDL audio) after %.1f ms\n",
                constructorMs, readyMs);

    // say() -> first sample queued to the device, per language (voice already loaded) and
    // when the language changes (its dictionary is loaded first).
    for (const bool switching : {false, true}) {
        std::vector<double> latencies;
        for (int i = 0; i < rounds; ++i) {
            const auto& text = kTexts[switching ? static_cast<std::size_t>(i) % std::size(kTexts) : 0];
            const auto id = speaker.say(text.shortText, text.language);
            if (!waitFor([&] { return speaker.times(id) && speaker.times(id)->firstAudioQueued; },
                         std::chrono::seconds(5))) {
                std::printf("bench_speech: no audio for an utterance\n");
                return 1;
            }
            const auto times = *speaker.times(id);
            latencies.push_back(ms(*times.firstAudioQueued - times.requested));
            speaker.stop();
        }
        std::printf("say() to first audio queued%s: median %.2f ms, max %.2f ms over %d (aim < 30 ms)\n",
                    switching ? " (changing language each time)" : " (same language)", median(latencies),
                    maximum(latencies), rounds);
    }

    // stop() with plenty of audio queued: how long until the queue is empty (stop() empties
    // it before it returns; checked right after).
    std::vector<double> stops;
    int notEmpty = 0;
    for (int i = 0; i < rounds; ++i) {
        speaker.say(kTexts[0].paragraph, "nl");
        if (!waitFor([&] { return speaker.queuedAudioBytes() > 22050 * 2; }, std::chrono::seconds(5))) {
            std::printf("bench_speech: audio was not queued\n");
            return 1;
        }
        const auto before = Clock::now();
        speaker.stop();
        stops.push_back(ms(Clock::now() - before));
        if (speaker.queuedAudioBytes() != 0 || speaker.isSpeaking()) ++notEmpty;
    }
    std::printf("stop() to queue empty: median %.3f ms, max %.3f ms over %d; queue not empty after stop: %d "
                "(aim < 20 ms; plus at most one 11.6 ms device buffer still heard)\n",
                median(stops), maximum(stops), rounds, notEmpty);

    // Synthesis speed: seconds of audio per second of synthesis, per language.
    for (const auto& text : kTexts) {
        std::vector<double> factors;
        double audioSeconds = 0;
        for (int i = 0; i < std::max(1, rounds / 4); ++i) {
            const auto rendering = speaker.render(text.paragraph, text.language);
            if (!rendering) {
                std::printf("bench_speech: %s: %s\n", text.language,
                            std::string(speechErrorMessage(rendering.error().error)).c_str());
                return 1;
            }
            audioSeconds = static_cast<double>(rendering->samples.size()) / rendering->sampleRate;
            factors.push_back(audioSeconds / std::chrono::duration<double>(rendering->synthesisTime).count());
        }
        std::printf("synthesis %s: %.1f s of audio at %.0fx real time (median of %zu)\n", text.language,
                    audioSeconds, median(factors), factors.size());
    }
    return notEmpty == 0 ? 0 : 1;
}
