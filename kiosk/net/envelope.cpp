// [SECTION] Small helpers: base64url, SHA-256, wiping
// [SECTION] AES-256-GCM and RSA-OAEP-256 (OpenSSL EVP)
// [SECTION] Keys: loading the recipient key, loading or creating the key file
// [SECTION] Sealing and opening envelopes
#include "kiosk/net/envelope.hpp"

#include "forms/wipe.hpp"
#include "kiosk/net/durable_file.hpp"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace kiosk::net {

namespace {

using Bytes = std::string;  // binary strings: std::string keeps the code short and wipeable

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;
// Envelopes are small (a form's answers); anything far larger is not one of ours.
constexpr std::size_t kMaxEnvelopeBytes = 4 * 1024 * 1024;

Failure corrupt(std::string detail) { return Failure{NetError::Corrupt, std::move(detail)}; }
Failure cryptoFailed(std::string_view what) {
    return Failure{NetError::CryptoFailed, std::string(what)};
}

// [SECTION] Small helpers ------------------------------------------------------------------

constexpr std::string_view kB64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::expected<Bytes, Failure> randomBytes(std::size_t n) {
    Bytes out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        return std::unexpected(cryptoFailed("the random source failed"));
    }
    return out;
}

const unsigned char* u8(const Bytes& b) { return reinterpret_cast<const unsigned char*>(b.data()); }
unsigned char* u8(Bytes& b) { return reinterpret_cast<unsigned char*>(b.data()); }

Bytes sha256(std::string_view bytes) {
    Bytes out(32, '\0');
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), u8(out), &len, EVP_sha256(), nullptr);
    return out;
}

// [SECTION] AES-256-GCM and RSA-OAEP-256 -----------------------------------------------------

struct CipherCtx {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

struct Sealed {
    Bytes ciphertext;
    Bytes tag;
};

std::expected<Sealed, Failure> gcmEncrypt(const Bytes& key, const Bytes& iv, std::string_view plain,
                                          std::string_view aad) {
    CipherCtx c;
    Sealed out;
    out.ciphertext.resize(plain.size());
    out.tag.resize(kTagBytes);
    int len = 0;
    if (c.ctx == nullptr ||
        EVP_EncryptInit_ex2(c.ctx, EVP_aes_256_gcm(), u8(key), u8(iv), nullptr) != 1 ||
        (!aad.empty() && EVP_EncryptUpdate(c.ctx, nullptr, &len,
                                           reinterpret_cast<const unsigned char*>(aad.data()),
                                           static_cast<int>(aad.size())) != 1) ||
        (!plain.empty() &&
         EVP_EncryptUpdate(c.ctx, u8(out.ciphertext), &len,
                           reinterpret_cast<const unsigned char*>(plain.data()),
                           static_cast<int>(plain.size())) != 1) ||
        EVP_EncryptFinal_ex(c.ctx, nullptr, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                            u8(out.tag)) != 1) {
        return std::unexpected(cryptoFailed("AES-256-GCM encryption failed"));
    }
    return out;
}

std::expected<Bytes, Failure> gcmDecrypt(const Bytes& key, const Bytes& iv, const Bytes& ciphertext,
                                         const Bytes& tag, std::string_view aad) {
    if (key.size() != kKeyBytes || iv.size() != kIvBytes || tag.size() != kTagBytes) {
        return std::unexpected(corrupt("wrong key, iv or tag length"));
    }
    CipherCtx c;
    Bytes plain(ciphertext.size(), '\0');
    Bytes tagCopy = tag;  // EVP wants a non-const pointer
    int len = 0;
    if (c.ctx == nullptr ||
        EVP_DecryptInit_ex2(c.ctx, EVP_aes_256_gcm(), u8(key), u8(iv), nullptr) != 1 ||
        (!aad.empty() && EVP_DecryptUpdate(c.ctx, nullptr, &len,
                                           reinterpret_cast<const unsigned char*>(aad.data()),
                                           static_cast<int>(aad.size())) != 1) ||
        (!ciphertext.empty() && EVP_DecryptUpdate(c.ctx, u8(plain), &len, u8(ciphertext),
                                                  static_cast<int>(ciphertext.size())) != 1) ||
        EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                            u8(tagCopy)) != 1 ||
        EVP_DecryptFinal_ex(c.ctx, nullptr, &len) != 1) {
        wipe(plain);
        return std::unexpected(corrupt("does not authenticate (damaged, or another key)"));
    }
    return plain;
}

