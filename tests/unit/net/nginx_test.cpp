// nginx (Debian's package) as the TLS front door: it terminates mutual TLS and passes the
// submission over plain HTTP on loopback to the demo backend, which accepts only what nginx
// vouches for (X-Client-Verify: SUCCESS). docs/outbox.md shows the same configuration.
#include "kiosk/net/curl_submitter.hpp"
#include "kiosk/net/delivery.hpp"

#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

std::string nginxConfig(const fs::path& prefix, int port, int backendPort) {
    const fs::path& c = certsDir();
    const std::string p = prefix.string();
    return "daemon off;\n"
           "master_process off;\n"
           "worker_processes 1;\n"
           "pid " + p + "/nginx.pid;\n"
           "error_log " + p + "/error.log info;\n"
           "events { worker_connections 64; }\n"
           "http {\n"
           "  access_log " + p + "/access.log;\n"
           "  client_body_temp_path " + p + "/body;\n"
           "  proxy_temp_path " + p + "/proxy;\n"
           "  fastcgi_temp_path " + p + "/fastcgi;\n"
           "  uwsgi_temp_path " + p + "/uwsgi;\n"
           "  scgi_temp_path " + p + "/scgi;\n"
           "  server {\n"
           "    listen 127.0.0.1:" + std::to_string(port) + " ssl;\n"
           "    server_name localhost;\n"
           "    ssl_certificate " + (c / "server.crt").string() + ";\n"
           "    ssl_certificate_key " + (c / "server.key").string() + ";\n"
           "    ssl_protocols TLSv1.2 TLSv1.3;\n"
           "    ssl_client_certificate " + (c / "ca.crt").string() + ";\n"
           "    ssl_verify_client on;\n"
           // A kiosk whose client certificate is missing or refused gets 503, so it keeps its
           // submissions and retries, instead of nginx's 400, which would set them aside.
           "    error_page 495 496 = @client_certificate;\n"
           "    location @client_certificate { add_header Retry-After 300 always; return 503; }\n"
           "    location / {\n"
           "      proxy_pass http://127.0.0.1:" + std::to_string(backendPort) + ";\n"
           "      proxy_http_version 1.1;\n"
           "      proxy_set_header Connection \"\";\n"
           "      proxy_set_header X-Client-Verify $ssl_client_verify;\n"
           "      proxy_set_header X-Client-DN $ssl_client_s_dn;\n"
           "    }\n"
           "  }\n"
           "}\n";
}

}  // namespace

TEST_CASE("net: nginx in front terminates mutual TLS and passes submissions to the backend") {
    if (!fs::exists(kNginx)) {
        MESSAGE("SKIPPED: " << kNginx << " is missing (Debian package nginx; deploy/install-deps.sh installs it)");
        return;
    }
    TempDir tmp;
    DemoBackend backend(tmp.path(), {.plainHttp = true});
    const int port = freePort();
    writeText(tmp / "nginx.conf", nginxConfig(tmp.path(), port, backend.port()));
    Process nginx({kNginx, "-p", tmp.path().string(), "-c", (tmp / "nginx.conf").string(), "-e",
                   (tmp / "startup.log").string()},
                  tmp / "nginx.out");
    INFO("nginx: " << readText(tmp / "startup.log") << readText(tmp / "error.log") << readText(tmp / "nginx.out"));
    REQUIRE(waitForListener(port, 10s));
    const std::string url = "https://localhost:" + std::to_string(port) + "/api/submissions";

    core::SystemClock clock;
    LogCapture log;
    auto outbox = net::Outbox::open(sealedOutbox(tmp / "outbox", log.sink()), clock);
    REQUIRE(outbox.has_value());
    auto submitter = net::CurlSubmitter::create(testTls());
    REQUIRE(submitter.has_value());
    net::DeliveryOptions options;
    options.log = log.sink();
    net::Delivery delivery(**outbox, **submitter, clock, options);
    for (const char* ref : {"NGINX-1", "NGINX-2", "NGINX-3"}) {
        REQUIRE((*outbox)->enqueue(makeSubmission(ref, url)).has_value());
    }
    const auto pass = delivery.deliverDue();
    INFO(log.all() << backend.log());
    CHECK(pass.delivered == 3);
    CHECK(backend.stored() == std::map<std::string, int>{{"NGINX-1", 1}, {"NGINX-2", 1}, {"NGINX-3", 1}});
    CHECK((*submitter)->connectionsOpened() == 1);
    // Sealed envelopes went through nginx untouched and were opened by the backend.
    const auto dump = backend.dump();
    for (const auto& s : dump.at("submissions")) CHECK(s.at("sealed").get<bool>());

    // A kiosk without a client certificate is turned away by nginx, and keeps its submission.
    auto bare = net::CurlSubmitter::create(testTls(/*clientCert=*/false));
    REQUIRE(bare.has_value());
    net::Delivery bareDelivery(**outbox, **bare, clock, options);
    REQUIRE((*outbox)->enqueue(makeSubmission("NOCERT-1", url)).has_value());
    CHECK(bareDelivery.deliverDue().failed == 1);
    REQUIRE((*outbox)->size() == 1);
    CHECK((*outbox)->entries()[0].lastError.starts_with("http_503"));
    CHECK((*outbox)->entries()[0].nextAttemptAt - clock.now() >= 299s);  // Retry-After: 300
    CHECK(backend.stored().count("NOCERT-1") == 0);

    // Nothing reaches the backend around nginx: it wants nginx's word on the certificate.
    const auto [status, body] = httpRequest("POST", "http://127.0.0.1:" + std::to_string(backend.port()) + "/api", "{}");
    CHECK(status == 403);
}
