// The crash test's kiosk stand-in: a real SubmissionService built from a kiosk config file
// (core::loadConfig, as `kiosk run` reads it), which enqueues submissions one after another
// while the worker delivers in the background, and prints
//
//   confirmed <reference>
//
// on stdout right after each enqueue returned success, i.e. exactly when the kiosk would show
// the confirmation screen. The test SIGKILLs it at random moments and starts it again; every
// confirmed reference must then reach the backend exactly once.
//
//   outbox_driver --config FILE --count N [--backoff-ms MS] [--drain-timeout-ms MS] [--pace-ms MS]
//
// --pace-ms waits between submissions (citizens do not come 1000 a second), so that kills
// land both between enqueues and during deliveries.
// After N submissions it waits until the outbox is empty, prints "drained" and exits 0
// (exit 3: a submission could not be stored; 4: not drained in time; 2: bad config).
#include "forms/reference.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/net/submission_service.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

namespace {

// stdout is a pipe: one write(2) per line, so that a line is either wholly there or not at
// all when the process is killed.
void say(const std::string& line) {
    const std::string out = line + "\n";
    const char* data = out.data();
    std::size_t left = out.size();
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, data, left);
        if (n <= 0) return;
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string configFile;
    long count = 0;
    long backoffMs = 100;
    long drainTimeoutMs = 60'000;
    long paceMs = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--config") configFile = value;
        else if (key == "--count") count = std::stol(value);
        else if (key == "--backoff-ms") backoffMs = std::stol(value);
        else if (key == "--drain-timeout-ms") drainTimeoutMs = std::stol(value);
        else if (key == "--pace-ms") paceMs = std::stol(value);
    }
    auto config = kiosk::core::loadConfig(configFile);
    if (!config) {
        for (const auto& m : config.error().messages) std::cerr << m << '\n';
        return 2;
    }
    kiosk::core::SystemClock clock;
    kiosk::net::ServiceOptions options;
    options.retry.firstDelay = std::chrono::milliseconds(backoffMs);
    options.retry.maxDelay = std::chrono::milliseconds(backoffMs * 4);
    auto service = kiosk::net::SubmissionService::fromConfig(*config, clock, options);
    if (!service) {
        std::cerr << "outbox_driver: " << kiosk::net::describe(service.error()) << '\n';
        return 2;
    }
    (*service)->start();
    for (long i = 0; i < count; ++i) {
        auto reference = kiosk::forms::makeReference();
        if (!reference) return 3;
        const std::string payload =
            R"({"form":"verhuizing","form_version":3,"reference":")" + *reference +
            R"(","language":"nl","kiosk":")" + config->kioskId +
            R"(","submitted_at":"2026-11-29T10:15:00Z","answers":{"achternaam":"Jansen-)" + *reference + R"("}})";
        const kiosk::core::PreparedSubmission submission{"verhuizing", *reference,
                                                         config->submit.defaultEndpoint, payload};
        if (auto stored = (*service)->submit(submission); !stored) {
            std::cerr << "outbox_driver: " << kiosk::net::describe(stored.error()) << '\n';
            say("failed " + *reference);
            return 3;
        }
        say("confirmed " + *reference);
        if (paceMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(paceMs));
    }
    if (!(*service)->delivery().waitUntilEmpty(std::chrono::milliseconds(drainTimeoutMs))) return 4;
    say("drained");
    (*service)->stop();
    return 0;
}