struct PkeyCtx {
    EVP_PKEY_CTX* ctx = nullptr;
    ~PkeyCtx() { EVP_PKEY_CTX_free(ctx); }
};

bool oaepSha256(EVP_PKEY_CTX* ctx) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
}

std::expected<Bytes, Failure> rsaOaepEncrypt(EVP_PKEY* key, const Bytes& plain) {
    PkeyCtx c{EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)};
    std::size_t outLen = 0;
    if (c.ctx == nullptr || EVP_PKEY_encrypt_init(c.ctx) <= 0 || !oaepSha256(c.ctx) ||
        EVP_PKEY_encrypt(c.ctx, nullptr, &outLen, u8(plain), plain.size()) <= 0) {
        return std::unexpected(cryptoFailed("RSA-OAEP set-up failed"));
    }
    Bytes out(outLen, '\0');
    if (EVP_PKEY_encrypt(c.ctx, u8(out), &outLen, u8(plain), plain.size()) <= 0) {
        return std::unexpected(cryptoFailed("RSA-OAEP encryption failed"));
    }
    out.resize(outLen);
    return out;
}

std::expected<Bytes, Failure> rsaOaepDecrypt(EVP_PKEY* key, const Bytes& wrapped) {
    PkeyCtx c{EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr)};
    std::size_t outLen = 0;
    if (c.ctx == nullptr || EVP_PKEY_decrypt_init(c.ctx) <= 0 || !oaepSha256(c.ctx) ||
        EVP_PKEY_decrypt(c.ctx, nullptr, &outLen, u8(wrapped), wrapped.size()) <= 0) {
        return std::unexpected(cryptoFailed("RSA-OAEP set-up failed"));
    }
    Bytes out(outLen, '\0');
    if (EVP_PKEY_decrypt(c.ctx, u8(out), &outLen, u8(wrapped), wrapped.size()) <= 0) {
        wipe(out);
        return std::unexpected(corrupt("the content key does not decrypt with this private key"));
    }
    out.resize(outLen);
    return out;
}

// [SECTION] Parsing envelopes ---------------------------------------------------------------

struct Parsed {
    std::string protectedB64;  // the AAD, exactly as sent
    nlohmann::json header;
    Bytes encryptedKey;
    Bytes iv;
    Bytes ciphertext;
    Bytes tag;
};

std::expected<Parsed, Failure> parseEnvelope(std::string_view jwe) {
    if (jwe.size() > kMaxEnvelopeBytes) return std::unexpected(corrupt("envelope too large"));
    Parsed p;
    try {
        const auto doc = nlohmann::json::parse(jwe);
        if (!doc.is_object()) return std::unexpected(corrupt("envelope is not a JSON object"));
        auto field = [&](const char* name) -> std::expected<Bytes, Failure> {
            const auto it = doc.find(name);
            if (it == doc.end() || !it->is_string()) {
                return std::unexpected(corrupt(std::string("envelope lacks '") + name + "'"));
            }
            return base64UrlDecode(it->get_ref<const std::string&>());
        };
        const auto it = doc.find("protected");
        if (it == doc.end() || !it->is_string()) return std::unexpected(corrupt("envelope lacks 'protected'"));
        p.protectedB64 = it->get<std::string>();
        auto headerText = base64UrlDecode(p.protectedB64);
        if (!headerText) return std::unexpected(headerText.error());
        p.header = nlohmann::json::parse(*headerText);
        if (!p.header.is_object()) return std::unexpected(corrupt("header is not a JSON object"));
        auto key = field("encrypted_key");
        auto iv = field("iv");
        auto ct = field("ciphertext");
        auto tag = field("tag");
        for (auto* part : {&key, &iv, &ct, &tag}) {
            if (!*part) return std::unexpected(part->error());
        }
        p.encryptedKey = std::move(*key);
        p.iv = std::move(*iv);
        p.ciphertext = std::move(*ct);
        p.tag = std::move(*tag);
    } catch (const nlohmann::json::exception& e) {
        // Not e.what(): it quotes the bytes it choked on, and reasons go into logs and files.
        return std::unexpected(corrupt("envelope is not valid JSON (json error " + std::to_string(e.id) + ")"));
    }
    if (p.iv.size() != kIvBytes || p.tag.size() != kTagBytes || p.encryptedKey.empty()) {
        return std::unexpected(corrupt("envelope has a wrong iv, tag or key length"));
    }
    return p;
}

