// Figures for the outbox: how long a citizen waits for "Submit" to be durable (per
// submission, median and p99, in both modes), and how long 1000 waiting submissions take to
// drain to the demo backend over mutual TLS (one kept-alive connection).
//
//   bench_outbox [--short] [--certs DIR]
//
// --short (CI): fewer enqueue samples; the drain is always 1000. Certificates are made with
// tests/peers/make_certs.sh into a temporary folder unless --certs names a folder that has
// them. The demo backend runs under /usr/bin/python3 on 127.0.0.1 and is killed at the end.
#include "forms/reference.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/net/curl_submitter.hpp"
#include "kiosk/net/delivery.hpp"
#include "kiosk/net/outbox.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using kiosk::core::Config;

namespace {

std::string payload(const std::string& reference) {
    return R"({"form":"verhuizing","form_version":3,"reference":")" + reference +
           R"(","language":"nl","kiosk":"bench","submitted_at":"2026-11-29T10:15:00Z","answers":{)"
           R"("postcode":"3511AB","huisnummer":12,"straat":"Oudegracht","verhuisdatum":"2026-12-05",)"
           R"("voornaam":"Jan","achternaam":"Jansen","bsn":"111222333","iban":"NL91ABNA0417164300",)"
           R"("telefoon":"0612345678","email":"jan@example.org","wie":"heel_gezin",)"
           R"("meeverhuizers":"Mijn partner en twee kinderen","toestemming":true}})";
}

kiosk::core::PreparedSubmission submission(const std::string& endpoint) {
    const std::string reference = kiosk::forms::makeReference().value();
    return {"verhuizing", reference, endpoint, payload(reference)};
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void printPercentiles(const std::string& label, std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) { return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))]; };
    std::printf("%-34s n=%-5zu median %.3f ms   p99 %.3f ms   max %.3f ms\n", label.c_str(), samples.size(),
                at(0.5), at(0.99), samples.back());
}

// The demo backend as a child that dies with us; returns {pid, port}.
std::pair<pid_t, int> startBackend(const fs::path& certs, const fs::path& work) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) std::exit(1);
    const std::string script = std::string(KIOSK_SOURCE_DIR) + "/tests/peers/demo_backend.py";
    const std::string db = (work / "bench.sqlite").string();
    const std::string log = (work / "backend.log").string();
    std::vector<std::string> argv{KIOSK_PYTHON, script, "--db", db,
                                  "--cert", (certs / "server.crt").string(), "--key", (certs / "server.key").string(),
                                  "--ca", (certs / "ca.crt").string(), "--sealing-key", (certs / "sealing.key").string()};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::dup2(out[1], STDOUT_FILENO);
        const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (err >= 0) ::dup2(err, STDERR_FILENO);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c = 0;
    pollfd p{out[0], POLLIN, 0};
    while (::poll(&p, 1, 20000) > 0 && ::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    const auto at = line.find("\"port\": ");
    if (at == std::string::npos) {
        std::cerr << "bench_outbox: the demo backend did not start; see " << log << '\n';
        ::kill(pid, SIGKILL);
        std::exit(1);
    }
    return {pid, std::atoi(line.c_str() + at + 8)};
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    fs::path certs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--short") quick = true;
        else if (a == "--certs" && i + 1 < argc) certs = argv[++i];
    }
    const int samples = quick ? 200 : 2000;
    constexpr int kDrain = 1000;

    std::string pattern = (fs::temp_directory_path() / "bench-outbox-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return 1;
    const fs::path work = pattern;
    if (certs.empty()) {
        certs = work / "certs";
        const std::string make = "bash '" + std::string(KIOSK_SOURCE_DIR) + "/tests/peers/make_certs.sh' '" +
                                 certs.string() + "'";
        if (std::system(make.c_str()) != 0) return 1;
    }
    kiosk::core::SystemClock clock;
    const auto silent = kiosk::net::silentLog();

    std::printf("== durable enqueue (encrypt, write, fsync, rename, fsync folder) on %s ==\n",
                fs::temp_directory_path().c_str());
    for (const auto mode : {Config::Outbox::Mode::Sealed, Config::Outbox::Mode::Plain}) {
        kiosk::net::OutboxOptions o;
        o.dir = work / (mode == Config::Outbox::Mode::Sealed ? "sealed" : "plain");
        o.mode = mode;
        o.recipientKey = certs / "sealing.pub.pem";
        o.keyFile = work / "outbox.key";
        o.log = silent;
        auto outbox = kiosk::net::Outbox::open(o, clock);
        if (!outbox) return 1;
        std::vector<double> times;
        for (int i = 0; i < samples; ++i) {
            const auto sub = submission("https://localhost/api/submissions");
            const auto start = Clock::now();
            if (!(*outbox)->enqueue(sub)) return 1;
            times.push_back(ms(Clock::now() - start));
        }
        printPercentiles(mode == Config::Outbox::Mode::Sealed ? "enqueue, sealed (RSA-OAEP-3072)" : "enqueue, plain (key file)",
                         times);
    }

    const auto [pid, port] = startBackend(certs, work);
    const std::string endpoint = "https://localhost:" + std::to_string(port) + "/api/submissions";
    kiosk::net::OutboxOptions o;
    o.dir = work / "drain";
    o.recipientKey = certs / "sealing.pub.pem";
    o.log = silent;
    auto outbox = kiosk::net::Outbox::open(o, clock);
    if (!outbox) return 1;
    for (int i = 0; i < kDrain; ++i) {
        if (!(*outbox)->enqueue(submission(endpoint))) return 1;
    }
    kiosk::net::CurlSubmitterOptions tls;
    tls.caFile = certs / "ca.crt";
    tls.clientCert = certs / "client.crt";
    tls.clientKey = certs / "client.key";
    auto submitter = kiosk::net::CurlSubmitter::create(tls);
    if (!submitter) return 1;
    kiosk::net::DeliveryOptions d;
    d.log = silent;
    kiosk::net::Delivery delivery(**outbox, **submitter, clock, d);
    const auto start = Clock::now();
    delivery.start();
    const bool drained = delivery.waitUntilEmpty(300s);
    const auto took = Clock::now() - start;
    delivery.stop();
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    std::printf("== drain %d sealed submissions to the demo backend (mutual TLS, SQLite) ==\n", kDrain);
    if (!drained) {
        std::printf("not drained within 300 s: %zu left\n", (*outbox)->size());
        return 1;
    }
    std::printf("%-34s %.2f s   (%.1f submissions/s, %.2f ms each, %llu TLS connection(s))\n", "drain 1000", ms(took) / 1000,
                kDrain / (ms(took) / 1000), ms(took) / kDrain,
                static_cast<unsigned long long>((*submitter)->connectionsOpened()));
    std::error_code ec;
    fs::remove_all(work, ec);
    return 0;
}
