// The encrypted form of a submission: a JWE (RFC 7516) in flattened JSON serialization,
// with a fresh AES-256-GCM content key per submission (internal to kiosk/net; the format
// is documented in docs/outbox.md).
//
//   {"protected":"<base64url of the header>","encrypted_key":"...","iv":"...",
//    "ciphertext":"...","tag":"..."}
//
// The protected header (base64url JSON, authenticated as the AAD of the content
// encryption) carries:
//   sealed mode: {"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"<SPKI SHA-256, base64url>",
//                 "cty":"application/json","toegang_ref":"<reference>","toegang_form":"<form>"}
//     the content key is encrypted with RSA-OAEP (SHA-256, MGF1-SHA-256) to the backend's
//     public key; only the backend's private key opens it. This is what gets POSTed
//     (Content-Type: application/jose+json).
//   plain mode:  {"alg":"A256GCMKW","enc":"A256GCM","kid":"<key file id>","iv":"...",
//                 "tag":"...", ... same toegang_* }
//     the content key is wrapped with AES-256-GCM under the 32-byte key file (RFC 7518
//     §4.7); the kiosk opens it again before sending the plain contract JSON over TLS.
//
// Binding: toegang_ref and toegang_form sit in the authenticated header, so a file cannot be
// passed off as another reference's (the backend checks toegang_ref against the
// Idempotency-Key; the kiosk checks both against the outbox metadata).
//
// Thread: an EnvelopeKeys is immutable after loading and may be used from several threads.
// Failures are values: KeyUnavailable/KeyUnsuitable on loading, CryptoFailed on sealing,
// Corrupt on opening anything that does not authenticate.
#pragma once

#include "kiosk/net/error.hpp"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace kiosk::net {

enum class EnvelopeMode { Sealed, Plain };

struct EnvelopeBinding {
    std::string reference;
    std::string formId;
};

class EnvelopeKeys {
public:
    // Sealed: the backend's RSA public key (PEM "PUBLIC KEY", 2048 bits or more).
    [[nodiscard]] static std::expected<EnvelopeKeys, Failure> loadRecipient(
        const std::filesystem::path& publicKeyPem);
    // Plain: the 32-byte key file; created (0600, durably) with fresh random bytes when it
    // does not exist. Refused when it is readable or writable by group or others, or when
    // it does not hold exactly 32 bytes.
    [[nodiscard]] static std::expected<EnvelopeKeys, Failure> loadOrCreateKeyFile(
        const std::filesystem::path& keyFile);

    EnvelopeKeys(EnvelopeKeys&&) noexcept;
    EnvelopeKeys& operator=(EnvelopeKeys&&) noexcept;
    ~EnvelopeKeys();

    [[nodiscard]] EnvelopeMode mode() const;
    // The "kid" this key writes into headers.
    [[nodiscard]] const std::string& keyId() const;

    // Encrypts `payload` under a fresh content key: the JWE JSON text.
    [[nodiscard]] std::expected<std::string, Failure> seal(std::string_view payload,
                                                           const EnvelopeBinding& binding) const;
    // Plain mode only: decrypts an envelope this key made, checking the binding. Corrupt
    // when anything does not authenticate or match; the caller wipes the result after use.
    [[nodiscard]] std::expected<std::string, Failure> open(std::string_view jwe,
                                                           const EnvelopeBinding& binding) const;
    // Both modes, without decrypting: the envelope parses, is of this key's algorithm and
    // key id, and its header names this binding. Corrupt otherwise.
    [[nodiscard]] std::expected<void, Failure> checkHeader(std::string_view jwe,
                                                           const EnvelopeBinding& binding) const;

private:
    struct Impl;
    explicit EnvelopeKeys(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The backend's side of sealed mode, for tests and tools: decrypts a sealed envelope with
// the private key (PEM). The kiosk never holds this key.
[[nodiscard]] std::expected<std::string, Failure> openSealedEnvelope(
    std::string_view jwe, const std::filesystem::path& privateKeyPem);

// Content-Type of a sealed envelope on the wire (RFC 7516 §9.2.1).
inline constexpr std::string_view kSealedContentType = "application/jose+json";
inline constexpr std::string_view kPlainContentType = "application/json";

// Helpers shared with the outbox (exposed for tests).
[[nodiscard]] std::string base64UrlEncode(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string base64UrlEncode(std::string_view bytes);
[[nodiscard]] std::expected<std::string, Failure> base64UrlDecode(std::string_view text);
[[nodiscard]] std::string sha256Hex(std::string_view bytes);
// Overwrites a string's bytes, its whole capacity (OPENSSL_cleanse), and empties it.
void wipe(std::string& secret);

}  // namespace kiosk::net
