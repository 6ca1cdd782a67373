// The kiosk's sub-commands (../shared/kiosk-cli.md). Each returns the process exit status.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::app {

struct LintOptions {
    std::filesystem::path formsDir;
    std::optional<std::filesystem::path> config;  // optional: check against a kiosk config
};
// Exit 0 clean or warnings only, 1 on any error, 2 when the config itself is bad.
[[nodiscard]] int lintCommand(const LintOptions& options);

struct RunOptions {
    std::optional<std::filesystem::path> config;
    std::optional<std::filesystem::path> forms;
    bool window = false;
    std::optional<std::filesystem::path> script;
    std::optional<std::filesystem::path> speechLog;
};
[[nodiscard]] int runCommand(const RunOptions& options);

// Reads a PIN (4 to 12 digits) from standard input, prints its scrypt line. Exit 0, or 2 on
// a PIN that is not 4 to 12 digits.
[[nodiscard]] int hashPinCommand();

}  // namespace kiosk::app
