// Reading the backend's answer: what the kiosk takes from an HTTP answer (status, the
// Retry-After header, the start of the body) and what the status means for a submission.
//
// Pure functions, no libcurl: CurlSubmitter feeds them what libcurl hands its callbacks and
// Delivery acts on meaningOf() and serverErrorCode(). Kept apart so that they can be tested
// and fuzzed without a network (fuzz/backend_answer_fuzz.cpp, docs/fuzzing.md).
//
// Thread: any; no shared state. Never throws.
#pragma once

#include "kiosk/net/submitter.hpp"

#include <string>
#include <string_view>

namespace kiosk::net {

// Adds a piece of the body as it arrives; only the first kMaxAnswerBytes are kept, the rest
// is dropped (servers' error explanations are short; a huge body must not fill memory).
void appendAnswerBody(HttpAnswer& answer, std::string_view chunk);

// Reads one header line as received ("Retry-After: 120\r\n"). Only Retry-After is kept, and
// only as a whole number of seconds >= 0; an HTTP date or anything else is ignored (the
// backoff then decides alone). A later Retry-After replaces an earlier one.
void readAnswerHeader(HttpAnswer& answer, std::string_view line);

// The server's machine-readable error code, if its JSON body has one ({"error": "form_unknown"}
// or {"code": ...}). Only a short token is kept ([A-Za-z0-9_.-], 1 to 64 characters): free
// text from a server could echo an answer back, and reasons are stored on the kiosk's disk
// and shown to staff. Empty when there is none.
[[nodiscard]] std::string serverErrorCode(std::string_view body);

// What an HTTP status means for the submission that was sent:
//   2xx, or 409 (the backend already has this reference)  -> Delivered
//   408, 425, 429, 5xx                                      -> RetryLater
//   anything else (3xx redirects, other 4xx, nonsense)      -> NeedsStaff
enum class AnswerMeaning { Delivered, RetryLater, NeedsStaff };
[[nodiscard]] AnswerMeaning meaningOf(long status);

}  // namespace kiosk::net
