// Durable files in one folder, by POSIX calls on an open folder descriptor (internal to
// kiosk/net; the outbox and the metrics writer stand on it).
//
// writeDurably() is the write the outbox's promise rests on: a temporary file in the same
// folder, write, fsync, rename onto the final name, fsync the folder. Readers therefore see
// either no file or the whole file, also after a power cut, and a failure (disk full,
// read-only, I/O error) removes the temporary file before it returns, so nothing
// half-written stays behind. Temporary names start with kTempPrefix; whoever opens the
// folder after a crash removes them (removeTemporaries()).
//
// Errors map errno: ENOSPC/EDQUOT -> DiskFull, EACCES/EPERM/EROFS -> NotWritable, anything
// else -> IoFailed; the detail names the file and strerror's text.
//
// Thread: a Folder may be used from several threads at once (each call is a handful of
// independent system calls on the folder descriptor); calls on the same name must not race.
#pragma once

#include "kiosk/net/error.hpp"

#include <cstddef>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::net::detail {

inline constexpr std::string_view kTempPrefix = ".tmp-";

class Folder {
public:
    enum class Replace { No, Yes };

    // Opens `path` (creating it with mode 0700 and missing parents when `create`).
    [[nodiscard]] static std::expected<Folder, Failure> open(const std::filesystem::path& path,
                                                             bool create);
    Folder() = default;
    ~Folder();
    Folder(Folder&& other) noexcept;
    Folder& operator=(Folder&& other) noexcept;
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] bool isOpen() const { return m_fd >= 0; }

    // Temp file, write, fsync, rename to `name`, fsync this folder. With Replace::No an
    // existing `name` is kept and the call fails with AlreadyQueued (renameat2 NOREPLACE).
    // The file gets `mode` whatever the umask (0600 unless said otherwise: only the metrics
    // file, which holds nothing personal, is made readable to others).
    [[nodiscard]] std::expected<void, Failure> writeDurably(std::string_view name,
                                                            std::string_view bytes,
                                                            Replace replace,
                                                            unsigned mode = 0600) const;
    // The whole file, or IoFailed; files above maxBytes are refused as Corrupt.
    [[nodiscard]] std::expected<std::string, Failure> read(std::string_view name,
                                                           std::size_t maxBytes) const;
    // Overwrites the file's bytes with zeros and syncs them before unlinking (for files that
    // held ciphertext readable with a key the kiosk keeps); then remove().
    [[nodiscard]] std::expected<void, Failure> shred(std::string_view name) const;
    // unlink + fsync the folder. A missing file is not an error.
    [[nodiscard]] std::expected<void, Failure> remove(std::string_view name) const;
    // rename into `target` (same file system), then fsync target and this folder.
    [[nodiscard]] std::expected<void, Failure> moveTo(std::string_view name, const Folder& target,
                                                      std::string_view newName) const;
    [[nodiscard]] std::expected<void, Failure> sync() const;
    // Names of the regular files in the folder (not "." or "..", not subfolders).
    [[nodiscard]] std::expected<std::vector<std::string>, Failure> files() const;
    [[nodiscard]] bool exists(std::string_view name) const;
    // Removes leftover temporary files; returns how many.
    std::size_t removeTemporaries() const;

private:
    Folder(int fd, std::filesystem::path path) : m_fd(fd), m_path(std::move(path)) {}
    [[nodiscard]] Failure failure(int error, std::string_view what, std::string_view name) const;

    int m_fd = -1;
    std::filesystem::path m_path;
};

// errno -> NetError, as above.
[[nodiscard]] NetError errnoToNetError(int error);

// A random lower-case hex string of 2 * bytes characters (OpenSSL's RAND_bytes; falls back
// to the address of a stack variable and the time only if that fails, which is good enough
// for temporary names that O_EXCL protects anyway).
[[nodiscard]] std::string randomHex(std::size_t bytes);

}  // namespace kiosk::net::detail
