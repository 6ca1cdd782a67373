// The real Submitter: HTTPS POST with libcurl (OpenSSL backend).
//
// Security settings, all fixed here and not switchable by a form:
//   - https only (no redirects followed: a 3xx is an answer, Delivery sets it aside);
//   - TLS 1.2 minimum (CURL_SSLVERSION_TLSv1_2; NCSC: 1.3 good, 1.2 sufficient);
//   - the peer is verified against `caFile` only (the built-in CA folder is switched off),
//     and its host name is checked;
//   - optional client certificate and key (mutual TLS);
//   - optional public-key pins: base64 SHA-256 of the server's SubjectPublicKeyInfo, with
//     or without the "sha256//" prefix; when any are set, the server's key must be one.
// One connection is kept open between posts (the multi handle's connection cache), so a
// queue drains without a TLS handshake per submission.
//
// libcurl itself is loaded by the first post() or probeEndpoint() (curl_library.hpp), not
// at start: a libcurl that cannot be loaded is a TransportFailed answer then, and the
// submission waits in the outbox.
//
// Thread: post() from one thread at a time; cancel()/resume() from any thread. Cancel is
// prompt (curl_multi_wakeup), not bounded by the timeouts.
#pragma once

#include "kiosk/core/config.hpp"
#include "kiosk/net/submitter.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::net {

struct CurlSubmitterOptions {
    std::filesystem::path caFile;      // empty: the system's trust store (not recommended)
    std::filesystem::path clientCert;  // PEM; with clientKey, or neither
    std::filesystem::path clientKey;
    std::vector<std::string> pins;     // base64 SHA-256 of SPKI
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds totalTimeout{30'000};
    std::string userAgent = "toegang-kiosk";

    // From the config's submit.* keys; timeouts keep their defaults.
    [[nodiscard]] static CurlSubmitterOptions fromConfig(const core::Config::Submit& submit);
};

class CurlSubmitter final : public Submitter {
public:
    // Checks the options (files readable, pins well-formed, both or neither of cert/key):
    // ConfigurationUnusable with the reason otherwise. Does not load libcurl yet.
    [[nodiscard]] static std::expected<std::unique_ptr<CurlSubmitter>, Failure> create(
        CurlSubmitterOptions options);
    ~CurlSubmitter() override;
    CurlSubmitter(const CurlSubmitter&) = delete;
    CurlSubmitter& operator=(const CurlSubmitter&) = delete;

    [[nodiscard]] std::expected<HttpAnswer, Failure> post(const HttpRequest& request) override;
    void cancel() override;
    void resume() override;

    // How many TCP+TLS connections post() has opened so far (connection reuse shows as a
    // count that stays at 1 while a queue drains).
    [[nodiscard]] std::uint64_t connectionsOpened() const;

private:
    struct Impl;
    explicit CurlSubmitter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// What a probe of the backend found (probeEndpoint).
struct ProbeAnswer {
    long status = 0;                    // any HTTP status means the backend answered over TLS
    std::optional<std::chrono::system_clock::time_point> serverDate;  // its Date header
    std::chrono::milliseconds took{0};
};

// The staff self-test's network check: one HEAD request to `url` with exactly the TLS set-up
// of CurlSubmitter (TLS 1.2+, only `caFile`, host name checked, client certificate, pins).
// What it sends: "HEAD <path> HTTP/1.1", Host, User-Agent (toegang-kiosk) and Accept: */*;
// no body, no cookies, no Idempotency-Key, nothing a citizen entered. Every answer, even
// 404 or 405, counts as reachable: the TLS handshake (with mutual TLS) succeeded. Blocks for
// at most the options' timeouts. Thread: any (its own curl handle).
[[nodiscard]] std::expected<ProbeAnswer, Failure> probeEndpoint(const std::string& url,
                                                                CurlSubmitterOptions options);

}  // namespace kiosk::net
