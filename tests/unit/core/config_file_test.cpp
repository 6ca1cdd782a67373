// The config file itself as a bad file: truncated, binary, huge (sparse), a folder, a named
// pipe. Each is refused with one clear message, at once (a pipe never blocks the kiosk).
#include "kiosk/core/config.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("kiosk-config-file-test-" + std::to_string(::getpid()));
    TempDir() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return path / name;
    }
};

std::vector<std::string> errorsOf(const fs::path& file) {
    auto loading = std::async(std::launch::async, [&] { return loadConfig(file); });
    REQUIRE(loading.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    const auto config = loading.get();
    REQUIRE_FALSE(config.has_value());
    return config.error().messages;
}

}  // namespace

TEST_CASE("a truncated, binary, huge, folder or pipe config is refused with one message") {
    TempDir dir;
    const std::string p = dir.path.string() + "/";
    CHECK(errorsOf(dir.write("afgekapt.yaml", "kiosk_id: bieb\nlanguages: [nl, en")) ==
          std::vector<std::string>{p + "afgekapt.yaml:2:19: not valid YAML (did not find expected ',' or ']' while "
                                       "parsing a flow sequence); the file ends in the middle of something: it was "
                                       "probably cut off while it was copied or saved"});
    CHECK(errorsOf(dir.write("afbeelding.yaml", "\x89PNG\r\n\x1a\n....")) ==
          std::vector<std::string>{p + "afbeelding.yaml:1:1: the config is a PNG image, not text; the config is a "
                                       "YAML text file (UTF-8): give the right file to --config"});
    CHECK(errorsOf(dir.write("nul.yaml", std::string("kiosk_id: bieb\n\0\0", 17))) ==
          std::vector<std::string>{p + "nul.yaml:2:1: the config holds a zero byte, so it is not a text file; "
                                       "save it as plain text (UTF-8)"});
    CHECK(errorsOf(dir.write("latin1.yaml", "kiosk_id: caf\xE9\n")) ==
          std::vector<std::string>{p + "latin1.yaml:1:14: the config is not UTF-8 text (a byte here is not valid "
                                       "UTF-8); save it as UTF-8"});
    const auto huge = dir.write("groot.yaml", "");
    fs::resize_file(huge, 10ULL << 30);  // sparse
    CHECK(errorsOf(huge) == std::vector<std::string>{
                                p + "groot.yaml:1:1: cannot use the config file: the file is 10485760 KiB; a config "
                                    "file may be at most 1024 KiB (1 MiB). Is this really the config?"});
    fs::create_directories(dir.path / "map.yaml");
    CHECK(errorsOf(dir.path / "map.yaml") == std::vector<std::string>{
                                                 p + "map.yaml:1:1: cannot use the config file: refused: this is a "
                                                     "folder, not a config file; give the folder a name that does "
                                                     "not end in .yaml, or remove it"});
    REQUIRE(::mkfifo((dir.path / "pijp.yaml").c_str(), 0644) == 0);
    CHECK(errorsOf(dir.path / "pijp.yaml") == std::vector<std::string>{
                                                  p + "pijp.yaml:1:1: cannot use the config file: refused: this is "
                                                      "a named pipe (FIFO), not a config file; remove it and put the "
                                                      "config file itself here"});
    CHECK(errorsOf(dir.path / "weg.yaml") ==
          std::vector<std::string>{p + "weg.yaml:1:1: cannot use the config file: the file does not exist"});
}