std::string headerString(const nlohmann::json& header, const char* name) {
    const auto it = header.find(name);
    return it != header.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::expected<void, Failure> checkBinding(const Parsed& p, const EnvelopeBinding& binding) {
    if (headerString(p.header, "enc") != "A256GCM") return std::unexpected(corrupt("enc is not A256GCM"));
    if (headerString(p.header, "toegang_ref") != binding.reference ||
        headerString(p.header, "toegang_form") != binding.formId) {
        return std::unexpected(corrupt("envelope belongs to another reference or form"));
    }
    return {};
}

std::string keyIdOf(std::string_view bytes, std::size_t keep) {
    return base64UrlEncode(sha256(bytes).substr(0, keep));
}

std::string spkiDer(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) return {};
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace

// [SECTION] Small helpers (public) ------------------------------------------------------------

std::string base64UrlEncode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        out += kB64Url[(v >> 18) & 63];
        out += kB64Url[(v >> 12) & 63];
        out += kB64Url[(v >> 6) & 63];
        out += kB64Url[v & 63];
    }
    if (bytes.size() - i == 1) {
        const unsigned v = at(i) << 16;
        out += kB64Url[(v >> 18) & 63];
        out += kB64Url[(v >> 12) & 63];
    } else if (bytes.size() - i == 2) {
        const unsigned v = (at(i) << 16) | (at(i + 1) << 8);
        out += kB64Url[(v >> 18) & 63];
        out += kB64Url[(v >> 12) & 63];
        out += kB64Url[(v >> 6) & 63];
    }
    return out;
}

std::string base64UrlEncode(std::span<const std::uint8_t> bytes) {
    return base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::expected<std::string, Failure> base64UrlDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        const auto pos = kB64Url.find(c);
        if (pos == std::string_view::npos) return std::unexpected(corrupt("not base64url"));
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    // A lone 6-bit group cannot end valid base64url; leftover bits must be zero (canonical).
    if (bits >= 6 || (buffer & ((1u << bits) - 1)) != 0) {
        return std::unexpected(corrupt("not canonical base64url"));
    }
    return out;
}

std::string sha256Hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : sha256(bytes)) {
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
    return out;
}

void wipe(std::string& secret) {
    kiosk::wipe(secret);  // the whole capacity (forms/wipe.hpp)
}

// [SECTION] Keys ------------------------------------------------------------------------------

struct EnvelopeKeys::Impl {
    EnvelopeMode mode = EnvelopeMode::Sealed;
    std::string keyId;
    EVP_PKEY* recipient = nullptr;  // sealed
    Bytes kek;                      // plain: the key file's 32 bytes
    ~Impl() {
        EVP_PKEY_free(recipient);
        wipe(kek);
    }
};

EnvelopeKeys::EnvelopeKeys(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
EnvelopeKeys::EnvelopeKeys(EnvelopeKeys&&) noexcept = default;
EnvelopeKeys& EnvelopeKeys::operator=(EnvelopeKeys&&) noexcept = default;
EnvelopeKeys::~EnvelopeKeys() = default;

EnvelopeMode EnvelopeKeys::mode() const { return m_impl->mode; }
const std::string& EnvelopeKeys::keyId() const { return m_impl->keyId; }

std::expected<EnvelopeKeys, Failure> EnvelopeKeys::loadRecipient(const std::filesystem::path& pem) {
    FILE* file = std::fopen(pem.c_str(), "rb");
    if (file == nullptr) {
        return std::unexpected(Failure{NetError::KeyUnavailable,
                                       pem.string() + ": " + std::strerror(errno)});
    }
    EVP_PKEY* key = PEM_read_PUBKEY(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    if (key == nullptr) {
        return std::unexpected(Failure{NetError::KeyUnsuitable,
                                       pem.string() + ": not a PEM public key (BEGIN PUBLIC KEY)"});
    }
    auto impl = std::make_unique<Impl>();
    impl->recipient = key;
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key) < 2048) {
        return std::unexpected(Failure{NetError::KeyUnsuitable,
                                       pem.string() + ": needs an RSA key of 2048 bits or more"});
    }
    impl->mode = EnvelopeMode::Sealed;
    impl->keyId = base64UrlEncode(sha256(spkiDer(key)));
    return EnvelopeKeys(std::move(impl));
}

