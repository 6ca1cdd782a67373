#include "kiosk/net/curl_submitter.hpp"

#include "kiosk/net/answer.hpp"
#include "kiosk/net/curl_library.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <mutex>

namespace kiosk::net {

namespace {

Failure unusable(std::string detail) {
    return Failure{NetError::ConfigurationUnusable, std::move(detail)};
}

bool readable(const std::filesystem::path& path) { return ::access(path.c_str(), R_OK) == 0; }

// A pin must be the base64 (standard alphabet, padded) of 32 bytes: 44 characters ending
// in one '='. Checked up front so that a typo fails at start and not as a "pin mismatch"
// at 3 a.m.
bool wellFormedPin(std::string_view pin) {
    if (pin.size() != 44 || pin.back() != '=') return false;
    return std::all_of(pin.begin(), pin.end() - 1, [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '+' || c == '/';
    });
}

bool hasControlCharacter(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

NetError classify(CURLcode code, std::string_view explanation) {
    switch (code) {
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT: return NetError::InvalidUrl;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT: return NetError::ConnectFailed;
        case CURLE_OPERATION_TIMEDOUT: return NetError::TimedOut;
        case CURLE_PEER_FAILED_VERIFICATION: return NetError::ServerCertificateRejected;
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return NetError::PinMismatch;
        case CURLE_SSL_CERTPROBLEM: return NetError::ClientCertificateUnusable;
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CRL_BADFILE: return NetError::ConfigurationUnusable;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_SHUTDOWN_FAILED: return NetError::TlsHandshakeFailed;
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
            // With TLS 1.3 the server checks our client certificate after the handshake has
            // finished on our side; its refusal arrives as an alert on the first read.
            if (explanation.find("alert") != std::string_view::npos) return NetError::TlsHandshakeFailed;
            return NetError::ConnectionLost;
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE: return NetError::ConnectionLost;
        case CURLE_ABORTED_BY_CALLBACK: return NetError::Cancelled;
        default: return NetError::TransportFailed;
    }
}

// The security settings every request of the kiosk uses (post and the self-test's
// probe): https only, no redirects, TLS 1.2+, peer and host verified against caFile
// only, optional client certificate, optional pins.
bool applyTls(const CurlLibrary& curl, CURL* handle, const CurlSubmitterOptions& tls, char* errors, std::string& pins) {
    auto set = [&](CURLoption option, auto value) -> bool {
        return curl.easySetopt(handle, option, value) == CURLE_OK;
    };
    pins.clear();
    for (const auto& pin : tls.pins) {
        if (!pins.empty()) pins += ';';
        pins += "sha256//" + pin;
    }
    bool ok = set(CURLOPT_ERRORBUFFER, errors) && set(CURLOPT_NOSIGNAL, 1L) &&
              set(CURLOPT_PROTOCOLS_STR, "https") && set(CURLOPT_FOLLOWLOCATION, 0L) &&
              set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)) &&
              set(CURLOPT_SSL_VERIFYPEER, 1L) && set(CURLOPT_SSL_VERIFYHOST, 2L) &&
              set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(tls.connectTimeout.count())) &&
              set(CURLOPT_TIMEOUT_MS, static_cast<long>(tls.totalTimeout.count())) &&
              set(CURLOPT_USERAGENT, tls.userAgent.c_str());
    if (ok && !tls.caFile.empty()) {
        // Only the configured anchors: switch the built-in CA folder off.
        ok = set(CURLOPT_CAINFO, tls.caFile.c_str()) &&
             set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    }
    if (ok && !tls.clientCert.empty()) {
        ok = set(CURLOPT_SSLCERT, tls.clientCert.c_str()) &&
             set(CURLOPT_SSLKEY, tls.clientKey.c_str());
    }
    if (ok && !pins.empty()) ok = set(CURLOPT_PINNEDPUBLICKEY, pins.c_str());
    return ok;
}

