// The delivery worker against a RecordingSubmitter and a stepped clock: what each answer
// means, the backoff schedule, endpoints that fail, restarts, allowed hosts, the status and
// the metrics; and the worker thread: wakes for new work, stops promptly, idles without CPU.
#include "kiosk/net/delivery.hpp"

#include "tests/unit/net/net_support.hpp"
#include "tests/unit/net/recording_submitter.hpp"
#include "tests/unit/net/stepped_clock.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <future>
#include <thread>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using net::NetError;

namespace {

const auto kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 10h;
const std::string kEndpoint = "https://localhost:8443/api/submissions";
const std::string kOther = "https://eservices.example.org/api/submissions";

struct Fixture {
    TempDir tmp;
    SteppedClock clock{kStart};
    LogCapture log;
    RecordingSubmitter submitter;
    std::unique_ptr<net::Outbox> outbox;
    std::unique_ptr<net::Delivery> delivery;
    double randomValue = 0.0;  // the jitter draw: 0 = half the delay

    Fixture() { reopen(); }

    void reopen(net::DeliveryOptions options = {}) {
        delivery.reset();
        outbox.reset();
        auto opened = net::Outbox::open(sealedOutbox(tmp / "outbox", log.sink()), clock);
        REQUIRE(opened.has_value());
        outbox = std::move(*opened);
        options.log = log.sink();
        options.random = [this] { return randomValue; };
        delivery = std::make_unique<net::Delivery>(*outbox, submitter, clock, std::move(options));
    }
    void enqueue(const std::string& ref, const std::string& endpoint = kEndpoint) {
        REQUIRE(outbox->enqueue(makeSubmission(ref, endpoint)).has_value());
    }
    const net::OutboxEntry* entry(const std::string& ref) {
        m_entries = outbox->entries();
        for (const auto& e : m_entries) {
            if (e.reference == ref) return &e;
        }
        return nullptr;
    }

private:
    std::vector<net::OutboxEntry> m_entries;
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "net: 2xx and 409 mean delivered and removed") {
    for (long status : {200L, 201L, 202L, 204L, 409L}) {
        CAPTURE(status);
        const std::string ref = "OK" + std::to_string(status);
        enqueue(ref);
        submitter.scriptStatus(status);
        const auto pass = delivery->deliverDue();
        CHECK(pass.delivered == 1);
        CHECK(outbox->size() == 0);
        CHECK_FALSE(fs::exists(tmp / "outbox" / (ref + ".sub")));
    }
    const auto requests = submitter.requests();
    REQUIRE(requests.size() == 5);
    CHECK(requests[0].url == kEndpoint);
    CHECK(requests[0].idempotencyKey == "OK200");
    CHECK(requests[0].contentType == "application/jose+json");
    CHECK(delivery->status().deliveredSinceStart == 5);
    CHECK(log.contains("delivered OK409 (form verhuizing) to " + kEndpoint + ": HTTP 409"));
}

TEST_CASE_FIXTURE(Fixture, "net: retryable answers and transport failures keep the submission for later") {
    using Outcome = RecordingSubmitter::Outcome;
    const std::vector<std::pair<std::string, Outcome>> cases{
        {"http_408", net::HttpAnswer{408, {}, {}}},
        {"http_429", net::HttpAnswer{429, {}, {}}},
        {"http_500", net::HttpAnswer{500, {}, {}}},
        {"http_503", net::HttpAnswer{503, {}, {}}},
        {"connect_failed", std::unexpected(net::Failure{NetError::ConnectFailed, "refused"})},
        {"timed_out", std::unexpected(net::Failure{NetError::TimedOut, "slow"})},
        {"tls_handshake_failed", std::unexpected(net::Failure{NetError::TlsHandshakeFailed, "old"})},
        {"server_certificate_rejected", std::unexpected(net::Failure{NetError::ServerCertificateRejected, "expired"})},
        {"pin_mismatch", std::unexpected(net::Failure{NetError::PinMismatch, "pin"})},
        {"connection_lost", std::unexpected(net::Failure{NetError::ConnectionLost, "reset"})},
        {"client_certificate_unusable", std::unexpected(net::Failure{NetError::ClientCertificateUnusable, "key"})},
    };
    int n = 0;
    for (const auto& [kind, outcome] : cases) {
        CAPTURE(kind);
        reopen();  // fresh endpoint state each time
        const std::string ref = "RETRY-" + std::to_string(++n);
        enqueue(ref);
        submitter.script(outcome);
        const auto pass = delivery->deliverDue();
        CHECK(pass.failed == 1);
        REQUIRE(entry(ref) != nullptr);
        CHECK(entry(ref)->attempts == 1);
        CHECK(entry(ref)->nextAttemptAt == clock.now() + 15s);  // 30 s, jitter draw 0 -> half
        CHECK(entry(ref)->lastError.starts_with(kind + ":"));
        const auto status = delivery->status();
        REQUIRE(status.endpoints.size() == 1);
        CHECK(status.endpoints[0].lastErrorKind == kind);
        // Not before it is due; then again.
        const auto before = submitter.posts();
        CHECK(delivery->deliverDue().failed == 0);
        CHECK(submitter.posts() == before);
        clock.advance(15s);
        CHECK(delivery->deliverDue().delivered == 1);
        CHECK(outbox->size() == 0);
    }
}

TEST_CASE_FIXTURE(Fixture, "net: other 4xx and redirects go to needs-staff with the reason, never deleted") {
    for (long status : {301L, 400L, 401L, 403L, 404L, 410L, 413L, 415L, 422L}) {
        CAPTURE(status);
        const std::string ref = "REFUSED-" + std::to_string(status);
        enqueue(ref);
        // A server that echoes an answer back: only the error code is kept.
        submitter.script(net::HttpAnswer{status, R"({"error":"bsn_invalid","message":"BSN 111222333 klopt niet"})", {}});
        CHECK(delivery->deliverDue().shelved == 1);
        CHECK(outbox->size() == 0);
        CHECK(fs::exists(tmp / "outbox" / "needs-staff" / (ref + ".sub")));
    }
    const auto shelved = outbox->shelved(net::Shelf::NeedsStaff);
    REQUIRE(shelved.size() == 9);
    for (const auto& item : shelved) {
        CAPTURE(item.reference);
        CHECK(item.reason.find("HTTP " + item.reference.substr(8) + " (bsn_invalid)") != std::string::npos);
        CHECK(item.reason.find(kSecretBsn) == std::string::npos);
    }
    CHECK(delivery->status().needsStaff == 9);
    for (const auto& [path, content] : allFiles(tmp / "outbox")) CHECK(content.find(kSecretBsn) == std::string::npos);
    CHECK(submitter.posts() == 9);
}

TEST_CASE("net: backoff doubles from 30 s to a 5 minute cap, jittered within [half, whole]") {
    const net::RetryPolicy policy;
    const std::vector<long> whole{30, 60, 120, 240, 300, 300, 300};
    for (int failures = 1; failures <= 7; ++failures) {
        CAPTURE(failures);
        const auto w = std::chrono::milliseconds(whole[static_cast<std::size_t>(failures - 1)] * 1000);
        CHECK(policy.delayAfter(failures, 0.0) == w / 2);
        CHECK(policy.delayAfter(failures, 1.0) == w);
        CHECK(policy.delayAfter(failures, 0.5) == w * 3 / 4);
    }
    CHECK(policy.delayAfter(1000, 1.0) == 300s);  // no overflow
}

TEST_CASE_FIXTURE(Fixture, "net: consecutive failures follow the schedule, a success resets it") {
    randomValue = 1.0;  // the whole delay, no jitter
    enqueue("AAAAA-00001");
    submitter.scriptStatus(503, 6);
    std::vector<long> waits;
    for (int i = 0; i < 6; ++i) {
        REQUIRE(delivery->deliverDue().failed == 1);
        const auto wait = std::chrono::duration_cast<std::chrono::seconds>(entry("AAAAA-00001")->nextAttemptAt - clock.now());
        waits.push_back(wait.count());
        clock.advance(wait);
    }
    CHECK(waits == std::vector<long>{30, 60, 120, 240, 300, 300});
    CHECK(entry("AAAAA-00001")->attempts == 6);
    CHECK(delivery->deliverDue().delivered == 1);

    enqueue("BBBBB-00002");
    submitter.scriptStatus(503);
    REQUIRE(delivery->deliverDue().failed == 1);
    CHECK(entry("BBBBB-00002")->nextAttemptAt - clock.now() == 30s);
}

TEST_CASE_FIXTURE(Fixture, "net: Retry-After lengthens the wait, up to an hour") {
    enqueue("AAAAA-00001");
    submitter.script(net::HttpAnswer{429, {}, std::chrono::seconds(600)});
    REQUIRE(delivery->deliverDue().failed == 1);
    CHECK(entry("AAAAA-00001")->nextAttemptAt - clock.now() == 600s);
    clock.advance(600s);
    submitter.script(net::HttpAnswer{503, {}, std::chrono::seconds(86400)});
    REQUIRE(delivery->deliverDue().failed == 1);
    CHECK(entry("AAAAA-00001")->nextAttemptAt - clock.now() == 3600s);
}

TEST_CASE_FIXTURE(Fixture, "net: a wall clock stepped back far does not hold submissions back") {
    enqueue("AAAAA-00001");
    enqueue("BBBBB-00002");
    submitter.scriptStatus(503);
    REQUIRE(delivery->deliverDue().failed == 1);  // due in 15 s, and the endpoint waits too
    clock.advance(-std::chrono::minutes(30));     // stepped back, but within the longest wait
    CHECK(delivery->deliverDue().delivered == 0);
    clock.advance(-std::chrono::hours(5));        // NTP fixes a clock that ran hours ahead
    CHECK(delivery->deliverDue().delivered == 2);
}

TEST_CASE_FIXTURE(Fixture, "net: while an endpoint fails, only its oldest due submission is tried") {
    for (int i = 1; i <= 5; ++i) {
        enqueue("DOWN-" + std::to_string(i));
        clock.advance(1s);
    }
    enqueue("ELSEWHERE-1", kOther);
    submitter.scriptFailure(NetError::ConnectFailed);  // the first post: to the failing endpoint
    const auto pass = delivery->deliverDue();
    CHECK(pass.failed == 1);
    CHECK(pass.delivered == 1);  // the other endpoint is not held up
    const auto requests = submitter.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].idempotencyKey == "DOWN-1");
    CHECK(requests[1].idempotencyKey == "ELSEWHERE-1");
    CHECK(entry("DOWN-2")->attempts == 0);  // untouched, waiting behind DOWN-1

    clock.advance(15s);
    const auto second = delivery->deliverDue();
    CHECK(second.delivered == 5);
    CHECK(outbox->size() == 0);
    // Oldest first.
    const auto after = submitter.requests();
    REQUIRE(after.size() == 7);
    for (int i = 0; i < 5; ++i) CHECK(after[static_cast<std::size_t>(2 + i)].idempotencyKey == "DOWN-" + std::to_string(i + 1));
}

