// `kiosk`: the command line of ../shared/kiosk-cli.md. A thin shell: parse, then hand over.
#include "kiosk/main/commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"Toegang: an accessible e-service kiosk.\n"
                 "Citizens fill in simplified forms, one question per screen, read aloud.",
                 "kiosk"};
    app.set_version_flag("--version", std::string("kiosk ") + KIOSK_VERSION);
    app.require_subcommand(1);

    kiosk::app::RunOptions run;
    auto* runCommand = app.add_subcommand("run", "Run the kiosk (the demo when no --config is given)");
    runCommand->add_option("--config", run.config, "Config file (YAML)")->check(CLI::ExistingFile);
    runCommand->add_option("--forms", run.forms, "Folder of form files (overrides the config)");
    runCommand->add_flag("--window", run.window, "Run in a window instead of fullscreen (staff preview)");
    runCommand->add_option("--script", run.script, "Drive the kiosk from a test script")
        ->check(CLI::ExistingFile);
    runCommand->add_option("--speech-log", run.speechLog,
                           "Append every utterance as JSON to this file (tests only: it can hold "
                           "personal data)");

    kiosk::app::LintOptions lint;
    auto* lintCommand = app.add_subcommand("lint", "Check every form file in a folder");
    lintCommand->add_option("DIR", lint.formsDir, "Folder of form files")->required();
    lintCommand->add_option("--config", lint.config,
                            "Also check the forms against this kiosk config (allowed hosts, "
                            "default endpoint)")
        ->check(CLI::ExistingFile);

    auto* hashPinCommand = app.add_subcommand(
        "hash-pin", "Read a staff PIN from standard input and print the line for staff.pin_hash");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; a wrong command line exits 2 with the reason.
        return app.exit(error) == 0 ? 0 : 2;
    }
    if (*lintCommand) return kiosk::app::lintCommand(lint);
    if (*hashPinCommand) return kiosk::app::hashPinCommand();
    return kiosk::app::runCommand(run);
}
