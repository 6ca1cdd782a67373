// Errors of the submission side (kiosk/net): one enum for the module, a message function for
// logs, and a stable token for metrics and the outbox's state files.
//
// Storing and sending fail in ways the kiosk must tell apart: a full disk means the citizen
// must be told at once that nothing was stored; a refused TLS handshake or an unreachable
// server means "try again later"; the server's own answer (an HTTP status) is not an error
// here at all but a value (HttpAnswer in submitter.hpp).
//
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::net {

enum class NetError {
    // -- storing and reading back (Outbox) --
    DiskFull,                   // ENOSPC/EDQUOT while writing to the outbox
    NotWritable,                // the outbox folder is missing, read-only or not ours
    IoFailed,                   // any other I/O error on the outbox or a key file
    KeyUnavailable,             // the recipient key or the key file cannot be read
    KeyUnsuitable,              // it can be read but is no usable key (type, size, permissions)
    CryptoFailed,               // OpenSSL failed (out of memory, random source)
    InvalidSubmission,          // reference, form id, endpoint or payload unusable as given
    AlreadyQueued,              // a submission with this reference is already in the outbox
    NotQueued,                  // no waiting submission has this reference
    Corrupt,                    // a stored submission cannot be read back (damaged, tampered, wrong key)
    // -- configuration --
    ConfigurationUnusable,      // CA file, client cert/key or pins cannot be used as configured
    // -- transport (Submitter): the request may never have reached the server --
    InvalidUrl,                 // not an https:// URL libcurl accepts
    ConnectFailed,              // name not resolved, connection refused, unreachable
    TimedOut,                   // connect timeout or total timeout
    TlsHandshakeFailed,         // no common protocol/cipher, or the server refused us (alert)
    ServerCertificateRejected,  // expired, wrong host name, unknown CA
    PinMismatch,                // the server's key is not one of the configured pins
    ClientCertificateUnusable,  // our client certificate or key cannot be loaded
    ConnectionLost,             // reset, closed early, nothing received
    Cancelled,                  // stopped by Submitter::cancel() (Delivery::stop())
    TransportFailed,            // any other transport failure
};

// A short English sentence for logs and the staff screen. Never quotes answers.
[[nodiscard]] std::string_view netErrorMessage(NetError error);

// A stable snake_case token ("connect_failed"): metric labels, state files, tests.
[[nodiscard]] std::string_view netErrorToken(NetError error);

// True for the errors of storing that mean "the outbox cannot take submissions now":
// the citizen is told, and the kiosk shows out-of-order until a probe succeeds.
[[nodiscard]] bool isStorageProblem(NetError error);

// An error value with what the message function cannot know: the file, errno's text,
// libcurl's explanation. `detail` holds only paths, references, form ids, host names and
// codes, never personal data (answers are never put into it).
struct Failure {
    NetError code = NetError::IoFailed;
    std::string detail;
};

// "message (detail)" for logs.
[[nodiscard]] std::string describe(const Failure& failure);

}  // namespace kiosk::net
