// Time as the kiosk sees it. Injected everywhere, so that tests and `advance` in a test
// script can move it (ManualClock in tests/fakes, the script driver's clock in the UI).
#pragma once

#include <chrono>

namespace kiosk::core {

class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock time (UTC). Thread: whichever thread owns the session.
    [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
};

// The calendar day of `when` in the kiosk's local time zone (TZ, /etc/localtime): "today"
// for date questions is the citizen's day, not UTC's.
[[nodiscard]] std::chrono::year_month_day localDate(std::chrono::system_clock::time_point when);

}  // namespace kiosk::core
