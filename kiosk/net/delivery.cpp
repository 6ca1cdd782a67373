// [SECTION] Backoff
// [SECTION] One attempt and what its outcome means
// [SECTION] The worker thread
// [SECTION] Status
#include "kiosk/net/delivery.hpp"

#include "kiosk/net/answer.hpp"
#include "kiosk/net/envelope.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <pthread.h>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace kiosk::net {

namespace {

using namespace std::chrono_literals;

// Between the wake-ups the worker re-reads the clock at least this often, so that a wall
// clock stepped by NTP after boot is noticed within a minute.
constexpr auto kLongestSleep = 60s;

std::string hostOf(std::string_view url) {
    constexpr std::string_view kScheme = "https://";
    if (!url.starts_with(kScheme)) return {};
    std::string_view rest = url.substr(kScheme.size());
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    std::string_view host;
    if (rest.starts_with('[')) {
        host = rest.substr(1, rest.find(']') == std::string_view::npos ? 0 : rest.find(']') - 1);
    } else {
        host = rest.substr(0, rest.find(':'));
    }
    std::string out(host);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string seconds(std::chrono::milliseconds ms) {
    return std::to_string((ms.count() + 500) / 1000) + " s";
}

}  // namespace

// [SECTION] Backoff ----------------------------------------------------------------------------

std::chrono::milliseconds RetryPolicy::delayAfter(int failures, double unit) const {
    double delay = static_cast<double>(firstDelay.count());
    const double cap = static_cast<double>(maxDelay.count());
    for (int i = 1; i < failures && delay < cap; ++i) delay *= 2;
    delay = std::min(delay, cap);
    unit = std::clamp(unit, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(delay * (0.5 + 0.5 * unit))));
}

struct EndpointState {
    EndpointStatus status;
    int failures = 0;                         // consecutive, since the last success
    std::optional<TimePoint> blockedUntil;    // while failing: only then the next try
};

struct Delivery::Impl {
    Impl(Outbox& o, Submitter& s, const core::Clock& c, DeliveryOptions opt)
        : outbox(o), submitter(s), clock(c), options(std::move(opt)) {
        if (!options.log) options.log = stderrLog();
        if (!options.random) {
            options.random = [rng = std::mt19937_64(std::random_device{}())]() mutable {
                return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
            };
        }
    }

    Outbox& outbox;
    Submitter& submitter;
    const core::Clock& clock;
    DeliveryOptions options;

    mutable std::mutex mutex;
    std::condition_variable wakeCv;      // the worker sleeps on it
    std::condition_variable progressCv;  // waitUntilIdle / waitUntilEmpty sleep on it
    std::thread thread;
    bool running = false;
    bool stopping = false;
    std::uint64_t wakeSeq = 0;
    std::uint64_t idleSeq = 0;
    std::map<std::string, EndpointState> endpoints;
    std::uint64_t delivered = 0;
    std::set<std::string> overdueLogged;
    std::optional<TimePoint> lastMetrics;
    std::optional<TimePoint> lastProbe;

    std::chrono::milliseconds longestWait() const {
        return std::max<std::chrono::milliseconds>(options.retry.maxDelay, options.retry.maxRetryAfter);
    }

    // When the entry may be tried: its own schedule, or later while its endpoint is failing.
    // No wait is ever longer than longestWait(); a due time beyond now + that means the wall
    // clock was stepped back (NTP fixing a clock that ran ahead), so it is due now.
    TimePoint dueTime(const OutboxEntry& entry, TimePoint now) {
        const TimePoint horizon = now + longestWait();
        TimePoint due = entry.nextAttemptAt > horizon ? now : entry.nextAttemptAt;
        std::lock_guard lock(mutex);
        if (auto it = endpoints.find(entry.endpoint); it != endpoints.end() && it->second.blockedUntil) {
            if (*it->second.blockedUntil > horizon) it->second.blockedUntil.reset();
            else due = std::max(due, *it->second.blockedUntil);
        }
        return due;
    }

    bool stopRequested() const {
        std::lock_guard lock(mutex);
        return stopping;
    }

