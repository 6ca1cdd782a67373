#include "kiosk/net/durable_file.hpp"

#include <openssl/rand.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace kiosk::net::detail {

namespace {

// EINTR-safe full write.
bool writeAll(int fd, std::string_view bytes, int& error) {
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = errno;
            return false;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

std::string nameOf(std::string_view name) { return std::string(name); }

}  // namespace

NetError errnoToNetError(int error) {
    switch (error) {
        case ENOSPC:
        case EDQUOT: return NetError::DiskFull;
        case EACCES:
        case EPERM:
        case EROFS: return NetError::NotWritable;
        case EEXIST: return NetError::AlreadyQueued;
        default: return NetError::IoFailed;
    }
}

std::string randomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
        // Names only need to differ; O_EXCL refuses a collision anyway.
        const auto t = static_cast<unsigned long long>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        for (std::size_t i = 0; i < bytes; ++i) raw[i] = static_cast<char>((t >> (8 * (i % 8))) ^ i);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char c : raw) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
    return out;
}

std::expected<Folder, Failure> Folder::open(const std::filesystem::path& path, bool create) {
    if (create) {
        std::error_code ec;
        std::filesystem::create_directories(path, ec);
        if (ec) {
            return std::unexpected(Failure{errnoToNetError(ec.value()),
                                           path.string() + ": cannot create: " + ec.message()});
        }
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        const NetError code = error == ENOENT ? NetError::NotWritable : errnoToNetError(error);
        return std::unexpected(Failure{code, path.string() + ": " + std::strerror(error)});
    }
    return Folder(fd, path);
}

Folder::~Folder() {
    if (m_fd >= 0) ::close(m_fd);
}

Folder::Folder(Folder&& other) noexcept : m_fd(other.m_fd), m_path(std::move(other.m_path)) {
    other.m_fd = -1;
}

Folder& Folder::operator=(Folder&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = other.m_fd;
        m_path = std::move(other.m_path);
        other.m_fd = -1;
    }
    return *this;
}

Failure Folder::failure(int error, std::string_view what, std::string_view name) const {
    return Failure{errnoToNetError(error),
                   (m_path / std::string(name)).string() + ": " + std::string(what) + ": " +
                       std::strerror(error)};
}

std::expected<void, Failure> Folder::writeDurably(std::string_view name, std::string_view bytes,
                                                  Replace replace, unsigned mode) const {
    const std::string temp = std::string(kTempPrefix) + nameOf(name) + "-" + randomHex(6);
    const int fd = ::openat(m_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return std::unexpected(failure(errno, "cannot create", temp));

    int error = 0;
    const char* step = nullptr;
    // Before the rename, so that a reader never sees the file with the wrong mode; fchmod
    // and not the open's mode, which the umask would narrow (the service runs with 0077).
    if (mode != 0600 && ::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
        error = errno;
        step = "cannot set the mode of";
    } else if (!writeAll(fd, bytes, error)) {
        step = "cannot write";
    } else if (::fsync(fd) != 0) {
        // On some file systems ENOSPC only shows here (delayed allocation).
        error = errno;
        step = "cannot sync";
    }
    if (::close(fd) != 0 && step == nullptr) {
        error = errno;
        step = "cannot close";
    }
    if (step != nullptr) {
        ::unlinkat(m_fd, temp.c_str(), 0);
        return std::unexpected(failure(error, step, temp));
    }

    const std::string final = nameOf(name);
    int renamed = 0;
    if (replace == Replace::Yes) {
        renamed = ::renameat(m_fd, temp.c_str(), m_fd, final.c_str());
    } else {
        renamed = ::renameat2(m_fd, temp.c_str(), m_fd, final.c_str(), RENAME_NOREPLACE);
    }
    if (renamed != 0) {
        error = errno;
        ::unlinkat(m_fd, temp.c_str(), 0);
        return std::unexpected(failure(error, "cannot rename into place", final));
    }
    if (::fsync(m_fd) != 0) {
        // The file is in place but its name may not survive a power cut. The caller will
        // report failure, so take the file back: a submission the citizen was told did not
        // go through must not be sent later.
        error = errno;
        if (replace == Replace::No) ::unlinkat(m_fd, final.c_str(), 0);
        return std::unexpected(failure(error, "cannot sync the folder", final));
    }
    return {};
}

std::expected<std::string, Failure> Folder::read(std::string_view name, std::size_t maxBytes) const {
    const std::string file = nameOf(name);
    const int fd = ::openat(m_fd, file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) {
            return std::unexpected(Failure{NetError::NotQueued, (m_path / file).string() + ": gone"});
        }
        return std::unexpected(failure(error, "cannot open", file));
    }
    std::string out;
    std::array<char, 16384> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            return std::unexpected(failure(error, "cannot read", file));
        }
        if (n == 0) break;
        out.append(buffer.data(), static_cast<std::size_t>(n));
        if (out.size() > maxBytes) {
            ::close(fd);
            return std::unexpected(
                Failure{NetError::Corrupt, (m_path / file).string() + ": larger than expected"});
        }
    }
    ::close(fd);
    return out;
}

