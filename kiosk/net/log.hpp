// Where kiosk/net writes its log lines.
//
// Every line names references, form ids, endpoints and error codes only: never an answer,
// never a payload (house style, "State and privacy"). The sink may be called from the
// delivery worker and from the thread that enqueues, so it must be thread-safe; the default
// writes whole lines to stderr with one write(2) each.
#pragma once

#include <functional>
#include <string_view>

namespace kiosk::net {

using LogSink = std::function<void(std::string_view line)>;

// "kiosk-net: <line>" on stderr.
[[nodiscard]] LogSink stderrLog();

// Discards everything (benchmarks, tests that do not look at logs).
[[nodiscard]] LogSink silentLog();

}  // namespace kiosk::net
