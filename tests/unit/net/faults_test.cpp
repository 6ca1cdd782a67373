// The fault matrix: the real worker, libcurl and the demo backend, with the backend made to
// misbehave. Each case ends with every submission stored at the backend exactly once.
// Backoff is shortened (100 ms doubling to 400 ms) so that the matrix runs in seconds.
#include "kiosk/net/curl_submitter.hpp"
#include "kiosk/net/delivery.hpp"

#include "tests/fakes/print.hpp"
#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Pipeline {
    explicit Pipeline(std::chrono::milliseconds totalTimeout = 5s) : backend(tmp.path()) {
        auto tls = testTls();
        tls.totalTimeout = totalTimeout;
        tls.connectTimeout = std::min<std::chrono::milliseconds>(totalTimeout, 2s);
        auto s = net::CurlSubmitter::create(tls);
        REQUIRE(s.has_value());
        submitter = std::move(*s);
        open();
    }
    ~Pipeline() {
        delivery.reset();  // stop the worker before the outbox goes
    }
    void open() {
        delivery.reset();
        outbox.reset();
        auto o = net::Outbox::open(sealedOutbox(tmp / "outbox", log.sink()), clock);
        REQUIRE(o.has_value());
        outbox = std::move(*o);
        net::DeliveryOptions options;
        options.retry.firstDelay = 100ms;
        options.retry.maxDelay = 400ms;
        options.allowedHosts = {"localhost"};
        options.log = log.sink();
        delivery = std::make_unique<net::Delivery>(*outbox, *submitter, clock, options);
    }
    std::vector<std::string> enqueue(const std::string& prefix, int count) {
        std::vector<std::string> refs;
        for (int i = 1; i <= count; ++i) {
            refs.push_back(prefix + "-" + std::to_string(i));
            REQUIRE(outbox->enqueue(makeSubmission(refs.back(), backend.url())).has_value());
        }
        return refs;
    }
    // The end of every case: the outbox drains, and each reference is stored exactly once
    // (and nothing else is).
    void requireExactlyOnce(const std::vector<std::string>& refs) {
        INFO("kiosk log:\n" << log.all() << "backend log:\n" << backend.log());
        REQUIRE(delivery->waitUntilEmpty(30s));
        const auto stored = backend.stored();
        CHECK(stored.size() == refs.size());
        for (const auto& ref : refs) {
            CAPTURE(ref);
            CHECK(stored.count(ref) == 1);
            CHECK(stored.at(ref) == 1);
        }
        CHECK(outbox->shelvedCount(net::Shelf::NeedsStaff) == 0);
        CHECK(outbox->shelvedCount(net::Shelf::Corrupt) == 0);
    }
    std::size_t count(const std::vector<std::string>& outcomes, const std::string& what) {
        return static_cast<std::size_t>(std::count(outcomes.begin(), outcomes.end(), what));
    }

    TempDir tmp;
    core::SystemClock clock;
    LogCapture log;
    DemoBackend backend;
    std::unique_ptr<net::CurlSubmitter> submitter;
    std::unique_ptr<net::Outbox> outbox;
    std::unique_ptr<net::Delivery> delivery;
};

}  // namespace

TEST_CASE("net: fault: backend down, then back") {
    Pipeline p;
    p.backend.fault(R"({"kind":"down"})");
    p.delivery->start();
    const auto refs = p.enqueue("DOWN", 5);
    // It keeps trying while the backend is down (bounded wait for the second attempt).
    REQUIRE(eventually([&] { return !p.outbox->entries().empty() && p.outbox->entries()[0].attempts >= 2; }, 10s));
    const auto status = p.delivery->status();
    REQUIRE(status.endpoints.size() == 1);
    CHECK(status.endpoints[0].lastErrorKind == "connect_failed");
    CHECK(status.queueLength == 5);
    p.backend.fault(R"({"kind":"up"})");
    p.requireExactlyOnce(refs);
    for (const auto& [ref, outcomes] : p.backend.outcomes()) CHECK(outcomes == std::vector<std::string>{"http_201"});
}

TEST_CASE("net: fault: backend down, kiosk restarted meanwhile, then back") {
    Pipeline p;
    p.backend.fault(R"({"kind":"down"})");
    p.delivery->start();
    const auto refs = p.enqueue("RESTART", 3);
    REQUIRE(eventually([&] { return p.outbox->entries()[0].attempts >= 1; }, 10s));
    p.open();  // a restart: worker stopped, outbox and worker built anew from the folder
    CHECK(p.outbox->size() == 3);
    CHECK(p.outbox->entries()[0].attempts >= 1);
    p.backend.fault(R"({"kind":"up"})");
    p.delivery->start();
    p.requireExactlyOnce(refs);
}

