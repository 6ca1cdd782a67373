// Signed forms folders (docs/signing.md): `kiosk sign DIR --key KEY` writes DIR/SIGNATURE, a
// text file that lists every file below DIR (relative path, size, SHA-256) and ends with an
// Ed25519 signature over that list. A kiosk with `forms_signature_key` in its config refuses
// the whole folder unless every file it holds is listed with the same bytes, nothing listed
// is missing, and the signature was made by the configured key.
//
// The rules (the same for signing and for checking):
// - every regular file counts, at any depth, hidden ones (".name") too: forms, icons, word
//   lists, anything; only DIR/SIGNATURE itself is left out;
// - a signed folder holds no links (of any kind, even to a file inside it), no named
//   pipes, sockets or devices: each is refused, so that what was signed is what is read;
// - empty folders carry no bytes and are not listed.
//
// Thread: any; no shared state. Never throws. OpenSSL (libcrypto) stays inside the .cpp.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

// The signature file's name, directly in the signed folder.
inline constexpr std::string_view kSignatureFileName = "SIGNATURE";
// Bounds, so that a hostile folder cannot make the kiosk read without end.
inline constexpr std::uintmax_t kMaxSignatureFileBytes = 4 * 1024 * 1024;
inline constexpr std::uintmax_t kMaxSignedFileBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxSignedFiles = 10000;

// An Ed25519 public key: its 32 raw bytes.
struct PublicKey {
    std::array<std::uint8_t, 32> raw{};

    // "SHA256:" + base64 (no padding) of the SHA-256 of the key's DER SubjectPublicKeyInfo,
    // the same as: openssl pkey -pubin -in KEY -outform DER | openssl dgst -sha256 -binary | base64
    [[nodiscard]] std::string fingerprint() const;
    friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

// Reads an Ed25519 public key from PEM text ("-----BEGIN PUBLIC KEY-----", as written by
// `openssl pkey -pubout`). The error is a sentence for staff (a private key given by
// mistake is named as such, and so is a key of another kind).
[[nodiscard]] std::expected<PublicKey, std::string> parsePublicKeyPem(std::string_view pem);
// Reads the file (readStaffFile: no pipes, at most 64 KiB) and parses it.
[[nodiscard]] std::expected<PublicKey, std::string> readPublicKeyFile(const std::filesystem::path& file);

// SHA-256 of bytes, as 64 lower-case hex digits.
[[nodiscard]] std::string sha256Hex(std::string_view bytes);

// One file of a signed folder.
struct ManifestEntry {
    std::string path;      // relative, '/'-separated, e.g. "icons/home.png"
    std::uintmax_t size = 0;
    std::string sha256;    // hex
};

// What a problem is about: a file (relative path; empty for the folder or the signature
// file as a whole) and a sentence for staff that says what is wrong and how to fix it.
struct SignatureProblem {
    std::string path;
    std::string message;
};

// A folder whose every file matched a good signature. The bytes are those that were hashed:
// the loader parses these, never the disk again.
struct VerifiedFolder {
    std::map<std::string, std::string> files;    // relative path -> content
};

// Reads every file below `dir` once, checks it against DIR/SIGNATURE and `key`. Problems:
// no signature file, a damaged or cut-off one, a signature that does not verify (a changed
// list, or another key), a file changed, added or removed, a link or special file. Every
// problem found is returned (at most a screenful: the first 20, and a count of the rest),
// so staff can fix them all at once.
[[nodiscard]] std::expected<VerifiedFolder, std::vector<SignatureProblem>> readSignedFolder(
    const std::filesystem::path& dir, const PublicKey& key);

// For a file of the folder read again later (the window reads icons when it first shows
// them): `bytes` must be those listed for `relative` in DIR/SIGNATURE, and the signature
// must verify with `key`. The error is a sentence for the log.
[[nodiscard]] std::expected<void, std::string> checkSignedFile(const std::filesystem::path& dir,
                                                               const PublicKey& key,
                                                               std::string_view relative,
                                                               std::string_view bytes);

struct SignResult {
    std::size_t files = 0;
    std::string keyFingerprint;
    std::vector<std::string> hiddenFiles;  // signed, but staff may not know they are there
};

// Signs `dir` with the Ed25519 private key in `privateKeyPem` (PEM, as `openssl genpkey
// -algorithm ed25519` writes it) and writes DIR/SIGNATURE (atomically: a temporary file,
// fsync, rename). The key file must not be readable or writable by others than its owner
// (refused: "chmod 600 KEY"). The folder is read with the same rules as readSignedFolder,
// and the written file is verified before this returns.
[[nodiscard]] std::expected<SignResult, std::string> signFolder(const std::filesystem::path& dir,
                                                                const std::filesystem::path& privateKeyFile);

}  // namespace kiosk::forms
