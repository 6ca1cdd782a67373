// Fuzz target: a config file's text through core::parseConfig, as `kiosk run --config`
// reads it. Invariants beyond "no crash":
//   - a refusal has at least one message, each "path:line:column: text" with line and
//     column >= 1 and the line within the file;
//   - an accepted config keeps every promise config.hpp and kiosk-cli.md make: idle times
//     and display sizes in their ranges, at least one language, an https default endpoint
//     or none, lower-case allowed hosts, client cert and key both or neither, a well-formed
//     PIN hash or none, relative paths anchored in the config's folder.
#include "fuzz/targets.hpp"

#include "forms/value.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/pin.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace kiosk::fuzz {

namespace {

void checkMessage(const std::string& message, const std::string& path, std::string_view text) {
    KIOSK_FUZZ_CHECK(message.starts_with(path + ":"));
    std::string_view rest = std::string_view(message).substr(path.size() + 1);
    int line = 0;
    int column = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
    KIOSK_FUZZ_CHECK(ec == std::errc{} && end != rest.data() && *end == ':');
    rest.remove_prefix(static_cast<std::size_t>(end - rest.data()) + 1);
    auto [end2, ec2] = std::from_chars(rest.data(), rest.data() + rest.size(), column);
    KIOSK_FUZZ_CHECK(ec2 == std::errc{} && end2 != rest.data());
    rest.remove_prefix(static_cast<std::size_t>(end2 - rest.data()));
    KIOSK_FUZZ_CHECK(rest.starts_with(": ") && rest.size() > 2);
    KIOSK_FUZZ_CHECK(line >= 1 && column >= 1);
    std::size_t breaks = 0;  // as YAML counts them: "\r\n", a lone "\r", "\n"
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++breaks;
    }
    KIOSK_FUZZ_CHECK(static_cast<std::size_t>(line) <= breaks + 1);
}

}  // namespace

void config(std::string_view bytes) {
    const std::string path = "fuzz/kiosk.yaml";
    const std::filesystem::path base = "/etc/kiosk";
    const std::string text(bytes);
    const auto result = core::parseConfig(text, path, base);
    if (!result) {
        KIOSK_FUZZ_CHECK(!result.error().messages.empty());
        for (const auto& message : result.error().messages) checkMessage(message, path, bytes);
        return;
    }
    const core::Config& c = *result;
    KIOSK_FUZZ_CHECK(!c.kioskId.empty());
    KIOSK_FUZZ_CHECK(!c.languages.empty());
    KIOSK_FUZZ_CHECK(std::ranges::none_of(c.languages, [](const std::string& l) { return l.empty(); }));
    KIOSK_FUZZ_CHECK(c.submit.defaultEndpoint.empty() || c.submit.defaultEndpoint.starts_with("https://"));
    for (const auto& host : c.submit.allowedHosts) {
        KIOSK_FUZZ_CHECK(!host.empty());
        KIOSK_FUZZ_CHECK(std::ranges::none_of(host, [](char ch) { return ch >= 'A' && ch <= 'Z'; }));
    }
    KIOSK_FUZZ_CHECK(c.submit.clientCert.empty() == c.submit.clientKey.empty());
    KIOSK_FUZZ_CHECK(c.idle.warnAfterSeconds >= 10 && c.idle.warnAfterSeconds <= 3600);
    KIOSK_FUZZ_CHECK(c.idle.countdownSeconds >= 5 && c.idle.countdownSeconds <= 600);
    KIOSK_FUZZ_CHECK(c.display.widthMm >= 50 && c.display.widthMm <= 5000);
    KIOSK_FUZZ_CHECK(c.display.heightMm >= 50 && c.display.heightMm <= 5000);
    KIOSK_FUZZ_CHECK(c.staff.pinHash.empty() || core::isPinHash(c.staff.pinHash));
    for (const auto* p : {&c.forms, &c.submit.caFile, &c.submit.clientCert, &c.submit.clientKey, &c.outbox.dir,
                          &c.outbox.recipientKey, &c.outbox.keyFile, &c.outbox.metricsFile}) {
        KIOSK_FUZZ_CHECK(p->empty() || p->is_absolute());
    }
    // Accepted text is UTF-8 (the reader refuses anything else), so every string kept is.
    KIOSK_FUZZ_CHECK(!forms::firstInvalidUtf8(c.kioskId));
}

}  // namespace kiosk::fuzz
