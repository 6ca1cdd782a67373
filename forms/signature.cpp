// [SECTION] Small helpers: base64, SHA-256, OpenSSL handles
// [SECTION] Keys
// [SECTION] The folder: walking it, reading every file once
// [SECTION] The signature file: writing and reading it
// [SECTION] Checking and signing
#include "forms/signature.hpp"

#include "forms/staff_file.hpp"
#include "forms/wipe.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>
#include <sstream>

namespace kiosk::forms {

namespace {

namespace fs = std::filesystem;

// [SECTION] Small helpers: base64, SHA-256, OpenSSL handles ----------------------------------

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view bytes, bool pad) {
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                       (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                       static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
        for (int shift : {18, 12, 6, 0}) out += kBase64[(n >> shift) & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kBase64[(n >> 18) & 63];
        out += kBase64[(n >> 12) & 63];
        if (rest == 2) out += kBase64[(n >> 6) & 63];
        if (pad) out.append(rest == 1 ? "==" : "=");
    }
    return out;
}

// Strict: the standard alphabet, padded to a multiple of four.
std::optional<std::string> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        unsigned n = 0;
        int padding = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (c == '=' && i + 4 == text.size() && j >= 2) {
                ++padding;
                n <<= 6;
                continue;
            }
            const auto pos = kBase64.find(c);
            if (pos == std::string_view::npos || padding > 0) return std::nullopt;
            n = (n << 6) | static_cast<unsigned>(pos);
        }
        out += static_cast<char>((n >> 16) & 0xFF);
        if (padding < 2) out += static_cast<char>((n >> 8) & 0xFF);
        if (padding < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

std::string sha256Raw(std::string_view bytes) {
    std::string digest(32, '\0');
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &length,
               EVP_sha256(), nullptr);
    return digest;
}

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

Bio memoryBio(std::string_view text) {
    return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// The DER SubjectPublicKeyInfo of an Ed25519 key is a fixed 12-byte prefix (RFC 8410) and
// the 32 raw bytes.
std::string spkiDer(const PublicKey& key) {
    std::string der("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
    der.append(reinterpret_cast<const char*>(key.raw.data()), key.raw.size());
    return der;
}

// [SECTION] Keys ------------------------------------------------------------------------------

const char* kMakePublicKey =
    "make it from the private key with: openssl pkey -in PRIVATE.pem -pubout -out forms-public.pem";

std::expected<PublicKey, std::string> rawPublicKey(EVP_PKEY* pkey) {
    if (EVP_PKEY_is_a(pkey, "ED25519") != 1) {
        return std::unexpected(std::string("this is a ") + EVP_PKEY_get0_type_name(pkey) +
                               " key, not an Ed25519 key; make an Ed25519 key pair as docs/signing.md "
                               "shows (openssl genpkey -algorithm ed25519)");
    }
    PublicKey key;
    std::size_t length = key.raw.size();
    if (EVP_PKEY_get_raw_public_key(pkey, key.raw.data(), &length) != 1 || length != key.raw.size()) {
        return std::unexpected("the Ed25519 key could not be read; make a new key pair (docs/signing.md)");
    }
    return key;
}

// The owner only: ssh refuses keys others can read, and so does this.
std::expected<void, std::string> checkPrivateKeyMode(const fs::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return {};  // readStaffFile says why
    if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
        return std::unexpected("the private key " + file.string() + " can be read by other users (its "
                               "mode is " + mode + "); anyone who can read it can sign forms. Make it "
                               "private with: chmod 600 " + file.string());
    }
    return {};
}

std::expected<Pkey, std::string> readPrivateKey(const fs::path& file) {
    if (auto mode = checkPrivateKeyMode(file); !mode) return std::unexpected(mode.error());
    ReadRules rules;
    rules.maxBytes = 64 * 1024;
    rules.sizeRule = "a key file is at most 64 KiB. Is this really the private key?";
    rules.kind = "key file";
    auto text = readStaffFile(file, rules);
    if (!text) return std::unexpected("cannot use the key " + file.string() + ": " + text.error());
    if (text->find("PUBLIC KEY-----") != std::string::npos) {
        wipe(*text);
        return std::unexpected("the key " + file.string() + " is a public key; signing needs the "
                               "private key (the file made by openssl genpkey)");
    }
    auto bio = memoryBio(*text);
    // A passphrase-protected key: OpenSSL asks for the passphrase on the terminal.
    Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    bio.reset();
    wipe(*text);
    if (!pkey) {
        return std::unexpected("the key " + file.string() + " is not a private key in PEM form (or "
                               "the passphrase was wrong); make one with: openssl genpkey -algorithm "
                               "ed25519 -out PRIVATE.pem");
    }
    if (auto raw = rawPublicKey(pkey.get()); !raw) {
        return std::unexpected("the key " + file.string() + ": " + raw.error());
    }
    return pkey;
}

// [SECTION] The folder: walking it, reading every file once ---------------------------------

struct Walk {
    std::vector<std::string> files;  // relative, '/'-separated, sorted
    std::vector<SignatureProblem> problems;
};

bool isHidden(const std::string& relative) {
    std::size_t start = 0;
    while (start < relative.size()) {
        if (relative[start] == '.') return true;
        const auto slash = relative.find('/', start);
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return false;
}

// Lists every regular file below `root` without following links; a link, a pipe, a
// socket or a device is a problem, and so is a name the signature file cannot hold.
Walk walkFolder(const fs::path& root) {
    Walk walk;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
        const fs::path& path = it->path();
        const std::string relative = path.lexically_relative(root).generic_string();
        std::error_code statusError;
        const auto status = fs::symlink_status(path, statusError);
        if (statusError) {
            walk.problems.push_back({relative, "cannot look at this file (" + statusError.message() + ")"});
            continue;
        }
        if (fs::is_symlink(status)) {
            walk.problems.push_back(
                {relative, "this is a link; a signed folder holds no links. Put the file or folder "
                           "itself here (cp -L), then sign the folder again with kiosk sign"});
            continue;
        }
        if (fs::is_directory(status)) continue;
        if (!fs::is_regular_file(status)) {
            walk.problems.push_back({relative, "this is not a file (a pipe, socket or device); "
                                               "remove it, then sign the folder again"});
            continue;
        }
        if (relative == kSignatureFileName) continue;
        if (relative.find_first_of("\n\r") != std::string::npos) {
            walk.problems.push_back({relative, "this file's name holds a line break; rename it"});
            continue;
        }
        if (walk.files.size() >= kMaxSignedFiles) {
            walk.problems.push_back({"", "the folder holds more than " + std::to_string(kMaxSignedFiles) +
                                             " files; a forms folder needs far fewer"});
            break;
        }
        walk.files.push_back(relative);
    }
    if (ec) {
        walk.problems.push_back({"", "cannot read the whole forms folder (" + ec.message() +
                                         "); let the kiosk user open every folder in it (chmod a+rx)"});
    }
    std::ranges::sort(walk.files);
    return walk;
}

std::expected<std::string, std::string> readSignedFile(const fs::path& root, const std::string& relative) {
    ReadRules rules;
    rules.maxBytes = kMaxSignedFileBytes;
    rules.sizeRule = "a file in a signed forms folder may be at most 16 MiB";
    rules.kind = "file";
    rules.insideFolder = root;
    return readStaffFile(root / relative, rules);
}

// [SECTION] The signature file: writing and reading it -------------------------------------

constexpr std::string_view kFormatLine = "toegang-forms-signature: 1";
constexpr std::string_view kSignatureKey = "signature: ";

std::string manifestText(const std::vector<ManifestEntry>& entries, const std::string& fingerprint) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char signedAt[32];
    std::strftime(signedAt, sizeof signedAt, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::string text =
        "# The signature of this forms folder, for the Toegang kiosk (written by kiosk sign).\n"
        "# It lists every file in the folder. Do not edit it: any change breaks the signature.\n"
        "# After any change in the folder, sign it again: kiosk sign FOLDER --key PRIVATE.pem\n";
    text += std::string(kFormatLine) + "\n";
    text += "key: " + fingerprint + "\n";
    text += "signed-at: " + std::string(signedAt) + "\n";
    text += "files: " + std::to_string(entries.size()) + "\n";
    text += "# sha256 size path\n";
    for (const auto& entry : entries) {
        text += entry.sha256 + " " + std::to_string(entry.size) + " " + entry.path + "\n";
    }
    return text;
}

struct ParsedSignature {
    std::string signedPart;  // every byte the signature covers
    std::string signature;   // 64 raw bytes
    std::string fingerprint;
    std::vector<ManifestEntry> entries;
};

const char* kSignAgain = "sign the folder again with kiosk sign";

std::expected<ParsedSignature, std::string> parseSignatureFile(const std::string& text) {
    const std::string damaged = std::string("the SIGNATURE file is damaged or cut off; ") + kSignAgain +
                                ", and copy the whole folder again";
    ParsedSignature parsed;
    const auto at = text.rfind("\n" + std::string(kSignatureKey));
    if (at == std::string::npos || !text.ends_with('\n')) return std::unexpected(damaged);
    parsed.signedPart = text.substr(0, at + 1);
    const std::string b64 = text.substr(at + 1 + kSignatureKey.size(),
                                        text.size() - (at + 1 + kSignatureKey.size()) - 1);
    auto signature = base64Decode(b64);
    if (!signature || signature->size() != 64) return std::unexpected(damaged);
    parsed.signature = std::move(*signature);

    std::istringstream lines(parsed.signedPart);
    std::string line;
    bool format = false;
    std::optional<std::size_t> count;
    while (std::getline(lines, line)) {
        if (line.empty() || line.starts_with('#')) continue;
        if (line == kFormatLine) {
            format = true;
        } else if (line.starts_with("key: ")) {
            parsed.fingerprint = line.substr(5);
        } else if (line.starts_with("signed-at: ")) {
            // for people only
        } else if (line.starts_with("files: ")) {
            count = std::strtoull(line.c_str() + 7, nullptr, 10);
        } else {
            // "<64 hex> <size> <path>"
            ManifestEntry entry;
            const auto first = line.find(' ');
            const auto second = first == std::string::npos ? first : line.find(' ', first + 1);
            if (first != 64 || second == std::string::npos || second + 1 >= line.size()) {
                return std::unexpected(damaged);
            }
            entry.sha256 = line.substr(0, 64);
            if (!std::ranges::all_of(entry.sha256, [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                })) {
                return std::unexpected(damaged);
            }
            const std::string size = line.substr(first + 1, second - first - 1);
            if (size.empty() || !std::ranges::all_of(size, [](char c) { return c >= '0' && c <= '9'; })) {
                return std::unexpected(damaged);
            }
            entry.size = std::strtoull(size.c_str(), nullptr, 10);
            entry.path = line.substr(second + 1);
            parsed.entries.push_back(std::move(entry));
        }
    }
    if (!format || parsed.fingerprint.empty() || !count || *count != parsed.entries.size()) {
        return std::unexpected(damaged);
    }
    return parsed;
}

std::expected<std::string, std::string> sign(EVP_PKEY* pkey, std::string_view message) {
    MdCtx ctx(EVP_MD_CTX_new());
    std::string signature(64, '\0');
    std::size_t length = signature.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        length != 64) {
        return std::unexpected("OpenSSL could not make the signature");
    }
    return signature;
}

bool verify(const PublicKey& key, std::string_view message, std::string_view signature) {
    Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.raw.data(), key.raw.size()));
    MdCtx ctx(EVP_MD_CTX_new());
    return pkey && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

