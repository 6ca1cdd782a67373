#pragma once
// An opt-in trace of timing events for the benchmarks (bench/kiosk_bench.sh,
// docs/performance.md). Written only when the environment variable KIOSK_TRACE names a file:
// one line per event, "NAME NS [DETAIL]", NS from CLOCK_MONOTONIC in nanoseconds. Never
// personal data: event names, screen ids and numbers only, no text, no answers.
#include <string_view>

namespace kiosk::trace {

// Whether KIOSK_TRACE was set when the process first asked (the file is opened then).
[[nodiscard]] bool enabled();

// Appends "NAME NS DETAIL" (DETAIL left out when empty); a no-op unless enabled().
void event(std::string_view name, std::string_view detail = {});

}  // namespace kiosk::trace
