#include "tests/unit/net/net_support.hpp"

#include <curl/curl.h>
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace kiosk::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "toegang-net-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

Process::Process(std::vector<std::string> argv, const fs::path& logFile) {
    int pipeFds[2];
    REQUIRE(::pipe2(pipeFds, O_CLOEXEC) == 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const std::string log = logFile.empty() ? std::string("/dev/null") : logFile.string();
    const pid_t parent = ::getpid();
    m_pid = ::fork();
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
        // Child: only async-signal-safe calls until exec.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        ::dup2(pipeFds[1], STDOUT_FILENO);
        const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(m_pid, m_pid);  // also from here, so that kill(-pid) works at once
    ::close(pipeFds[1]);
    m_stdout = pipeFds[0];
}

Process::~Process() {
    kill(SIGKILL);
    (void)wait(10s);
    if (m_stdout >= 0) ::close(m_stdout);
}

void Process::kill(int signal) {
    if (m_pid > 0 && !m_reaped) ::kill(-m_pid, signal);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (m_pid <= 0) return std::nullopt;
    if (m_reaped) return 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid) {
            m_reaped = true;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
            return -1;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        // There is no waitable descriptor for a child short of pidfd (Linux 5.3); a child's
        // exit is polled every 5 ms, bounded by the deadline.
        std::this_thread::sleep_for(5ms);
    }
}

