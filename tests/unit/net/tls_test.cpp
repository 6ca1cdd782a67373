// Real TLS over loopback against the demo backend (tests/peers/demo_backend.py) with the
// certificates make_certs.sh made: delivery with mutual TLS in both outbox modes, and every
// refusal the kiosk must make (expired, wrong host, untrusted CA, pin mismatch, TLS 1.0/1.1),
// each with the reason it was refused for.
#include "kiosk/net/curl_submitter.hpp"
#include "kiosk/net/curl_library.hpp"
#include "kiosk/net/delivery.hpp"
#include "kiosk/net/envelope.hpp"

#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
using net::NetError;
using Mode = core::Config::Outbox::Mode;

namespace {

std::unique_ptr<net::CurlSubmitter> submitterWith(net::CurlSubmitterOptions options) {
    auto s = net::CurlSubmitter::create(std::move(options));
    INFO((s ? std::string() : net::describe(s.error())));
    REQUIRE(s.has_value());
    return std::move(*s);
}

net::HttpRequest plainRequest(const std::string& reference, const std::string& url) {
    const auto sub = makeSubmission(reference, url);
    return net::HttpRequest{url, reference, "application/json", sub.payload};
}

// One POST; the failure it must be.
net::Failure refused(net::CurlSubmitter& submitter, const std::string& url) {
    auto answer = submitter.post(plainRequest("REFUSED-1", url));
    INFO((answer ? "HTTP " + std::to_string(answer->status) : std::string()));
    REQUIRE_FALSE(answer.has_value());
    return answer.error();
}

}  // namespace

TEST_CASE("net: delivery over mutual TLS arrives decrypted at the backend, sealed and plain") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    core::SystemClock clock;
    for (Mode mode : {Mode::Sealed, Mode::Plain}) {
        const bool sealed = mode == Mode::Sealed;
        CAPTURE(sealed);
        const std::string prefix = sealed ? "SEAL" : "PLAIN";
        auto options = sealed ? sealedOutbox(tmp / (prefix + "-outbox"), net::silentLog())
                              : plainOutbox(tmp / (prefix + "-outbox"), tmp / "outbox.key", net::silentLog());
        auto outbox = net::Outbox::open(options, clock);
        REQUIRE(outbox.has_value());
        auto submitter = submitterWith(testTls());
        net::DeliveryOptions deliveryOptions;
        deliveryOptions.log = net::silentLog();
        deliveryOptions.allowedHosts = {"localhost"};
        net::Delivery delivery(**outbox, *submitter, clock, deliveryOptions);

        std::map<std::string, std::string> sent;
        for (int i = 1; i <= 5; ++i) {
            const auto sub = makeSubmission(prefix + "-" + std::to_string(i), backend.url());
            sent[sub.reference] = sub.payload;
            REQUIRE((*outbox)->enqueue(sub).has_value());
        }
        const auto pass = delivery.deliverDue();
        INFO(backend.log());
        CHECK(pass.delivered == 5);
        CHECK((*outbox)->size() == 0);
        // One TLS connection carried all five.
        CHECK(submitter->connectionsOpened() == 1);

        int seen = 0;
        const auto stored = backend.dump();
        for (const auto& s : stored.at("submissions")) {
            const std::string ref = s.at("reference").get<std::string>();
            if (!sent.contains(ref)) continue;
            ++seen;
            CHECK(s.at("sealed").get<bool>() == sealed);
            CHECK(s.at("payload") == nlohmann::json::parse(sent[ref]));
        }
        CHECK(seen == 5);
    }
}

