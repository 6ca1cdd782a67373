// Tests for forms/payload.hpp: the submitted JSON, byte for byte, as form-format.md shows it.
#include "forms/payload.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

using namespace kiosk::forms;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

Field makeField(std::string id, FieldType type) {
    Field field;
    field.id = std::move(id);
    field.type = type;
    field.label.byLanguage = {{"nl", "label"}, {"en", "label"}};
    field.required = type != FieldType::Info;
    return field;
}

Page makePage(std::string id, std::vector<Field> fields) {
    Page page;
    page.id = std::move(id);
    page.fields = std::move(fields);
    return page;
}

// The contract's example form "verhuizing", with an info field added to the first page.
Form verhuizing() {
    Form form;
    form.id = "verhuizing";
    form.version = 3;
    form.languages = {"nl", "en"};
    form.pages.push_back(makePage("wie", {makeField("uitleg", FieldType::Info),
                                          makeField("voornaam", FieldType::Text)}));
    form.pages.push_back(makePage("woning", {makeField("soort_woning", FieldType::Choice)}));
    form.pages.push_back(makePage("kinderen", {makeField("heeft_kinderen", FieldType::YesNo)}));
    form.pages.push_back(makePage("aantal", {makeField("aantal_kinderen", FieldType::Number)}));
    return form;
}

SubmissionMeta exampleMeta() {
    return {.reference = "K7QPD-4M2X9",
            .language = "nl",
            .kioskId = "bieb-centrum-1",
            .submittedAt = sys_days{2026y / November / 29} + 10h + 15min};
}

constexpr const char* kHead =
    R"({"form":"verhuizing","form_version":3,"reference":"K7QPD-4M2X9","language":"nl",)"
    R"("kiosk":"bieb-centrum-1","submitted_at":"2026-11-29T10:15:00Z",)";

}  // namespace

TEST_CASE("payload: the contract's example, byte for byte") {
    const std::map<std::string, Value> answers{
        {"voornaam", std::string("Jan")},
        {"soort_woning", std::string("huur")},
        {"heeft_kinderen", true},
        {"aantal_kinderen", std::int64_t{2}},
    };
    const auto body = buildPayload(verhuizing(), answers, exampleMeta());
    REQUIRE(body.has_value());
    CHECK(*body == std::string(kHead) +
                       R"("answers":{"voornaam":"Jan","soort_woning":"huur","heeft_kinderen":true,"aantal_kinderen":2}})");
}

TEST_CASE("payload: key order and types survive a round trip") {
    const std::map<std::string, Value> answers{
        {"voornaam", std::string("Jan")},
        {"heeft_kinderen", false},
        {"aantal_kinderen", std::int64_t{15}},
    };
    const auto body = buildPayload(verhuizing(), answers, exampleMeta());
    REQUIRE(body.has_value());
    const auto json = nlohmann::ordered_json::parse(*body);
    std::vector<std::string> keys;
    for (const auto& item : json.items()) keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"form", "form_version", "reference", "language", "kiosk",
                                           "submitted_at", "answers"});
    CHECK(json["form_version"].is_number_integer());
    CHECK(json["answers"]["voornaam"].is_string());
    CHECK(json["answers"]["heeft_kinderen"].is_boolean());
    CHECK(json["answers"]["heeft_kinderen"] == false);
    CHECK(json["answers"]["aantal_kinderen"].is_number_integer());
    CHECK(json["answers"]["aantal_kinderen"] == 15);
}

TEST_CASE("payload: answers follow the form's order, not the map's") {
    // The map sorts ids alphabetically (aantal_kinderen first); the form asks voornaam first.
    const std::map<std::string, Value> answers{
        {"aantal_kinderen", std::int64_t{1}},
        {"heeft_kinderen", true},
        {"voornaam", std::string("Jan")},
    };
    const auto body = buildPayload(verhuizing(), answers, exampleMeta());
    REQUIRE(body.has_value());
    CHECK(*body == std::string(kHead) +
                       R"("answers":{"voornaam":"Jan","heeft_kinderen":true,"aantal_kinderen":1}})");
}

TEST_CASE("payload: only answers passed in, never info fields, never unknown ids") {
    SUBCASE("info field and unknown id are skipped") {
        const std::map<std::string, Value> answers{
            {"uitleg", std::string("should never be sent")},
            {"not_in_form", std::string("nor this")},
            {"voornaam", std::string("Jan")},
        };
        const auto body = buildPayload(verhuizing(), answers, exampleMeta());
        REQUIRE(body.has_value());
        CHECK(*body == std::string(kHead) + R"("answers":{"voornaam":"Jan"}})");
    }
    SUBCASE("no answers: an empty object, not null") {
        const auto body = buildPayload(verhuizing(), {}, exampleMeta());
        REQUIRE(body.has_value());
        CHECK(*body == std::string(kHead) + R"("answers":{}})");
    }
}

