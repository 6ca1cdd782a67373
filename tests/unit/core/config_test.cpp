// The kiosk config: the contract's example is accepted; mistakes are refused with place and fix.
#include "kiosk/core/config.hpp"

#include <doctest/doctest.h>

using namespace kiosk::core;

namespace {
const std::string kExample = R"(kiosk_id: bieb-centrum-1
forms: /etc/kiosk/forms
languages: [nl, en, tr]
submit:
  default_endpoint: https://eservices.example.org/api/submissions
  allowed_hosts: [eservices.example.org]
  ca_file: /etc/kiosk/ca.pem
  client_cert: /etc/kiosk/kiosk.crt
  client_key: /etc/kiosk/kiosk.key
  pins: []
outbox:
  dir: /var/lib/kiosk/outbox
  mode: sealed
  recipient_key: /etc/kiosk/backend-public.pem
idle:
  warn_after_s: 120
  countdown_s: 45
staff:
  pin_hash: "$scrypt$ln=15,r=8,p=1$dG9lZ2FuZy1kZW1vLXBpbg==$A0VuqleyAn+JQXO+2kOv7c/bYZ8U857D1Fuf9SJFX70="
display:
  width_mm: 476
  height_mm: 268
)";
}  // namespace

TEST_CASE("the contract's example config is accepted with every value") {
    const auto config = parseConfig(kExample, "kiosk.yaml", "/etc/kiosk");
    REQUIRE(config.has_value());
    CHECK(config->kioskId == "bieb-centrum-1");
    CHECK(config->forms == "/etc/kiosk/forms");
    CHECK(config->languages == std::vector<std::string>{"nl", "en", "tr"});
    CHECK(config->submit.defaultEndpoint == "https://eservices.example.org/api/submissions");
    CHECK(config->submit.allowedHosts == std::vector<std::string>{"eservices.example.org"});
    CHECK(config->submit.clientKey == "/etc/kiosk/kiosk.key");
    CHECK(config->outbox.mode == Config::Outbox::Mode::Sealed);
    CHECK(config->outbox.recipientKey == "/etc/kiosk/backend-public.pem");
    CHECK(config->idle.warnAfterSeconds == 120);
    CHECK(config->idle.countdownSeconds == 45);
    CHECK(config->staff.pinHash.starts_with("$scrypt$ln=15,r=8,p=1$"));
    CHECK(config->display.widthMm == doctest::Approx(476));
}

TEST_CASE("relative paths are taken from the config file's folder") {
    const auto config = parseConfig("forms: formulieren\n", "k.yaml", "/srv/kiosk");
    REQUIRE(config.has_value());
    CHECK(config->forms == "/srv/kiosk/formulieren");
}

TEST_CASE("outbox.metrics_file (added by this project) names the Prometheus textfile") {
    const auto config = parseConfig("outbox:\n  dir: outbox\n  metrics_file: toegang.prom\n", "k.yaml", "/srv/kiosk");
    REQUIRE(config.has_value());
    CHECK(config->outbox.metricsFile == "/srv/kiosk/toegang.prom");
    CHECK(parseConfig("", "k.yaml", "/x")->outbox.metricsFile.empty());
}

TEST_CASE("config mistakes are refused with file, line, column and a fix") {
    struct Case {
        std::string text;
        std::string message;
    };
    const std::vector<Case> cases{
        {"kiosk_idd: x\n", "k.yaml:1:1: unknown key 'kiosk_idd' in the config \u2014 did you mean 'kiosk_id'?"},
        {"idle:\n  warn_after_s: soon\n", "k.yaml:2:17: idle.warn_after_s must be a whole number of seconds from 10 to 3600"},
        {"outbox:\n  mode: open\n", "k.yaml:2:9: outbox.mode must be sealed or plain, not 'open'"},
        {"submit:\n  default_endpoint: http://x.org\n", "k.yaml:2:21: submit.default_endpoint must start with https://"},
        {"submit:\n  client_cert: a.crt\n", "k.yaml:2:3: submit needs both client_cert and client_key for mutual TLS, or neither"},
        {"display:\n  width_mm: 5\n", "k.yaml:2:13: display.width_mm must be the screen's visible size in millimetres (50 to 5000)"},
        {"languages: nl\n", "k.yaml:1:12: languages must be a list, like [a, b]"},
        {"staff:\n  pin_hash: \"$scrypt$...\"\n", "k.yaml:2:13: staff.pin_hash is not a PIN hash; make one with: kiosk hash-pin"},
        {"a: [\n", "k.yaml:2:1: not valid YAML (did not find expected node content while parsing a flow node)"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto config = parseConfig(c.text, "k.yaml", "/x");
        REQUIRE_FALSE(config.has_value());
        REQUIRE(config.error().messages.size() >= 1);
        CHECK(config.error().messages.front() == c.message);
    }
}

TEST_CASE("an empty config means every default") {
    const auto config = parseConfig("", "k.yaml", "/x");
    REQUIRE(config.has_value());
    CHECK(config->idle.warnAfterSeconds == 120);
}