std::expected<EnvelopeKeys, Failure> EnvelopeKeys::loadOrCreateKeyFile(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        // First start: make the key. Durable like a submission: losing it would make every
        // waiting submission unreadable.
        auto folder = detail::Folder::open(path.parent_path().empty() ? "." : path.parent_path(), true);
        if (!folder) return std::unexpected(folder.error());
        auto fresh = randomBytes(kKeyBytes);
        if (!fresh) return std::unexpected(fresh.error());
        auto written = folder->writeDurably(path.filename().string(), *fresh, detail::Folder::Replace::No);
        wipe(*fresh);
        // AlreadyQueued here means another process made it first: read theirs.
        if (!written && written.error().code != NetError::AlreadyQueued) {
            return std::unexpected(written.error());
        }
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0) {
        return std::unexpected(Failure{NetError::KeyUnavailable,
                                       path.string() + ": " + std::strerror(errno)});
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return std::unexpected(Failure{NetError::KeyUnsuitable, path.string() + ": not a regular file"});
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return std::unexpected(Failure{NetError::KeyUnsuitable,
                                       path.string() + ": readable or writable by others; chmod 600 it"});
    }
    auto impl = std::make_unique<Impl>();
    impl->mode = EnvelopeMode::Plain;
    impl->kek.assign(kKeyBytes + 1, '\0');
    std::size_t got = 0;
    while (got < impl->kek.size()) {
        const ssize_t n = ::read(fd, impl->kek.data() + got, impl->kek.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (got != kKeyBytes) {
        return std::unexpected(Failure{NetError::KeyUnsuitable,
                                       path.string() + ": must hold exactly 32 bytes"});
    }
    impl->kek.resize(kKeyBytes);
    impl->keyId = keyIdOf(impl->kek, 12);
    return EnvelopeKeys(std::move(impl));
}

// [SECTION] Sealing and opening ----------------------------------------------------------------

std::expected<std::string, Failure> EnvelopeKeys::seal(std::string_view payload,
                                                       const EnvelopeBinding& binding) const {
    auto cek = randomBytes(kKeyBytes);
    auto iv = randomBytes(kIvBytes);
    if (!cek) return std::unexpected(cek.error());
    if (!iv) return std::unexpected(iv.error());

    nlohmann::ordered_json header;
    Bytes encryptedKey;
    if (m_impl->mode == EnvelopeMode::Sealed) {
        auto wrapped = rsaOaepEncrypt(m_impl->recipient, *cek);
        if (!wrapped) {
            wipe(*cek);
            return std::unexpected(wrapped.error());
        }
        encryptedKey = std::move(*wrapped);
        header["alg"] = "RSA-OAEP-256";
        header["enc"] = "A256GCM";
        header["kid"] = m_impl->keyId;
    } else {
        auto wrapIv = randomBytes(kIvBytes);
        if (!wrapIv) {
            wipe(*cek);
            return std::unexpected(wrapIv.error());
        }
        auto wrapped = gcmEncrypt(m_impl->kek, *wrapIv, *cek, {});
        if (!wrapped) {
            wipe(*cek);
            return std::unexpected(wrapped.error());
        }
        encryptedKey = std::move(wrapped->ciphertext);
        header["alg"] = "A256GCMKW";
        header["enc"] = "A256GCM";
        header["kid"] = m_impl->keyId;
        header["iv"] = base64UrlEncode(*wrapIv);
        header["tag"] = base64UrlEncode(wrapped->tag);
    }
    header["cty"] = "application/json";
    header["toegang_ref"] = binding.reference;
    header["toegang_form"] = binding.formId;
    const std::string protectedB64 = base64UrlEncode(header.dump());

    auto content = gcmEncrypt(*cek, *iv, payload, protectedB64);
    wipe(*cek);
    if (!content) return std::unexpected(content.error());

    nlohmann::ordered_json jwe;
    jwe["protected"] = protectedB64;
    jwe["encrypted_key"] = base64UrlEncode(encryptedKey);
    jwe["iv"] = base64UrlEncode(*iv);
    jwe["ciphertext"] = base64UrlEncode(content->ciphertext);
    jwe["tag"] = base64UrlEncode(content->tag);
    return jwe.dump();
}

std::expected<void, Failure> EnvelopeKeys::checkHeader(std::string_view jwe,
                                                       const EnvelopeBinding& binding) const {
    auto parsed = parseEnvelope(jwe);
    if (!parsed) return std::unexpected(parsed.error());
    const std::string alg = headerString(parsed->header, "alg");
    const bool sealed = m_impl->mode == EnvelopeMode::Sealed;
    if (alg != (sealed ? "RSA-OAEP-256" : "A256GCMKW")) {
        return std::unexpected(corrupt("envelope algorithm '" + alg + "' does not match the outbox mode"));
    }
    if (headerString(parsed->header, "kid") != m_impl->keyId) {
        return std::unexpected(corrupt("envelope was made with another key (kid differs)"));
    }
    return checkBinding(*parsed, binding);
}

std::expected<std::string, Failure> EnvelopeKeys::open(std::string_view jwe,
                                                       const EnvelopeBinding& binding) const {
    if (m_impl->mode != EnvelopeMode::Plain) {
        return std::unexpected(Failure{NetError::KeyUnsuitable,
                                       "sealed envelopes cannot be opened on the kiosk"});
    }
    if (auto ok = checkHeader(jwe, binding); !ok) return std::unexpected(ok.error());
    auto parsed = parseEnvelope(jwe);
    if (!parsed) return std::unexpected(parsed.error());
    auto wrapIv = base64UrlDecode(headerString(parsed->header, "iv"));
    auto wrapTag = base64UrlDecode(headerString(parsed->header, "tag"));
    if (!wrapIv || !wrapTag) return std::unexpected(corrupt("key wrap iv or tag unreadable"));
    auto cek = gcmDecrypt(m_impl->kek, *wrapIv, parsed->encryptedKey, *wrapTag, {});
    if (!cek) return std::unexpected(corrupt("content key does not unwrap with the key file"));
    auto plain = gcmDecrypt(*cek, parsed->iv, parsed->ciphertext, parsed->tag, parsed->protectedB64);
    wipe(*cek);
    return plain;
}

std::expected<std::string, Failure> openSealedEnvelope(std::string_view jwe,
                                                       const std::filesystem::path& privateKeyPem) {
    FILE* file = std::fopen(privateKeyPem.c_str(), "rb");
    if (file == nullptr) {
        return std::unexpected(Failure{NetError::KeyUnavailable,
                                       privateKeyPem.string() + ": " + std::strerror(errno)});
    }
    EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
    std::fclose(file);
    if (key == nullptr) {
        return std::unexpected(Failure{NetError::KeyUnsuitable, privateKeyPem.string() + ": not a private key"});
    }
    auto parsed = parseEnvelope(jwe);
    if (!parsed) {
        EVP_PKEY_free(key);
        return std::unexpected(parsed.error());
    }
    if (headerString(parsed->header, "alg") != "RSA-OAEP-256" ||
        headerString(parsed->header, "enc") != "A256GCM") {
        EVP_PKEY_free(key);
        return std::unexpected(corrupt("not a sealed envelope"));
    }
    auto cek = rsaOaepDecrypt(key, parsed->encryptedKey);
    EVP_PKEY_free(key);
    if (!cek) return std::unexpected(cek.error());
    auto plain = gcmDecrypt(*cek, parsed->iv, parsed->ciphertext, parsed->tag, parsed->protectedB64);
    wipe(*cek);
    return plain;
}

}  // namespace kiosk::net
