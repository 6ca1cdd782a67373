#include "forms/payload.hpp"

#include <cstdio>
#include <ratio>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

namespace kiosk::forms {

namespace {

// ordered_json keeps keys in insertion order; the contract's key order and the form's
// field order are part of the body (see the header), and plain json would sort them.
using Json = nlohmann::ordered_json;

// Nanosecond ticks in an int64 reach only from 1677 to 2262, so every time_point has a
// four-digit year and formatUtcTimestamp needs no failure path. A library with a coarser
// clock would break that promise; this makes it a build error instead.
static_assert(std::is_same_v<std::chrono::system_clock::period, std::nano>);

Json toJson(const Value& value) {
    return std::visit([](const auto& v) { return Json(v); }, value);
}

}  // namespace

std::string_view payloadErrorMessage(PayloadError error) {
    switch (error) {
        case PayloadError::InvalidUtf8:
            return "a submitted text is not valid UTF-8; the submission was not built";
    }
    return "unknown payload error";
}

std::string formatUtcTimestamp(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    // floor, not duration_cast: duration_cast rounds towards zero, which would move a time
    // just before 1970 forward by a second.
    const auto seconds = floor<std::chrono::seconds>(time);
    const auto day = floor<days>(seconds);
    const year_month_day date{day};
    const hh_mm_ss timeOfDay{seconds - day};
    // 20 characters plus the terminator; the static_assert above bounds the year.
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(timeOfDay.hours().count()), static_cast<int>(timeOfDay.minutes().count()),
                  static_cast<int>(timeOfDay.seconds().count()));
    return text;
}

std::expected<std::string, PayloadError> buildPayload(const Form& form,
                                                      const std::map<std::string, Value>& answers,
                                                      const SubmissionMeta& meta) {
    Json body = Json::object();
    body["form"] = form.id;
    body["form_version"] = form.version;
    body["reference"] = meta.reference;
    body["language"] = meta.language;
    body["kiosk"] = meta.kioskId;
    body["submitted_at"] = formatUtcTimestamp(meta.submittedAt);

    // Walk the form, not the map: the map is sorted by id, the contract wants form order,
    // and ids the form does not know drop out on the way.
    Json written = Json::object();
    for (const Page& page : form.pages) {
        for (const Field& field : page.fields) {
            if (!field.takesInput()) continue;
            const auto answer = answers.find(field.id);
            if (answer == answers.end()) continue;
            written[field.id] = toJson(answer->second);
        }
    }
    body["answers"] = std::move(written);

    // The library checks UTF-8 only while dumping and reports it by exception; this is the
    // adapter's edge where that becomes a value. The message names no text on purpose.
    try {
        return body.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::strict);
    } catch (const Json::type_error&) {
        return std::unexpected(PayloadError::InvalidUtf8);
    }
}

}  // namespace kiosk::forms
