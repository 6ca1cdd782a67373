#include "kiosk/net/answer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

namespace kiosk::net {

void appendAnswerBody(HttpAnswer& answer, std::string_view chunk) {
    auto& body = answer.body;
    if (body.size() < kMaxAnswerBytes) body.append(chunk.substr(0, kMaxAnswerBytes - body.size()));
}

void readAnswerHeader(HttpAnswer& answer, std::string_view line) {
    constexpr std::string_view kName = "retry-after:";
    if (line.size() <= kName.size() ||
        !std::equal(kName.begin(), kName.end(), line.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        })) {
        return;
    }
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc{} && end != value.data() && seconds >= 0) {
        answer.retryAfter = std::chrono::seconds(seconds);
    }
}

std::string serverErrorCode(std::string_view body) {
    try {
        const auto doc = nlohmann::json::parse(body);
        for (const char* key : {"error", "code"}) {
            if (doc.is_object() && doc.contains(key) && doc[key].is_string()) {
                const auto value = doc[key].get<std::string>();
                const bool token = !value.empty() && value.size() <= 64 &&
                                   std::all_of(value.begin(), value.end(), [](unsigned char c) {
                                       return std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.';
                                   });
                if (token) return value;
            }
        }
    } catch (const nlohmann::json::exception&) {
    }
    return {};
}

AnswerMeaning meaningOf(long status) {
    if ((status >= 200 && status <= 299) || status == 409) return AnswerMeaning::Delivered;
    if (status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599)) {
        return AnswerMeaning::RetryLater;
    }
    return AnswerMeaning::NeedsStaff;
}

}  // namespace kiosk::net