// Writes `text` to DIR/SIGNATURE through a temporary file, fsynced, renamed, folder fsynced.
std::expected<void, std::string> writeAtomically(const fs::path& dir, const std::string& text) {
    const fs::path target = dir / std::string(kSignatureFileName);
    const fs::path temporary = dir / (std::string(kSignatureFileName) + ".writing");
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return std::unexpected("cannot write " + temporary.string() + " (" + std::strerror(errno) + ")");
    std::size_t written = 0;
    bool ok = true;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!ok || ::rename(temporary.c_str(), target.c_str()) != 0) {
        ::unlink(temporary.c_str());
        return std::unexpected("cannot write " + target.string() + " (" + std::strerror(ok ? errno : error) + ")");
    }
    const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

}  // namespace

// [SECTION] Checking and signing ------------------------------------------------------------

std::string PublicKey::fingerprint() const {
    return "SHA256:" + base64Encode(sha256Raw(spkiDer(*this)), false);
}

std::string sha256Hex(std::string_view bytes) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (const char c : sha256Raw(bytes)) {
        out += kHex[(static_cast<unsigned char>(c) >> 4) & 15];
        out += kHex[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

std::expected<PublicKey, std::string> parsePublicKeyPem(std::string_view pem) {
    if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
        return std::unexpected(std::string("this is a private key; the kiosk needs the public key (and the "
                                           "private key must never be on a kiosk): ") + kMakePublicKey);
    }
    auto bio = memoryBio(pem);
    Pkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) {
        return std::unexpected(std::string("this is not a public key in PEM form (-----BEGIN PUBLIC KEY-----); ") +
                               kMakePublicKey);
    }
    return rawPublicKey(pkey.get());
}

