#include "forms/staff_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace kiosk::forms {

namespace {

namespace fs = std::filesystem;

// Closes a descriptor when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    [[nodiscard]] int get() const { return m_fd; }

private:
    int m_fd;
};

// "a folder", "a named pipe (FIFO)", ... for anything that is not a regular file.
std::string typeName(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "a special file";
}

std::string withArticle(std::string_view noun) {
    const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(noun);
}

std::string notAFile(mode_t mode, const fs::path& file, const ReadRules& rules) {
    std::string message = "refused: this is " + typeName(mode) + ", not " + withArticle(rules.kind);
    if (S_ISDIR(mode)) {
        return message + "; give the folder a name that does not end in " + file.extension().string() +
               ", or remove it";
    }
    return message + "; remove it and put the " + std::string(rules.kind) + " itself here";
}

// True when `path` is `folder` or lies below it (both canonical).
bool isInside(const fs::path& path, const fs::path& folder) {
    auto p = path.begin();
    for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
        if (f->empty()) continue;  // a trailing separator
        if (p == path.end() || *p != *f) return false;
    }
    return true;
}

std::string permissionAdvice(const fs::path& file) {
    return "cannot read this file (permission denied); let the kiosk user read it, for example "
           "with: chmod a+r " + file.filename().string();
}

// Opens `relative` (no links in it: it comes from canonical()) below `folder`, one
// component at a time with O_NOFOLLOW, so a component that became a link since
// canonical() ran makes the open fail instead of leading elsewhere.
std::expected<Fd, std::string> openBelow(const fs::path& folder, const fs::path& relative,
                                         const fs::path& shown) {
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) {
        return std::unexpected("cannot open the folder " + folder.string() + " (" +
                               std::strerror(errno) + "); let the kiosk user open it (chmod a+rx)");
    }
    std::vector<fs::path> parts(relative.begin(), relative.end());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
                          (last ? O_NONBLOCK : O_DIRECTORY);
        Fd next(::openat(dir.get(), parts[i].c_str(), flags));
        if (next.get() < 0) {
            const int error = errno;
            if (error == EACCES) {
                if (last) return std::unexpected(permissionAdvice(shown));
                return std::unexpected("cannot open the folder " + parts[i].string() +
                                       " (permission denied); let the kiosk user open it (chmod a+rx)");
            }
            if (error == ELOOP || error == ENOTDIR) {
                return std::unexpected(
                    "refused: the file or a folder on its way was replaced by a link while it "
                    "was being opened; check who changes the forms folder");
            }
            return std::unexpected("cannot read this file (" + std::string(std::strerror(error)) + ")");
        }
        dir = std::move(next);
    }
    return dir;
}

}  // namespace

