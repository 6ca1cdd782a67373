// Staff PIN hashes: scrypt (RFC 7914) through OpenSSL, written as
//   $scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>
// The PIN itself is never stored; `kiosk hash-pin` makes the line for the config.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace kiosk::core {

// Hashes a PIN with a fresh 16-byte salt. Fails only when OpenSSL cannot.
[[nodiscard]] std::expected<std::string, std::string> hashPin(std::string_view pin);
// Whether `pin` matches `hash` (constant-time compare). A malformed hash never matches.
[[nodiscard]] bool verifyPin(std::string_view pin, std::string_view hash);
// Whether `hash` has the right shape (checked when the config loads).
[[nodiscard]] bool isPinHash(std::string_view hash);

}  // namespace kiosk::core
