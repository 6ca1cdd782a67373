// What the kiosk/net tests stand on: temporary folders, child processes that are always
// killed (also when a check fails or the test process dies), the test certificates, and the
// demo backend (tests/peers/demo_backend.py) with its control endpoint.
#pragma once

#include "kiosk/core/session.hpp"
#include "kiosk/net/curl_submitter.hpp"

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::test {

// A fresh folder under /tmp, removed with everything in it at the end.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// A child process in its own process group. The destructor SIGKILLs the group and reaps
// it; PR_SET_PDEATHSIG kills the child too if the test process dies first.
class Process {
public:
    // argv[0] is looked up in PATH. stdout is a pipe (readLine); stderr goes to `logFile`
    // (or /dev/null when empty).
    Process(std::vector<std::string> argv, const std::filesystem::path& logFile = {});
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    [[nodiscard]] pid_t pid() const { return m_pid; }
    // The next line of stdout (without '\n'), or nullopt after `timeout` or at EOF.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // Everything still readable from stdout without blocking (after the process ended).
    std::vector<std::string> remainingLines();
    void kill(int signal = 9);
    // Waits for the exit (bounded); the exit status, 128+signal, or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    pid_t m_pid = -1;
    int m_stdout = -1;
    std::string m_buffer;
    bool m_reaped = false;
};

// The certificates of tests/peers/make_certs.sh, made once per build tree (ctest's fixture
// net_certificates makes them first; a direct run makes them under a lock).
[[nodiscard]] const std::filesystem::path& certsDir();
[[nodiscard]] std::string readText(const std::filesystem::path& file);
void writeText(const std::filesystem::path& file, const std::string& text);

// TLS options that talk to the demo backend with the test CA and the client certificate.
[[nodiscard]] net::CurlSubmitterOptions testTls(bool clientCert = true);

struct BackendOptions {
    std::string serverCert = "server";  // server, expired, wronghost, untrusted
    bool plainHttp = false;             // behind nginx
    bool oldTlsOnly = false;            // TLS 1.0/1.1 only
};

// tests/peers/demo_backend.py on random free ports, killed at the end.
class DemoBackend {
public:
    explicit DemoBackend(const std::filesystem::path& workDir, BackendOptions options = {});
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] int controlPort() const { return m_controlPort; }
    // https://<host>:<port>/api/submissions
    [[nodiscard]] std::string url(const std::string& host = "localhost") const;
    // POST /fault with this JSON; fails the test unless it is accepted.
    void fault(const std::string& json);
    [[nodiscard]] nlohmann::json dump();
    // reference -> how often it is stored (1, by the table's key) and the sequence of
    // outcomes ("http_201", "http_409", "http_500", "reset").
    [[nodiscard]] std::map<std::string, int> stored();
    [[nodiscard]] std::map<std::string, std::vector<std::string>> outcomes();
    [[nodiscard]] int inFlight();
    [[nodiscard]] std::string log() const;
    // Bounded wait until the backend's log holds `text` (its log is written after it answers).
    bool waitForLog(const std::string& text, std::chrono::milliseconds timeout) const;

private:
    std::filesystem::path m_log;
    std::optional<Process> m_process;
    int m_port = 0;
    int m_controlPort = 0;
};

// A plain-HTTP request to the loopback (control endpoints): {status, body}.
std::pair<long, std::string> httpRequest(const std::string& method, const std::string& url,
                                         const std::string& body = {});

// A free TCP port on 127.0.0.1 (for programs that cannot report the port they bound).
[[nodiscard]] int freePort();
// Bounded wait until something accepts TCP connections on 127.0.0.1:port.
bool waitForListener(int port, std::chrono::milliseconds timeout);

// Bounded wait (polling every 10 ms) until `condition` holds.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// A contract-shaped submission whose answers hold recognisable personal data:
// "Jansen-<ref>", BSN 111222333, IBAN NL91ABNA0417164300 (tests search outbox files for them).
[[nodiscard]] core::PreparedSubmission makeSubmission(const std::string& reference,
                                                      const std::string& endpoint,
                                                      std::size_t padding = 0);
inline constexpr const char* kSecretBsn = "111222333";
inline constexpr const char* kSecretIban = "NL91ABNA0417164300";

// Every file below `dir`, recursively: path -> content.
[[nodiscard]] std::map<std::filesystem::path, std::string> allFiles(const std::filesystem::path& dir);

}  // namespace kiosk::test

#include "kiosk/net/outbox.hpp"

#include <mutex>

namespace kiosk::test {

// Log lines kept for checks (thread-safe).
class LogCapture {
public:
    [[nodiscard]] net::LogSink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(m_mutex);
            m_lines.emplace_back(line);
        };
    }
    [[nodiscard]] std::vector<std::string> lines() const {
        std::lock_guard lock(m_mutex);
        return m_lines;
    }
    [[nodiscard]] bool contains(std::string_view text) const {
        std::lock_guard lock(m_mutex);
        for (const auto& l : m_lines) {
            if (l.find(text) != std::string::npos) return true;
        }
        return false;
    }
    [[nodiscard]] std::string all() const {
        std::lock_guard lock(m_mutex);
        std::string out;
        for (const auto& l : m_lines) out += l + "\n";
        return out;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

// Outbox options for the two modes: sealed to the test sealing key, plain with a key file.
[[nodiscard]] net::OutboxOptions sealedOutbox(const std::filesystem::path& dir, net::LogSink log);
[[nodiscard]] net::OutboxOptions plainOutbox(const std::filesystem::path& dir,
                                             const std::filesystem::path& keyFile, net::LogSink log);

}  // namespace kiosk::test
