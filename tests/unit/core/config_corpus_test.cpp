// The config corpus (tests/data/configs): every file in good/ is accepted and every file in
// bad/ refused by the kiosk's own parser. The JSON Schema test (tests/schema/check_schemas.py)
// reads the same files, so the schema and the parser are held to one list.
#include "kiosk/core/config.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace {
std::vector<fs::path> filesIn(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::ranges::sort(files);
    return files;
}
}  // namespace

TEST_CASE("the config corpus: good/ is accepted, bad/ is refused with line and column") {
    const fs::path corpus = fs::path(KIOSK_TEST_DATA_DIR) / "configs";
    const auto good = filesIn(corpus / "good");
    const auto bad = filesIn(corpus / "bad");
    CHECK(good.size() >= 4);
    CHECK(bad.size() >= 15);
    for (const auto& file : good) {
        CAPTURE(file.string());
        const auto config = kiosk::core::loadConfig(file);
        CHECK_MESSAGE(config.has_value(), (config ? "" : config.error().messages.front()));
    }
    for (const auto& file : bad) {
        CAPTURE(file.string());
        const auto config = kiosk::core::loadConfig(file);
        REQUIRE_FALSE(config.has_value());
        CHECK(config.error().messages.front().starts_with(file.string() + ":"));
    }
}
