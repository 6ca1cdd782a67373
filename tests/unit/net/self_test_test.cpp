// The staff self-test's pieces with real parts: certificates made here with OpenSSL, the
// probe against the demo backend on loopback (mutual TLS, the test CA), a port nobody
// listens on, the real file system, and the string tables staff read.
#include "kiosk/net/self_test.hpp"

#include "kiosk/net/curl_submitter.hpp"
#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>

using namespace kiosk;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

// A self-signed certificate valid from now for `days` days, written as PEM.
void makeCertificate(const std::filesystem::path& file, long days) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    REQUIRE(key != nullptr);
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), days * 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("kiosk-test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
    std::FILE* out = std::fopen(file.c_str(), "w");
    REQUIRE(out != nullptr);
    PEM_write_X509(out, cert);
    std::fclose(out);
    X509_free(cert);
    EVP_PKEY_free(key);
}

core::StringTable tables() { return *core::StringTable::load(kSource / "assets/strings"); }

const core::StaffLine* lineWith(const std::vector<core::StaffLine>& lines, const std::string& text) {
    const auto found = std::ranges::find_if(lines, [&](const core::StaffLine& l) { return l.text.find(text) != std::string::npos; });
    return found == lines.end() ? nullptr : &*found;
}

std::string dump(const std::vector<core::StaffLine>& lines) {
    std::string out;
    for (const auto& l : lines) out += (l.ok ? "OK   " : "PROB ") + l.text + "\n";
    return out;
}

}  // namespace

TEST_CASE("certificate expiry is computed from the certificate itself; under 30 days warns") {
    test::TempDir tmp;
    makeCertificate(tmp / "soon.crt", 10);
    makeCertificate(tmp / "long.crt", 400);
    const auto now = std::chrono::system_clock::now();
    auto soon = net::certificateNotAfter(tmp / "soon.crt");
    REQUIRE(soon);
    CHECK(std::chrono::floor<std::chrono::days>(*soon - now).count() == 9);   // 10 days less a few ms
    // A CA file with several certificates: the earliest one counts.
    test::writeText(tmp / "bundle.pem", test::readText(tmp / "long.crt") + test::readText(tmp / "soon.crt"));
    CHECK(*net::certificateNotAfter(tmp / "bundle.pem") == *soon);
    CHECK_FALSE(net::certificateNotAfter(tmp / "missing.pem"));
    test::writeText(tmp / "junk.pem", "not a certificate\n");
    CHECK(net::certificateNotAfter(tmp / "junk.pem").error() == "no PEM certificate in it");

    net::SelfTestOptions options;
    options.submit.clientCert = tmp / "soon.crt";
    options.submit.caFile = tmp / "long.crt";
    options.outboxDir = tmp.path();
    options.built = now - 24h;
    options.synthesise = []() -> std::expected<std::size_t, std::string> { return 1000; };
    const auto strings = tables();
    const auto lines = net::runSelfTest(options, strings, "en");
    INFO(dump(lines));
    const auto* client = lineWith(lines, "Certificate soon.crt expires in 9 days. Order a new one now.");
    REQUIRE(client != nullptr);
    CHECK_FALSE(client->ok);
    const auto* ca = lineWith(lines, "Certificate long.crt: valid for 399 more days.");
    REQUIRE(ca != nullptr);
    CHECK(ca->ok);
    CHECK(lineWith(lines, "No backend address to test.") != nullptr);
    const auto* disk = lineWith(lines, "Free disk space for the outbox:");
    REQUIRE(disk != nullptr);
    CHECK(lineWith(lines, "Speech works.")->ok);
    CHECK(lineWith(lines, "This looks right.")->ok);
}

TEST_CASE("the probe reaches the loopback TLS backend with mutual TLS, and its Date checks the clock") {
    test::TempDir tmp;
    test::DemoBackend backend(tmp.path());
    auto answer = net::probeEndpoint(backend.url(), test::testTls());
    REQUIRE_MESSAGE(answer, (answer ? "" : answer.error().detail));
    CHECK(answer->status >= 200);
    REQUIRE(answer->serverDate.has_value());
    const auto off = *answer->serverDate - std::chrono::system_clock::now();
    CHECK(std::chrono::abs(off) < 5s);
    // Nothing was stored: a HEAD carries no submission.
    CHECK(backend.stored().empty());

    // The whole self-test against it: the host answers; a clock 10 minutes off is a problem.
    net::SelfTestOptions options;
    options.submit.defaultEndpoint = backend.url();
    options.submit.caFile = test::certsDir() / "ca.crt";
    options.submit.clientCert = test::certsDir() / "client.crt";
    options.submit.clientKey = test::certsDir() / "client.key";
    options.endpoints = {backend.url() + "/other"};   // the same host: probed once
    options.outboxDir = tmp.path();
    options.built = std::chrono::system_clock::now() - 24h;
    options.now = [] { return std::chrono::system_clock::now() + 10min; };
    const auto strings = tables();
    const auto lines = net::runSelfTest(options, strings, "en");
    INFO(dump(lines));
    const auto* reachable = lineWith(lines, "Backend localhost:" + std::to_string(backend.port()) + " answers over TLS");
    REQUIRE(reachable != nullptr);
    CHECK(reachable->ok);
    CHECK(std::ranges::count_if(lines, [](const core::StaffLine& l) { return l.text.starts_with("Backend"); }) == 1);
    const auto* clock = lineWith(lines, "s off from the backend. Set the clock (NTP).");
    REQUIRE(clock != nullptr);
    CHECK_FALSE(clock->ok);
}

TEST_CASE("an unreachable backend is one plain problem line, within the probe's time") {
    const int port = test::freePort();
    net::SelfTestOptions options;
    options.submit.defaultEndpoint = "https://localhost:" + std::to_string(port) + "/api/submissions";
    options.submit.caFile = test::certsDir() / "ca.crt";
    options.built = std::chrono::system_clock::now();
    options.probeTimeout = 2s;
    const auto strings = tables();
    const auto started = std::chrono::steady_clock::now();
    const auto lines = net::runSelfTest(options, strings, "nl");
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    INFO(dump(lines));
    const auto* backend = lineWith(lines, "Backend localhost:" + std::to_string(port) + " antwoordt niet:");
    REQUIRE(backend != nullptr);
    CHECK_FALSE(backend->ok);
    CHECK(backend->text.find("Controleer het netwerk") != std::string::npos);
    CHECK_FALSE(lineWith(lines, "Geen outbox-map")->ok);
    CHECK_FALSE(lineWith(lines, "De spraak werkt niet")->ok);   // no engine given
}

TEST_CASE("the clock: before the build, far ahead, or off from the backend") {
    const auto built = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1} + 0h;
    CHECK(net::checkClock(built + 48h, built, std::nullopt) == net::ClockVerdict::Plausible);
    CHECK(net::checkClock(built - 72h, built, std::nullopt) == net::ClockVerdict::BeforeBuild);
    CHECK(net::checkClock(built + std::chrono::hours{24 * 365 * 11}, built, std::nullopt) == net::ClockVerdict::FarFuture);
    CHECK(net::checkClock(built + 48h, built, built + 48h + 30s) == net::ClockVerdict::Plausible);
    CHECK(net::checkClock(built + 48h, built, built + 48h + 5min) == net::ClockVerdict::DiffersFromBackend);
    CHECK(net::freeBytes("/tmp").value_or(0) > 0);
    CHECK_FALSE(net::freeBytes("/no/such/folder"));
    CHECK(net::humanBytes(3ull * 1024 * 1024 * 1024 / 2) == "1.5 GB");
}
