#include "kiosk/net/self_test.hpp"

#include "kiosk/net/curl_submitter.hpp"
#include "kiosk/net/error.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/statvfs.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>

namespace kiosk::net {

namespace {

// The host of an https:// URL ("eservices.example.org:8443" keeps its port).
std::string hostOf(const std::string& url) {
    std::string rest = url.starts_with("https://") ? url.substr(8) : url;
    return rest.substr(0, rest.find('/'));
}

std::string clockText(std::chrono::system_clock::time_point when) {
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm local{};
    localtime_r(&t, &local);
    char text[32] = {};
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

}  // namespace

std::expected<std::chrono::system_clock::time_point, std::string> certificateNotAfter(
    const std::filesystem::path& pemFile) {
    std::FILE* file = std::fopen(pemFile.c_str(), "r");
    if (file == nullptr) return std::unexpected(std::string(std::strerror(errno)));
    std::optional<std::chrono::system_clock::time_point> earliest;
    while (X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr)) {
        std::tm tm{};
        if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) {
            const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
            if (!earliest || when < *earliest) earliest = when;
        }
        X509_free(cert);
    }
    ERR_clear_error();  // the end of the file reads as "no start line"
    std::fclose(file);
    if (!earliest) return std::unexpected(std::string("no PEM certificate in it"));
    return *earliest;
}

std::expected<std::uint64_t, std::string> freeBytes(const std::filesystem::path& dir) {
    struct statvfs info{};
    if (::statvfs(dir.c_str(), &info) != 0) return std::unexpected(std::string(std::strerror(errno)));
    return static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_frsize);
}

ClockVerdict checkClock(std::chrono::system_clock::time_point now, std::chrono::system_clock::time_point built,
                        std::optional<std::chrono::system_clock::time_point> backendDate,
                        std::chrono::seconds tolerance, std::chrono::hours maxAhead) {
    // The build date is a day (the compiler's), so "before the build" allows that day.
    if (now + std::chrono::hours{24} < built) return ClockVerdict::BeforeBuild;
    if (now > built + maxAhead) return ClockVerdict::FarFuture;
    if (backendDate) {
        const auto difference = now > *backendDate ? now - *backendDate : *backendDate - now;
        if (difference > tolerance) return ClockVerdict::DiffersFromBackend;
    }
    return ClockVerdict::Plausible;
}

std::string humanBytes(std::uint64_t bytes) {
    char text[32] = {};
    const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
    if (mb >= 1024) std::snprintf(text, sizeof text, "%.1f GB", mb / 1024);
    else std::snprintf(text, sizeof text, "%.0f MB", mb);
    return text;
}

std::vector<core::StaffLine> runSelfTest(const SelfTestOptions& options, const core::StringTable& strings,
                                         const std::string& language) {
    std::vector<core::StaffLine> lines;
    auto line = [&](bool ok, std::string_view id, const std::map<std::string, std::string>& params = {}) {
        lines.push_back({ok, strings.get(language, id, params)});
    };
    const auto now = options.now ? options.now() : std::chrono::system_clock::now();

    // -- the backend: one HEAD per host, with the kiosk's TLS set-up --
    std::optional<std::chrono::system_clock::time_point> backendDate;
    std::set<std::string> probed;
    std::vector<std::string> urls;
    if (!options.submit.defaultEndpoint.empty()) urls.push_back(options.submit.defaultEndpoint);
    urls.insert(urls.end(), options.endpoints.begin(), options.endpoints.end());
    for (const auto& url : urls) {
        const std::string host = hostOf(url);
        if (!probed.insert(host).second) continue;
        auto tls = CurlSubmitterOptions::fromConfig(options.submit);
        tls.connectTimeout = std::min(tls.connectTimeout, options.probeTimeout);
        tls.totalTimeout = options.probeTimeout;
        auto answer = probeEndpoint(url, tls);
        if (answer) {
            if (answer->serverDate && !backendDate) backendDate = answer->serverDate;
            line(true, "staff.check.backend_ok", {{"host", host}, {"status", std::to_string(answer->status)},
                                                  {"ms", std::to_string(answer->took.count())}});
        } else {
            std::string why(netErrorMessage(answer.error().code));
            while (!why.empty() && why.back() == '.') why.pop_back();
            line(false, "staff.check.backend_problem", {{"host", host}, {"error", why}});
        }
    }
    if (probed.empty()) line(false, "staff.check.no_endpoint");

    // -- certificates: the client certificate and the CA file --
    if (options.submit.caFile.empty()) line(false, "staff.check.no_ca");
    for (const auto& file : {options.submit.clientCert, options.submit.caFile}) {
        if (file.empty()) continue;
        const std::string name = file.filename().string();
        auto notAfter = certificateNotAfter(file);
        if (!notAfter) {
            line(false, "staff.check.cert_unreadable", {{"file", name}, {"error", notAfter.error()}});
            continue;
        }
        const auto days = std::chrono::floor<std::chrono::days>(*notAfter - now).count();
        if (*notAfter <= now) line(false, "staff.check.cert_expired", {{"file", name}});
        else if (days < options.warnDays) line(false, "staff.check.cert_soon", {{"file", name}, {"days", std::to_string(days)}});
        else line(true, "staff.check.cert_ok", {{"file", name}, {"days", std::to_string(days)}});
    }

    // -- disk: room for the outbox --
    if (options.outboxDir.empty()) {
        line(false, "staff.check.no_outbox");
    } else if (auto free = freeBytes(options.outboxDir); !free) {
        line(false, "staff.check.disk_unknown", {{"dir", options.outboxDir.string()}, {"error", free.error()}});
    } else {
        line(*free >= options.minFreeBytes, *free >= options.minFreeBytes ? "staff.check.disk_ok" : "staff.check.disk_low",
             {{"free", humanBytes(*free)}});
    }

    // -- speech: the engine makes samples from a short text --
    if (options.synthesise) {
        auto samples = options.synthesise();
        if (samples && *samples > 0) line(true, "staff.check.speech_ok");
        else line(false, "staff.check.speech_problem", {{"error", samples ? std::string("no sound made") : samples.error()}});
    } else {
        line(false, "staff.check.speech_problem", {{"error", "no speech engine"}});
    }

    // -- the clock --
    switch (checkClock(now, options.built, backendDate)) {
        case ClockVerdict::Plausible: line(true, "staff.check.clock_ok", {{"time", clockText(now)}}); break;
        case ClockVerdict::BeforeBuild: line(false, "staff.check.clock_early", {{"time", clockText(now)}}); break;
        case ClockVerdict::FarFuture: line(false, "staff.check.clock_late", {{"time", clockText(now)}}); break;
        case ClockVerdict::DiffersFromBackend: {
            const auto off = std::chrono::duration_cast<std::chrono::seconds>(now - *backendDate).count();
            line(false, "staff.check.clock_differs", {{"time", clockText(now)}, {"seconds", std::to_string(off)}});
            break;
        }
    }
    return lines;
}

}  // namespace kiosk::net
