// Bad files everywhere (issue 7, point 6): what a penetration tester puts in the forms
// folder. Truncated, binary, huge and sparse, deeply nested, billion laughs, links out of
// the folder, pipes, sockets, folders, unreadable files and hostile icons: each is refused
// with a clear finding, fast and with bounded memory, and the good forms still load.
#include "forms/icon_file.hpp"
#include "forms/loader.hpp"
#include "forms/staff_file.hpp"
#include "tests/fakes/minimal_form.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <random>
#include <sstream>

using namespace kiosk::forms;
namespace fs = std::filesystem;

namespace {

const fs::path kData = KIOSK_TEST_DATA_DIR;
const fs::path kDemoForms = fs::path(KIOSK_SOURCE_DIR) / "assets/forms";

const std::string& kGoodForm = kiosk::test::kMinimalForm;

const IconCatalog& icons() {
    static const IconCatalog catalog = [] {
        auto loaded = IconCatalog::loadTsv(fs::path(KIOSK_SOURCE_DIR) / "assets/icons/material-icons.tsv");
        REQUIRE(loaded.has_value());
        return *loaded;
    }();
    return catalog;
}

LoadOptions options() {
    LoadOptions load;
    load.icons = &icons();
    return load;
}

// A scratch folder, removed afterwards (made traversable for the unprivileged user).
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name = "dir") {
        path = fs::temp_directory_path() /
               ("kiosk-bad-files-" + std::to_string(::getpid()) + "-" + name + "-" + std::to_string(counter()++));
        fs::remove_all(path);
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    static int& counter() { static int n = 0; return n; }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

// "line:column: severity: message" of every finding of a file (the path dropped).
std::vector<std::string> findingsOf(const FileResult& result) {
    std::vector<std::string> lines;
    for (const auto& finding : result.findings) {
        std::string line = formatFinding(finding);
        line.erase(0, finding.path.size() + 1);
        lines.push_back(line);
    }
    return lines;
}

std::string only(const FileResult& result) {
    REQUIRE(result.findings.size() == 1);
    CHECK_FALSE(result.form.has_value());
    return findingsOf(result)[0];
}

// The findings of the folder for one file name, path dropped.
std::vector<std::string> findingsFor(const FolderResult& result, const fs::path& dir, const std::string& name) {
    std::vector<std::string> lines;
    for (const auto& finding : result.findings) {
        if (finding.path != (dir / name).string()) continue;
        std::string line = formatFinding(finding);
        line.erase(0, finding.path.size() + 1);
        lines.push_back(line);
    }
    return lines;
}

template <typename F>
auto timed(F&& f, double& seconds) {
    const auto start = std::chrono::steady_clock::now();
    auto result = f();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

// Runs `what` in a child process as the unprivileged user nobody (65534), as the kiosk user
// would be, and returns what it wrote. Tests run as root, for whom chmod 000 stops nothing.
std::string asNobody(const std::function<std::string()>& what) {
    int pipeEnds[2];
    REQUIRE(::pipe(pipeEnds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(pipeEnds[0]);
        std::string out;
        if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
                                 ::setresuid(65534, 65534, 65534) != 0)) {
            out = "could not become nobody";
        } else if (::geteuid() == 0) {
            out = "still root";
        } else {
            out = what();
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(pipeEnds[1], p, left);
            if (n <= 0) break;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(pipeEnds[1]);
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeEnds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    ::close(pipeEnds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return out;
}

}  // namespace

// [SECTION] Truncated ------------------------------------------------------------------------

TEST_CASE("a file cut off in a mapping, a quoted text or a UTF-8 letter says it was cut off") {
    // In a flow mapping: libyaml stops at the end.
    CHECK(only(loadFormText("form: goed\ntitle: { nl: Goed, en: Go", "a.yaml", options())) ==
          "2:26: error: the file is not valid YAML (did not find expected ',' or '}' while parsing a flow "
          "mapping). The file ends in the middle of something: it was probably cut off while it was "
          "copied or saved; copy the whole file again");
    // In a quoted text.
    CHECK(only(loadFormText("form: goed\ntitle: \"Verhuizing door", "a.yaml", options())) ==
          "2:24: error: the file is not valid YAML (found unexpected end of stream while scanning a "
          "quoted scalar). The file ends in the middle of something: it was probably cut off while "
          "it was copied or saved; copy the whole file again");
    // In a letter: 'é' is C3 A9; the file ends after C3.
    CHECK(only(loadFormText("form: goed\ntitle: Caf\xC3", "a.yaml", options())) ==
          "2:11: error: the file ends in the middle of a letter (an incomplete UTF-8 character): it "
          "was probably cut off while it was copied or saved; copy the whole file again");
    // A block mapping cut after a key is valid YAML: the missing parts are named.
    const auto cut = loadFormText(kGoodForm.substr(0, kGoodForm.find("pages:") + 6), "a.yaml", options());
    CHECK_FALSE(cut.form.has_value());
    CHECK(findingsOf(cut) == std::vector<std::string>{"7:7: error: pages must be a list with at least one page (each starting with '- id: ...')"});
    // Every cut of a good form is refused or loads; none crashes, and each is fast.
    for (std::size_t length = 0; length < kGoodForm.size(); ++length) {
        const auto result = loadFormText(kGoodForm.substr(0, length), "a.yaml", options());
        CHECK((result.form.has_value() || !result.findings.empty()));
    }
}

// [SECTION] Binary ---------------------------------------------------------------------------

TEST_CASE("binary files: zero bytes, an image renamed .yaml, UTF-16, random bytes") {
    CHECK(only(loadFormText(std::string("form: goed\nversion: 2\0\0\0", 24), "a.yaml", options())) ==
          "2:11: error: the file holds a zero byte, so it is not a text file; save the form as plain "
          "text (UTF-8) in your editor");
    std::ifstream png(kData / "bad-icons/icons/goed.png", std::ios::binary);
    const std::string pngBytes{std::istreambuf_iterator<char>(png), {}};
    CHECK(only(loadFormText(pngBytes, "a.yaml", options())) ==
          "1:1: error: the file is a PNG image, not a form file; a form file is text: save the form's "
          "YAML as plain text (UTF-8) under this name");
    CHECK(only(loadFormText("PK\x03\x04" "abc", "a.yaml", options())) ==
          "1:1: error: the file is a ZIP archive (or a Word, Excel or OpenDocument file), not a form "
          "file; a form file is text: save the form's YAML as plain text (UTF-8) under this name");
    CHECK(only(loadFormText(std::string("\xFF\xFE" "f\0o\0", 6), "a.yaml", options())) ==
          "1:1: error: the file is saved as UTF-16 text; save it as UTF-8 in your editor");
    std::mt19937 random(42);
    for (int round = 0; round < 50; ++round) {
        std::string bytes(4096, '\0');
        for (auto& c : bytes) c = static_cast<char>(random() & 0xFF);
        const auto result = loadFormText(bytes, "a.yaml", options());
        CHECK_FALSE(result.form.has_value());
        REQUIRE(result.findings.size() == 1);
    }
}

// [SECTION] Huge -----------------------------------------------------------------------------

TEST_CASE("a file just over 1 MiB and a sparse 10 GB file are refused by size, unread") {
    TempDir dir;
    dir.write("net-te-groot.yaml", std::string(kMaxFormFileBytes + 1, '#'));
    CHECK(only(loadFormFile(dir.path / "net-te-groot.yaml", options())) ==
          "1:1: error: the file is 1025 KiB; form files may be at most 1024 KiB (1 MiB). Is this really a form?");
    dir.write("precies.yaml", kGoodForm + std::string(kMaxFormFileBytes - kGoodForm.size() - 1, '#') + "\n");
    CHECK(loadFormFile(dir.path / "precies.yaml", options()).form.has_value());

    dir.write("tien-gb.yaml", "");
    fs::resize_file(dir.path / "tien-gb.yaml", 10ULL << 30);  // truncate(2): sparse, no blocks
    double seconds = 0;
    const auto result = timed([&] { return loadFormFile(dir.path / "tien-gb.yaml", options()); }, seconds);
    CHECK(only(result) ==
          "1:1: error: the file is 10485760 KiB; form files may be at most 1024 KiB (1 MiB). Is this really a form?");
    CHECK(seconds < 0.5);  // reading 10 GB would take minutes
}

// [SECTION] Nesting, many nodes, billion laughs -----------------------------------------------

TEST_CASE("deep nesting, block or flow, is refused at level 65 and fast") {
    std::string block = "form:\n";
    for (int level = 1; level <= 100; ++level) block += std::string(std::size_t(level) * 2, ' ') + "a:\n";
    CHECK(only(loadFormText(block, "a.yaml", options())) ==
          "65:129: error: the file is not valid YAML (the file is nested too deeply (more than 64 levels))");
    double seconds = 0;
    const std::string flow(kMaxFormFileBytes - 1, '[');
    const auto flowResult = timed([&] { return loadFormText(flow, "a.yaml", options()); }, seconds);
    CHECK(only(flowResult) == "1:65: error: the file is not valid YAML (the file is nested too deeply (more than 64 levels))");
    CHECK(seconds < 2.0);
    std::string maps;
    for (int level = 0; level < 10000; ++level) maps += "{a: ";
    CHECK(only(loadFormText(maps, "a.yaml", options())).starts_with("1:257: error: the file is not valid YAML (the file is nested too deeply"));
}

TEST_CASE("a 1 MiB list of tiny items is refused after 100000 values, not built") {
    std::string many = "form: [";
    while (many.size() < kMaxFormFileBytes - 2) many += "1,";
    many += "1]";
    double seconds = 0;
    const auto result = timed([&] { return loadFormText(many, "a.yaml", options()); }, seconds);
    CHECK(only(result) ==
          "1:200002: error: the file is not valid YAML (the file holds more than 100000 values (keys, texts "
          "and list items); no kiosk file needs that many. Is this really the right file?)");
    CHECK(seconds < 3.0);
}

TEST_CASE("billion laughs: the first anchor is refused, nothing is expanded") {
    std::string laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        const char previous = static_cast<char>(c - 1);
        laughs += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) laughs += std::string(i ? "," : "") + "*" + previous;
        laughs += "]\n";
    }
    CHECK(only(loadFormText(laughs, "a.yaml", options())) ==
          "1:4: error: the file is not valid YAML (anchors (&name) are not allowed; write the value out in full)");
    // Aliases alone (to an anchor that never came) are refused too.
    CHECK(only(loadFormText("a: [*a, *a, *a]\n", "a.yaml", options())) ==
          "1:5: error: the file is not valid YAML (aliases (*name) are not allowed; write the value out in full)");
}

// [SECTION] Links ----------------------------------------------------------------------------

TEST_CASE("links: inside the folder they are followed, out of it (directly or by a folder) refused") {
    TempDir outside("outside");
    outside.write("elders.yaml", kGoodForm);
    fs::create_directories(outside.path / "map");
    TempDir dir("forms");
    fs::create_directories(dir.path / "versies");
    dir.write("versies/goed-v2.yaml", kGoodForm);
    fs::create_symlink("versies/goed-v2.yaml", dir.path / "a-binnen.yaml");
    fs::create_symlink(outside.path / "elders.yaml", dir.path / "b-buiten.yaml");
    fs::create_symlink("../" + outside.path.filename().string() + "/elders.yaml", dir.path / "c-relatief.yaml");
    fs::create_symlink(outside.path, dir.path / "gedeeld");
    fs::create_symlink("gedeeld/elders.yaml", dir.path / "d-via-map.yaml");
    fs::create_symlink("weg.yaml", dir.path / "e-dood.yaml");
    fs::create_symlink("f-rond.yaml", dir.path / "f-rond.yaml");
    fs::create_symlink("/dev/zero", dir.path / "g-nul.yaml");
    fs::create_symlink("/etc/shadow", dir.path / "h-geheim.yaml");
    const auto result = loadFormFolder(dir.path, options());
    REQUIRE(result.forms.size() == 1);
    CHECK(result.forms[0].id == "goed");
    CHECK(result.filesRead == 8);
    CHECK(result.filesRefused == 7);
    const auto real = fs::canonical(outside.path);
    auto f = [&](const std::string& name) { return findingsFor(result, dir.path, name); };
    CHECK(f("a-binnen.yaml").empty());
    CHECK(f("b-buiten.yaml") == std::vector<std::string>{
        "1:1: error: refused: this link points outside the forms folder (to " + (real / "elders.yaml").string() +
        "); copy the form file itself into the folder instead of linking to it"});
    CHECK(f("c-relatief.yaml") == f("b-buiten.yaml"));
    CHECK(f("d-via-map.yaml") == f("b-buiten.yaml"));
    CHECK(f("e-dood.yaml") == std::vector<std::string>{
        "1:1: error: refused: this link points to weg.yaml, which does not exist; remove the link, or put the form file itself here"});
    CHECK(f("f-rond.yaml") == std::vector<std::string>{
        "1:1: error: refused: this link leads round in a circle (it ends up pointing at itself); remove it and put the form file itself here"});
    CHECK(f("g-nul.yaml") == std::vector<std::string>{
        "1:1: error: refused: this link points outside the forms folder (to /dev/zero); copy the form file itself into the folder instead of linking to it"});
    CHECK(f("h-geheim.yaml").at(0).starts_with("1:1: error: refused: this link points outside the forms folder (to /etc/shadow)"));
}

// [SECTION] Not regular files ----------------------------------------------------------------

TEST_CASE("a named pipe, a folder and a socket named .yaml are refused, and a pipe never blocks") {
    TempDir dir;
    dir.write("a-goed.yaml", kGoodForm);
    REQUIRE(::mkfifo((dir.path / "b-pijp.yaml").c_str(), 0644) == 0);
    fs::create_directories(dir.path / "c-map.yaml");
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socketPath = (dir.path / "d-socket.yaml").string();
    REQUIRE(socketPath.size() < sizeof address.sun_path);
    std::copy(socketPath.begin(), socketPath.end(), address.sun_path);
    REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

    auto loading = std::async(std::launch::async, [&] { return loadFormFolder(dir.path, options()); });
    if (loading.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        // The loader is stuck in open(): a writer lets it go, so the test ends and fails.
        const int writer = ::open((dir.path / "b-pijp.yaml").c_str(), O_WRONLY | O_NONBLOCK);
        if (writer >= 0) ::close(writer);
        FAIL("the loader blocked on the named pipe");
    }
    const auto result = loading.get();
    ::close(sock);
    REQUIRE(result.forms.size() == 1);
    CHECK(result.filesRefused == 3);
    CHECK(findingsFor(result, dir.path, "b-pijp.yaml") == std::vector<std::string>{
        "1:1: error: refused: this is a named pipe (FIFO), not a form file; remove it and put the form file itself here"});
    CHECK(findingsFor(result, dir.path, "c-map.yaml") == std::vector<std::string>{
        "1:1: error: refused: this is a folder, not a form file; give the folder a name that does not end in .yaml, or remove it"});
    CHECK(findingsFor(result, dir.path, "d-socket.yaml") == std::vector<std::string>{
        "1:1: error: refused: this is a socket, not a form file; remove it and put the form file itself here"});
}

TEST_CASE("a file the kiosk user may not read is named, with the chmod that fixes it") {
    TempDir dir;
    dir.write("a-goed.yaml", kGoodForm);
    dir.write("b-geheim.yaml", kGoodForm);
    fs::permissions(dir.path / "a-goed.yaml", fs::perms::owner_read | fs::perms::others_read);
    fs::permissions(dir.path / "b-geheim.yaml", fs::perms::none);
    const std::string seen = asNobody([&] {
        const auto result = loadFormFolder(dir.path, options());
        std::string out = std::to_string(result.forms.size()) + " form(s)\n";
        for (const auto& finding : result.findings) out += formatFinding(finding) + "\n";
        return out;
    });
    CHECK(seen == "1 form(s)\n" + (dir.path / "b-geheim.yaml").string() +
                      ":1:1: error: cannot read this file (permission denied); let the kiosk user read it, "
                      "for example with: chmod a+r b-geheim.yaml\n");
    // A folder the kiosk user cannot open is one finding.
    fs::permissions(dir.path, fs::perms::owner_all);
    const std::string closed = asNobody([&] {
        const auto result = loadFormFolder(dir.path, options());
        std::string out;
        for (const auto& finding : result.findings) out += formatFinding(finding) + "\n";
        return out;
    });
    CHECK(closed.find("error: cannot read the forms folder: Permission denied") != std::string::npos);
}

// [SECTION] Icons ----------------------------------------------------------------------------

TEST_CASE("hostile icons are refused at load, each with its reason") {
    const fs::path icons = kData / "bad-icons/icons";
    auto check = [&](const std::string& file) -> std::string {
        std::ifstream in(icons / file, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        REQUIRE_FALSE(bytes.empty());
        const auto checked = checkIconBytes(bytes, file.ends_with(".png") ? IconFormat::Png : IconFormat::Svg);
        return checked ? "good" : checked.error();
    };
    CHECK(check("goed.png") == "good");
    CHECK(check("goed.svg") == "good");
    CHECK(check("afgekapt.png") == "the PNG file ends too early (it was probably cut off while copying); copy it again");
    CHECK(check("beschadigd.png") == "the PNG file is damaged (a checksum does not match); open it in an image editor and save it again as PNG");
    CHECK(check("willekeurig.png") == "this is not a PNG image; save the picture as PNG, or name an SVG file NAME.svg");
    CHECK(check("reus.png") == "the PNG image is 100000 x 100000 pixels; icons may be at most 4096 x 4096 (512 x 512 is plenty): make it smaller");
    double seconds = 0;
    const auto bomb = timed([&] { return check("bom.png"); }, seconds);
    CHECK(bomb == "the PNG's image data unpacks to more than its width and height allow (a \"decompression bomb\"); open it in an image editor and save it again as PNG");
    CHECK(seconds < 1.0);  // unpacking all 64 MiB would be slower, and is not done
    CHECK(check("entiteiten.svg") == "the SVG has a <!DOCTYPE> or <!ENTITY> part; entities can make a small file grow without end, so icons may not have them: remove it (an SVG needs neither)");
    CHECK(check("extern-bestand.svg") == "the SVG refers to something outside itself (href=\"file:///etc/shadow\"); an icon must be one self-contained file: remove the reference, or draw that part inside the SVG");
    CHECK(check("extern-web.svg") == "the SVG refers to something outside itself (url( 'https://tracker.example.org/p.svg#a' )); an icon must be one self-contained file: remove the reference, or draw that part inside the SVG");
    CHECK(check("reus.svg") == "the SVG declares width=\"100000\"; icons may be at most 4096 wide and high: set width and height to the size you want (for example 512) and keep the viewBox");
    CHECK(check("ingepakt.svg") == "the SVG has a picture packed inside it (href=\"data:image/png;base64,iVBORw0KGgo=\"); icons may not carry other pictures: draw that part as SVG shapes, or use a PNG icon");
}

TEST_CASE("a form with a hostile or linked-away icon is refused; the lint names the icon file") {
    TempDir outside("outside");
    fs::copy_file(kData / "bad-icons/icons/goed.png", outside.path / "elders.png");
    TempDir dir("forms");
    fs::create_directories(dir.path / "icons");
    for (const auto& name : {"goed.png", "bom.png", "entiteiten.svg", "afgekapt.png"}) {
        fs::copy_file(kData / "bad-icons/icons" / name, dir.path / "icons" / name);
    }
    fs::create_symlink(outside.path / "elders.png", dir.path / "icons/elders.png");
    fs::create_directories(dir.path / "icons/mapje.png");
    dir.write("icons/groot.svg", "<svg>" + std::string(kMaxIconFileBytes, ' ') + "</svg>");
    auto withIcon = [&](const std::string& file, const std::string& id, const std::string& icon) {
        std::string form = kGoodForm;
        form.replace(form.find("goed"), 4, id);
        form.insert(form.find("languages:"), "icon: " + icon + "\n");
        dir.write(file, form);
    };
    withIcon("a.yaml", "a", "goed");
    withIcon("b.yaml", "b", "bom");
    withIcon("c.yaml", "c", "entiteiten");
    withIcon("d.yaml", "d", "afgekapt");
    withIcon("e.yaml", "e", "elders");
    withIcon("f.yaml", "f", "mapje");
    withIcon("g.yaml", "g", "groot");
    const auto result = loadFormFolder(dir.path, options());
    std::string all;
    for (const auto& finding : result.findings) all += formatFinding(finding) + "\n";
    for (const auto& form : result.forms) all += "loaded: " + form.id + "\n";
    INFO(all);
    REQUIRE(result.forms.size() == 1);
    CHECK(result.forms[0].icon == "goed");
    auto f = [&](const std::string& name) {
        const auto lines = findingsFor(result, dir.path, name);
        REQUIRE(lines.size() == 1);
        return lines[0];
    };
    CHECK(f("b.yaml") == "4:7: error: the icon file icons/bom.png cannot be used: the PNG's image data unpacks to more than its width and height allow (a \"decompression bomb\"); open it in an image editor and save it again as PNG");
    CHECK(f("c.yaml").starts_with("4:7: error: the icon file icons/entiteiten.svg cannot be used: the SVG has a <!DOCTYPE>"));
    CHECK(f("d.yaml") == "4:7: error: the icon file icons/afgekapt.png cannot be used: the PNG file ends too early (it was probably cut off while copying); copy it again");
    CHECK(f("e.yaml") == "4:7: error: the icon file icons/elders.png cannot be used: refused: this link points outside the forms folder (to " +
                             (fs::canonical(outside.path) / "elders.png").string() + "); copy the icon file itself into the folder instead of linking to it");
    CHECK(f("f.yaml") == "4:7: error: the icon file icons/mapje.png cannot be used: refused: this is a folder, not an icon file; give the folder a name that does not end in .png, or remove it");
    CHECK(f("g.yaml") == "4:7: error: the icon file icons/groot.svg cannot be used: the file is 1025 KiB; icons may be at most 1024 KiB (1 MiB): make the picture smaller (512 x 512 pixels is plenty)");
}

TEST_CASE("a linked icons folder that leads outside is refused") {
    TempDir outside("outside");
    fs::copy_file(kData / "bad-icons/icons/goed.svg", outside.path / "logo.svg");
    TempDir dir("forms");
    fs::create_symlink(outside.path, dir.path / "icons");
    std::string form = kGoodForm;
    form.insert(form.find("languages:"), "icon: logo\n");
    dir.write("a.yaml", form);
    const auto result = loadFormFolder(dir.path, options());
    CHECK(result.forms.empty());
    REQUIRE(result.findings.size() == 1);
    CHECK(result.findings[0].message.starts_with("the icon file icons/logo.svg cannot be used: refused: a linked folder on the way"));
}

// [SECTION] The demo forms among every kind of bad file ---------------------------------------

TEST_CASE("the three demo forms load from a folder full of bad files") {
    TempDir dir;
    for (const auto& entry : fs::directory_iterator(kDemoForms)) {
        if (entry.path().extension() == ".yaml") fs::copy_file(entry.path(), dir.path / entry.path().filename());
    }
    REQUIRE(::mkfifo((dir.path / "pijp.yaml").c_str(), 0644) == 0);
    fs::create_directories(dir.path / "map.yaml");
    fs::create_symlink("/etc/passwd", dir.path / "wachtwoorden.yaml");
    fs::create_symlink("nergens.yaml", dir.path / "dood.yaml");
    dir.write("leeg.yaml", "");
    dir.write("half.yaml", kGoodForm.substr(0, 40));
    dir.write("tien-gb.yaml", "");
    fs::resize_file(dir.path / "tien-gb.yaml", 10ULL << 30);
    auto loading = std::async(std::launch::async, [&] { return loadFormFolder(dir.path, options()); });
    REQUIRE(loading.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    const auto result = loading.get();
    CHECK(result.forms.size() == 3);
    CHECK(result.filesRefused == 7);
}
