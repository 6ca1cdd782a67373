// `kiosk preview DIR`: the forms of DIR in a window, as a citizen would see them, for staff
// who edit a form (docs/contract-additions.md). A saved file is read again at once (the
// window watches the folder); load errors are shown on screen with file:line:column instead
// of the form; F2 (or "Pages") lists every page, also those hidden by show_if, and the
// languages. Nothing is ever stored or sent: there is no outbox and no backend here.
#include "forms/loader.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/core/strings.hpp"
#include "kiosk/main/commands.hpp"
#include "kiosk/main/forms_source.hpp"
#include "kiosk/ui/kiosk_app.hpp"
#include "speech/espeak_speaker.hpp"
#include "speech/speech_log.hpp"

#include <SDL.h>

#include <algorithm>
#include <iostream>

namespace kiosk::app {

int previewCommand(const PreviewOptions& options) {
    auto icons = forms::IconCatalog::loadTsv(core::assetsDir() / "icons/material-icons.tsv");
    if (!icons) {
        std::cerr << "kiosk preview: " << icons.error() << '\n';
        return 2;
    }
    auto strings = core::StringTable::load(core::assetsDir() / "strings");
    if (!strings) {
        std::cerr << "kiosk preview: " << strings.error() << '\n';
        return 2;
    }
    // The checks of `kiosk lint` without a config: a missing endpoint is a warning only.
    forms::LoadOptions load;
    load.icons = &*icons;
    const std::filesystem::path dir = options.formsDir;
    auto read = [&dir, &load] { return readFormsFolder(dir, load); };
    core::FormsLoad first = read();
    std::cerr << "kiosk preview: " << first.forms.size() << " form(s) from " << dir.string()
              << "; save a file to see it again, F2 for every page\n";

    // Every language the kiosk has words for (a form that loads later may offer any), or
    // only the one asked for.
    std::vector<std::string> languages;
    if (options.language) {
        languages.push_back(*options.language);
    } else {
        for (const char* code : {"nl", "en", "tr", "pl", "ar", "uk"}) languages.emplace_back(code);
        for (const auto& code : strings->languages()) {
            if (std::ranges::find(languages, code) == languages.end()) languages.push_back(code);
        }
    }

    ui::OffsetClock clock;
    // A preview never stores: Send shows "this is a preview" (Controller::setPreview).
    core::StoreSubmission store = [](const core::PreparedSubmission&) -> std::expected<void, std::string> {
        return std::unexpected("preview: nothing is stored");
    };
    core::MakeReference makeReference = []() -> std::expected<std::string, std::string> {
        return std::unexpected("preview: no reference");
    };
    core::Controller controller(first.forms, {languages, "preview", ""}, clock, *strings, core::IdleTimes{}, store,
                                makeReference);
    controller.setFormsLoad(first, read);
    controller.setPreview(true);

    ui::AppOptions app;
    app.window = options.window;
    app.script = options.script;
    app.iconNames = iconNamesOf(first.forms);
    app.formsDir = dir;
    app.preview = true;
    app.watchDir = dir;
    // The same voice as the kiosk's, so staff hear their texts as citizens will.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) std::cerr << "kiosk preview: no audio: " << SDL_GetError() << '\n';
    const int status = [&] {
        speech::EspeakSpeaker voice;
        std::unique_ptr<speech::SpeechLog> log;
        app.speaker = &voice;
        if (options.speechLog) {
            auto opened = speech::SpeechLog::open(*options.speechLog, voice);
            if (!opened) {
                std::cerr << "kiosk preview: cannot open the speech log " << options.speechLog->string() << '\n';
                return 2;
            }
            log = std::move(*opened);
            app.speaker = log.get();
        }
        return ui::runKioskApp(controller, clock, app);
    }();
    SDL_Quit();
    return status;
}

}  // namespace kiosk::app