    double random() {
        std::lock_guard lock(mutex);
        return options.random();
    }

    void log(const std::string& line) const { options.log(line); }

    // [SECTION] One attempt ------------------------------------------------------------------

    // Keeps the submission and tries again later; `blockEndpoint` when the failure says
    // something about the endpoint (not about our disk).
    void failed(const OutboxEntry& entry, const std::string& text, const std::string& kind,
                std::optional<std::chrono::seconds> retryAfter, bool blockEndpoint, DeliveryPass& pass) {
        const TimePoint now = clock.now();
        int n = entry.attempts + 1;
        if (blockEndpoint) {
            std::lock_guard lock(mutex);
            n = std::max(n, ++endpoints[entry.endpoint].failures);
        }
        auto delay = options.retry.delayAfter(n, random());
        if (retryAfter) {
            delay = std::max<std::chrono::milliseconds>(delay, std::min(*retryAfter, options.retry.maxRetryAfter));
        }
        const TimePoint next = now + delay;
        if (blockEndpoint) {
            std::lock_guard lock(mutex);
            auto& ep = endpoints[entry.endpoint];
            ep.status.endpoint = entry.endpoint;
            ep.status.lastError = text;
            ep.status.lastErrorKind = kind;
            ep.status.lastErrorAt = now;
            ep.blockedUntil = next;
        }
        if (auto saved = outbox.recordFailure(entry.reference, entry.attempts + 1, next, kind + ": " + text); !saved) {
            log("could not save the retry schedule of " + entry.reference + ": " + describe(saved.error()));
        }
        ++pass.failed;
        log("attempt " + std::to_string(entry.attempts + 1) + " for " + entry.reference + " to " + entry.endpoint +
            " failed (" + kind + ": " + text + "); next in " + seconds(delay));
    }

    void shelve(const OutboxEntry& entry, Shelf shelf, const std::string& reason, DeliveryPass& pass) {
        if (auto moved = outbox.shelve(entry.reference, shelf, reason); !moved) {
            // It stays in the queue; push it back so the worker does not spin on it.
            failed(entry, "cannot set aside: " + describe(moved.error()), "io_failed", std::nullopt, false, pass);
            return;
        }
        ++pass.shelved;
    }

    void succeeded(const OutboxEntry& entry, long status, DeliveryPass& pass) {
        if (auto removed = outbox.markDelivered(entry.reference); !removed) {
            // The backend has it; the next attempt will get 409 and try the removal again.
            failed(entry, "delivered but not removed: " + describe(removed.error()), "io_failed", std::nullopt,
                   false, pass);
            return;
        }
        {
            std::lock_guard lock(mutex);
            auto& ep = endpoints[entry.endpoint];
            ep.status.endpoint = entry.endpoint;
            ep.status.lastSuccessAt = clock.now();
            ep.failures = 0;
            ep.blockedUntil.reset();
            ++delivered;
            overdueLogged.erase(entry.reference);
        }
        progressCv.notify_all();
        ++pass.delivered;
        log("delivered " + entry.reference + " (form " + entry.formId + ") to " + entry.endpoint + ": HTTP " +
            std::to_string(status));
    }