// libcurl, loaded on first use (curl_library.hpp), or why not.
std::expected<const CurlLibrary*, Failure> loadCurl() {
    auto curl = curlLibrary();
    if (!curl) return std::unexpected(Failure{NetError::TransportFailed, curl.error()});
    return *curl;
}

}  // namespace

CurlSubmitterOptions CurlSubmitterOptions::fromConfig(const core::Config::Submit& submit) {
    CurlSubmitterOptions options;
    options.caFile = submit.caFile;
    options.clientCert = submit.clientCert;
    options.clientKey = submit.clientKey;
    options.pins = submit.pins;
    return options;
}

struct CurlSubmitter::Impl {
    CurlSubmitterOptions options;
    // Made by the first post() (start()), so that libcurl is loaded then and not at start.
    // `started` guards them against cancel() on another thread.
    std::mutex started;
    const CurlLibrary* curl = nullptr;
    CURL* easy = nullptr;
    CURLM* multi = nullptr;
    std::atomic<bool> cancelled{false};
    std::atomic<std::uint64_t> connections{0};
    std::array<char, CURL_ERROR_SIZE> errorBuffer{};
    HttpAnswer answer;  // being filled by the callbacks

    ~Impl() {
        if (multi != nullptr && easy != nullptr) curl->multiRemoveHandle(multi, easy);
        if (easy != nullptr) curl->easyCleanup(easy);
        if (multi != nullptr) curl->multiCleanup(multi);
    }

    // Loads libcurl and makes the handles, once (the delivery worker's first request).
    // Never sends on a handle whose TLS set-up failed: until configure() succeeded, every
    // post() tries again from the start.
    std::expected<void, Failure> start() {
        std::lock_guard lock(started);
        if (configured) return {};
        auto loaded = loadCurl();
        if (!loaded) return std::unexpected(loaded.error());
        curl = *loaded;
        if (easy == nullptr) easy = curl->easyInit();
        if (multi == nullptr) multi = curl->multiInit();
        if (easy == nullptr || multi == nullptr) {
            return std::unexpected(Failure{NetError::TransportFailed, "libcurl could not start"});
        }
        auto done = configure();
        configured = done.has_value();
        return done;
    }
    bool configured = false;   // configure() succeeded on `easy`

    // libcurl's callbacks hand what arrives to the pure readers of answer.hpp.
    static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* self) {
        const std::size_t n = size * count;
        appendAnswerBody(static_cast<Impl*>(self)->answer, std::string_view(data, n));
        return n;  // the rest is read and dropped
    }

    static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self) {
        const std::size_t n = size * count;
        readAnswerHeader(static_cast<Impl*>(self)->answer, std::string_view(data, n));
        return n;
    }

    std::expected<void, Failure> configure() {
        auto set = [&](CURLoption option, auto value) -> bool {
            return curl->easySetopt(easy, option, value) == CURLE_OK;
        };
        bool ok = applyTls(*curl, easy, options, errorBuffer.data(), pinList) &&
                  set(CURLOPT_WRITEFUNCTION, &Impl::onBody) && set(CURLOPT_WRITEDATA, this) &&
                  set(CURLOPT_HEADERFUNCTION, &Impl::onHeader) && set(CURLOPT_HEADERDATA, this) &&
                  set(CURLOPT_TCP_KEEPALIVE, 1L);
        if (!ok) return std::unexpected(unusable("libcurl refused an option: " + std::string(errorBuffer.data())));
        return {};
    }

    std::string pinList;  // the pins in libcurl's form, for the handle's lifetime
};

