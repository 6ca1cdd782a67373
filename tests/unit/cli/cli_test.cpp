// The real `kiosk` binary from the outside: the command line of ../shared/kiosk-cli.md, the
// lint's exit status and output, and the README's two commands that CI relies on.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
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

TEST_CASE("libcurl and librsvg are not loaded at start (they are opened when first needed)") {
    // What the dynamic loader maps before main, as ldd lists it.
    const std::string command = std::string("LD_TRACE_LOADED_OBJECTS=1 ") + KIOSK_BINARY + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string loaded;
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) loaded.append(buffer.data(), n);
    ::pclose(pipe);
    INFO(loaded);
    CHECK(loaded.find("libSDL2") != std::string::npos);   // the control: the list is there
    CHECK(loaded.find("libcurl") == std::string::npos);
    CHECK(loaded.find("libgnutls") == std::string::npos);  // one of libcurl's own
    CHECK(loaded.find("librsvg") == std::string::npos);
    CHECK(loaded.find("libpango") == std::string::npos);   // one of librsvg's own
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

TEST_CASE("kiosk lint --format json: one array on stdout, each finding with file, line, column, rule, fix") {
    const auto dir = std::filesystem::temp_directory_path() / ("kiosk-cli-json-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "proef.yaml") << "form: proef\nversion: 1\ntitle: Proef\nlanguages: [nl]\n"
                                         "submit:\n  endpoint: https://example.org/x\npages:\n  - id: een\n"
                                         "    fields:\n      - id: bsn\n        type: bsn\n"
                                         "        label: U moet uw BSN middels dit scherm indienen bij de gemeente vandaag.\n";
    // stdout only: the JSON must parse without the summary line (that goes to stderr).
    const std::string out = (dir / "out.json").string();
    const int raw = std::system((std::string(KIOSK_BINARY) + " lint --format json " + dir.string() + " > " + out + " 2>/dev/null").c_str());
    CHECK(WEXITSTATUS(raw) == 0);  // warnings only
    const auto parsed = nlohmann::json::parse(readFile(out));
    REQUIRE(parsed.is_array());
    std::set<std::string> rules;
    for (const auto& item : parsed) {
        CHECK(item.at("file") == (dir / "proef.yaml").string());
        CHECK(item.at("severity") == "warning");
        CHECK(item.at("line").get<int>() > 0);
        CHECK(item.at("column").get<int>() > 0);
        CHECK_FALSE(item.at("message").get<std::string>().empty());
        CHECK_FALSE(item.at("fix").get<std::string>().empty());
        rules.insert(item.at("rule").get<std::string>());
    }
    CHECK(rules == std::set<std::string>{"long-sentence", "jargon", "abbreviation", "missing-why"});
    const auto sentence = std::ranges::find(parsed, "long-sentence", [](const nlohmann::json& j) { return j.at("rule"); });
    REQUIRE(sentence != parsed.end());
    CHECK((*sentence).at("line") == 12);
    CHECK((*sentence).at("column") == 16);
    // The default output is text on stderr, as before.
    const auto text = run("lint " + dir.string());
    CHECK(text.output.find((dir / "proef.yaml").string() + ":12:16: warning: the label of field 'bsn' (nl): this sentence has 12 words") != std::string::npos);
    CHECK(text.output.find("[long-sentence]") != std::string::npos);
    // --summary: the personal data and why, per form.
    const auto summary = run("lint --summary " + dir.string());
    CHECK(summary.status == 0);
    CHECK(summary.output.find("proef (") != std::string::npos);
    CHECK(summary.output.find("- U moet uw BSN") != std::string::npos);
    CHECK(summary.output.find("why: (no why") != std::string::npos);
    const std::string summaryOut = (dir / "summary.json").string();
    CHECK(WEXITSTATUS(std::system((std::string(KIOSK_BINARY) + " lint --summary --format json " + dir.string() + " > " + summaryOut + " 2>/dev/null").c_str())) == 0);
    const auto forms = nlohmann::json::parse(readFile(summaryOut));
    REQUIRE(forms.size() == 1);
    CHECK(forms[0].at("form") == "proef");
    CHECK(forms[0].at("personal_data")[0].at("field") == "bsn");
    CHECK(forms[0].at("personal_data")[0].at("why").is_null());
    std::filesystem::remove_all(dir);
}
