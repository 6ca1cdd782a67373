#include "forms/reference.hpp"

#include <array>

#include <openssl/err.h>
#include <openssl/rand.h>

namespace kiosk::forms {

namespace {

constexpr int kModulus = static_cast<int>(kReferenceAlphabet.size());
// The largest multiple of 29 that fits in a byte's range: bytes at or above it are
// rejected so that every symbol is equally likely (see the header).
constexpr int kAcceptBelow = (256 / kModulus) * kModulus;
static_assert(kAcceptBelow == 232);
// The inverse of the check symbol's weight (10) mod 29: 10 * 3 = 30 ≡ 1.
constexpr int kInverseOfCheckWeight = 3;
static_assert((kReferenceSymbols * kInverseOfCheckWeight) % kModulus == 1);

// Byte -> index in the alphabet, or -1. Upper case only: callers normalise first, so that
// the check itself has a single, strict notion of a symbol.
constexpr std::array<std::int8_t, 256> kSymbolIndex = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < kReferenceAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kReferenceAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}();

// Weighted sum of the symbols with weights 1, 2, …, reduced mod 29; -1 on a non-symbol.
// Callers pass at most 10 symbols, so the unreduced sum stays below 10 * 10 * 28.
// Written as a plain loop over raw pointers because the slip test calls it 29 million times
// in unoptimised test builds, where every std::optional or operator[] is a real call.
int weightedSum(std::string_view symbols) {
    const std::int8_t* const index = kSymbolIndex.data();
    const char* const text = symbols.data();
    const std::size_t count = symbols.size();
    int sum = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const int symbol = index[static_cast<unsigned char>(text[i])];
        if (symbol < 0) return -1;
        sum += static_cast<int>(i + 1) * symbol;
    }
    return sum % kModulus;
}

// Appends symbols drawn from `bytes` to `symbols` until it holds the 9 random symbols.
void drawSymbols(std::string& symbols, std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t byte : bytes) {
        if (symbols.size() == kReferenceRandomSymbols) return;
        if (byte >= kAcceptBelow) continue;
        symbols.push_back(kReferenceAlphabet[byte % kModulus]);
    }
}

// 9 random symbols and their check symbol -> "XXXXX-XXXXX".
std::string writtenForm(std::string_view nineSymbols, char check) {
    std::string written;
    written.reserve(kReferenceWrittenLength);
    written.append(nineSymbols.substr(0, 5));
    written.push_back('-');
    written.append(nineSymbols.substr(5));
    written.push_back(check);
    return written;
}

bool isSeparator(char c) {
    return c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::string_view referenceErrorMessage(ReferenceError error) {
    switch (error) {
        case ReferenceError::RandomSourceFailed:
            return "the random source (OpenSSL RAND_bytes) failed; no reference was made";
    }
    return "unknown reference error";
}

std::optional<char> checkSymbol(std::string_view nineSymbols) {
    if (nineSymbols.size() != kReferenceRandomSymbols) return std::nullopt;
    const int sum = weightedSum(nineSymbols);
    if (sum < 0) return std::nullopt;
    // Solve sum + 10 * c ≡ 0 for c: c ≡ -sum * 10^-1.
    const int check = ((kModulus - sum) * kInverseOfCheckWeight) % kModulus;
    return kReferenceAlphabet[static_cast<std::size_t>(check)];
}

bool isValidCompactReference(std::string_view tenSymbols) {
    return tenSymbols.size() == kReferenceSymbols && weightedSum(tenSymbols) == 0;
}

std::optional<std::string> makeReferenceFrom(std::span<const std::uint8_t> randomBytes) {
    std::string symbols;
    symbols.reserve(kReferenceRandomSymbols);
    drawSymbols(symbols, randomBytes);
    if (symbols.size() != kReferenceRandomSymbols) return std::nullopt;
    return writtenForm(symbols, *checkSymbol(symbols));
}

std::expected<std::string, ReferenceError> makeReference() {
    std::string symbols;
    symbols.reserve(kReferenceRandomSymbols);
    // 16 bytes hold 9 accepted ones with overwhelming probability (each byte is kept with
    // probability 232/256); the loop only matters for the rare unlucky draw.
    std::array<std::uint8_t, 16> bytes{};
    while (symbols.size() < kReferenceRandomSymbols) {
        if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
            // Leave no stale entry in this thread's OpenSSL error queue: the TLS code that
            // runs later on the same thread reads that queue to explain its own failures.
            ERR_clear_error();
            return std::unexpected(ReferenceError::RandomSourceFailed);
        }
        drawSymbols(symbols, bytes);
    }
    return writtenForm(symbols, *checkSymbol(symbols));
}

std::optional<std::string> parseReference(std::string_view typed) {
    std::array<char, kReferenceSymbols> symbols{};
    std::size_t count = 0;
    for (const char c : typed) {
        if (isSeparator(c)) continue;
        if (count == symbols.size()) return std::nullopt;  // too many symbols
        // Only ASCII a-z is folded; every other byte (including UTF-8 look-alikes) is kept
        // as is and then fails the alphabet lookup.
        symbols[count++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    const std::string_view compact(symbols.data(), count);
    if (!isValidCompactReference(compact)) return std::nullopt;
    return writtenForm(compact.substr(0, kReferenceRandomSymbols), compact.back());
}

}  // namespace kiosk::forms
