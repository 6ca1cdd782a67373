// A clock that stands still until a test moves it.
#pragma once

#include "kiosk/core/clock.hpp"

namespace kiosk::test {

class ManualClock final : public core::Clock {
public:
    explicit ManualClock(std::chrono::system_clock::time_point start) : m_now(start) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const override { return m_now; }
    void advance(std::chrono::seconds by) { m_now += by; }

private:
    std::chrono::system_clock::time_point m_now;
};

}  // namespace kiosk::test
