// Fuzz target: a raw HTTP answer from the backend, as libcurl hands it to CurlSubmitter's
// callbacks, through the readers of kiosk/net/answer.hpp and the decision Delivery takes.
//
// Input: "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n\r\n{\"error\":\"busy\"}".
// The status is the number after the first space of the first line (0 when there is none:
// libcurl reports any number, so nonsense statuses are part of the input space). Every line
// up to the first empty one goes to readAnswerHeader(), the rest is the body, handed to
// appendAnswerBody() once whole and once in small pieces. Invariants beyond "no crash":
//   - the body kept is the first kMaxAnswerBytes of what came, however it was cut up;
//   - a Retry-After is kept only when a header line names it, and never negative;
//   - the error code is empty or a token of 1 to 64 characters [A-Za-z0-9_.-];
//   - meaningOf() puts every status in the class delivery.hpp documents.
#include "fuzz/targets.hpp"

#include "kiosk/net/answer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace kiosk::fuzz {

namespace {

bool namesRetryAfter(std::string_view line) {
    constexpr std::string_view kName = "retry-after:";
    if (line.size() < kName.size()) return false;
    for (std::size_t i = 0; i < kName.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return false;
    }
    return true;
}

long statusOf(std::string_view firstLine) {
    const auto space = firstLine.find(' ');
    if (space == std::string_view::npos) return 0;
    const std::string_view rest = firstLine.substr(space + 1);
    long status = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), status);
    return ec == std::errc{} && end != rest.data() ? status : 0;
}

}  // namespace

void backendAnswer(std::string_view bytes) {
    // Headers: lines ending in "\n" (libcurl passes each with its "\r\n"), up to an empty one.
    net::HttpAnswer answer;
    std::string_view rest = bytes;
    bool first = true;
    bool sawRetryAfter = false;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline == std::string_view::npos ? rest.size() : newline + 1);
        rest.remove_prefix(line.size());
        if (first) answer.status = statusOf(line);
        first = false;
        net::readAnswerHeader(answer, line);
        sawRetryAfter = sawRetryAfter || namesRetryAfter(line);
        if (line == "\r\n" || line == "\n") break;
    }
    const std::string_view body = rest;

    KIOSK_FUZZ_CHECK(!answer.retryAfter || sawRetryAfter);
    KIOSK_FUZZ_CHECK(!answer.retryAfter || answer.retryAfter->count() >= 0);

    net::appendAnswerBody(answer, body);
    const std::string_view kept = body.substr(0, net::kMaxAnswerBytes);
    KIOSK_FUZZ_CHECK(answer.body == kept);

    // The same body in pieces of 1 to 7 bytes (as a slow server sends it) keeps the same.
    net::HttpAnswer pieces;
    std::size_t cut = 1;
    for (std::string_view left = body; !left.empty(); cut = cut % 7 + 1) {
        const std::string_view piece = left.substr(0, cut);
        net::appendAnswerBody(pieces, piece);
        left.remove_prefix(piece.size());
        if (pieces.body.size() >= net::kMaxAnswerBytes) {
            net::appendAnswerBody(pieces, left);  // the rest is dropped at once
            break;
        }
    }
    KIOSK_FUZZ_CHECK(pieces.body == answer.body);

    const std::string code = net::serverErrorCode(answer.body);
    KIOSK_FUZZ_CHECK(code.size() <= 64);
    KIOSK_FUZZ_CHECK(std::ranges::all_of(code, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-' || c == '.';
    }));

    const long s = answer.status;
    const net::AnswerMeaning meaning = net::meaningOf(s);
    if ((s >= 200 && s < 300) || s == 409) {
        KIOSK_FUZZ_CHECK(meaning == net::AnswerMeaning::Delivered);
    } else if (s == 408 || s == 425 || s == 429 || (s >= 500 && s < 600)) {
        KIOSK_FUZZ_CHECK(meaning == net::AnswerMeaning::RetryLater);
    } else {
        KIOSK_FUZZ_CHECK(meaning == net::AnswerMeaning::NeedsStaff);
    }
}

}  // namespace kiosk::fuzz
