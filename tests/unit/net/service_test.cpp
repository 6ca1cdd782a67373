// The one object the kiosk builds: SubmissionService::fromConfig from the config file's
// submit.* and outbox.* keys, talking to the demo backend; and its refusals at start.
#include "kiosk/net/submission_service.hpp"

#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string configText(const DemoBackend& backend, const fs::path& outboxDir, const std::string& outbox) {
    const fs::path& c = certsDir();
    return "kiosk_id: service-test\n"
           "submit:\n"
           "  default_endpoint: " + backend.url() + "\n"
           "  allowed_hosts: [localhost]\n"
           "  ca_file: " + (c / "ca.crt").string() + "\n"
           "  client_cert: " + (c / "client.crt").string() + "\n"
           "  client_key: " + (c / "client.key").string() + "\n"
           "  pins: [" + readText(c / "server.pin") + "]\n"
           "outbox:\n"
           "  dir: " + outboxDir.string() + "\n" + outbox;
}

core::Config parse(const std::string& text) {
    auto config = core::parseConfig(text, "kiosk.yaml", "/");
    INFO((config ? std::string() : config.error().messages.at(0)));
    REQUIRE(config.has_value());
    return *config;
}

}  // namespace

TEST_CASE("net: the service is built from the kiosk config and delivers, sealed and plain") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    core::SystemClock clock;
    for (const std::string mode : {"sealed", "plain"}) {
        CAPTURE(mode);
        const std::string outbox =
            mode == "sealed" ? "  mode: sealed\n  recipient_key: " + (certsDir() / "sealing.pub.pem").string() + "\n"
                             : "  mode: plain\n  key_file: " + (tmp / "outbox.key").string() + "\n";
        const auto config = parse(configText(backend, tmp / (mode + "-outbox"), outbox));
        LogCapture log;
        net::ServiceOptions options;
        options.log = log.sink();
        options.metricsFile = tmp / (mode + ".prom");
        auto service = net::SubmissionService::fromConfig(config, clock, options);
        INFO((service ? std::string() : net::describe(service.error())));
        REQUIRE(service.has_value());
        (*service)->start();
        CHECK((*service)->acceptingSubmissions());

        const std::string ref = mode == "sealed" ? "SVC-S1" : "SVC-P1";
        REQUIRE((*service)->submit(makeSubmission(ref, config.submit.defaultEndpoint)).has_value());
        auto store = (*service)->storeFunction();
        REQUIRE(store(makeSubmission(ref + "X", config.submit.defaultEndpoint)).has_value());
        const auto again = store(makeSubmission(ref, config.submit.defaultEndpoint));
        REQUIRE_FALSE(again.has_value());
        CHECK(again.error().find("already waiting") != std::string::npos);

        REQUIRE((*service)->delivery().waitUntilEmpty(20s));
        CHECK(backend.stored().count(ref) == 1);
        CHECK(backend.stored().count(ref + "X") == 1);
        const auto status = (*service)->status();
        CHECK(status.queueLength == 0);
        CHECK(status.deliveredSinceStart == 2);
        (*service)->stop();
        CHECK(readText(options.metricsFile).find("toegang_outbox_delivered 2\n") != std::string::npos);
    }
}

TEST_CASE("net: the service refuses to start on a config it cannot use") {
    TempDir tmp;
    DemoBackend backend(tmp.path());
    core::SystemClock clock;
    net::ServiceOptions options;
    options.log = net::silentLog();
    const std::string sealed = "  mode: sealed\n  recipient_key: " + (certsDir() / "sealing.pub.pem").string() + "\n";

    auto noDir = parse(configText(backend, tmp / "outbox", sealed));
    noDir.outbox.dir.clear();
    auto a = net::SubmissionService::fromConfig(noDir, clock, options);
    REQUIRE_FALSE(a.has_value());
    CHECK(a.error().detail.find("outbox.dir") != std::string::npos);

    auto noKey = parse(configText(backend, tmp / "outbox", "  mode: sealed\n  recipient_key: " + (tmp / "none.pem").string() + "\n"));
    auto b = net::SubmissionService::fromConfig(noKey, clock, options);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().code == net::NetError::KeyUnavailable);

    auto noCa = parse(configText(backend, tmp / "outbox", sealed));
    noCa.submit.caFile = tmp / "missing-ca.pem";
    auto c = net::SubmissionService::fromConfig(noCa, clock, options);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == net::NetError::ConfigurationUnusable);
}
