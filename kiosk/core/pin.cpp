#include "kiosk/core/pin.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <vector>

namespace kiosk::core {

namespace {

struct Parsed {
    int logN = 15;
    int r = 8;
    int p = 1;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> hash;
};

std::string base64(const std::vector<unsigned char>& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::vector<unsigned char> out(text.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t padding = 0;
    if (text.ends_with("==")) padding = 2; else if (text.ends_with('=')) padding = 1;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::optional<Parsed> parse(std::string_view text) {
    // $scrypt$ln=15,r=8,p=1$salt$hash
    if (!text.starts_with("$scrypt$")) return std::nullopt;
    text.remove_prefix(8);
    const auto d1 = text.find('$');
    if (d1 == std::string_view::npos) return std::nullopt;
    const auto params = text.substr(0, d1);
    const auto rest = text.substr(d1 + 1);
    const auto d2 = rest.find('$');
    if (d2 == std::string_view::npos) return std::nullopt;
    Parsed parsed;
    int* targets[] = {&parsed.logN, &parsed.r, &parsed.p};
    const char* names[] = {"ln=", "r=", "p="};
    std::string_view cursor = params;
    for (int i = 0; i < 3; ++i) {
        if (!cursor.starts_with(names[i])) return std::nullopt;
        cursor.remove_prefix(std::string_view(names[i]).size());
        const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), *targets[i]);
        if (ec != std::errc{}) return std::nullopt;
        cursor.remove_prefix(static_cast<std::size_t>(end - cursor.data()));
        if (i < 2) {
            if (!cursor.starts_with(',')) return std::nullopt;
            cursor.remove_prefix(1);
        }
    }
    if (!cursor.empty() || parsed.logN < 10 || parsed.logN > 20 || parsed.r < 1 || parsed.r > 32 ||
        parsed.p < 1 || parsed.p > 16) {
        return std::nullopt;
    }
    auto salt = unbase64(rest.substr(0, d2));
    auto hash = unbase64(rest.substr(d2 + 1));
    if (!salt || !hash || salt->size() < 8 || hash->size() < 16) return std::nullopt;
    parsed.salt = std::move(*salt);
    parsed.hash = std::move(*hash);
    return parsed;
}

bool scrypt(std::string_view pin, const Parsed& parameters, std::vector<unsigned char>& out) {
    // 32 MiB for ln=15, r=8: allow a little more than that.
    const std::uint64_t maxMemory = 256ull * 1024 * 1024;
    return EVP_PBE_scrypt(pin.data(), pin.size(), parameters.salt.data(), parameters.salt.size(),
                          std::uint64_t{1} << parameters.logN, static_cast<std::uint64_t>(parameters.r),
                          static_cast<std::uint64_t>(parameters.p), maxMemory, out.data(), out.size()) == 1;
}

}  // namespace

std::expected<std::string, std::string> hashPin(std::string_view pin) {
    Parsed parameters;
    parameters.salt.resize(16);
    if (RAND_bytes(parameters.salt.data(), static_cast<int>(parameters.salt.size())) != 1) {
        return std::unexpected("no random numbers from OpenSSL");
    }
    std::vector<unsigned char> hash(32);
    if (!scrypt(pin, parameters, hash)) return std::unexpected("scrypt failed");
    return "$scrypt$ln=" + std::to_string(parameters.logN) + ",r=" + std::to_string(parameters.r) +
           ",p=" + std::to_string(parameters.p) + "$" + base64(parameters.salt) + "$" + base64(hash);
}

bool verifyPin(std::string_view pin, std::string_view hash) {
    auto parsed = parse(hash);
    if (!parsed) return false;
    std::vector<unsigned char> computed(parsed->hash.size());
    if (!scrypt(pin, *parsed, computed)) return false;
    const bool same = CRYPTO_memcmp(computed.data(), parsed->hash.data(), computed.size()) == 0;
    OPENSSL_cleanse(computed.data(), computed.size());
    return same;
}

bool isPinHash(std::string_view hash) { return parse(hash).has_value(); }

}  // namespace kiosk::core
