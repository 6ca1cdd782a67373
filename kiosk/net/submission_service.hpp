// The one object the kiosk's main shell builds for submitting, and the API the screens call.
//
//   auto service = net::SubmissionService::fromConfig(config, clock);   // at start-up
//   if (!service) -> out-of-order screen, log describe(service.error())
//   (*service)->start();                                                // the worker
//
//   // Review screen, "Submit":
//   auto prepared = session.prepareSubmission(reference);
//   if (auto stored = service->submit(*prepared); stored) {
//       session.confirmSubmitted(reference);                           // only now
//   } else {
//       // Tell the citizen it was NOT stored (string id in assets/strings), then show
//       // out-of-order while !service->acceptingSubmissions().
//   }
//
//   // Staff screen: service->status() (queue length, oldest, last error per endpoint,
//   // needs-staff and corrupt counts, storage state); service->outbox().shelved(...).
//   // Shutdown: service->stop() (prompt), or just destroy it.
//
// Threads: submit(), status() and acceptingSubmissions() are safe from the UI thread while
// the worker runs. submit() blocks for the durable write (a few milliseconds; fsync).
#pragma once

#include "kiosk/core/clock.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/session.hpp"
#include "kiosk/net/delivery.hpp"
#include "kiosk/net/error.hpp"
#include "kiosk/net/outbox.hpp"
#include "kiosk/net/status.hpp"
#include "kiosk/net/submitter.hpp"

#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace kiosk::net {

struct ServiceOptions {
    RetryPolicy retry;                    // defaults: 30 s doubling to 5 min, overdue after 48 h
    std::filesystem::path metricsFile;    // e.g. /var/lib/prometheus/node-exporter/toegang.prom
    LogSink log;                          // empty: stderrLog()
};

class SubmissionService {
public:
    // Opens the outbox (config `outbox.*`), builds the CurlSubmitter (config `submit.*`)
    // and the worker (not started). Fails when the outbox folder cannot be written, a key is
    // missing or unsuitable, or the TLS files or pins cannot be used.
    [[nodiscard]] static std::expected<std::unique_ptr<SubmissionService>, Failure> fromConfig(
        const core::Config& config, const core::Clock& clock, ServiceOptions options = {});
    // From parts (tests: a RecordingSubmitter; the demo).
    [[nodiscard]] static std::unique_ptr<SubmissionService> assemble(std::unique_ptr<Outbox> outbox,
                                                                     std::unique_ptr<Submitter> submitter,
                                                                     const core::Clock& clock,
                                                                     DeliveryOptions options);
    ~SubmissionService();  // stops the worker
    SubmissionService(const SubmissionService&) = delete;
    SubmissionService& operator=(const SubmissionService&) = delete;

    // Stores the submission durably and wakes the worker. Success means: show the
    // confirmation with the reference. A failure means nothing was stored.
    [[nodiscard]] std::expected<void, Failure> submit(const core::PreparedSubmission& submission);

    // submit() in the shape of the controller's StoreSubmission (kiosk/core/controller.hpp):
    // the error becomes describe()'s log line (no personal data in it). The service must
    // outlive the function.
    [[nodiscard]] std::function<std::expected<void, std::string>(const core::PreparedSubmission&)> storeFunction();

    // False after a storing failure until the worker's probe (every 15 s) or probeStorage()
    // succeeds: the kiosk shows out-of-order meanwhile.
    [[nodiscard]] bool acceptingSubmissions() const;
    [[nodiscard]] std::expected<void, Failure> probeStorage();

    [[nodiscard]] OutboxStatus status() const;

    void start();
    void stop();

    [[nodiscard]] Outbox& outbox() { return *m_outbox; }
    [[nodiscard]] Delivery& delivery() { return *m_delivery; }
    [[nodiscard]] Submitter& submitter() { return *m_submitter; }

private:
    SubmissionService() = default;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<Submitter> m_submitter;
    std::unique_ptr<Delivery> m_delivery;  // declared last: destroyed first
};

}  // namespace kiosk::net
