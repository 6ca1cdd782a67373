// The delivery worker: takes waiting submissions from the Outbox and POSTs them with a
// Submitter until the backend has each one, exactly once (the reference is the
// Idempotency-Key, so a repeat after a lost answer is harmless).
//
// What an attempt's outcome means:
//   2xx, or 409 (the backend already has this reference)   -> delivered: files removed
//   408, 425, 429, 5xx; every transport failure (connect, timeout, reset, TLS refused,
//   pin mismatch, our client cert unusable)                  -> retried later (backoff)
//   an endpoint whose host is not in submit.allowed_hosts, an unusable URL, a redirect
//   (3xx), any other 4xx                                     -> needs-staff/, never deleted
//   a file that does not read back                           -> corrupt/, reported
//
// Backoff (RetryPolicy, docs/outbox.md): after n consecutive failures the next attempt
// waits min(maxDelay, firstDelay * 2^(n-1)) scaled by a random factor in [0.5, 1]
// ("equal jitter", so kiosks that lost the backend together do not return together).
// Defaults: 30 s, 60 s, 2 min, 4 min, then 5 min for ever. A Retry-After from the server
// lengthens the wait (up to an hour). The schedule is persisted per submission, so a
// restart does not hammer a backend that is down. n counts per submission and, in memory,
// per endpoint: while an endpoint is failing, only its oldest due submission is tried;
// the rest wait for it (no storm of 1000 attempts at a dead server).
// There is no giving up: after `overdueAfter` (48 h, Open Forms' retry window) a
// submission counts as overdue in the status and the metrics, so staff are alerted, and it
// keeps being retried every 5 minutes. Moving it to needs-staff would not help: nothing in
// it needs fixing, and a backend that comes back after three days should still get it.
//
// Threads: start() runs the worker on its own thread. It sleeps on a condition variable
// until the next due time, wake(), a new submission (the Outbox's listener) or stop(), so
// it uses no CPU while idle. stop() is prompt: it cancels the request in flight
// (Submitter::cancel) and joins. All members may be called from any thread, except
// deliverDue(), which is for tests without the worker. The Outbox, Submitter and Clock
// must outlive the Delivery.
//
// The clock is the injected core::Clock: due times are its time points. Sleeping is real
// time (a condition variable wait of "due - clock.now()", at most a minute, so that a
// stepped wall clock is noticed); tests with a ManualClock call wake() after moving it.
#pragma once

#include "kiosk/core/clock.hpp"
#include "kiosk/net/log.hpp"
#include "kiosk/net/outbox.hpp"
#include "kiosk/net/status.hpp"
#include "kiosk/net/submitter.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::net {

struct RetryPolicy {
    std::chrono::milliseconds firstDelay{30'000};
    std::chrono::milliseconds maxDelay{300'000};
    std::chrono::hours overdueAfter{48};
    std::chrono::seconds maxRetryAfter{3600};  // the most a server's Retry-After may ask

    // The wait after `failures` consecutive failures (>= 1); `unit` in [0, 1) picks the
    // point between half and the whole of the exponential delay.
    [[nodiscard]] std::chrono::milliseconds delayAfter(int failures, double unit) const;
};

struct DeliveryOptions {
    RetryPolicy retry;
    std::vector<std::string> allowedHosts;  // lower case; empty: any host
    std::filesystem::path metricsFile;      // empty: none written
    std::chrono::seconds metricsInterval{30};
    std::chrono::seconds storageProbeInterval{15};  // while the outbox cannot store
    LogSink log;                            // empty: stderrLog()
    std::function<double()> random;         // [0, 1); empty: a seeded std::mt19937_64
};

// What one pass of deliverDue() did (tests).
struct DeliveryPass {
    int delivered = 0;
    int failed = 0;     // will be retried
    int shelved = 0;    // needs-staff or corrupt
};

class Delivery {
public:
    Delivery(Outbox& outbox, Submitter& submitter, const core::Clock& clock, DeliveryOptions options);
    ~Delivery();  // stop()
    Delivery(const Delivery&) = delete;
    Delivery& operator=(const Delivery&) = delete;

    void start();
    void stop();
    [[nodiscard]] bool running() const;
    // Look again now (a submission was added, the clock moved, staff pressed "send now").
    void wake();

    // Tests without the worker thread: attempts every submission that is due now, on the
    // calling thread. Must not be called while the worker runs.
    DeliveryPass deliverDue();

    // The whole operator view: the outbox's counts plus the per-endpoint errors.
    [[nodiscard]] OutboxStatus status() const;

    // Waits (bounded) until the worker has finished a pass that began after this call and
    // found nothing more due. False on timeout or when the worker is not running.
    bool waitUntilIdle(std::chrono::milliseconds timeout);
    // Waits (bounded) until the queue is empty. False on timeout.
    bool waitUntilEmpty(std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::net