TEST_CASE("payload: every value shape") {
    Form form;
    form.id = "alles";
    form.version = 12;
    form.languages = {"nl"};
    form.pages.push_back(makePage("een", {
                                             makeField("bedrag", FieldType::Money),
                                             makeField("geboren", FieldType::Date),
                                             makeField("hobby", FieldType::Multichoice),
                                             makeField("niets", FieldType::Multichoice),
                                             makeField("akkoord", FieldType::Consent),
                                             makeField("groot", FieldType::Number),
                                             makeField("klein", FieldType::Number),
                                         }));
    const std::map<std::string, Value> answers{
        {"bedrag", std::string("1234.50")},
        {"geboren", std::string("1980-02-29")},
        {"hobby", std::vector<std::string>{"lezen", "fietsen"}},
        {"niets", std::vector<std::string>{}},
        {"akkoord", true},
        {"groot", std::int64_t{9'007'199'254'740'993}},  // above 2^53: must not pass through a double
        {"klein", std::int64_t{-42}},
    };
    SubmissionMeta meta = exampleMeta();
    const auto body = buildPayload(form, answers, meta);
    REQUIRE(body.has_value());
    CHECK(*body ==
          R"({"form":"alles","form_version":12,"reference":"K7QPD-4M2X9","language":"nl",)"
          R"("kiosk":"bieb-centrum-1","submitted_at":"2026-11-29T10:15:00Z",)"
          R"("answers":{"bedrag":"1234.50","geboren":"1980-02-29","hobby":["lezen","fietsen"],)"
          R"("niets":[],"akkoord":true,"groot":9007199254740993,"klein":-42}})");
}

TEST_CASE("payload: text is kept as UTF-8, and JSON's own characters are escaped") {
    Form form = verhuizing();
    const std::map<std::string, Value> answers{
        {"voornaam", std::string("Zoë Çelik-Öztürk مريم 😀")},
        {"soort_woning", std::string("say \"hi\"\\\n\t")},
    };
    SubmissionMeta meta = exampleMeta();
    meta.language = "ar";
    const auto body = buildPayload(form, answers, meta);
    REQUIRE(body.has_value());
    CHECK(body->find(R"("voornaam":"Zoë Çelik-Öztürk مريم 😀")") != std::string::npos);
    CHECK(body->find("\\u") == std::string::npos);
    CHECK(body->find(R"("soort_woning":"say \"hi\"\\\n\t")") != std::string::npos);
    CHECK(body->find(R"("language":"ar")") != std::string::npos);
}

TEST_CASE("payload: invalid UTF-8 is an error value, not an exception") {
    SUBCASE("in an answer") {
        const std::map<std::string, Value> answers{{"voornaam", std::string("J\xC3")}};
        const auto body = buildPayload(verhuizing(), answers, exampleMeta());
        REQUIRE_FALSE(body.has_value());
        CHECK(body.error() == PayloadError::InvalidUtf8);
    }
    SUBCASE("in a list") {
        Form form = verhuizing();
        form.pages[0].fields.push_back(makeField("hobby", FieldType::Multichoice));
        const std::map<std::string, Value> answers{
            {"hobby", std::vector<std::string>{"ok", "\xED\xA0\x80"}}};  // a surrogate
        const auto body = buildPayload(form, answers, exampleMeta());
        REQUIRE_FALSE(body.has_value());
        CHECK(body.error() == PayloadError::InvalidUtf8);
    }
    SUBCASE("in the meta data") {
        SubmissionMeta meta = exampleMeta();
        meta.kioskId = "bieb\xFF";
        const auto body = buildPayload(verhuizing(), {}, meta);
        REQUIRE_FALSE(body.has_value());
        CHECK(body.error() == PayloadError::InvalidUtf8);
    }
    CHECK_FALSE(payloadErrorMessage(PayloadError::InvalidUtf8).empty());
}

TEST_CASE("payload: submitted_at is UTC, whole seconds, rounded down") {
    const auto at = [](year_month_day day, auto sinceMidnight) {
        return formatUtcTimestamp(sys_days{day} + sinceMidnight);
    };
    CHECK(at(2026y / November / 29, 10h + 15min) == "2026-11-29T10:15:00Z");
    CHECK(at(2026y / November / 29, 10h + 15min + 999ms) == "2026-11-29T10:15:00Z");
    CHECK(at(2026y / November / 29, 10h + 15min + 59s + 999'999'999ns) == "2026-11-29T10:15:59Z");
    CHECK(at(2026y / January / 1, 0s) == "2026-01-01T00:00:00Z");
    CHECK(at(2025y / December / 31, 23h + 59min + 59s) == "2025-12-31T23:59:59Z");
    CHECK(at(2028y / February / 29, 12h + 3min + 4s) == "2028-02-29T12:03:04Z");
    CHECK(at(1970y / January / 1, 0s) == "1970-01-01T00:00:00Z");
    // Before 1970 the tick count is negative; rounding towards zero would give 00:00:00.
    CHECK(formatUtcTimestamp(sys_days{1970y / January / 1} - 500ms) == "1969-12-31T23:59:59Z");
    CHECK(at(1999y / December / 31, 23h + 59min + 59s + 500ms) == "1999-12-31T23:59:59Z");
    // The extremes of a nanosecond system_clock.
    CHECK(formatUtcTimestamp(system_clock::time_point::max()).starts_with("2262-04-11T"));
    CHECK(formatUtcTimestamp(system_clock::time_point::min()).starts_with("1677-09-21T"));
}