std::expected<PublicKey, std::string> readPublicKeyFile(const fs::path& file) {
    ReadRules rules;
    rules.maxBytes = 64 * 1024;
    rules.sizeRule = "a public key file is at most 64 KiB. Is this really the public key?";
    rules.kind = "key file";
    auto text = readStaffFile(file, rules);
    if (!text) return std::unexpected(text.error());
    return parsePublicKeyPem(*text);
}

namespace {

// Reads DIR/SIGNATURE (below the canonical `root`) and checks it was made by `key`.
std::expected<ParsedSignature, SignatureProblem> readSignature(const fs::path& root, const PublicKey& key) {
    ReadRules rules;
    rules.maxBytes = kMaxSignatureFileBytes;
    rules.sizeRule = "a SIGNATURE file is at most 4 MiB";
    rules.kind = "signature file";
    rules.insideFolder = root;
    const fs::path signatureFile = root / std::string(kSignatureFileName);
    const std::string name(kSignatureFileName);
    std::error_code existsError;
    if (!fs::exists(fs::symlink_status(signatureFile, existsError))) {
        return std::unexpected(SignatureProblem{
            "", std::string("the forms folder is not signed (it has no SIGNATURE file), and this kiosk "
                            "takes only signed folders; ") + kSignAgain + " (docs/signing.md)"});
    }
    auto text = readStaffFile(signatureFile, rules);
    if (!text) return std::unexpected(SignatureProblem{name, "cannot read the signature: " + text.error()});
    auto parsed = parseSignatureFile(*text);
    if (!parsed) return std::unexpected(SignatureProblem{name, parsed.error()});
    const std::string expected = key.fingerprint();
    if (parsed->fingerprint != expected) {
        return std::unexpected(SignatureProblem{
            name, "the folder was signed with another key (" + parsed->fingerprint + "); this kiosk trusts " +
                      expected + ". Sign it with the right key, or check forms_signature_key in the config"});
    }
    if (!verify(key, parsed->signedPart, parsed->signature)) {
        return std::unexpected(SignatureProblem{
            name, std::string("the signature is not valid: the SIGNATURE file was changed after signing; ") +
                      kSignAgain});
    }
    return std::move(*parsed);
}

}  // namespace

