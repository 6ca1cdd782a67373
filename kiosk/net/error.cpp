#include "kiosk/net/error.hpp"

namespace kiosk::net {

std::string_view netErrorMessage(NetError error) {
    switch (error) {
        case NetError::DiskFull: return "the outbox's disk is full";
        case NetError::NotWritable: return "the outbox folder cannot be written";
        case NetError::IoFailed: return "reading or writing the outbox failed";
        case NetError::KeyUnavailable: return "the outbox key cannot be read";
        case NetError::KeyUnsuitable: return "the outbox key is not usable";
        case NetError::CryptoFailed: return "encryption failed";
        case NetError::InvalidSubmission: return "the submission cannot be stored as given";
        case NetError::AlreadyQueued: return "a submission with this reference is already waiting";
        case NetError::NotQueued: return "no waiting submission has this reference";
        case NetError::Corrupt: return "a stored submission is damaged or cannot be decrypted";
        case NetError::ConfigurationUnusable: return "the TLS settings cannot be used";
        case NetError::InvalidUrl: return "the endpoint is not a usable https URL";
        case NetError::ConnectFailed: return "could not connect to the server";
        case NetError::TimedOut: return "the server did not answer in time";
        case NetError::TlsHandshakeFailed: return "the TLS handshake failed";
        case NetError::ServerCertificateRejected: return "the server's certificate was rejected";
        case NetError::PinMismatch: return "the server's key does not match the configured pins";
        case NetError::ClientCertificateUnusable: return "the kiosk's client certificate cannot be used";
        case NetError::ConnectionLost: return "the connection was lost";
        case NetError::Cancelled: return "the request was cancelled";
        case NetError::TransportFailed: return "the request failed";
    }
    return "unknown error";
}

std::string_view netErrorToken(NetError error) {
    switch (error) {
        case NetError::DiskFull: return "disk_full";
        case NetError::NotWritable: return "not_writable";
        case NetError::IoFailed: return "io_failed";
        case NetError::KeyUnavailable: return "key_unavailable";
        case NetError::KeyUnsuitable: return "key_unsuitable";
        case NetError::CryptoFailed: return "crypto_failed";
        case NetError::InvalidSubmission: return "invalid_submission";
        case NetError::AlreadyQueued: return "already_queued";
        case NetError::NotQueued: return "not_queued";
        case NetError::Corrupt: return "corrupt";
        case NetError::ConfigurationUnusable: return "configuration_unusable";
        case NetError::InvalidUrl: return "invalid_url";
        case NetError::ConnectFailed: return "connect_failed";
        case NetError::TimedOut: return "timed_out";
        case NetError::TlsHandshakeFailed: return "tls_handshake_failed";
        case NetError::ServerCertificateRejected: return "server_certificate_rejected";
        case NetError::PinMismatch: return "pin_mismatch";
        case NetError::ClientCertificateUnusable: return "client_certificate_unusable";
        case NetError::ConnectionLost: return "connection_lost";
        case NetError::Cancelled: return "cancelled";
        case NetError::TransportFailed: return "transport_failed";
    }
    return "unknown";
}

bool isStorageProblem(NetError error) {
    switch (error) {
        case NetError::DiskFull:
        case NetError::NotWritable:
        case NetError::IoFailed:
        case NetError::KeyUnavailable:
        case NetError::KeyUnsuitable:
        case NetError::CryptoFailed: return true;
        default: return false;
    }
}

std::string describe(const Failure& failure) {
    std::string out(netErrorMessage(failure.code));
    if (!failure.detail.empty()) out += " (" + failure.detail + ")";
    return out;
}

}  // namespace kiosk::net