TEST_CASE_FIXTURE(Fixture, "net: the retry schedule survives a restart") {
    enqueue("AAAAA-00001");
    submitter.scriptStatus(500);
    REQUIRE(delivery->deliverDue().failed == 1);
    const auto due = entry("AAAAA-00001")->nextAttemptAt;

    reopen();  // the kiosk restarts
    CHECK(entry("AAAAA-00001")->nextAttemptAt == due);
    CHECK(entry("AAAAA-00001")->attempts == 1);
    CHECK(delivery->deliverDue().failed + delivery->deliverDue().delivered == 0);
    CHECK(submitter.posts() == 1);
    clock.advance(due - clock.now());
    submitter.scriptStatus(500);
    REQUIRE(delivery->deliverDue().failed == 1);
    // The exponent carries over: the second failure waits 60 s (half: 30 s), not 30 s.
    CHECK(entry("AAAAA-00001")->nextAttemptAt - clock.now() == 30s);
    CHECK(entry("AAAAA-00001")->attempts == 2);
}

TEST_CASE_FIXTURE(Fixture, "net: a host outside submit.allowed_hosts is never contacted") {
    net::DeliveryOptions options;
    options.allowedHosts = {"localhost"};
    reopen(options);
    enqueue("AAAAA-00001", kOther);
    enqueue("BBBBB-00002", kEndpoint);
    const auto pass = delivery->deliverDue();
    CHECK(pass.shelved == 1);
    CHECK(pass.delivered == 1);
    REQUIRE(submitter.posts() == 1);
    CHECK(submitter.requests()[0].idempotencyKey == "BBBBB-00002");
    const auto shelved = outbox->shelved(net::Shelf::NeedsStaff);
    REQUIRE(shelved.size() == 1);
    CHECK(shelved[0].reason.find("'eservices.example.org' is not in submit.allowed_hosts") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "net: a file damaged while waiting goes to corrupt/, the others are delivered") {
    enqueue("AAAAA-00001");
    enqueue("BBBBB-00002");
    enqueue("CCCCC-00003");
    const auto file = tmp / "outbox" / "BBBBB-00002.sub";
    std::string content = readText(file);
    content[content.size() - 30] ^= 0x20;
    writeText(file, content);
    const auto pass = delivery->deliverDue();
    CHECK(pass.delivered == 2);
    CHECK(pass.shelved == 1);
    CHECK(fs::exists(tmp / "outbox" / "corrupt" / "BBBBB-00002.sub"));
    CHECK(delivery->status().corrupt == 1);
    CHECK(log.contains("set aside damaged outbox file BBBBB-00002.sub"));
}

TEST_CASE_FIXTURE(Fixture, "net: status and metrics show the queue, the oldest, and each endpoint's last error") {
    net::DeliveryOptions options;
    options.metricsFile = tmp / "metrics" / "toegang.prom";
    fs::create_directories(tmp / "metrics");
    reopen(options);
    enqueue("OLD01-00001");
    clock.advance(90s);
    enqueue("NEW02-00002", kOther);
    submitter.scriptFailure(NetError::ServerCertificateRejected);
    submitter.scriptStatus(201);
    REQUIRE(delivery->deliverDue().failed == 1);

    auto status = delivery->status();
    CHECK(status.queueLength == 1);
    CHECK(status.oldestAge == 90s);
    CHECK(status.oldestReference == "OLD01-00001");
    CHECK(status.storageOk);
    CHECK(status.deliveredSinceStart == 1);
    REQUIRE(status.endpoints.size() == 2);
    CHECK(status.endpoints[0].endpoint == kOther);
    CHECK(status.endpoints[0].lastSuccessAt == clock.now());
    CHECK_FALSE(status.endpoints[0].lastErrorAt.has_value());
    CHECK(status.endpoints[1].endpoint == kEndpoint);
    CHECK(status.endpoints[1].lastErrorKind == "server_certificate_rejected");
    CHECK(status.endpoints[1].lastErrorAt == clock.now());

    const std::string metrics = readText(options.metricsFile);
    CHECK(metrics.find("toegang_outbox_queue_length 1\n") != std::string::npos);
    CHECK(metrics.find("toegang_outbox_oldest_age_seconds 90\n") != std::string::npos);
    CHECK(metrics.find("toegang_outbox_last_error{endpoint=\"" + kEndpoint +
                       "\",error=\"server_certificate_rejected\"} 1\n") != std::string::npos);
    CHECK(metrics.find("toegang_outbox_delivered 1\n") != std::string::npos);
    CHECK(metrics.find("toegang_outbox_storage_ok 1\n") != std::string::npos);
    CHECK(metrics.find("NEW02") == std::string::npos);  // no references in metrics
}

TEST_CASE_FIXTURE(Fixture, "net: after 48 hours a submission is overdue, reported, and still retried") {
    randomValue = 1.0;
    enqueue("AAAAA-00001");
    submitter.scriptFailure(NetError::ConnectFailed, 1000);
    for (int i = 0; i < 700 && clock.now() - kStart <= 48h + 10min; ++i) {
        (void)delivery->deliverDue();
        clock.advance(entry("AAAAA-00001")->nextAttemptAt - clock.now());
    }
    CHECK(clock.now() - kStart > 48h);
    (void)delivery->deliverDue();
    const auto status = delivery->status();
    CHECK(status.overdue == 1);
    CHECK(status.queueLength == 1);
    CHECK(status.oldestAge > std::chrono::seconds(48h));
    CHECK(log.contains("AAAAA-00001 has waited longer than 48 h; still retrying"));
    CHECK(fs::exists(tmp / "outbox" / "AAAAA-00001.sub"));
    // Every retry at the cap: at most 5 minutes apart.
    CHECK(entry("AAAAA-00001")->nextAttemptAt - clock.now() <= 300s);
}

// -- the worker thread ------------------------------------------------------------------------

TEST_CASE_FIXTURE(Fixture, "net: the worker delivers what is enqueued without being told") {
    delivery->start();
    CHECK(delivery->running());
    for (int i = 0; i < 10; ++i) enqueue("W-" + std::to_string(i));
    CHECK(delivery->waitUntilEmpty(10s));
    CHECK(submitter.posts() == 10);
    delivery->stop();
    CHECK_FALSE(delivery->running());
}

TEST_CASE_FIXTURE(Fixture, "net: a worker waiting out a backoff goes on when the clock has moved") {
    delivery->start();
    submitter.scriptStatus(503);
    enqueue("AAAAA-00001");
    REQUIRE(submitter.waitForPosts(1, 10s));
    REQUIRE(delivery->waitUntilIdle(10s));
    CHECK(outbox->size() == 1);
    clock.advance(14s);
    REQUIRE(delivery->waitUntilIdle(10s));
    CHECK(submitter.posts() == 1);  // not yet due
    clock.advance(1s);
    CHECK(delivery->waitUntilIdle(10s));
    CHECK(delivery->waitUntilEmpty(10s));
    CHECK(submitter.posts() == 2);
}

TEST_CASE_FIXTURE(Fixture, "net: stop() is prompt while a request hangs, and the hung attempt does not count") {
    delivery->start();
    submitter.blockNext();
    enqueue("AAAAA-00001");
    REQUIRE(submitter.waitForPosts(1, 10s));
    auto stopping = std::async(std::launch::async, [&] { delivery->stop(); });
    const bool prompt = stopping.wait_for(1s) == std::future_status::ready;
    CHECK(prompt);
    if (!prompt) submitter.cancel();  // let a stop() that does not cancel finish, so this can report
    stopping.get();
    REQUIRE(entry("AAAAA-00001") != nullptr);
    CHECK(entry("AAAAA-00001")->attempts == 0);
    // And it starts again.
    delivery->start();
    CHECK(delivery->waitUntilEmpty(10s));
}

TEST_CASE_FIXTURE(Fixture, "net: an idle worker sleeps: no CPU while nothing is due") {
    enqueue("AAAAA-00001");
    submitter.scriptStatus(503);
    delivery->start();
    REQUIRE(submitter.waitForPosts(1, 10s));
    REQUIRE(delivery->waitUntilIdle(10s));  // now waiting 15 s for the retry
    rusage before{};
    rusage after{};
    ::getrusage(RUSAGE_SELF, &before);
    std::this_thread::sleep_for(500ms);  // the measurement window, not synchronisation
    ::getrusage(RUSAGE_SELF, &after);
    auto cpu = [](const rusage& r) {
        return std::chrono::microseconds(r.ru_utime.tv_sec * 1'000'000L + r.ru_utime.tv_usec +
                                         r.ru_stime.tv_sec * 1'000'000L + r.ru_stime.tv_usec);
    };
    CHECK(cpu(after) - cpu(before) < 20ms);
    // A loop that wakes every few milliseconds costs little CPU but wakes the processor
    // hundreds of times: count the sleeps too (the test thread's own sleep is one).
    CHECK(after.ru_nvcsw - before.ru_nvcsw < 10);
    CHECK(submitter.posts() == 1);
}
