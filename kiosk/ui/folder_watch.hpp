// Watches a folder for saved files (the preview): inotify on the folder, not on the files,
// because editors save by writing a temporary file and renaming it over the old one. After
// a change and ~200 ms of quiet (an editor's burst of writes and renames is one save), one
// SDL user event of type `eventType()` is pushed, so the UI loop stays event-driven.
// The folder's `icons/` subfolder (staff pictograms) is watched too, also when it is made
// or replaced while the watch runs.
//
// Thread: its own, started by the constructor and joined by the destructor. SDL's event
// queue must be up (SDL_INIT_EVENTS) while it lives: SDL_PushEvent is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace kiosk::ui {

class FolderWatch {
public:
    // Fails (valid() false, reason in error()) when the folder cannot be watched.
    FolderWatch(const std::filesystem::path& dir, std::uint32_t eventType,
                std::chrono::milliseconds quiet = std::chrono::milliseconds{200});
    ~FolderWatch();
    FolderWatch(const FolderWatch&) = delete;
    FolderWatch& operator=(const FolderWatch&) = delete;

    [[nodiscard]] bool valid() const;
    [[nodiscard]] const std::string& error() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::ui
