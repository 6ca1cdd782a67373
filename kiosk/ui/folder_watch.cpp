#include "kiosk/ui/folder_watch.hpp"

#include <SDL.h>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

namespace kiosk::ui {

struct FolderWatch::Impl {
    int inotify = -1;
    int wake = -1;   // eventfd: the destructor wakes the thread with it
    int folderWatch = -1;
    std::filesystem::path icons;   // DIR/icons, watched when it exists
    std::uint32_t eventType = 0;
    std::chrono::milliseconds quiet{200};
    std::string error;
    std::thread thread;

    // Saves (close after writing), renames into and out of the folder, new and deleted files.
    static constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE;

    // Watches icons/ if it is there (again after it was made anew: a new folder has a new
    // watch descriptor; adding a watch twice only updates the old one).
    void watchIcons() const {
        std::error_code ignored;
        if (std::filesystem::is_directory(icons, ignored)) inotify_add_watch(inotify, icons.c_str(), kMask);
    }

    // Reads what is pending; true when something in the folder or in icons/ changed.
    bool drain() const {
        alignas(inotify_event) std::array<char, 4096> buffer{};
        bool changed = false;
        for (;;) {
            const ssize_t got = ::read(inotify, buffer.data(), buffer.size());
            if (got <= 0) break;
            changed = true;
            for (ssize_t at = 0; at < got;) {
                const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
                if (event->wd == folderWatch && (event->mask & IN_ISDIR) != 0 && event->len > 0 &&
                    std::strcmp(event->name, "icons") == 0 && (event->mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
                    watchIcons();
                }
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        return changed;
    }

    void run() const {
        std::array<pollfd, 2> fds{{{inotify, POLLIN, 0}, {wake, POLLIN, 0}}};
        bool pending = false;
        for (;;) {
            // Waiting for a change: forever. After one: until `quiet` passes without another.
            const int timeout = pending ? static_cast<int>(quiet.count()) : -1;
            const int ready = ::poll(fds.data(), fds.size(), timeout);
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0 || (fds[1].revents & POLLIN) != 0) return;
            if (ready == 0) {
                pending = false;
                SDL_Event event{};
                event.type = eventType;
                SDL_PushEvent(&event);
                continue;
            }
            if ((fds[0].revents & POLLIN) != 0 && drain()) pending = true;
        }
    }
};

FolderWatch::FolderWatch(const std::filesystem::path& dir, std::uint32_t eventType, std::chrono::milliseconds quiet)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->eventType = eventType;
    m_impl->quiet = quiet;
    m_impl->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    m_impl->wake = eventfd(0, EFD_CLOEXEC);
    if (m_impl->inotify < 0 || m_impl->wake < 0) {
        m_impl->error = std::strerror(errno);
        return;
    }
    m_impl->folderWatch = inotify_add_watch(m_impl->inotify, dir.c_str(), Impl::kMask);
    if (m_impl->folderWatch < 0) {
        m_impl->error = dir.string() + ": " + std::strerror(errno);
        return;
    }
    m_impl->icons = dir / "icons";
    m_impl->watchIcons();
    const Impl* impl = m_impl.get();
    m_impl->thread = std::thread([impl] { impl->run(); });
}

FolderWatch::~FolderWatch() {
    if (m_impl->thread.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(m_impl->wake, &one, sizeof one);
        m_impl->thread.join();
    }
    if (m_impl->inotify >= 0) ::close(m_impl->inotify);
    if (m_impl->wake >= 0) ::close(m_impl->wake);
}

bool FolderWatch::valid() const { return m_impl->thread.joinable(); }
const std::string& FolderWatch::error() const { return m_impl->error; }

}  // namespace kiosk::ui