namespace {

// The checks of create(), shared with the probe: files readable, pins well-formed.
std::expected<void, Failure> checkOptions(CurlSubmitterOptions& options) {
    if (!options.caFile.empty() && !readable(options.caFile)) {
        return std::unexpected(unusable("submit.ca_file " + options.caFile.string() + " cannot be read"));
    }
    if (options.clientCert.empty() != options.clientKey.empty()) {
        return std::unexpected(unusable("mutual TLS needs both client_cert and client_key"));
    }
    if (!options.clientCert.empty() && (!readable(options.clientCert) || !readable(options.clientKey))) {
        return std::unexpected(unusable("client_cert or client_key cannot be read"));
    }
    for (auto& pin : options.pins) {
        if (pin.starts_with("sha256//")) pin.erase(0, 8);
        if (!wellFormedPin(pin)) {
            return std::unexpected(unusable("pin '" + pin + "' is not the base64 of a SHA-256 hash"));
        }
    }
    if (options.connectTimeout.count() <= 0 || options.totalTimeout < options.connectTimeout) {
        return std::unexpected(unusable("timeouts must be positive, total >= connect"));
    }
    return {};
}

}  // namespace

std::expected<std::unique_ptr<CurlSubmitter>, Failure> CurlSubmitter::create(CurlSubmitterOptions options) {
    if (auto checked = checkOptions(options); !checked) return std::unexpected(checked.error());
    // libcurl is not touched yet: the first post() loads it (curl_library.hpp).
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    return std::unique_ptr<CurlSubmitter>(new CurlSubmitter(std::move(impl)));
}

