// Submission reference numbers: made on the kiosk, printed, shown and read aloud.
//
// The citizen gets the reference even when the backend is down, and it is the request's
// idempotency key (form-format.md, "What is submitted"). People read it to staff over the
// phone and type it back in, so it is short, free of look-alike symbols, and carries a
// check symbol that catches the usual slips.
//
// [SECTION] Shape
// [SECTION] Why the check symbol catches every single slip (proof)
// [SECTION] API
//
// [SECTION] Shape ----------------------------------------------------------------------------
//
//   Written form: "K7QPD-4M2XR": two groups of five symbols, separated by '-'.
//   Symbols 1..9 are random, symbol 10 is the check symbol.
//   Alphabet (29 symbols): 23456789ABCDEFGHJKMNPQRTVWXYZ. Of each look-alike group at most
//   one member stays: 0/O and 1/I/L are all left out, S goes (5 stays), U goes (V stays).
//   Randomness: 29^9 ≈ 1.45e13 references, log2(29^9) ≈ 43.7 bits (the contract asks >= 40).
//   Each random symbol is drawn uniformly from OpenSSL's RAND_bytes by rejection sampling:
//   a byte b is used only when b < 232 = 8 * 29, and then gives symbol b mod 29; larger
//   bytes are thrown away. A plain "b mod 29" would make the first 24 symbols 12.5 % more
//   likely than the other 5 (256 = 8 * 29 + 24).
//
// [SECTION] Why the check symbol catches every single slip (proof) -----------------------
//
//   Number the symbols by their index in the alphabet, v_1 .. v_10, each in 0..28, and give
//   position i the weight w_i = i. The check symbol v_10 is chosen so that
//
//       S = sum_{i=1..10} w_i * v_i  ≡  0   (mod 29),
//
//   i.e. v_10 = -(sum_{i=1..9} i * v_i) * 10^-1 mod 29, and 10^-1 ≡ 3 (mod 29) since
//   10 * 3 = 30 ≡ 1. A reference is accepted only when S ≡ 0 (mod 29).
//
//   Arithmetic mod a prime p is a field: a product is 0 mod p only if a factor is 0 mod p.
//   Here p = 29 is prime, and the weights 1..10 are non-zero and pairwise distinct mod 29
//   (they are all smaller than 29).
//
//   Single substitution: position i changes from v_i to v_i' != v_i. S changes by
//       w_i * (v_i' - v_i).
//   w_i ≢ 0, and 0 < |v_i' - v_i| <= 28 < 29 so (v_i' - v_i) ≢ 0; their product is therefore
//   ≢ 0 (mod 29): S is no longer 0 and the slip is detected. This holds for the check
//   symbol too (it is just position 10).
//
//   Swap of two different symbols at positions i and j (neighbours: j = i + 1). S changes by
//       (w_i * v_j + w_j * v_i) - (w_i * v_i + w_j * v_j) = (w_i - w_j) * (v_j - v_i).
//   w_i - w_j ≢ 0 because the weights are distinct mod 29, and v_j - v_i ≢ 0 because the
//   symbols differ (and both lie in 0..28). The product is ≢ 0: detected. The argument never
//   used j = i + 1, so a swap of ANY two different symbols, also across the dash or with the
//   check symbol, is detected as well. Neighbours are merely the common case.
//
//   A prime modulus is what makes this work: with 32 symbols, say, weight 2 times a
//   difference of 16 is 0 mod 32 and that slip would pass. Two or more slips at once can
//   cancel out (1 in 29 chance); the check symbol is a guard against typing mistakes, not a
//   signature.
//
// [SECTION] API ------------------------------------------------------------------------------
//
// Everything here is pure and thread-safe; makeReference() reads OpenSSL's CSPRNG, which is
// thread-safe in OpenSSL 3. Failures are values, never exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kiosk::forms {

inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKMNPQRTVWXYZ";
inline constexpr std::size_t kReferenceRandomSymbols = 9;
inline constexpr std::size_t kReferenceSymbols = kReferenceRandomSymbols + 1;  // with check
inline constexpr std::size_t kReferenceWrittenLength = kReferenceSymbols + 1;  // with '-'
static_assert(kReferenceAlphabet.size() == 29, "the check symbol's proof needs a prime: 29");

enum class ReferenceError {
    RandomSourceFailed,  // RAND_bytes reported an error (e.g. the CSPRNG is not seeded)
};

// A short English description for logs (not for citizens: their texts live in assets/).
[[nodiscard]] std::string_view referenceErrorMessage(ReferenceError error);

// A fresh random reference in written form ("K7QPD-4M2XR"). Fails only when OpenSSL's
// random source fails; the caller must then not invent a reference of its own.
[[nodiscard]] std::expected<std::string, ReferenceError> makeReference();

// The deterministic core of makeReference(), for tests: draws the 9 random symbols from
// `randomBytes` with the same rejection sampling (bytes >= 232 are skipped) and returns the
// written form. Nullopt when the bytes run out before 9 symbols were drawn.
[[nodiscard]] std::optional<std::string> makeReferenceFrom(std::span<const std::uint8_t> randomBytes);

// What a citizen or staff member typed -> the written form ("K7QPD-4M2XR"), or nullopt.
// Tolerated: lower case letters, ASCII spaces/tabs/line breaks and '-' anywhere (or no
// dash at all). Nothing else is mapped: an 'O', '0', 'I', '1', 'L', 'S' or 'U' makes the
// input invalid instead of being guessed at (as '0', '1', '5' or 'V'), as does any other character, a wrong
// number of symbols or a failing check symbol.
[[nodiscard]] std::optional<std::string> parseReference(std::string_view typed);

// The check symbol for 9 alphabet symbols (upper case, no separators); nullopt when the
// input is not exactly that.
[[nodiscard]] std::optional<char> checkSymbol(std::string_view nineSymbols);

// Whether exactly 10 alphabet symbols (upper case, no separators) pass the check. This is
// the validation parseReference() applies after normalising; exposed so that tests can run
// millions of cases quickly.
[[nodiscard]] bool isValidCompactReference(std::string_view tenSymbols);

}  // namespace kiosk::forms
