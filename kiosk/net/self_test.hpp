// The staff menu's self-test (docs/keys.md, "Staff"): is the backend reachable, how long
// until the TLS certificates expire, is there room on the disk for the outbox, does speech
// work, is the clock plausible. Each check gives one StaffLine: OK, or the problem and what
// to do, in the staff's language (assets/strings, staff.check.*).
//
// Thread: runSelfTest() runs on the controller's worker thread; it reads only its options
// and the (immutable) string table. The slow part, the network probe, is bounded by
// SelfTestOptions::probeTimeout per host. Nothing personal is sent or logged: the probe is
// a HEAD request (probeEndpoint in curl_submitter.hpp).
#pragma once

#include "kiosk/core/config.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/core/strings.hpp"

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::net {

// When the certificate(s) in a PEM file stop being valid: the earliest notAfter of every
// certificate in it (a CA file may hold several). Fails with a plain reason (no file, not
// PEM, no certificate in it).
[[nodiscard]] std::expected<std::chrono::system_clock::time_point, std::string> certificateNotAfter(
    const std::filesystem::path& pemFile);

// Bytes an unprivileged process may still write on the file system that holds `dir`
// (statvfs: f_bavail x f_frsize).
[[nodiscard]] std::expected<std::uint64_t, std::string> freeBytes(const std::filesystem::path& dir);

enum class ClockVerdict { Plausible, BeforeBuild, FarFuture, DiffersFromBackend };
// Is `now` plausible? Not before the build, not more than `maxAhead` after it, and (when the
// backend sent its Date) within `tolerance` of the backend's clock.
[[nodiscard]] ClockVerdict checkClock(std::chrono::system_clock::time_point now,
                                      std::chrono::system_clock::time_point built,
                                      std::optional<std::chrono::system_clock::time_point> backendDate,
                                      std::chrono::seconds tolerance = std::chrono::minutes{2},
                                      std::chrono::hours maxAhead = std::chrono::hours{24 * 365 * 10});

// "1.2 GB", "340 MB": free space as staff read it.
[[nodiscard]] std::string humanBytes(std::uint64_t bytes);

struct SelfTestOptions {
    core::Config::Submit submit;                   // TLS set-up and the default endpoint
    std::vector<std::string> endpoints;            // every form's endpoint (the default too)
    std::filesystem::path outboxDir;               // empty: no outbox configured
    std::chrono::system_clock::time_point built;   // the build date (clock check)
    std::chrono::milliseconds probeTimeout{5000};  // per host
    int warnDays = 30;                             // certificates: warn below this
    std::uint64_t minFreeBytes = 200ull * 1024 * 1024;
    // Synthesises a short text and returns how many samples it made (speech check);
    // null: no speech engine in this run.
    std::function<std::expected<std::size_t, std::string>()> synthesise;
    // The time now (the kiosk's clock).
    std::function<std::chrono::system_clock::time_point()> now;
};

// Runs every check; one line per host, certificate, disk, speech and clock, in that order.
[[nodiscard]] std::vector<core::StaffLine> runSelfTest(const SelfTestOptions& options,
                                                       const core::StringTable& strings,
                                                       const std::string& language);

}  // namespace kiosk::net
