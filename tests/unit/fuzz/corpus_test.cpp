// Every seed of the fuzz targets (fuzz/corpus/<target>/, and the test and demo form folders
// for the form loader) and every input a fuzzer found a bug with
// (tests/data/fuzz-regressions/<target>/) goes through the target's function again. A broken
// invariant aborts, and doctest names the test case and the file it was replaying.
// Below, the fixes those inputs led to are also checked by what they must say.
#include "fuzz/targets.hpp"

#include "forms/loader.hpp"
#include "kiosk/core/config.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = KIOSK_SOURCE_DIR;
const fs::path kData = KIOSK_TEST_DATA_DIR;

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> filesIn(const fs::path& dir) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::ranges::sort(files);
    return files;
}

// Replays the target's seeds and regressions; returns how many files each folder held.
void replay(const std::string& target, const std::function<void(std::string_view)>& run,
            std::vector<fs::path> extraSeeds = {}) {
    std::vector<fs::path> folders{kSource / "fuzz" / "corpus" / target, kData / "fuzz-regressions" / target};
    std::ranges::move(extraSeeds, std::back_inserter(folders));
    std::size_t seeds = 0;
    for (const auto& folder : folders) {
        for (const auto& file : filesIn(folder)) {
            const std::string name = file.string();
            INFO("replaying ", name);
            run(readBytes(file));
            ++seeds;
        }
    }
    MESSAGE(target << ": " << seeds << " inputs replayed");
    // A missing or emptied corpus would make this test pass vacuously.
    CHECK(seeds >= 10);
    // A target's own regression folder appears with its first crash (git keeps no empty
    // folders); the place for them must exist.
    CHECK(fs::is_directory(kData / "fuzz-regressions"));
}

}  // namespace

TEST_CASE("fuzz corpus: form loader") {
    replay("form_loader", kiosk::fuzz::formLoader,
           {kData / "good", kData / "refusals", kSource / "assets" / "forms"});
}

TEST_CASE("fuzz corpus: show_if") { replay("show_if", kiosk::fuzz::showIf); }

TEST_CASE("fuzz corpus: config") { replay("config", kiosk::fuzz::config); }

TEST_CASE("fuzz corpus: backend answer") { replay("backend_answer", kiosk::fuzz::backendAnswer); }

// Found by fuzz_config: libyaml counts its marks in characters, so with a non-ASCII letter
// earlier in the file a cut-off file was not recognised and a line past the end was named.
TEST_CASE("fuzz regression: a cut-off config with non-ASCII text names its last line") {
    const std::string text = readBytes(kData / "fuzz-regressions" / "config" / "cut-off-after-non-ascii");
    const auto config = kiosk::core::parseConfig(text, "k.yaml", "/x");
    REQUIRE_FALSE(config.has_value());
    const std::string& message = config.error().messages.front();
    CHECK(message.starts_with("k.yaml:3:4: not valid YAML"));
    CHECK(message.find("cut off") != std::string::npos);
}

TEST_CASE("fuzz regression: a cut-off form with non-ASCII text names its last line") {
    const std::string text = readBytes(kData / "fuzz-regressions" / "form_loader" / "cut-off-after-non-ascii.yaml");
    const auto result = kiosk::forms::loadFormText(text, "f.yaml", {});
    REQUIRE_FALSE(result.form.has_value());
    REQUIRE_FALSE(result.findings.empty());
    const auto& finding = result.findings.front();
    CHECK(finding.pos.line == 4);
    CHECK(finding.message.find("cut off") != std::string::npos);
}