std::expected<std::string, std::string> readStaffFile(const fs::path& file, const ReadRules& rules) {
    const std::string kind(rules.kind);
    struct stat own {};
    if (::lstat(file.c_str(), &own) != 0) {
        if (errno == EACCES) {
            return std::unexpected("cannot reach this file (permission denied on its folder); let the "
                                   "kiosk user open the folder (chmod a+rx)");
        }
        if (errno == ENOENT) return std::unexpected("the file does not exist");
        return std::unexpected("cannot read this file (" + std::string(std::strerror(errno)) + ")");
    }
    const bool isLink = S_ISLNK(own.st_mode);
    std::error_code ec;
    const fs::path target = fs::canonical(file, ec);
    if (ec) {
        if (isLink && ec == std::errc::too_many_symbolic_link_levels) {
            return std::unexpected("refused: this link leads round in a circle (it ends up pointing "
                                   "at itself); remove it and put the " + kind + " itself here");
        }
        if (isLink) {
            std::error_code readError;
            const fs::path to = fs::read_symlink(file, readError);
            return std::unexpected("refused: this link points to " + to.string() +
                                   ", which does not exist; remove the link, or put the " + kind +
                                   " itself here");
        }
        if (ec == std::errc::permission_denied) return std::unexpected(permissionAdvice(file));
        return std::unexpected("cannot read this file (" + ec.message() + ")");
    }

    fs::path root;
    if (!rules.insideFolder.empty()) {
        root = fs::canonical(rules.insideFolder, ec);
        if (ec) return std::unexpected("cannot open the folder " + rules.insideFolder.string());
        if (!isInside(target, root) || target == root) {
            if (isLink) {
                return std::unexpected("refused: this link points outside the forms folder (to " +
                                       target.string() + "); copy the " + kind +
                                       " itself into the folder instead of linking to it");
            }
            return std::unexpected("refused: a linked folder on the way to this file leads outside the "
                                   "forms folder (to " + target.string() + "); copy the folder itself "
                                   "into the forms folder instead of linking to it");
        }
    }

    // The type first, from the path: a named pipe is never opened for reading (a plain
    // open would wait for a writer), nor is a device.
    struct stat before {};
    if (::stat(target.c_str(), &before) != 0) {
        if (errno == EACCES) return std::unexpected(permissionAdvice(file));
        return std::unexpected("cannot read this file (" + std::string(std::strerror(errno)) + ")");
    }
    if (!S_ISREG(before.st_mode)) return std::unexpected(notAFile(before.st_mode, file, rules));

    Fd fd;
    if (root.empty()) {
        fd = Fd(::open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
        if (fd.get() < 0) {
            if (errno == EACCES) return std::unexpected(permissionAdvice(file));
            return std::unexpected("cannot read this file (" + std::string(std::strerror(errno)) + ")");
        }
    } else {
        auto opened = openBelow(root, target.lexically_relative(root), file);
        if (!opened) return std::unexpected(opened.error());
        fd = std::move(*opened);
    }
    // What was opened is what was checked (or the check is repeated on what was opened).
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return std::unexpected("cannot read this file (" + std::string(std::strerror(errno)) + ")");
    }
    if (!S_ISREG(info.st_mode)) return std::unexpected(notAFile(info.st_mode, file, rules));
    if (info.st_dev != before.st_dev || info.st_ino != before.st_ino) {
        return std::unexpected("refused: the file was replaced while it was being opened; try again, "
                               "and check who changes the forms folder");
    }
    const auto tooLarge = [&](std::uintmax_t bytes) {
        return std::unexpected("the file is " + std::to_string((bytes + 1023) / 1024) + " KiB; " +
                               std::string(rules.sizeRule));
    };
    const auto size = static_cast<std::uintmax_t>(info.st_size);
    if (size > rules.maxBytes) return tooLarge(size);

    // Read at most maxBytes + 1: a file that grows while it is read stays bounded.
    std::string content;
    content.reserve(static_cast<std::size_t>(size));
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EISDIR) return std::unexpected(notAFile(S_IFDIR, file, rules));
            return std::unexpected("the file could not be read completely (" +
                                   std::string(std::strerror(errno)) + ")");
        }
        if (got == 0) break;
        content.append(buffer.data(), static_cast<std::size_t>(got));
        if (content.size() > rules.maxBytes) return tooLarge(content.size());
    }
    return content;
}

std::optional<std::string> binaryFormatOf(std::string_view bytes) {
    struct Magic {
        std::string_view start;
        const char* name;
    };
    static constexpr std::array<Magic, 12> kMagic{{
        {"\x89PNG\r\n\x1a\n", "a PNG image"},
        {"\xFF\xD8\xFF", "a JPEG image"},
        {"GIF8", "a GIF image"},
        {"%PDF", "a PDF document"},
        {"PK\x03\x04", "a ZIP archive (or a Word, Excel or OpenDocument file)"},
        {"\xD0\xCF\x11\xE0", "an old Microsoft Office document"},
        {"{\\rtf", "an RTF document"},
        {"\x1F\x8B", "a gzip archive"},
        {"\x7F" "ELF", "a program (ELF)"},
        {"\xFD" "7zXZ", "an xz archive"},
        {"\xFF\xFE", "UTF-16 text"},
        {"\xFE\xFF", "UTF-16 text"},
    }};
    for (const auto& magic : kMagic) {
        if (bytes.starts_with(magic.start)) return std::string(magic.name);
    }
    return std::nullopt;
}

}  // namespace kiosk::forms