TEST_CASE("net: libcurl is loaded by the first request, not when the submitter is made") {
    // ctest runs each case in its own process; run with the others in one process, an
    // earlier case has already sent, and there is nothing to see here.
    if (net::curlLibraryOpened()) {
        MESSAGE("libcurl was opened by an earlier test case in this process: run this case alone (ctest does)");
        return;
    }
    TempDir tmp;
    DemoBackend backend(tmp.path());
    core::SystemClock clock;
    auto outbox = net::Outbox::open(sealedOutbox(tmp / "outbox", net::silentLog()), clock);
    REQUIRE(outbox.has_value());
    auto submitter = submitterWith(testTls());
    CHECK_FALSE(net::curlLibraryOpened());
    net::DeliveryOptions deliveryOptions;
    deliveryOptions.log = net::silentLog();
    deliveryOptions.allowedHosts = {"localhost"};
    net::Delivery delivery(**outbox, *submitter, clock, deliveryOptions);
    CHECK_FALSE(net::curlLibraryOpened());
    REQUIRE((*outbox)->enqueue(makeSubmission("LAZY-1", backend.url())).has_value());
    const auto pass = delivery.deliverDue();
    INFO(backend.log());
    CHECK(pass.delivered == 1);
    CHECK(net::curlLibraryOpened());
}

TEST_CASE("net: the backend refuses a kiosk without a client certificate") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    auto submitter = submitterWith(testTls(/*clientCert=*/false));
    const auto failure = refused(*submitter, backend.url());
    CAPTURE(failure.detail);
    // With TLS 1.3 the server judges the client certificate after the client's side of the
    // handshake is done; its alert and the closed socket race with our first write, so this
    // shows as the alert (tls_handshake_failed) or as the lost connection. Both are retried.
    CHECK((failure.code == NetError::TlsHandshakeFailed || failure.code == NetError::ConnectionLost));
    CHECK(backend.stored().empty());
    CHECK(backend.waitForLog("handshake refused", 5s));
}

TEST_CASE("net: refused: an expired server certificate") {
    TempDir tmp;
    DemoBackend backend(tmp.path(), {.serverCert = "expired"});
    auto submitter = submitterWith(testTls());
    const auto failure = refused(*submitter, backend.url());
    CAPTURE(failure.detail);
    CHECK(failure.code == NetError::ServerCertificateRejected);
    CHECK(failure.detail.find("expired") != std::string::npos);
    CHECK(backend.stored().empty());
}

TEST_CASE("net: refused: a certificate for another host name") {
    TempDir tmp;
    DemoBackend backend(tmp.path(), {.serverCert = "wronghost"});
    auto submitter = submitterWith(testTls());
    for (const char* host : {"localhost", "127.0.0.1"}) {
        CAPTURE(host);
        const auto failure = refused(*submitter, backend.url(host));
        CAPTURE(failure.detail);
        CHECK(failure.code == NetError::ServerCertificateRejected);
        CHECK(failure.detail.find("match") != std::string::npos);
    }
    CHECK(backend.stored().empty());
}

TEST_CASE("net: refused: a server whose CA the kiosk does not trust") {
    TempDir tmp;
    DemoBackend backend(tmp.path(), {.serverCert = "untrusted"});
    auto submitter = submitterWith(testTls());
    const auto failure = refused(*submitter, backend.url());
    CAPTURE(failure.detail);
    CHECK(failure.code == NetError::ServerCertificateRejected);
    CHECK(failure.detail.find("issuer") != std::string::npos);
    CHECK(backend.stored().empty());

    // The trust anchor is the only thing wrong: trusting that CA, the same server is fine.
    auto options = testTls();
    options.caFile = certsDir() / "untrusted-ca.crt";
    auto trusting = submitterWith(options);
    auto answer = trusting->post(plainRequest("TRUSTED-1", backend.url()));
    REQUIRE(answer.has_value());
    CHECK(answer->status == 201);
}