std::optional<std::string> Process::readLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto nl = m_buffer.find('\n'); nl != std::string::npos) {
            std::string line = m_buffer.substr(0, nl);
            m_buffer.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{m_stdout, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready <= 0) continue;
        char chunk[4096];
        const ssize_t n = ::read(m_stdout, chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;  // EOF: the process closed its stdout
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

std::vector<std::string> Process::remainingLines() {
    std::vector<std::string> lines;
    for (;;) {
        pollfd p{m_stdout, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) break;
        char chunk[4096];
        const ssize_t n = ::read(m_stdout, chunk, sizeof chunk);
        if (n <= 0) break;
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
    while (auto line = readLine(0ms)) lines.push_back(*line);
    return lines;
}

const fs::path& certsDir() {
    static const fs::path dir = [] {
        const fs::path d = KIOSK_NET_CERTS_DIR;
        if (!fs::exists(d / ".complete")) {
            fs::create_directories(d.parent_path());
            // Several test processes may start at once: one makes the certificates.
            const int lock = ::open((d.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            REQUIRE(lock >= 0);
            ::flock(lock, LOCK_EX);
            const std::string command = "bash '" + std::string(KIOSK_SOURCE_DIR) +
                                        "/tests/peers/make_certs.sh' '" + d.string() + "'";
            const int rc = std::system(command.c_str());
            ::flock(lock, LOCK_UN);
            ::close(lock);
            REQUIRE(rc == 0);
        }
        return d;
    }();
    return dir;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeText(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

net::CurlSubmitterOptions testTls(bool clientCert) {
    net::CurlSubmitterOptions o;
    o.caFile = certsDir() / "ca.crt";
    if (clientCert) {
        o.clientCert = certsDir() / "client.crt";
        o.clientKey = certsDir() / "client.key";
    }
    o.connectTimeout = 3s;
    o.totalTimeout = 10s;
    return o;
}

DemoBackend::DemoBackend(const fs::path& workDir, BackendOptions options) {
    const fs::path& c = certsDir();
    static int instance = 0;
    const std::string name = "backend-" + std::to_string(++instance);
    m_log = workDir / (name + ".log");
    std::vector<std::string> argv{KIOSK_PYTHON, std::string(KIOSK_SOURCE_DIR) + "/tests/peers/demo_backend.py",
                                  "--db", (workDir / (name + ".sqlite")).string(),
                                  "--sealing-key", (c / "sealing.key").string()};
    if (options.plainHttp) {
        argv.push_back("--plain-http");
    } else {
        argv.insert(argv.end(), {"--cert", (c / (options.serverCert + ".crt")).string(),
                                 "--key", (c / (options.serverCert + ".key")).string(),
                                 "--ca", (c / "ca.crt").string()});
    }
    if (options.oldTlsOnly) argv.insert(argv.end(), {"--tls-max", "1.1"});
    m_process.emplace(argv, m_log);
    const auto line = m_process->readLine(20s);
    INFO("backend log:\n" << readText(m_log));
    REQUIRE(line.has_value());
    const auto ports = nlohmann::json::parse(*line);
    m_port = ports.at("port").get<int>();
    m_controlPort = ports.at("control_port").get<int>();
}

std::string DemoBackend::url(const std::string& host) const {
    return "https://" + host + ":" + std::to_string(m_port) + "/api/submissions";
}

std::string DemoBackend::log() const { return readText(m_log); }

bool DemoBackend::waitForLog(const std::string& text, std::chrono::milliseconds timeout) const {
    return eventually([&] { return log().find(text) != std::string::npos; }, timeout);
}

void DemoBackend::fault(const std::string& json) {
    const auto [status, body] =
        httpRequest("POST", "http://127.0.0.1:" + std::to_string(m_controlPort) + "/fault", json);
    INFO(body);
    REQUIRE(status == 200);
}

nlohmann::json DemoBackend::dump() {
    const auto [status, body] = httpRequest("GET", "http://127.0.0.1:" + std::to_string(m_controlPort) + "/submissions");
    REQUIRE(status == 200);
    return nlohmann::json::parse(body);
}

int DemoBackend::inFlight() {
    const auto [status, body] = httpRequest("GET", "http://127.0.0.1:" + std::to_string(m_controlPort) + "/health");
    REQUIRE(status == 200);
    return nlohmann::json::parse(body).at("in_flight").get<int>();
}

std::map<std::string, int> DemoBackend::stored() {
    std::map<std::string, int> out;
    const auto doc = dump();  // kept: a range-for over dump().at(...) would dangle
    for (const auto& s : doc.at("submissions")) ++out[s.at("reference").get<std::string>()];
    return out;
}

std::map<std::string, std::vector<std::string>> DemoBackend::outcomes() {
    std::map<std::string, std::vector<std::string>> out;
    const auto doc = dump();
    for (const auto& r : doc.at("requests")) {
        out[r.at("reference").get<std::string>()].push_back(r.at("outcome").get<std::string>());
    }
    return out;
}

std::pair<long, std::string> httpRequest(const std::string& method, const std::string& url, const std::string& body) {
    CURL* curl = curl_easy_init();
    REQUIRE(curl != nullptr);
    std::string answer;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* d, std::size_t s, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
    });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    INFO(url << ": " << curl_easy_strerror(rc));
    REQUIRE(rc == CURLE_OK);
    return {status, answer};
}

int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(s >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    ::close(s);
    return ntohs(addr.sin_port);
}

bool waitForListener(int port, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(s);
        if (ok) return true;
        // A program that cannot report readiness (nginx) is polled: every 20 ms, bounded.
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

core::PreparedSubmission makeSubmission(const std::string& reference, const std::string& endpoint,
                                        std::size_t padding) {
    nlohmann::ordered_json payload;
    payload["form"] = "verhuizing";
    payload["form_version"] = 3;
    payload["reference"] = reference;
    payload["language"] = "nl";
    payload["kiosk"] = "test-kiosk";
    payload["submitted_at"] = "2026-11-29T10:15:00Z";
    payload["answers"] = {{"achternaam", "Jansen-" + reference},
                          {"bsn", kSecretBsn},
                          {"iban", kSecretIban},
                          {"toelichting", std::string(padding, 'x')}};
    return core::PreparedSubmission{"verhuizing", reference, endpoint, payload.dump()};
}

std::map<fs::path, std::string> allFiles(const fs::path& dir) {
    std::map<fs::path, std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) out[entry.path()] = readText(entry.path());
    }
    return out;
}

}  // namespace kiosk::test

namespace kiosk::test {

net::OutboxOptions sealedOutbox(const std::filesystem::path& dir, net::LogSink log) {
    net::OutboxOptions o;
    o.dir = dir;
    o.mode = core::Config::Outbox::Mode::Sealed;
    o.recipientKey = certsDir() / "sealing.pub.pem";
    o.log = std::move(log);
    return o;
}

net::OutboxOptions plainOutbox(const std::filesystem::path& dir, const std::filesystem::path& keyFile,
                               net::LogSink log) {
    net::OutboxOptions o;
    o.dir = dir;
    o.mode = core::Config::Outbox::Mode::Plain;
    o.keyFile = keyFile;
    o.log = std::move(log);
    return o;
}

}  // namespace kiosk::test
