#include "kiosk/core/config.hpp"

#include "forms/signature.hpp"
#include "forms/staff_file.hpp"
#include "forms/suggest.hpp"
#include "forms/value.hpp"
#include "forms/yaml_tree.hpp"
#include "kiosk/core/pin.hpp"


#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace kiosk::core {

namespace {

using forms::yaml::Node;

class ConfigReader {
public:
    ConfigReader(std::string path, std::filesystem::path baseDir)
        : m_path(std::move(path)), m_baseDir(std::move(baseDir)) {}

    std::expected<Config, ConfigError> read(const std::string& text) {
        if (auto format = forms::binaryFormatOf(text)) {
            fail({}, "the config is " + *format + ", not text; the config is a YAML text file "
                     "(UTF-8): give the right file to --config");
            return std::unexpected(m_error);
        }
        if (auto bad = forms::firstInvalidUtf8(text)) {
            fail(markOfOffset(text, *bad), "the config is not UTF-8 text (a byte here is not valid "
                                           "UTF-8); save it as UTF-8");
            return std::unexpected(m_error);
        }
        if (const auto zero = text.find('\0'); zero != std::string::npos) {
            fail(markOfOffset(text, zero), "the config holds a zero byte, so it is not a text file; "
                                           "save it as plain text (UTF-8)");
            return std::unexpected(m_error);
        }
        const auto root = forms::yaml::parse(text);
        if (!root) {
            std::string message = "not valid YAML (" + root.error().message + ")";
            auto mark = root.error().mark;
            if (mark.offset >= text.size()) {
                mark = markOfOffset(text, text.size());  // libyaml counts one line further
                if (!text.ends_with('\n')) {
                    message += "; the file ends in the middle of something: it was probably cut "
                               "off while it was copied or saved";
                }
            }
            fail(mark, message);
            return std::unexpected(m_error);
        }
        readRoot(*root);
        if (!m_error.messages.empty()) return std::unexpected(m_error);
        return m_config;
    }

private:
    // Line and column (from 0, as libyaml counts; column in characters) of a byte offset.
    static forms::yaml::Mark markOfOffset(std::string_view text, std::size_t offset) {
        forms::yaml::Mark mark{0, 0, offset};
        for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++mark.line;
                mark.column = 0;
            } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
                ++mark.column;
            }
        }
        return mark;
    }

    void fail(const forms::yaml::Mark& mark, const std::string& message) {
        const int line = mark.line >= 0 ? mark.line + 1 : 1;
        const int column = mark.column >= 0 ? mark.column + 1 : 1;
        m_error.messages.push_back(m_path + ":" + std::to_string(line) + ":" +
                                   std::to_string(column) + ": " + message);
    }

    // Checks the keys of a block; returns false when it is not a block.
    bool keys(const Node& map, const std::vector<std::string>& allowed, const std::string& what) {
        if (!map.isMap()) {
            fail(map.mark(), what + " must be a block of 'key: value' lines");
            return false;
        }
        std::set<std::string> seen;
        for (const auto& [keyNode, value] : map.entries()) {
            const std::string key = keyNode.isScalar() ? keyNode.scalar() : "?";
            if (std::ranges::find(allowed, key) == allowed.end()) {
                std::string message = "unknown key '" + key + "' in " + what;
                if (auto match = forms::closestMatch(key, allowed)) {
                    message += " \u2014 did you mean '" + *match + "'?";
                }
                fail(keyNode.mark(), message);
            } else if (!seen.insert(key).second) {
                fail(keyNode.mark(), "'" + key + "' appears twice in " + what + "; keep one");
            }
        }
        return true;
    }

    std::string text(const Node& node, const std::string& what) {
        if (!node.isScalar() || node.scalar().empty()) {
            fail(node.mark(), what + " must be a single non-empty value");
            return {};
        }
        return node.scalar();
    }

    std::filesystem::path path(const Node& node, const std::string& what) {
        const std::string value = text(node, what);
        if (value.empty()) return {};
        std::filesystem::path result(value);
        return result.is_absolute() ? result : m_baseDir / result;
    }

    std::vector<std::string> list(const Node& node, const std::string& what) {
        std::vector<std::string> out;
        if (!node.isSequence()) {
            fail(node.mark(), what + " must be a list, like [a, b]");
            return out;
        }
        for (const auto& item : node.items()) {
            const std::string value = text(item, "an entry of " + what);
            if (!value.empty()) out.push_back(value);
        }
        return out;
    }

    int seconds(const Node& node, const std::string& what, int lowest, int highest) {
        const std::string value = text(node, what);
        int number = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc{} || end != value.data() + value.size() || number < lowest ||
            number > highest) {
            fail(node.mark(), what + " must be a whole number of seconds from " +
                                  std::to_string(lowest) + " to " + std::to_string(highest));
            return lowest;
        }
        return number;
    }

    double millimetres(const Node& node, const std::string& what) {
        const std::string value = text(node, what);
        double number = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc{} || end != value.data() + value.size() || number < 50 || number > 5000) {
            fail(node.mark(), what + " must be the screen's visible size in millimetres (50 to 5000)");
            return 100;
        }
        return number;
    }

    static bool httpsUrl(const std::string& url) {
        return url.starts_with("https://") && url.size() > 8;
    }

    void readRoot(const Node& root) {
        if (root.isNull()) return;  // an empty config: every default
        if (!keys(root, {"kiosk_id", "forms", "forms_signature_key", "languages", "submit", "outbox", "idle", "staff", "display"},
                  "the config")) {
            return;
        }
        if (const auto& n = root["kiosk_id"]; n.isDefined()) m_config.kioskId = text(n, "kiosk_id");
        if (const auto& n = root["forms"]; n.isDefined()) m_config.forms = path(n, "forms");
        if (const auto& n = root["forms_signature_key"]; n.isDefined()) {
            m_config.formsSignatureKeyFile = path(n, "forms_signature_key");
            if (!m_config.formsSignatureKeyFile.empty()) {
                auto key = forms::readPublicKeyFile(m_config.formsSignatureKeyFile);
                if (key) {
                    m_config.formsSignatureKey = *key;
                } else {
                    fail(n.mark(), "forms_signature_key: cannot use " + m_config.formsSignatureKeyFile.string() +
                                       ": " + key.error());
                }
            }
        }
        if (const auto& n = root["languages"]; n.isDefined()) {
            m_config.languages = list(n, "languages");
            if (m_config.languages.empty()) fail(n.mark(), "languages must name at least one language");
        }
        if (const auto& n = root["submit"]; n.isDefined() && keys(n, {"default_endpoint", "allowed_hosts", "ca_file", "client_cert", "client_key", "pins"}, "submit")) {
            auto& submit = m_config.submit;
            if (const auto& e = n["default_endpoint"]; e.isDefined()) {
                submit.defaultEndpoint = text(e, "submit.default_endpoint");
                if (!submit.defaultEndpoint.empty() && !httpsUrl(submit.defaultEndpoint)) {
                    fail(e.mark(), "submit.default_endpoint must start with https://");
                }
            }
            if (const auto& e = n["allowed_hosts"]; e.isDefined()) {
                submit.allowedHosts = list(e, "submit.allowed_hosts");
                for (auto& host : submit.allowedHosts) {
                    std::ranges::transform(host, host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                }
            }
            if (const auto& e = n["ca_file"]; e.isDefined()) submit.caFile = path(e, "submit.ca_file");
            if (const auto& e = n["client_cert"]; e.isDefined()) submit.clientCert = path(e, "submit.client_cert");
            if (const auto& e = n["client_key"]; e.isDefined()) submit.clientKey = path(e, "submit.client_key");
            if (const auto& e = n["pins"]; e.isDefined()) submit.pins = list(e, "submit.pins");
            if (submit.clientCert.empty() != submit.clientKey.empty()) {
                fail(n.mark(), "submit needs both client_cert and client_key for mutual TLS, or neither");
            }
        }
        if (const auto& n = root["outbox"]; n.isDefined() && keys(n, {"dir", "mode", "recipient_key", "key_file", "metrics_file"}, "outbox")) {
            auto& outbox = m_config.outbox;
            if (const auto& e = n["dir"]; e.isDefined()) outbox.dir = path(e, "outbox.dir");
            if (const auto& e = n["mode"]; e.isDefined()) {
                const std::string mode = text(e, "outbox.mode");
                if (mode == "sealed") {
                    outbox.mode = Config::Outbox::Mode::Sealed;
                } else if (mode == "plain") {
                    outbox.mode = Config::Outbox::Mode::Plain;
                } else {
                    fail(e.mark(), "outbox.mode must be sealed or plain, not '" + mode + "'");
                }
            }
            if (const auto& e = n["recipient_key"]; e.isDefined()) outbox.recipientKey = path(e, "outbox.recipient_key");
            if (const auto& e = n["key_file"]; e.isDefined()) outbox.keyFile = path(e, "outbox.key_file");
            if (const auto& e = n["metrics_file"]; e.isDefined()) outbox.metricsFile = path(e, "outbox.metrics_file");
            if (outbox.mode == Config::Outbox::Mode::Sealed && n["key_file"].isDefined()) {
                fail(n["key_file"].mark(), "outbox.key_file belongs to mode: plain; sealed mode uses recipient_key");
            }
            if (outbox.mode == Config::Outbox::Mode::Plain && n["recipient_key"].isDefined()) {
                fail(n["recipient_key"].mark(), "outbox.recipient_key belongs to mode: sealed; plain mode uses key_file");
            }
        }
        if (const auto& n = root["idle"]; n.isDefined() && keys(n, {"warn_after_s", "countdown_s"}, "idle")) {
            if (const auto& e = n["warn_after_s"]; e.isDefined()) m_config.idle.warnAfterSeconds = seconds(e, "idle.warn_after_s", 10, 3600);
            if (const auto& e = n["countdown_s"]; e.isDefined()) m_config.idle.countdownSeconds = seconds(e, "idle.countdown_s", 5, 600);
        }
        if (const auto& n = root["staff"]; n.isDefined() && keys(n, {"pin_hash"}, "staff")) {
            if (const auto& e = n["pin_hash"]; e.isDefined()) {
                m_config.staff.pinHash = text(e, "staff.pin_hash");
                if (!m_config.staff.pinHash.empty() && !isPinHash(m_config.staff.pinHash)) {
                    fail(e.mark(), "staff.pin_hash is not a PIN hash; make one with: kiosk hash-pin");
                }
            }
        }
        if (const auto& n = root["display"]; n.isDefined() && keys(n, {"width_mm", "height_mm"}, "display")) {
            if (const auto& e = n["width_mm"]; e.isDefined()) m_config.display.widthMm = millimetres(e, "display.width_mm");
            if (const auto& e = n["height_mm"]; e.isDefined()) m_config.display.heightMm = millimetres(e, "display.height_mm");
        }
    }

    std::string m_path;
    std::filesystem::path m_baseDir;
    Config m_config;
    ConfigError m_error;
};

}  // namespace

std::expected<Config, ConfigError> parseConfig(const std::string& text, const std::string& path,
                                               const std::filesystem::path& baseDir) {
    return ConfigReader(path, baseDir).read(text);
}

std::expected<Config, ConfigError> loadConfig(const std::filesystem::path& file) {
    forms::ReadRules rules;
    rules.maxBytes = kMaxConfigFileBytes;
    rules.sizeRule = "a config file may be at most 1024 KiB (1 MiB). Is this really the config?";
    rules.kind = "config file";
    auto text = forms::readStaffFile(file, rules);
    if (!text) {
        return std::unexpected(ConfigError{{file.string() + ":1:1: cannot use the config file: " + text.error()}});
    }
    return parseConfig(*text, file.string(), file.parent_path());
}

}  // namespace kiosk::core