std::expected<void, std::string> checkSignedFile(const fs::path& dir, const PublicKey& key,
                                                 std::string_view relative, std::string_view bytes) {
    std::error_code ec;
    const fs::path root = fs::canonical(dir, ec);
    if (ec) return std::unexpected("the forms folder cannot be opened (" + ec.message() + ")");
    auto parsed = readSignature(root, key);
    if (!parsed) return std::unexpected(parsed.error().message);
    for (const auto& entry : parsed->entries) {
        if (entry.path != relative) continue;
        if (entry.size == bytes.size() && entry.sha256 == sha256Hex(bytes)) return {};
        return std::unexpected(std::string("this file was changed after the folder was signed. Put back the "
                                           "signed file, or ") + kSignAgain);
    }
    return std::unexpected(std::string("this file is not in the signature (it was added after signing). "
                                       "Remove it, or ") + kSignAgain);
}

std::expected<VerifiedFolder, std::vector<SignatureProblem>> readSignedFolder(const fs::path& dir,
                                                                              const PublicKey& key) {
    using Problems = std::vector<SignatureProblem>;
    std::error_code ec;
    const fs::path root = fs::canonical(dir, ec);
    if (ec) return std::unexpected(Problems{{"", "the forms folder cannot be opened (" + ec.message() + ")"}});
    auto parsed = readSignature(root, key);
    if (!parsed) return std::unexpected(Problems{parsed.error()});

    // Every file is read once; the bytes hashed are the bytes kept.
    Walk walk = walkFolder(root);
    Problems problems = std::move(walk.problems);
    std::map<std::string, const ManifestEntry*> listed;
    for (const auto& entry : parsed->entries) listed.emplace(entry.path, &entry);
    VerifiedFolder folder;
    for (const auto& relative : walk.files) {
        const auto it = listed.find(relative);
        if (it == listed.end()) {
            problems.push_back({relative, std::string("the forms folder was changed after it was signed: this "
                                                      "file is new. Remove it, or ") + kSignAgain});
            continue;
        }
        const ManifestEntry& entry = *it->second;
        listed.erase(it);
        auto bytes = readSignedFile(root, relative);
        if (!bytes) {
            problems.push_back({relative, "cannot read this file: " + bytes.error()});
            continue;
        }
        if (bytes->size() != entry.size || sha256Hex(*bytes) != entry.sha256) {
            problems.push_back({relative, std::string("this file was changed after the folder was signed. "
                                                      "Put back the signed file, or ") + kSignAgain});
            continue;
        }
        folder.files.emplace(relative, std::move(*bytes));
    }
    for (const auto& [relative, entry] : listed) {
        problems.push_back({relative, std::string("this file is missing: it was removed after the folder "
                                                  "was signed. Put it back, or ") + kSignAgain});
    }
    if (!problems.empty()) {
        std::ranges::stable_sort(problems, {}, &SignatureProblem::path);
        constexpr std::size_t kShown = 20;
        if (problems.size() > kShown) {
            const std::size_t more = problems.size() - kShown;
            problems.resize(kShown);
            problems.push_back({"", "and " + std::to_string(more) + " more problems; " + kSignAgain});
        }
        return std::unexpected(std::move(problems));
    }
    return folder;
}

