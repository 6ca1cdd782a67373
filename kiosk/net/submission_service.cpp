#include "kiosk/net/submission_service.hpp"

#include "kiosk/net/curl_submitter.hpp"

namespace kiosk::net {

std::expected<std::unique_ptr<SubmissionService>, Failure> SubmissionService::fromConfig(
    const core::Config& config, const core::Clock& clock, ServiceOptions options) {
    if (!options.log) options.log = stderrLog();
    OutboxOptions outboxOptions = OutboxOptions::fromConfig(config.outbox);
    outboxOptions.log = options.log;
    auto outbox = Outbox::open(std::move(outboxOptions), clock);
    if (!outbox) return std::unexpected(outbox.error());
    auto submitter = CurlSubmitter::create(CurlSubmitterOptions::fromConfig(config.submit));
    if (!submitter) return std::unexpected(submitter.error());
    DeliveryOptions delivery;
    delivery.retry = options.retry;
    delivery.allowedHosts = config.submit.allowedHosts;
    delivery.metricsFile = options.metricsFile;
    delivery.log = options.log;
    return assemble(std::move(*outbox), std::move(*submitter), clock, std::move(delivery));
}

std::unique_ptr<SubmissionService> SubmissionService::assemble(std::unique_ptr<Outbox> outbox,
                                                               std::unique_ptr<Submitter> submitter,
                                                               const core::Clock& clock, DeliveryOptions options) {
    std::unique_ptr<SubmissionService> service(new SubmissionService());
    service->m_outbox = std::move(outbox);
    service->m_submitter = std::move(submitter);
    service->m_delivery = std::make_unique<Delivery>(*service->m_outbox, *service->m_submitter, clock, std::move(options));
    return service;
}

SubmissionService::~SubmissionService() {
    if (m_delivery) m_delivery->stop();
    m_delivery.reset();
}

std::expected<void, Failure> SubmissionService::submit(const core::PreparedSubmission& submission) {
    return m_outbox->enqueue(submission);  // the outbox's listener wakes the worker
}

std::function<std::expected<void, std::string>(const core::PreparedSubmission&)> SubmissionService::storeFunction() {
    return [this](const core::PreparedSubmission& submission) -> std::expected<void, std::string> {
        if (auto stored = submit(submission); !stored) return std::unexpected(describe(stored.error()));
        return {};
    };
}

bool SubmissionService::acceptingSubmissions() const { return m_outbox->storage().ok; }

std::expected<void, Failure> SubmissionService::probeStorage() { return m_outbox->probe(); }

OutboxStatus SubmissionService::status() const { return m_delivery->status(); }

void SubmissionService::start() { m_delivery->start(); }

void SubmissionService::stop() { m_delivery->stop(); }

}  // namespace kiosk::net
