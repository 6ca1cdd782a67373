// The real `kiosk` binary from the outside: the command line of ../shared/kiosk-cli.md, the
// lint's exit status and output, and the README's two commands that CI relies on.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <vector>

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

struct Run {
    int status = -1;
    std::string output;  // stdout and stderr together
};

Run run(const std::string& arguments) {
    Run result;
    const std::string command = std::string(KIOSK_BINARY) + " " + arguments + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
        result.output.append(buffer.data(), n);
    }
    const int raw = ::pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

TEST_CASE("--help and --version exit 0") {
    const auto help = run("--help");
    CHECK(help.status == 0);
    CHECK(help.output.find("lint") != std::string::npos);
    CHECK(help.output.find("run") != std::string::npos);
    const auto version = run("--version");
    CHECK(version.status == 0);
    CHECK(version.output.starts_with("kiosk "));
}

TEST_CASE("a wrong command line exits 2 and says why") {
    const auto wrong = run("lnt x");
    CHECK(wrong.status == 2);
    CHECK_FALSE(wrong.output.empty());
}

TEST_CASE("kiosk lint: the demo forms are clean (exit 0)") {
    const auto lint = run("lint " + (kSource / "assets/forms").string());
    CHECK(lint.status == 0);
    CHECK(lint.output.find("3 of 3 form files are good; 0 errors, 0 warnings") != std::string::npos);
}

TEST_CASE("kiosk lint: errors exit 1, each as path:line:column: error: message") {
    const auto dir = kSource / "tests/data/refusals";
    const auto lint = run("lint " + dir.string());
    CHECK(lint.status == 1);
    CHECK(lint.output.find((dir / "unknown-key-typo.yaml").string() +
                           ":12:9: error: unknown key 'lable' in field 'naam' \u2014 did you mean "
                           "'label'?") != std::string::npos);
}

TEST_CASE("kiosk lint: warnings alone exit 0") {
    const auto dir = std::filesystem::temp_directory_path() / ("kiosk-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(kSource / "assets/forms/verhuizing.yaml", dir / "verhuizing.yaml");
    std::ofstream(dir / "oud.yml") << "form: oud\n";
    const auto lint = run("lint " + dir.string());
    std::filesystem::remove_all(dir);
    CHECK(lint.status == 0);
    CHECK(lint.output.find("oud.yml:1:1: warning:") != std::string::npos);
}

TEST_CASE("kiosk run with a broken config exits 2 with line and column") {
    const auto file = std::filesystem::temp_directory_path() / ("kiosk-cli-" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(file) << "kiosk_id: a\nidel:\n  warn_after_s: 3\n";
    const auto result = run("run --window --config " + file.string());
    std::filesystem::remove(file);
    CHECK(result.status == 2);
    CHECK(result.output.find(":2:1: unknown key 'idel' in the config \u2014 did you mean 'idle'?") !=
          std::string::npos);
}

TEST_CASE("the README opens with the two commands, and .ci/run calls the test command") {
    const std::string readme = readFile(kSource / "README.md");
    // The first two code blocks: run the kiosk, then run the tests.
    std::vector<std::string> blocks;
    for (std::size_t at = readme.find("```"); at != std::string::npos && blocks.size() < 2;) {
        const auto start = readme.find('\n', at) + 1;
        const auto end = readme.find("```", start);
        REQUIRE(end != std::string::npos);
        blocks.push_back(readme.substr(start, end - start));
        at = readme.find("```", end + 3);
    }
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0] == "./run-kiosk.sh\n");
    CHECK(blocks[1] == "./run-tests.sh\n");
    // Nothing but a title and a line may stand before the first command.
    CHECK(readme.find("```") < 400);
    const std::string ci = readFile(kSource / ".ci/run");
    CHECK(ci.find("./run-tests.sh") != std::string::npos);
    CHECK(std::filesystem::exists(kSource / "run-kiosk.sh"));
    CHECK(std::filesystem::exists(kSource / "run-tests.sh"));
}
