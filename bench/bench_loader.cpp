// Prints how long the loader takes for a folder of 200 forms of 30 fields each (the aim:
// under 100 ms on the CI machine). Not a test: it measures and prints.
//   bench_loader [--short]     --short: 3 rounds instead of 15 (CI runs it so it cannot rot)
#include "forms/loader.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

// A realistic form: 30 fields over 30 pages, a mix of types, some conditions.
std::string makeForm(int number) {
    std::string text = "form: form-" + std::to_string(number) + "\nversion: 1\n" +
                       "title: { nl: Formulier, en: Form }\nlanguages: [nl, en]\nicon: home\n" +
                       "intro:\n  nl: Dit is een test.\n  en: This is a test.\n" +
                       "submit:\n  endpoint: https://example.org/api\npages:\n";
    const char* types[] = {"text", "number", "money", "date", "yesno", "postcode", "email", "choice"};
    for (int f = 0; f < 30; ++f) {
        const std::string id = "veld_" + std::to_string(f);
        const std::string type = types[f % 8];
        text += "  - id: p" + std::to_string(f) + "\n";
        if (f > 0 && f % 5 == 0) text += "    show_if: \"veld_0 != 'x' or veld_0 == 'y'\"\n";
        text += "    fields:\n      - id: " + id + "\n        type: " + type + "\n";
        text += "        label:\n          nl: Wat is uw antwoord?\n          en: What is your answer?\n";
        text += "        hint: { nl: Een hint., en: A hint. }\n";
        if (type == "number") text += "        min: 1\n        max: 99\n";
        if (type == "date") text += "        min: today-30\n        max: today+30\n";
        if (type == "choice") {
            text += "        options:\n";
            text += "          - { value: a, icon: key, label: { nl: Optie A, en: Option A } }\n";
            text += "          - { value: b, icon: home, label: { nl: Optie B, en: Option B } }\n";
        }
    }
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    const bool isShort = argc > 1 && std::string(argv[1]) == "--short";
    const int rounds = isShort ? 3 : 15;
    const auto dir = std::filesystem::temp_directory_path() / ("kiosk-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (int i = 0; i < 200; ++i) {
        std::ofstream(dir / ("form-" + std::to_string(i) + ".yaml")) << makeForm(i);
    }
    const auto icons = kiosk::forms::IconCatalog::fromPairs({{"home", 0xe88a}, {"key", 0xe73c}});
    kiosk::forms::LoadOptions options;
    options.icons = &icons;

    std::vector<double> millis;
    std::size_t loaded = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        const auto result = kiosk::forms::loadFormFolder(dir, options);
        const auto end = std::chrono::steady_clock::now();
        millis.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        loaded = result.forms.size();
        if (result.hasErrors()) {
            std::fprintf(stderr, "bench_loader: the generated forms have errors: %s\n",
                         kiosk::forms::formatFinding(result.findings.front()).c_str());
            std::filesystem::remove_all(dir);
            return 1;
        }
    }
    std::filesystem::remove_all(dir);
    std::ranges::sort(millis);
    std::printf("bench_loader: %zu forms x 30 fields: median %.1f ms, min %.1f ms, max %.1f ms over %d rounds (aim < 100 ms)\n",
                loaded, millis[millis.size() / 2], millis.front(), millis.back(), rounds);
    return loaded == 200 ? 0 : 1;
}
