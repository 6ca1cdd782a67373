// Sending one submission: the role `Submitter` (house style: interfaces by role,
// implementations by technology). CurlSubmitter (curl_submitter.hpp) is the real one; tests
// use RecordingSubmitter (tests/unit/net/recording_submitter.hpp).
//
// The transport's failure is kept apart from the server's answer: post() returns an
// HttpAnswer for anything the server said (201, 409, 500, 422 ... all are answers), and a
// Failure only when no answer came (refused TLS handshake, connection refused, timeout,
// reset). Delivery (delivery.hpp) decides what each means for the submission.
#pragma once

#include "kiosk/net/error.hpp"

#include <chrono>
#include <expected>
#include <optional>
#include <string>

namespace kiosk::net {

struct HttpRequest {
    std::string url;             // https://host[:port]/path
    std::string idempotencyKey;  // the reference: sent as "Idempotency-Key: <reference>"
    std::string contentType;     // application/json (plain) or application/jose+json (sealed)
    std::string body;            // plain mode: personal data; the caller wipes it after post()
};

struct HttpAnswer {
    long status = 0;
    // The first kMaxAnswerBytes of the body (servers' error explanations); never logged.
    std::string body;
    // Retry-After in seconds, when the server sent one as a number.
    std::optional<std::chrono::seconds> retryAfter;
};

inline constexpr std::size_t kMaxAnswerBytes = 4096;

class Submitter {
public:
    virtual ~Submitter() = default;

    // POSTs the request and waits for the answer (bounded by the implementation's
    // timeouts). Thread: one caller at a time (the delivery worker).
    [[nodiscard]] virtual std::expected<HttpAnswer, Failure> post(const HttpRequest& request) = 0;

    // From any thread: the post() in progress, and every later one until resume(), returns
    // promptly with NetError::Cancelled. Sticky so that a cancel that lands just before a
    // post() starts is not lost (Delivery::stop() relies on this).
    virtual void cancel() = 0;
    virtual void resume() = 0;
};

}  // namespace kiosk::net
