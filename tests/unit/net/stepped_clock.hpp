// A manual clock that the delivery worker may read from its own thread while the test moves
// it (tests/fakes/manual_clock.hpp is single-threaded).
#pragma once

#include "kiosk/core/clock.hpp"

#include <atomic>

namespace kiosk::test {

class SteppedClock final : public core::Clock {
public:
    explicit SteppedClock(std::chrono::system_clock::time_point start)
        : m_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count()) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(m_ns.load())));
    }
    void advance(std::chrono::nanoseconds by) { m_ns += by.count(); }

private:
    std::atomic<std::int64_t> m_ns;
};

}  // namespace kiosk::test
