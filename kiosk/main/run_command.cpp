#include "forms/loader.hpp"
#include "forms/reference.hpp"
#include "kiosk/core/assets.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/controller.hpp"
#include "kiosk/core/strings.hpp"
#include "kiosk/main/forms_source.hpp"
#include "kiosk/net/self_test.hpp"
#include "kiosk/net/submission_service.hpp"
#include "kiosk/main/commands.hpp"
#include "kiosk/ui/kiosk_app.hpp"
#include "speech/espeak_speaker.hpp"
#include "speech/silent_speaker.hpp"
#include "speech/speech_log.hpp"

#include <SDL.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <iostream>
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace kiosk::app {

namespace {

// The demo: the demo forms, and the local demo backend on this machine.
core::Config demoConfig() {
    core::Config config;
    config.kioskId = "demo-kiosk";
    config.forms = core::assetsDir() / "forms";
    config.languages = {"nl", "en", "tr", "pl"};
    config.submit.allowedHosts = {"localhost"};
    // The demo's staff PIN is 1234 (docs/keys.md); a real config sets its own.
    config.staff.pinHash = "$scrypt$ln=15,r=8,p=1$dG9lZ2FuZy1kZW1vLXBpbg==$A0VuqleyAn+JQXO+2kOv7c/bYZ8U857D1Fuf9SJFX70=";
    return config;
}

// Personal data must never end up in a core dump of the kiosk (docs/privacy.md).
// RLIMIT_CORE 0 stops core files, but the kernel ignores it when core_pattern pipes cores
// to a helper (systemd-coredump, apport), and anything running as the same user could
// raise it again (prlimit) or read our memory (ptrace, /proc/PID/mem). Not dumpable stops
// all of that: no core at all, and only root can attach. The price: debugging a running
// kiosk needs root.
void disableCoreDumps() {
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) std::cerr << "kiosk: cannot switch core dumps off (RLIMIT_CORE)\n";
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) std::cerr << "kiosk: cannot switch core dumps off (PR_SET_DUMPABLE)\n";
}

// The forms' endpoints, for the self-test: set on the UI thread (load, reload), read on
// the self-test's worker thread.
class FormEndpoints {
public:
    void set(const std::vector<forms::Form>& forms) {
        std::vector<std::string> urls;
        for (const auto& form : forms) {
            if (!form.endpoint.empty()) urls.push_back(form.endpoint);
        }
        std::lock_guard lock(m_mutex);
        m_urls = std::move(urls);
    }
    [[nodiscard]] std::vector<std::string> get() const {
        std::lock_guard lock(m_mutex);
        return m_urls;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_urls;
};

// The day this kiosk was built (the self-test's clock check: a clock before it is wrong).
std::chrono::system_clock::time_point buildDate() {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    if (std::sscanf(KIOSK_BUILD_DATE, "%d-%u-%u", &year, &month, &day) != 3) return {};
    return std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}};
}

}  // namespace