    void attempt(const OutboxEntry& entry, DeliveryPass& pass) {
        auto request = outbox.load(entry.reference);
        if (!request) {
            const Failure& f = request.error();
            if (f.code == NetError::Corrupt) {
                shelve(entry, Shelf::Corrupt, f.detail, pass);
            } else if (f.code != NetError::NotQueued) {
                failed(entry, describe(f), std::string(netErrorToken(f.code)), std::nullopt, false, pass);
            }
            return;
        }
        const std::string host = hostOf(request->url);
        if (!options.allowedHosts.empty() &&
            std::find(options.allowedHosts.begin(), options.allowedHosts.end(), host) == options.allowedHosts.end()) {
            wipe(request->body);
            shelve(entry, Shelf::NeedsStaff, "endpoint host '" + host + "' is not in submit.allowed_hosts", pass);
            return;
        }
        auto answer = submitter.post(*request);
        wipe(request->body);
        if (!answer) {
            const Failure& f = answer.error();
            if (f.code == NetError::Cancelled) return;  // stopping: nothing happened
            if (f.code == NetError::InvalidUrl) {
                shelve(entry, Shelf::NeedsStaff, describe(f), pass);
                return;
            }
            failed(entry, describe(f), std::string(netErrorToken(f.code)), std::nullopt, true, pass);
            return;
        }
        const long status = answer->status;
        const AnswerMeaning meaning = meaningOf(status);
        if (meaning == AnswerMeaning::Delivered) {
            succeeded(entry, status, pass);
        } else if (meaning == AnswerMeaning::RetryLater) {
            failed(entry, "HTTP " + std::to_string(status), "http_" + std::to_string(status), answer->retryAfter,
                   true, pass);
        } else {
            const std::string code = serverErrorCode(answer->body);
            {
                std::lock_guard lock(mutex);
                auto& ep = endpoints[entry.endpoint];
                ep.status.endpoint = entry.endpoint;
                ep.status.lastError = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
                ep.status.lastErrorKind = "http_" + std::to_string(status);
                ep.status.lastErrorAt = clock.now();
            }
            shelve(entry, Shelf::NeedsStaff,
                   "the server refused it: HTTP " + std::to_string(status) + (code.empty() ? "" : " (" + code + ")"),
                   pass);
        }
    }

    // Attempts every due submission, oldest first. Returns the earliest future due time.
    std::optional<TimePoint> pass(DeliveryPass& counts) {
        std::optional<TimePoint> next;
        TimePoint now = clock.now();
        for (const OutboxEntry& entry : outbox.entries()) {
            if (stopRequested()) break;
            TimePoint due = dueTime(entry, now);
            {
                std::lock_guard lock(mutex);
                if (now - entry.createdAt > options.retry.overdueAfter && overdueLogged.insert(entry.reference).second) {
                    log("submission " + entry.reference + " has waited longer than " +
                        std::to_string(options.retry.overdueAfter.count()) + " h; still retrying");
                }
            }
            if (due > now) {
                next = next ? std::min(*next, due) : due;
                continue;
            }
            attempt(entry, counts);
            now = clock.now();
        }
        // What the pass attempted and left in the queue has a new due time; take it in.
        for (const OutboxEntry& entry : outbox.entries()) {
            const TimePoint due = dueTime(entry, now);
            next = next ? std::min(*next, due) : due;
        }
        return next;
    }

    // Metrics file and the storage probe. Returns when it next wants to run.
    std::optional<TimePoint> maintenance(bool changed) {
        const TimePoint now = clock.now();
        std::optional<TimePoint> next;
        if (!options.metricsFile.empty()) {
            if (changed || !lastMetrics || now - *lastMetrics >= options.metricsInterval) {
                if (auto written = writePrometheusFile(status(), options.metricsFile); !written) {
                    log("cannot write metrics: " + describe(written.error()));
                }
                lastMetrics = now;
            }
            next = *lastMetrics + options.metricsInterval;
        }
        if (!outbox.storage().ok) {
            if (!lastProbe || now - *lastProbe >= options.storageProbeInterval) {
                (void)outbox.probe();
                lastProbe = now;
            }
            const TimePoint probeAt = *lastProbe + options.storageProbeInterval;
            next = next ? std::min(*next, probeAt) : probeAt;
        }
        return next;
    }

