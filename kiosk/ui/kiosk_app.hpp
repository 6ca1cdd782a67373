// The kiosk's window: SDL2 + Dear ImGui (OpenGL3) drawing the controller's screen model,
// turning touches and keys into controller calls, and running test scripts through the
// same input path. The only module that includes SDL or ImGui.
//
// Thread: the caller's (the main thread); returns when the kiosk ends.
#pragma once

#include "forms/icons.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/controller.hpp"
#include "speech/speaker.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::ui {

// A clock that runs with the system clock, plus whatever a test script's `advance` adds.
// Any thread may read it (the staff self-test's worker, the delivery worker); `advance` runs
// on the UI thread, hence the atomic offset.
class OffsetClock final : public core::Clock {
public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now() + std::chrono::milliseconds{m_offsetMs.load(std::memory_order_relaxed)};
    }
    void advance(std::chrono::milliseconds by) { m_offsetMs.fetch_add(by.count(), std::memory_order_relaxed); }

private:
    std::atomic<std::chrono::milliseconds::rep> m_offsetMs{0};
};

struct AppOptions {
    bool window = false;                              // false: fullscreen (desktop)
    std::optional<std::filesystem::path> script;      // run this test script, then exit
    core::Config::Display display;                    // physical size, for millimetres
    std::vector<std::string> iconNames;               // pictograms the forms use
    // The pictogram list (assets/icons/material-icons.tsv) when the caller has read it
    // already; null: the window reads it.
    const forms::IconCatalog* icons = nullptr;
    std::filesystem::path formsDir;                   // its icons/ holds staff's NAME.png/.svg
    // The config's forms_signature_key: staff's icons are drawn only when their bytes are
    // those the folder's SIGNATURE lists (checked each time an icon file is read).
    std::optional<forms::PublicKey> formsSignatureKey;
    // The voice (eSpeak NG, or a silent one). Utterances go to it; any input stops it;
    // the word it is saying is highlighted on screen. Null: the kiosk is silent.
    speech::Speaker* speaker = nullptr;
    // The preview (`kiosk preview`): the window's title says so, and files saved in
    // `watchDir` make the controller read its forms again (controller.reloadForms()).
    bool preview = false;
    std::optional<std::filesystem::path> watchDir;
    // Called once, on this thread, right after the first frame is on screen: what must not
    // slow the window down (the kiosk starts its speech engine here).
    std::function<void()> afterFirstFrame;
};

// Runs until a script ends or staff leave. Leaves SDL's audio to whoever opened it (the
// speaker): only the video and event subsystems are shut down here. Exit status as in ../shared/kiosk-cli.md:
// 0 clean exit or every `expect` held, 1 an `expect` failed, 2 the window cannot open.
[[nodiscard]] int runKioskApp(core::Controller& controller, OffsetClock& clock,
                              const AppOptions& options);

}  // namespace kiosk::ui
