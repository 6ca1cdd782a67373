// The operator's view of the outbox: for the staff screen (OutboxStatus) and for
// Prometheus (node_exporter's textfile collector reads the file writePrometheusFile makes).
//
// Metrics (all gauges; docs/outbox.md explains each and suggests alerts):
//   toegang_outbox_queue_length                   submissions waiting
//   toegang_outbox_oldest_age_seconds             age of the oldest waiting one (0 when none)
//   toegang_outbox_overdue                        waiting longer than the overdue limit (48 h)
//   toegang_outbox_needs_staff                    refused by the server, in needs-staff/
//   toegang_outbox_corrupt                        unreadable, in corrupt/
//   toegang_outbox_storage_ok                     1 when the outbox can store, else 0
//   toegang_outbox_delivered                      delivered since the kiosk started
//   toegang_outbox_last_error{endpoint,error}     1 for the endpoint's most recent error
//   toegang_outbox_last_error_timestamp_seconds{endpoint}
//   toegang_outbox_last_success_timestamp_seconds{endpoint}
//   toegang_outbox_status_timestamp_seconds       when the file was written
//
// Pure except writePrometheusFile; thread-safe.
#pragma once

#include "kiosk/net/error.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::net {

struct EndpointStatus {
    std::string endpoint;
    std::string lastError;       // describe()d or "HTTP 503"; "" when none since start
    std::string lastErrorKind;   // netErrorToken() or "http_503"
    std::optional<std::chrono::system_clock::time_point> lastErrorAt;
    std::optional<std::chrono::system_clock::time_point> lastSuccessAt;
};

struct OutboxStatus {
    std::chrono::system_clock::time_point at;    // when this was taken
    std::size_t queueLength = 0;
    std::optional<std::chrono::seconds> oldestAge;  // nullopt when the queue is empty
    std::string oldestReference;                 // "" when empty
    std::size_t overdue = 0;
    std::size_t needsStaff = 0;
    std::size_t corrupt = 0;
    bool storageOk = true;
    std::string storageError;                    // when !storageOk
    std::uint64_t deliveredSinceStart = 0;
    std::vector<EndpointStatus> endpoints;       // sorted by endpoint
};

// The Prometheus text exposition format (version 0.0.4) of a status.
[[nodiscard]] std::string formatPrometheus(const OutboxStatus& status);

// Writes formatPrometheus(status) to `file` atomically (temporary file in the same folder,
// then rename), so the collector never reads half a file. The temporary name does not end in
// ".prom", so the collector ignores it. Mode 0644 whatever the umask: node_exporter reads it
// as another user.
[[nodiscard]] std::expected<void, Failure> writePrometheusFile(const OutboxStatus& status,
                                                               const std::filesystem::path& file);

}  // namespace kiosk::net
