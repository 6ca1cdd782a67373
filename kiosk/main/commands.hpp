// The kiosk's sub-commands (../shared/kiosk-cli.md). Each returns the process exit status.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::app {

struct LintOptions {
    std::filesystem::path formsDir;
    std::optional<std::filesystem::path> config;  // optional: check against a kiosk config
    std::string format = "text";                   // "text" (stderr) or "json" (an array on stdout)
    bool summary = false;                          // print each form's personal data and why instead
    std::string language;                          // for the summary; empty: each form's first
    // Check the folder's SIGNATURE against this Ed25519 public key (PEM), as a kiosk with
    // forms_signature_key does; a config's forms_signature_key does the same.
    std::optional<std::filesystem::path> signatureKey;
};
// Exit 0 clean or warnings only, 1 on any error, 2 when the config itself is bad.
// Findings: docs/contract-additions.md (plain-language rules: forms/plain_language.hpp).
[[nodiscard]] int lintCommand(const LintOptions& options);

struct RunOptions {
    std::optional<std::filesystem::path> config;
    std::optional<std::filesystem::path> forms;
    bool window = false;
    std::optional<std::filesystem::path> script;
    std::optional<std::filesystem::path> speechLog;
};
[[nodiscard]] int runCommand(const RunOptions& options);

// `kiosk sign DIR --key KEY` (docs/signing.md): writes DIR/SIGNATURE. Exit 0 signed, 1 when
// the folder or the key cannot be used (a link in the folder, a key others can read, ...).
struct SignOptions {
    std::filesystem::path formsDir;
    std::filesystem::path key;
};
[[nodiscard]] int signCommand(const SignOptions& options);

// `kiosk preview DIR` (docs/contract-additions.md): the forms of DIR in a window, read
// again whenever a file is saved; errors on screen; every page reachable; nothing sent.
// Exit status as `run` (0, or 1 when a script's expect failed; 2 on a window that cannot open).
struct PreviewOptions {
    std::filesystem::path formsDir;
    bool window = false;
    std::optional<std::filesystem::path> script;
    std::optional<std::string> language;
    std::optional<std::filesystem::path> speechLog;
};
[[nodiscard]] int previewCommand(const PreviewOptions& options);

// Reads a PIN (4 to 12 digits) from standard input, prints its scrypt line. Exit 0, or 2 on
// a PIN that is not 4 to 12 digits.
[[nodiscard]] int hashPinCommand();

}  // namespace kiosk::app
