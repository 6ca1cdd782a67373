#include "kiosk/net/status.hpp"

#include "kiosk/net/durable_file.hpp"

#include <cstdio>

namespace kiosk::net {

namespace {

// Label values: backslash, double quote and line feed are escaped (exposition format).
std::string label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string seconds(std::chrono::system_clock::time_point t) {
    const double s = std::chrono::duration<double>(t.time_since_epoch()).count();
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3f", s);
    return buffer;
}

void gauge(std::string& out, std::string_view name, std::string_view help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += " gauge\n";
}

}  // namespace

std::string formatPrometheus(const OutboxStatus& s) {
    std::string out;
    auto plain = [&](std::string_view name, std::string_view help, const std::string& value) {
        gauge(out, name, help);
        out += std::string(name) + " " + value + "\n";
    };
    plain("toegang_outbox_queue_length", "Submissions waiting in the outbox.", std::to_string(s.queueLength));
    plain("toegang_outbox_oldest_age_seconds", "Age of the oldest waiting submission (0 when none).",
          std::to_string(s.oldestAge ? s.oldestAge->count() : 0));
    plain("toegang_outbox_overdue", "Submissions waiting longer than the overdue limit.", std::to_string(s.overdue));
    plain("toegang_outbox_needs_staff", "Submissions the server refused, waiting for staff.",
          std::to_string(s.needsStaff));
    plain("toegang_outbox_corrupt", "Outbox files that could not be read back.", std::to_string(s.corrupt));
    plain("toegang_outbox_storage_ok", "1 when the outbox can store submissions.", s.storageOk ? "1" : "0");
    plain("toegang_outbox_delivered", "Submissions delivered since the kiosk started.",
          std::to_string(s.deliveredSinceStart));

    gauge(out, "toegang_outbox_last_error", "The most recent delivery error per endpoint (value 1).");
    for (const auto& e : s.endpoints) {
        if (e.lastErrorAt) {
            out += "toegang_outbox_last_error{endpoint=\"" + label(e.endpoint) + "\",error=\"" +
                   label(e.lastErrorKind) + "\"} 1\n";
        }
    }
    gauge(out, "toegang_outbox_last_error_timestamp_seconds", "When the endpoint last failed (Unix time).");
    for (const auto& e : s.endpoints) {
        if (e.lastErrorAt) {
            out += "toegang_outbox_last_error_timestamp_seconds{endpoint=\"" + label(e.endpoint) + "\"} " +
                   seconds(*e.lastErrorAt) + "\n";
        }
    }
    gauge(out, "toegang_outbox_last_success_timestamp_seconds", "When the endpoint last took a submission (Unix time).");
    for (const auto& e : s.endpoints) {
        if (e.lastSuccessAt) {
            out += "toegang_outbox_last_success_timestamp_seconds{endpoint=\"" + label(e.endpoint) + "\"} " +
                   seconds(*e.lastSuccessAt) + "\n";
        }
    }
    plain("toegang_outbox_status_timestamp_seconds", "When this file was written (Unix time).", seconds(s.at));
    return out;
}

std::expected<void, Failure> writePrometheusFile(const OutboxStatus& status, const std::filesystem::path& file) {
    auto folder = detail::Folder::open(file.parent_path().empty() ? "." : file.parent_path(), false);
    if (!folder) return std::unexpected(folder.error());
    // 0644: node_exporter runs as another user (prometheus) and must read it; it names
    // endpoints and counts only, nothing personal.
    return folder->writeDurably(file.filename().string(), formatPrometheus(status), detail::Folder::Replace::Yes,
                                0644);
}

}  // namespace kiosk::net
