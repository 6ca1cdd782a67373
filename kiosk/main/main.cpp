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
    lintCommand->add_option("--format", lint.format,
                            "text: findings on stderr (default); json: one JSON array on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    lintCommand->add_flag("--summary", lint.summary,
                          "Print, per form, which personal data it asks for and why");
    lintCommand->add_option("--language", lint.language,
                            "The language of the --summary (default: each form's first)");

    lintCommand->add_option("--signature-key", lint.signatureKey,
                            "Check the folder's SIGNATURE with this Ed25519 public key (PEM), as a "
                            "kiosk with forms_signature_key does")
        ->check(CLI::ExistingFile);

    kiosk::app::SignOptions sign;
    auto* signCommand = app.add_subcommand(
        "sign", "Sign a forms folder (writes DIR/SIGNATURE) for kiosks with forms_signature_key");
    signCommand->add_option("DIR", sign.formsDir, "Folder of form files")->required()->check(CLI::ExistingDirectory);
    signCommand->add_option("--key", sign.key,
                            "Ed25519 private key (PEM, from: openssl genpkey -algorithm ed25519); "
                            "only its owner may read it")
        ->required()
        ->check(CLI::ExistingFile);

    kiosk::app::PreviewOptions preview;
    auto* previewCommand = app.add_subcommand(
        "preview", "Show the forms of a folder as citizens see them, again on every save (for staff)");
    previewCommand->add_option("DIR", preview.formsDir, "Folder of form files")->required()->check(CLI::ExistingDirectory);
    previewCommand->add_flag("--window", preview.window, "In a window instead of fullscreen");
    previewCommand->add_option("--script", preview.script, "Drive the preview from a test script")
        ->check(CLI::ExistingFile);
    previewCommand->add_option("--language", preview.language, "Show the forms in this language only (nl, en, ...)");
    previewCommand->add_option("--speech-log", preview.speechLog, "Append every utterance as JSON to this file (tests)");

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
    if (*previewCommand) return kiosk::app::previewCommand(preview);
    if (*signCommand) return kiosk::app::signCommand(sign);
    return kiosk::app::runCommand(run);
}