std::expected<SignResult, std::string> signFolder(const fs::path& dir, const fs::path& privateKeyFile) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return std::unexpected(dir.string() + " is not a folder");
    const fs::path root = fs::canonical(dir, ec);
    if (ec) return std::unexpected("cannot open the folder " + dir.string() + " (" + ec.message() + ")");
    auto pkey = readPrivateKey(privateKeyFile);
    if (!pkey) return std::unexpected(pkey.error());
    const auto key = rawPublicKey(pkey->get());
    if (!key) return std::unexpected(key.error());

    // The key file inside the folder would be signed, copied to every kiosk, and be public.
    if (const auto keyPath = fs::weakly_canonical(privateKeyFile, ec);
        !ec && keyPath.native().starts_with(root.native() + "/")) {
        return std::unexpected("the private key " + privateKeyFile.string() + " lies inside the forms "
                               "folder, so it would be copied to every kiosk; move it out of the folder");
    }

    Walk walk = walkFolder(root);
    if (!walk.problems.empty()) {
        const auto& first = walk.problems.front();
        return std::unexpected("cannot sign " + dir.string() + ": " +
                               (first.path.empty() ? "" : first.path + ": ") + first.message);
    }
    SignResult result;
    std::vector<ManifestEntry> entries;
    for (const auto& relative : walk.files) {
        auto bytes = readSignedFile(root, relative);
        if (!bytes) return std::unexpected("cannot sign " + (dir / relative).string() + ": " + bytes.error());
        entries.push_back({relative, bytes->size(), sha256Hex(*bytes)});
        if (isHidden(relative)) result.hiddenFiles.push_back(relative);
    }
    const std::string manifest = manifestText(entries, key->fingerprint());
    auto signature = sign(pkey->get(), manifest);
    if (!signature) return std::unexpected(signature.error());
    const std::string text = manifest + std::string(kSignatureKey) + base64Encode(*signature, true) + "\n";
    if (auto written = writeAtomically(root, text); !written) return std::unexpected(written.error());

    // Read back as a kiosk would: a folder that changed while it was signed fails here.
    auto check = readSignedFolder(root, *key);
    if (!check) {
        const auto& first = check.error().front();
        return std::unexpected("the folder changed while it was being signed (" + first.path + ": " +
                               first.message + "); sign it again");
    }
    result.files = entries.size();
    result.keyFingerprint = key->fingerprint();
    return result;
}

}  // namespace kiosk::forms
