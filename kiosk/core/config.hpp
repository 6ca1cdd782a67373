// The kiosk config file (../shared/kiosk-cli.md, "Config file"): every key, checked.
// Unknown keys and wrong values are refused with file:line:column, and `kiosk run` then
// exits with status 2 before any window opens.
#pragma once

#include "forms/signature.hpp"

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::core {

struct Config {
    std::string kioskId = "demo-kiosk";
    std::filesystem::path forms;              // folder of form files
    std::vector<std::string> languages{"nl", "en"};
    // Added by this project (docs/signing.md): the Ed25519 public key that must have signed
    // the forms folder. Read and checked when the config is read, so a missing file or a
    // key of the wrong kind is a config error; empty path / nullopt: folders are not checked.
    std::filesystem::path formsSignatureKeyFile;
    std::optional<forms::PublicKey> formsSignatureKey;

    struct Submit {
        std::string defaultEndpoint;          // https URL or empty
        std::vector<std::string> allowedHosts;  // lower case; empty: any
        std::filesystem::path caFile;
        std::filesystem::path clientCert;
        std::filesystem::path clientKey;
        std::vector<std::string> pins;        // base64 SHA-256 of the backend's SPKI
    } submit;

    struct Outbox {
        std::filesystem::path dir;
        enum class Mode { Sealed, Plain } mode = Mode::Sealed;
        std::filesystem::path recipientKey;   // sealed
        std::filesystem::path keyFile;        // plain
        // Added by this project: a Prometheus text file for node_exporter's textfile
        // collector (queue length, oldest waiting, last error per endpoint). Empty: none.
        std::filesystem::path metricsFile;
    } outbox;

    struct Idle {
        int warnAfterSeconds = 120;
        int countdownSeconds = 45;
    } idle;

    struct Staff {
        std::string pinHash;
    } staff;

    struct Display {
        double widthMm = 476;
        double heightMm = 268;
    } display;
};

// Findings as "path:line:column: message" lines, each saying how to fix the problem.
struct ConfigError {
    std::vector<std::string> messages;
};

// A config file larger than this is refused by its size, unread.
inline constexpr std::uintmax_t kMaxConfigFileBytes = 1024 * 1024;

// Reads and checks a config file (a link is followed; a folder, a named pipe, a socket, an
// unreadable or too large file is refused without blocking, each with a message). Relative paths in it are taken from the file's folder.
[[nodiscard]] std::expected<Config, ConfigError> loadConfig(const std::filesystem::path& file);
// Checks config text (for tests); `path` names it in messages, `baseDir` anchors relative paths.
[[nodiscard]] std::expected<Config, ConfigError> parseConfig(const std::string& text,
                                                             const std::string& path,
                                                             const std::filesystem::path& baseDir);

}  // namespace kiosk::core