    OutboxStatus status() const {
        const Impl& d = *this;
        OutboxStatus s;
        s.at = d.clock.now();
        const auto entries = d.outbox.entries();
        s.queueLength = entries.size();
        if (!entries.empty()) {
            s.oldestAge = std::max(0s, std::chrono::floor<std::chrono::seconds>(s.at - entries.front().createdAt));
            s.oldestReference = entries.front().reference;
        }
        s.overdue = static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](const OutboxEntry& e) {
            return s.at - e.createdAt > d.options.retry.overdueAfter;
        }));
        s.needsStaff = d.outbox.shelvedCount(Shelf::NeedsStaff);
        s.corrupt = d.outbox.shelvedCount(Shelf::Corrupt);
        const StorageHealth health = d.outbox.storage();
        s.storageOk = health.ok;
        s.storageError = health.lastError;
        std::lock_guard lock(d.mutex);
        s.deliveredSinceStart = d.delivered;
        for (const auto& [endpoint, state] : d.endpoints) {
            if (state.status.lastErrorAt || state.status.lastSuccessAt) s.endpoints.push_back(state.status);
        }
        return s;
    }

    // [SECTION] The worker thread --------------------------------------------------------------

    void run() {
        std::unique_lock lock(mutex);
        while (!stopping) {
            const std::uint64_t seq = wakeSeq;
            lock.unlock();
            DeliveryPass counts;
            std::optional<TimePoint> next = pass(counts);
            const bool changed = counts.delivered + counts.failed + counts.shelved > 0;
            if (auto other = maintenance(changed)) next = next ? std::min(*next, *other) : *other;
            const TimePoint now = clock.now();
            lock.lock();
            if (stopping) break;
            if (next && *next <= now) continue;  // more became due during the pass
            idleSeq = seq;
            progressCv.notify_all();
            if (wakeSeq != seq) continue;
            auto wait = next ? std::chrono::duration_cast<std::chrono::milliseconds>(*next - now)
                             : std::chrono::milliseconds(kLongestSleep);
            wait = std::clamp<std::chrono::milliseconds>(wait, 1ms, kLongestSleep);
            wakeCv.wait_for(lock, wait, [&] { return stopping || wakeSeq != seq; });
        }
        running = false;
        progressCv.notify_all();
    }
};

Delivery::Delivery(Outbox& outbox, Submitter& submitter, const core::Clock& clock, DeliveryOptions options)
    : m_impl(std::make_unique<Impl>(outbox, submitter, clock, std::move(options))) {
    outbox.setListener([impl = m_impl.get()] {
        {
            std::lock_guard lock(impl->mutex);
            ++impl->wakeSeq;
        }
        impl->wakeCv.notify_all();
    });
}

Delivery::~Delivery() {
    m_impl->outbox.setListener({});
    stop();
}

void Delivery::start() {
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->running || m_impl->thread.joinable()) return;
    m_impl->submitter.resume();
    m_impl->running = true;
    m_impl->stopping = false;
    m_impl->thread = std::thread([impl = m_impl.get()] {
        pthread_setname_np(pthread_self(), "kiosk-delivery");  // in top, perf and the bench
        impl->run();
    });
}

void Delivery::stop() {
    {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->thread.joinable()) return;
        m_impl->stopping = true;
    }
    m_impl->submitter.cancel();
    m_impl->wakeCv.notify_all();
    m_impl->thread.join();
    std::lock_guard lock(m_impl->mutex);
    m_impl->running = false;
    m_impl->stopping = false;
}

bool Delivery::running() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->running;
}

void Delivery::wake() {
    {
        std::lock_guard lock(m_impl->mutex);
        ++m_impl->wakeSeq;
    }
    m_impl->wakeCv.notify_all();
}

DeliveryPass Delivery::deliverDue() {
    DeliveryPass counts;
    (void)m_impl->pass(counts);
    (void)m_impl->maintenance(counts.delivered + counts.failed + counts.shelved > 0);
    return counts;
}

bool Delivery::waitUntilIdle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_impl->mutex);
    if (!m_impl->running) return false;
    const std::uint64_t target = ++m_impl->wakeSeq;
    m_impl->wakeCv.notify_all();
    return m_impl->progressCv.wait_for(lock, timeout, [&] { return m_impl->idleSeq >= target || !m_impl->running; }) &&
           m_impl->idleSeq >= target;
}

bool Delivery::waitUntilEmpty(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_impl->mutex);
    return m_impl->progressCv.wait_for(lock, timeout, [&] { return m_impl->outbox.size() == 0; });
}

// [SECTION] Status -------------------------------------------------------------------------------

OutboxStatus Delivery::status() const { return m_impl->status(); }

}  // namespace kiosk::net