TEST_CASE("net: fault: 500s, then 200") {
    Pipeline p;
    p.backend.fault(R"({"kind":"status","status":500,"count":4})");
    p.delivery->start();
    const auto refs = p.enqueue("ERR", 3);
    p.requireExactlyOnce(refs);
    std::size_t errors = 0;
    for (const auto& [ref, outcomes] : p.backend.outcomes()) {
        errors += p.count(outcomes, "http_500");
        CHECK(p.count(outcomes, "http_201") == 1);
        CHECK(p.count(outcomes, "http_409") == 0);
    }
    CHECK(errors == 4);
    CHECK(p.log.contains("http_500"));
}

TEST_CASE("net: fault: a backend slower than the total timeout") {
    Pipeline p(1000ms);
    p.backend.fault(R"({"kind":"slow","delay":2.5,"count":1})");
    p.delivery->start();
    const auto refs = p.enqueue("SLOW", 2);
    p.requireExactlyOnce(refs);
    CHECK(p.log.contains("timed_out"));
    // The slow request was still stored (after we gave up), or the retry was: once either way.
    // Wait for the slow handler to finish before the backend goes, so its answer is seen.
    CHECK(p.backend.waitForLog("SLOW-1 (form verhuizing, sealed) -> 409", 10s));
}

TEST_CASE("net: fault: connections reset before the backend stores") {
    Pipeline p;
    p.backend.fault(R"({"kind":"reset","count":3})");
    p.delivery->start();
    const auto refs = p.enqueue("RST", 3);
    p.requireExactlyOnce(refs);
    CHECK(p.log.contains("connection_lost"));
    std::size_t resets = 0;
    for (const auto& [ref, outcomes] : p.backend.outcomes()) resets += p.count(outcomes, "reset");
    CHECK(resets == 3);
}

TEST_CASE("net: fault: connections reset after the backend stored (the answer is lost)") {
    Pipeline p;
    p.backend.fault(R"({"kind":"reset_after_store","count":1})");
    p.delivery->start();
    const auto refs = p.enqueue("LOST", 2);
    p.requireExactlyOnce(refs);
    // The retry is answered 409 (already there) and counts as delivered.
    INFO(p.backend.log());
    const auto outcomes = p.backend.outcomes();
    CHECK(outcomes.at("LOST-1") == std::vector<std::string>{"http_201", "http_409"});
    CHECK(outcomes.at("LOST-2") == std::vector<std::string>{"http_201"});
    CHECK(p.log.contains("delivered LOST-1 (form verhuizing) to " + p.backend.url() + ": HTTP 409"));
}

TEST_CASE("net: fault: a corrupted outbox file is set aside and reported, the others are delivered") {
    Pipeline p;
    const auto refs = p.enqueue("CORR", 3);
    const fs::path file = p.tmp / "outbox" / "CORR-2.sub";
    std::string content = readText(file);
    content[content.size() / 2] ^= 0x04;
    writeText(file, content);
    p.delivery->start();
    REQUIRE(p.delivery->waitUntilEmpty(30s));
    const auto stored = p.backend.stored();
    CHECK(stored == std::map<std::string, int>{{"CORR-1", 1}, {"CORR-3", 1}});
    CHECK(fs::exists(p.tmp / "outbox" / "corrupt" / "CORR-2.sub"));
    const auto status = p.delivery->status();
    CHECK(status.corrupt == 1);
    CHECK(status.queueLength == 0);
    CHECK(p.log.contains("set aside damaged outbox file CORR-2.sub"));
}

TEST_CASE("net: fault: a refusal (4xx) is set aside for staff while the rest go through") {
    Pipeline p;
    p.delivery->start();
    auto good = p.enqueue("FINE", 2);
    // The backend refuses a body whose reference does not match the Idempotency-Key (400).
    auto bad = makeSubmission("MISMATCH-1", p.backend.url());
    bad.payload.replace(bad.payload.find("MISMATCH-1"), 10, "SOMETHING1");
    REQUIRE(p.outbox->enqueue(bad).has_value());
    REQUIRE(p.delivery->waitUntilEmpty(30s));
    CHECK(p.backend.stored() == std::map<std::string, int>{{"FINE-1", 1}, {"FINE-2", 1}});
    const auto shelved = p.outbox->shelved(net::Shelf::NeedsStaff);
    REQUIRE(shelved.size() == 1);
    CHECK(shelved[0].reference == "MISMATCH-1");
    CHECK(shelved[0].reason.find("HTTP 400 (envelope_reference_mismatch)") == std::string::npos);
    CHECK(shelved[0].reason.find("HTTP 400 (reference_mismatch)") != std::string::npos);
}
