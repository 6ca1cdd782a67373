// forms_signature_key in the config (docs/signing.md): the key file is read and checked when
// the config is read, so a missing file or a key of the wrong kind stops `kiosk run` with
// exit 2 and line:column, before any window opens.
#include "kiosk/core/config.hpp"
#include "tests/fakes/test_keys.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

using namespace kiosk::core;
namespace fs = std::filesystem;

namespace {

struct KeyDir {
    fs::path path;
    KeyDir() {
        path = fs::temp_directory_path() / ("kiosk-config-signature-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~KeyDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    KeyDir(const KeyDir&) = delete;
    KeyDir& operator=(const KeyDir&) = delete;
};

std::string firstMessage(const std::expected<Config, ConfigError>& config) {
    return config ? std::string() : config.error().messages.front();
}

}  // namespace

TEST_CASE("forms_signature_key: an Ed25519 public key is read, relative to the config's folder") {
    KeyDir dir;
    const auto keys = kiosk::test::makeKeyPair(dir.path, "forms");
    const auto config = parseConfig("forms: forms\nforms_signature_key: forms-public.pem\n", "kiosk.yaml", dir.path);
    REQUIRE_MESSAGE(config.has_value(), firstMessage(config));
    CHECK(config->formsSignatureKeyFile == keys.publicPem);
    REQUIRE(config->formsSignatureKey.has_value());
    auto direct = kiosk::forms::readPublicKeyFile(keys.publicPem);
    REQUIRE(direct.has_value());
    CHECK(*config->formsSignatureKey == *direct);

    const auto without = parseConfig("forms: forms\n", "kiosk.yaml", dir.path);
    REQUIRE(without.has_value());
    CHECK_FALSE(without->formsSignatureKey.has_value());
}

TEST_CASE("forms_signature_key: a bad value is a config error with line and column") {
    KeyDir dir;
    const auto keys = kiosk::test::makeKeyPair(dir.path, "forms");
    const auto ec = kiosk::test::makeKeyPair(dir.path, "ec", "EC");
    struct Case {
        std::string value;
        std::string message;
    };
    const Case cases[] = {
        {"nergens.pem", "kiosk.yaml:2:22: forms_signature_key: cannot use " + (dir.path / "nergens.pem").string() +
                            ": the file does not exist"},
        {"forms-private.pem", "this is a private key; the kiosk needs the public key"},
        {"ec-public.pem", "not an Ed25519 key"},
        {".", "this is a folder"},
        {"\"\"", "kiosk.yaml:2:22: forms_signature_key must be a single non-empty value"},
        {"[a, b]", "kiosk.yaml:2:22: forms_signature_key must be a single non-empty value"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.value);
        const auto config = parseConfig("forms: forms\nforms_signature_key: " + c.value + "\n", "kiosk.yaml", dir.path);
        REQUIRE_FALSE(config.has_value());
        CHECK(firstMessage(config).starts_with("kiosk.yaml:2:22: "));
        CHECK(firstMessage(config).find(c.message) != std::string::npos);
    }
    // A typo is an unknown key, with the suggestion.
    const auto typo = parseConfig("forms_signature_kee: x.pem\n", "kiosk.yaml", dir.path);
    REQUIRE_FALSE(typo.has_value());
    CHECK(firstMessage(typo).find("did you mean 'forms_signature_key'?") != std::string::npos);
}