TEST_CASE("net: public-key pins: the server's pin passes, any other is refused") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    const std::string serverPin = readText(certsDir() / "server.pin");
    const std::string otherPin = readText(certsDir() / "other.pin");
    SUBCASE("pin mismatch") {
        auto options = testTls();
        options.pins = {otherPin};
        auto submitter = submitterWith(options);
        const auto failure = refused(*submitter, backend.url());
        CAPTURE(failure.detail);
        CHECK(failure.code == NetError::PinMismatch);
        CHECK(backend.stored().empty());
    }
    SUBCASE("the server's pin, with or without sha256//, among others") {
        for (const std::string& pin : {serverPin, "sha256//" + serverPin}) {
            auto options = testTls();
            options.pins = {otherPin, pin};
            auto submitter = submitterWith(options);
            const std::string ref = pin.starts_with("sha") ? "PINNED-2" : "PINNED-1";
            auto answer = submitter->post(plainRequest(ref, backend.url()));
            REQUIRE(answer.has_value());
            CHECK(answer->status == 201);
        }
    }
    SUBCASE("a malformed pin is refused at start") {
        auto options = testTls();
        options.pins = {"not-a-pin"};
        auto submitter = net::CurlSubmitter::create(options);
        REQUIRE_FALSE(submitter.has_value());
        CHECK(submitter.error().code == NetError::ConfigurationUnusable);
    }
}

TEST_CASE("net: refused: a server that offers only TLS 1.0 and 1.1") {
    TempDir tmp;
    DemoBackend backend(tmp.path(), {.oldTlsOnly = true});
    // The server really does speak TLS 1.1 (so the refusal below is the kiosk's doing).
    const std::string probe = "echo | timeout 10 openssl s_client -connect 127.0.0.1:" +
                              std::to_string(backend.port()) + " -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' -cert '" +
                              (certsDir() / "client.crt").string() + "' -key '" +
                              (certsDir() / "client.key").string() + "' 2>&1 | grep -q 'Protocol  *: TLSv1.1'";
    REQUIRE(std::system(probe.c_str()) == 0);

    auto submitter = submitterWith(testTls());
    const auto failure = refused(*submitter, backend.url());
    CAPTURE(failure.detail);
    CHECK(failure.code == NetError::TlsHandshakeFailed);
    CHECK(backend.stored().empty());
}

TEST_CASE("net: nothing listening is a connect failure, not an answer") {
    auto submitter = submitterWith(testTls());
    const auto failure = refused(*submitter, "https://localhost:" + std::to_string(freePort()) + "/api");
    CHECK(failure.code == NetError::ConnectFailed);
}

TEST_CASE("net: unusable TLS settings are refused at start") {
    TempDir tmp;
    auto noCa = testTls();
    noCa.caFile = tmp / "missing-ca.pem";
    CHECK(net::CurlSubmitter::create(noCa).error().code == NetError::ConfigurationUnusable);
    auto half = testTls();
    half.clientKey.clear();
    CHECK(net::CurlSubmitter::create(half).error().code == NetError::ConfigurationUnusable);
    auto http = net::CurlSubmitter::create(testTls());
    REQUIRE(http.has_value());
    auto answer = (*http)->post(net::HttpRequest{"http://localhost/api", "X", "application/json", "{}"});
    REQUIRE_FALSE(answer.has_value());
    CHECK(answer.error().code == NetError::InvalidUrl);
}

TEST_CASE("net: cancel() ends a request that hangs at once, the total timeout ends it otherwise") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    backend.fault(R"({"kind":"slow","delay":20})");
    auto options = testTls();
    options.totalTimeout = 30s;
    auto submitter = submitterWith(options);
    std::optional<std::expected<net::HttpAnswer, net::Failure>> result;
    std::thread poster([&] { result = submitter->post(plainRequest("HANG-1", backend.url())); });
    // Bounded wait until the request is being handled by the backend.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (backend.inFlight() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    REQUIRE(backend.inFlight() == 1);
    const auto before = std::chrono::steady_clock::now();
    submitter->cancel();
    poster.join();
    CHECK(std::chrono::steady_clock::now() - before < 500ms);
    REQUIRE(result.has_value());
    REQUIRE_FALSE(result->has_value());
    CHECK(result->error().code == NetError::Cancelled);
    // Sticky until resume().
    CHECK(submitter->post(plainRequest("HANG-2", backend.url())).error().code == NetError::Cancelled);

    submitter->resume();
    auto quick = testTls();
    quick.connectTimeout = 1s;
    quick.totalTimeout = 1s;
    auto impatient = submitterWith(quick);
    const auto start = std::chrono::steady_clock::now();
    const auto failure = refused(*impatient, backend.url());
    CHECK(failure.code == NetError::TimedOut);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}
