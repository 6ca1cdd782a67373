// The JSON body of a submission, exactly as form-format.md ("What is submitted") fixes it.
//
//   {"form":"verhuizing","form_version":3,"reference":"K7QPD-4M2XR","language":"nl",
//    "kiosk":"bieb-centrum-1","submitted_at":"2026-11-29T10:15:00Z",
//    "answers":{"voornaam":"Jan","soort_woning":"huur","heeft_kinderen":true,"aantal_kinderen":2}}
//
// (one line in reality: compact JSON, no spaces). Keys appear in exactly this order, and the
// answers in the order their fields appear in the form (pages, then fields), so that the same
// answers always give the same bytes: backends may hash or diff bodies, and the reference is
// the idempotency key of a body that must not change between retries.
//
// Pure: no I/O, no clock (the caller passes the time), thread-safe. The JSON library stays in
// payload.cpp.
#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <string>
#include <string_view>

#include "forms/form.hpp"
#include "forms/value.hpp"

namespace kiosk::forms {

struct SubmissionMeta {
    std::string reference;  // written form, from makeReference() (reference.hpp)
    std::string language;   // the language the citizen used, e.g. "nl"
    std::string kioskId;    // from the kiosk config, e.g. "bieb-centrum-1"
    // Written in UTC to whole seconds, rounded down ("2026-11-29T10:15:00Z").
    std::chrono::system_clock::time_point submittedAt;
};

enum class PayloadError {
    InvalidUtf8,  // an answer or a meta string is not valid UTF-8
};

// A short English description for logs. It never quotes answers (they are personal data).
[[nodiscard]] std::string_view payloadErrorMessage(PayloadError error);

// The body to POST: compact JSON, UTF-8 kept as is (no \u escapes for non-ASCII text).
//
// Written: the answers in `answers` whose id is a field of `form` that takes input, in the
// form's field order. Skipped: ids that are not in the form (defensive: they cannot come
// from a correct session) and info fields (they take no input). The caller decides what is
// answered: hidden fields' answers must already be erased (the contract: a field whose
// show_if is false is not submitted), and values must already be normalised and of the
// field's type (value.hpp); this function writes each Value as its variant says:
// string -> JSON string, int64 -> JSON integer, bool -> true/false, list -> array of strings.
//
// Fails only on text that is not valid UTF-8 (which the validators should have refused).
[[nodiscard]] std::expected<std::string, PayloadError> buildPayload(
    const Form& form, const std::map<std::string, Value>& answers, const SubmissionMeta& meta);

// "YYYY-MM-DDTHH:MM:SSZ" in UTC, rounded down to the second (also before 1970). Every
// system_clock time fits: its nanosecond count spans the years 1677..2262.
// Exposed for tests and for logs that must match the submitted time.
[[nodiscard]] std::string formatUtcTimestamp(std::chrono::system_clock::time_point time);

}  // namespace kiosk::forms