int runCommand(const RunOptions& options) {
    disableCoreDumps();
    // One malloc arena for every thread, set before any thread starts. glibc gives threads
    // their own arenas, and malloc_trim (on every return to the welcome screen) never
    // shrinks the top of those: the eSpeak thread's arena stayed at its high-water mark
    // (~600 KiB in use, the rest free but resident), ~1 MiB more over 10 000 sessions.
    // In the main arena that memory is handed back. The threads (speech, delivery, Mesa's)
    // allocate little; sharing one lock costs nothing measurable here.
    mallopt(M_ARENA_MAX, 1);
    core::Config config = demoConfig();
    if (options.config) {
        auto loaded = core::loadConfig(*options.config);
        if (!loaded) {
            for (const auto& message : loaded.error().messages) std::cerr << message << '\n';
            std::cerr << "kiosk: the config has errors; fix them and start again\n";
            return 2;
        }
        config = std::move(*loaded);
    }
    if (options.forms) config.forms = *options.forms;

    forms::LoadOptions load;
    load.allowedHosts = config.submit.allowedHosts;
    load.defaultEndpoint = config.submit.defaultEndpoint.empty()
                               ? forms::LoadOptions::DefaultEndpoint::Absent
                               : forms::LoadOptions::DefaultEndpoint::Present;
    // forms_signature_key: an unsigned or altered folder is refused whole (docs/signing.md).
    load.signatureKey = config.formsSignatureKey;
    // The pictogram list, the string tables and the forms are read on a worker thread while
    // this thread starts SDL's video: neither needs the other, and both come before the
    // first frame (docs/performance.md). The worker touches no SDL; this thread reads what
    // it made only after get().
    std::optional<std::expected<forms::IconCatalog, std::string>> icons;
    std::optional<std::expected<core::StringTable, std::string>> strings;
    core::FormsLoad loaded;
    auto reading = std::async(std::launch::async, [&] {
        icons = forms::IconCatalog::loadTsv(core::assetsDir() / "icons/material-icons.tsv");
        strings = core::StringTable::load(core::assetsDir() / "strings");
        if (!*icons || !*strings) return;
        load.icons = &**icons;
        loaded = readFormsFolder(config.forms, load);
    });
    // SIGTERM (systemd stopping the service) and SIGINT end the kiosk at once: SDL would turn
    // them into a quit event, which the kiosk ignores (lock-down: Alt+F4 must not end it).
    // Nothing is lost: the outbox is durable on disk, and memory goes with the process.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    // A failure here is said when the window cannot open (runKioskApp). The window's own
    // SDL_Init then only counts up; SDL_Quit at the end shuts both down.
    [[maybe_unused]] const int video = SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    reading.get();
    if (!*icons || !*strings) {
        std::cerr << "kiosk: " << (!*icons ? icons->error() : strings->error()) << '\n';
        SDL_Quit();
        return 2;
    }
    // Logs name form ids only, never answers.
    std::cerr << "kiosk: " << loaded.forms.size() << " form(s) ready from " << config.forms.string() << '\n';
    const auto iconNames = iconNamesOf(loaded.forms);

    ui::OffsetClock clock;
    // The outbox and its delivery worker. Without one (no outbox.dir in the config) the
    // kiosk still shows the forms, but Send says plainly that it cannot store, rather
    // than pretend: nothing is ever confirmed that is not on disk.
    std::unique_ptr<net::SubmissionService> service;
    core::StoreSubmission store = [](const core::PreparedSubmission&) -> std::expected<void, std::string> {
        return std::unexpected("no outbox configured");
    };
    net::ServiceOptions serviceOptions;
    serviceOptions.metricsFile = config.outbox.metricsFile;
    if (auto made = net::SubmissionService::fromConfig(config, clock, serviceOptions)) {
        service = std::move(*made);
        store = service->storeFunction();
        service->start();
    } else {
        std::cerr << "kiosk: submissions cannot be stored: " << made.error().detail
                  << " (set outbox.dir in the config; the demo: run-kiosk.sh)\n";
    }
    core::MakeReference makeReference = []() -> std::expected<std::string, std::string> {
        auto reference = forms::makeReference();
        if (!reference) return std::unexpected(std::string(forms::referenceErrorMessage(reference.error())));
        return *reference;
    };
    core::IdleTimes idle;
    idle.warnAfter = std::chrono::seconds{config.idle.warnAfterSeconds};
    idle.countdown = std::chrono::seconds{config.idle.countdownSeconds};
    core::Controller controller(loaded.forms, {config.languages, config.kioskId, config.submit.defaultEndpoint},
                                clock, **strings, idle, store, makeReference);

    controller.setStaffPinHash(config.staff.pinHash);
    // The staff menu: what the forms folder gave, and "reload forms" with the same checks
    // (signature included). The self-test probes every form's endpoint host too; the list
    // follows each reload (read by the self-test's worker thread, hence the lock).
    auto endpoints = std::make_shared<FormEndpoints>();
    endpoints->set(loaded.forms);
    {
        controller.setFormsLoad(loaded, [&config, &load, endpoints] {
            auto again = readFormsFolder(config.forms, load);
            std::cerr << "kiosk: forms read again: " << again.forms.size() << " form(s) ready\n";
            endpoints->set(again.forms);
            return again;
        });
    }
    // Out of order because the outbox could not store: back in service once it can again
    // (the worker probes the disk every 15 s).
    controller.setStorageCheck([&service] { return service && service->acceptingSubmissions(); });
    // The operator's view of the outbox in the staff menu (the same figures as the
    // Prometheus file): queue, oldest waiting, set aside, last error per endpoint.
    controller.setStaffStatus([&service](const core::StringTable& table, const std::string& language) {
        std::vector<std::string> lines;
        if (!service) {
            lines.push_back(table.get(language, "staff.no_outbox"));
            return lines;
        }
        const auto status = service->status();
        lines.push_back(table.get(language, "staff.outbox",
                                    {{"waiting", std::to_string(status.queueLength)},
                                     {"minutes", status.oldestAge ? std::to_string(status.oldestAge->count() / 60) : "0"},
                                     {"staff", std::to_string(status.needsStaff)},
                                     {"damaged", std::to_string(status.corrupt)},
                                     {"delivered", std::to_string(status.deliveredSinceStart)}}));
        if (!status.storageOk) lines.push_back(table.get(language, "staff.storage_problem", {{"error", status.storageError}}));
        for (const auto& endpoint : status.endpoints) {
            if (!endpoint.lastError.empty()) {
                lines.push_back(table.get(language, "staff.endpoint_error",
                                            {{"endpoint", endpoint.endpoint}, {"error", endpoint.lastError}}));
            }
        }
        return lines;
    });

    ui::AppOptions app;
    app.window = options.window;
    app.script = options.script;
    app.display = config.display;
    app.iconNames = iconNames;
    app.icons = &**icons;
    app.formsDir = config.forms;
    app.formsSignatureKey = config.formsSignatureKey;
    const int status = [&] {
        // The voice: eSpeak NG into the default audio device. With no sound card it stays
        // quiet (and says why in the log) but the kiosk works on. It starts after the first
        // frame (eSpeak's start and the first words would compete with the window for the
        // CPU); what the welcome screen says before is spoken then (docs/performance.md).
        speech::EspeakSpeaker::Options voiceOptions;
        voiceOptions.deferStart = true;
        speech::EspeakSpeaker voice(voiceOptions);
        // SDL's initialisation is not thread-safe: the speaker's owner thread initialises SDL
        // audio, and raced with this thread's video initialisation (LeakSanitizer saw a hint
        // entry lost about once in 30 runs). Audio is initialised here first, after the
        // video, so the speaker's own call only counts up. Without a sound card this fails,
        // and the speaker says why.
        app.afterFirstFrame = [&voice] {
            if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) std::cerr << "kiosk: no audio: " << SDL_GetError() << '\n';
            voice.start();
        };
        std::unique_ptr<speech::SpeechLog> log;
        speech::Speaker* speaker = &voice;
        if (options.speechLog) {
            auto opened = speech::SpeechLog::open(*options.speechLog, voice);
            if (!opened) {
                std::cerr << "kiosk: cannot open the speech log " << options.speechLog->string() << '\n';
                return 2;
            }
            log = std::move(*opened);
            speaker = log.get();
        }
        app.speaker = speaker;
        // The self-test (docs/keys.md): backend, certificates, disk, speech, clock.
        controller.setSelfTest([&config, &voice, &clock, endpoints](const core::StringTable& table, const std::string& language) {
            net::SelfTestOptions test;
            test.submit = config.submit;
            test.endpoints = endpoints->get();
            test.outboxDir = config.outbox.dir;
            test.built = buildDate();
            test.now = [&clock] { return clock.now(); };
            test.synthesise = [&voice]() -> std::expected<std::size_t, std::string> {
                auto made = voice.render("Test.", "en");
                if (!made) return std::unexpected(std::string(speech::speechErrorMessage(made.error().error)) + " " + made.error().detail);
                return made->samples.size();
            };
            return net::runSelfTest(test, table, language);
        });
        const int result = ui::runKioskApp(controller, clock, app);
        app.afterFirstFrame = {};   // it holds the voice, which goes next
        controller.waitForSelfTest();   // it may still use the voice, which goes next
        return result;
    }();
    if (service) service->stop();
    SDL_Quit();
    return status;
}

}  // namespace kiosk::app