CurlSubmitter::CurlSubmitter(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CurlSubmitter::~CurlSubmitter() = default;

void CurlSubmitter::cancel() {
    m_impl->cancelled = true;
    std::lock_guard lock(m_impl->started);
    if (m_impl->multi != nullptr) m_impl->curl->multiWakeup(m_impl->multi);
}

void CurlSubmitter::resume() { m_impl->cancelled = false; }

std::uint64_t CurlSubmitter::connectionsOpened() const { return m_impl->connections; }

std::expected<HttpAnswer, Failure> CurlSubmitter::post(const HttpRequest& request) {
    Impl& d = *m_impl;
    if (d.cancelled) return std::unexpected(Failure{NetError::Cancelled, {}});
    if (!request.url.starts_with("https://")) {
        return std::unexpected(Failure{NetError::InvalidUrl, "not https: " + request.url});
    }
    if (hasControlCharacter(request.url) || hasControlCharacter(request.idempotencyKey) ||
        hasControlCharacter(request.contentType)) {
        return std::unexpected(Failure{NetError::InvalidUrl, "control character in URL or header"});
    }
    if (auto ready = d.start(); !ready) return std::unexpected(ready.error());
    const CurlLibrary& curl = *d.curl;

    d.answer = HttpAnswer{};
    d.errorBuffer[0] = '\0';
    curl_slist* headers = nullptr;
    for (const std::string& h : {"Content-Type: " + request.contentType,
                                 "Idempotency-Key: " + request.idempotencyKey,
                                 std::string("Accept: application/json"),
                                 // No "Expect: 100-continue" round trip for bodies over 1 KiB.
                                 std::string("Expect:")}) {
        headers = curl.slistAppend(headers, h.c_str());
    }
    curl.easySetopt(d.easy, CURLOPT_URL, request.url.c_str());
    curl.easySetopt(d.easy, CURLOPT_POST, 1L);
    curl.easySetopt(d.easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    // Not copied: the body stays in the caller's buffer, which the caller wipes.
    curl.easySetopt(d.easy, CURLOPT_POSTFIELDS, request.body.data());
    curl.easySetopt(d.easy, CURLOPT_HTTPHEADER, headers);

    curl.multiAddHandle(d.multi, d.easy);
    std::optional<CURLcode> result;
    bool cancelled = false;
    while (!result) {
        if (d.cancelled) {
            cancelled = true;
            break;
        }
        int running = 0;
        if (curl.multiPerform(d.multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        int queued = 0;
        while (CURLMsg* message = curl.multiInfoRead(d.multi, &queued)) {
            if (message->msg == CURLMSG_DONE && message->easy_handle == d.easy) {
                result = message->data.result;
            }
        }
        if (result) break;
        // Sleeps until the socket is ready, curl's next timeout, a second, or cancel().
        curl.multiPoll(d.multi, nullptr, 0, 1000, nullptr);
    }
    curl.multiRemoveHandle(d.multi, d.easy);
    curl.easySetopt(d.easy, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl.easySetopt(d.easy, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
    curl.slistFreeAll(headers);

    long opened = 0;
    if (curl.easyGetinfo(d.easy, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK && opened > 0) {
        d.connections += static_cast<std::uint64_t>(opened);
    }
    if (cancelled) return std::unexpected(Failure{NetError::Cancelled, {}});
    if (*result != CURLE_OK) {
        std::string explanation = d.errorBuffer[0] != '\0' ? std::string(d.errorBuffer.data())
                                                           : std::string(curl.easyStrerror(*result));
        const NetError code = classify(*result, explanation);
        return std::unexpected(Failure{code, "curl " + std::to_string(static_cast<int>(*result)) +
                                                 ": " + explanation});
    }
    long status = 0;
    curl.easyGetinfo(d.easy, CURLINFO_RESPONSE_CODE, &status);
    HttpAnswer answer = std::move(d.answer);
    answer.status = status;
    return answer;
}

std::expected<ProbeAnswer, Failure> probeEndpoint(const std::string& url, CurlSubmitterOptions options) {
    if (!url.starts_with("https://")) return std::unexpected(Failure{NetError::InvalidUrl, "not https: " + url});
    if (hasControlCharacter(url)) return std::unexpected(Failure{NetError::InvalidUrl, "control character in URL"});
    if (auto checked = checkOptions(options); !checked) return std::unexpected(checked.error());
    auto loaded = loadCurl();
    if (!loaded) return std::unexpected(loaded.error());
    const CurlLibrary& curl = **loaded;
    struct Handle {
        const CurlLibrary& curl;
        CURL* easy = curl.easyInit();
        ~Handle() { if (easy != nullptr) curl.easyCleanup(easy); }
    } handle{curl};
    if (handle.easy == nullptr) return std::unexpected(Failure{NetError::TransportFailed, "libcurl could not start"});
    std::array<char, CURL_ERROR_SIZE> errors{};
    std::string pins;
    std::string date;
    auto onHeader = +[](char* data, std::size_t size, std::size_t count, void* out) -> std::size_t {
        const std::string_view line(data, size * count);
        if (line.size() > 5 && (line.starts_with("Date:") || line.starts_with("date:"))) {
            std::string& value = *static_cast<std::string*>(out);
            value = std::string(line.substr(5));
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        }
        return size * count;
    };
    const bool ok = applyTls(curl, handle.easy, options, errors.data(), pins) &&
                    curl.easySetopt(handle.easy, CURLOPT_URL, url.c_str()) == CURLE_OK &&
                    curl.easySetopt(handle.easy, CURLOPT_NOBODY, 1L) == CURLE_OK &&   // HEAD
                    curl.easySetopt(handle.easy, CURLOPT_HEADERFUNCTION, onHeader) == CURLE_OK &&
                    curl.easySetopt(handle.easy, CURLOPT_HEADERDATA, &date) == CURLE_OK;
    if (!ok) return std::unexpected(unusable("libcurl refused an option: " + std::string(errors.data())));
    const auto started = std::chrono::steady_clock::now();
    const CURLcode result = curl.easyPerform(handle.easy);
    ProbeAnswer answer;
    answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (result != CURLE_OK) {
        std::string explanation = errors[0] != '\0' ? std::string(errors.data()) : std::string(curl.easyStrerror(result));
        return std::unexpected(Failure{classify(result, explanation),
                                       "curl " + std::to_string(static_cast<int>(result)) + ": " + explanation});
    }
    curl.easyGetinfo(handle.easy, CURLINFO_RESPONSE_CODE, &answer.status);
    if (!date.empty()) {
        const time_t seconds = curl.getdate(date.c_str(), nullptr);
        if (seconds > 0) answer.serverDate = std::chrono::system_clock::from_time_t(seconds);
    }
    return answer;
}

}  // namespace kiosk::net