std::expected<void, Failure> Folder::shred(std::string_view name) const {
    const std::string file = nameOf(name);
    const int fd = ::openat(m_fd, file.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0) {
            // Best effort: on ext4 (data=ordered) the blocks are overwritten in place; on
            // flash the controller may keep old copies (docs/outbox.md says so).
            const std::string zeros(static_cast<std::size_t>(st.st_size), '\0');
            int error = 0;
            if (::lseek(fd, 0, SEEK_SET) == 0 && writeAll(fd, zeros, error)) ::fdatasync(fd);
        }
        ::close(fd);
    }
    return remove(name);
}

std::expected<void, Failure> Folder::remove(std::string_view name) const {
    const std::string file = nameOf(name);
    if (::unlinkat(m_fd, file.c_str(), 0) != 0 && errno != ENOENT) {
        return std::unexpected(failure(errno, "cannot remove", file));
    }
    return sync();
}

std::expected<void, Failure> Folder::moveTo(std::string_view name, const Folder& target,
                                            std::string_view newName) const {
    const std::string from = nameOf(name);
    const std::string to = nameOf(newName);
    if (::renameat(m_fd, from.c_str(), target.m_fd, to.c_str()) != 0) {
        return std::unexpected(failure(errno, "cannot move", from));
    }
    // The new name first: after a crash the file is then found in one place or the other,
    // never in none.
    if (auto synced = target.sync(); !synced) return synced;
    return sync();
}

std::expected<void, Failure> Folder::sync() const {
    if (::fsync(m_fd) != 0) return std::unexpected(failure(errno, "cannot sync the folder", "."));
    return {};
}

std::expected<std::vector<std::string>, Failure> Folder::files() const {
    // fdopendir takes ownership of its descriptor, so give it a duplicate.
    const int fd = ::openat(m_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return std::unexpected(failure(errno, "cannot list", "."));
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        const int error = errno;
        ::close(fd);
        return std::unexpected(failure(error, "cannot list", "."));
    }
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string_view n = entry->d_name;
        if (n == "." || n == "..") continue;
        bool regular = entry->d_type == DT_REG;
        if (entry->d_type == DT_UNKNOWN) {
            struct stat st {};
            regular = ::fstatat(m_fd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                      S_ISREG(st.st_mode);
        }
        if (regular) names.emplace_back(n);
    }
    ::closedir(dir);
    return names;
}

bool Folder::exists(std::string_view name) const {
    struct stat st {};
    return ::fstatat(m_fd, nameOf(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

std::size_t Folder::removeTemporaries() const {
    std::size_t removed = 0;
    if (auto names = files()) {
        for (const auto& n : *names) {
            if (n.starts_with(kTempPrefix) && ::unlinkat(m_fd, n.c_str(), 0) == 0) ++removed;
        }
    }
    if (removed > 0) (void)sync();
    return removed;
}

}  // namespace kiosk::net::detail
