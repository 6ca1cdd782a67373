// The encrypted envelope: sealed mode opens only with the backend's private key, plain mode
// with the key file; any change to a byte, the key or the binding is refused.
#include "kiosk/net/envelope.hpp"

#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace kiosk;
using namespace kiosk::test;

namespace {

const std::string kPayload = makeSubmission("K7QPD-4M2XR", "https://localhost/api").payload;
const net::EnvelopeBinding kBinding{"K7QPD-4M2XR", "verhuizing"};

nlohmann::json header(const std::string& jwe) {
    const auto doc = nlohmann::json::parse(jwe);
    auto text = net::base64UrlDecode(doc.at("protected").get<std::string>());
    REQUIRE(text.has_value());
    return nlohmann::json::parse(*text);
}

// Flips one base64url character of a field to another valid one.
std::string tamper(const std::string& jwe, const char* field) {
    auto doc = nlohmann::json::parse(jwe);
    std::string value = doc.at(field).get<std::string>();
    value[value.size() / 2] = value[value.size() / 2] == 'A' ? 'B' : 'A';
    doc[field] = value;
    return doc.dump();
}

}  // namespace

TEST_CASE("net: base64url follows RFC 4648 section 5 without padding") {
    CHECK(net::base64UrlEncode(std::string_view("")) == "");
    CHECK(net::base64UrlEncode(std::string_view("f")) == "Zg");
    CHECK(net::base64UrlEncode(std::string_view("fo")) == "Zm8");
    CHECK(net::base64UrlEncode(std::string_view("foo")) == "Zm9v");
    CHECK(net::base64UrlEncode(std::string_view("foob")) == "Zm9vYg");
    CHECK(net::base64UrlEncode(std::string_view("\xfb\xff", 2)) == "-_8");
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        CHECK(net::base64UrlDecode(net::base64UrlEncode(s)).value() == s);
    }
    CHECK_FALSE(net::base64UrlDecode("Zm9v+").has_value());  // standard alphabet
    CHECK_FALSE(net::base64UrlDecode("Zm9v=").has_value());  // padding
    CHECK_FALSE(net::base64UrlDecode("Z").has_value());      // a lone 6-bit group
    CHECK_FALSE(net::base64UrlDecode("Zh").has_value());     // non-zero leftover bits
}

TEST_CASE("net: a sealed envelope opens only with the backend's private key") {
    auto keys = net::EnvelopeKeys::loadRecipient(certsDir() / "sealing.pub.pem");
    REQUIRE(keys.has_value());
    CHECK(keys->mode() == net::EnvelopeMode::Sealed);
    auto jwe = keys->seal(kPayload, kBinding);
    REQUIRE(jwe.has_value());

    CHECK(jwe->find("Jansen") == std::string::npos);
    CHECK(jwe->find(kSecretBsn) == std::string::npos);
    const auto h = header(*jwe);
    CHECK(h.at("alg") == "RSA-OAEP-256");
    CHECK(h.at("enc") == "A256GCM");
    CHECK(h.at("toegang_ref") == kBinding.reference);
    CHECK(h.at("toegang_form") == kBinding.formId);
    CHECK(h.at("kid") == keys->keyId());
    CHECK(keys->checkHeader(*jwe, kBinding).has_value());

    // The backend's side.
    auto opened = net::openSealedEnvelope(*jwe, certsDir() / "sealing.key");
    REQUIRE(opened.has_value());
    CHECK(*opened == kPayload);

    // The kiosk's side cannot.
    auto byKiosk = keys->open(*jwe, kBinding);
    REQUIRE_FALSE(byKiosk.has_value());
    CHECK(byKiosk.error().code == net::NetError::KeyUnsuitable);

    // A fresh content key and IV every time.
    auto again = keys->seal(kPayload, kBinding);
    REQUIRE(again.has_value());
    CHECK(*again != *jwe);
    CHECK(nlohmann::json::parse(*again).at("encrypted_key") != nlohmann::json::parse(*jwe).at("encrypted_key"));

    for (const char* field : {"ciphertext", "tag", "iv", "encrypted_key", "protected"}) {
        CAPTURE(field);
        auto damaged = net::openSealedEnvelope(tamper(*jwe, field), certsDir() / "sealing.key");
        REQUIRE_FALSE(damaged.has_value());
        CHECK(damaged.error().code == net::NetError::Corrupt);
    }
    CHECK_FALSE(keys->checkHeader(*jwe, {"OTHER-REF01", "verhuizing"}).has_value());
    CHECK_FALSE(keys->checkHeader(*jwe, {kBinding.reference, "kwijtschelding"}).has_value());
}

TEST_CASE("net: a plain envelope opens with the key file and refuses any change") {
    TempDir tmp;
    auto keys = net::EnvelopeKeys::loadOrCreateKeyFile(tmp / "outbox.key");
    REQUIRE(keys.has_value());
    CHECK(keys->mode() == net::EnvelopeMode::Plain);
    auto jwe = keys->seal(kPayload, kBinding);
    REQUIRE(jwe.has_value());
    CHECK(jwe->find("Jansen") == std::string::npos);
    CHECK(header(*jwe).at("alg") == "A256GCMKW");

    auto opened = keys->open(*jwe, kBinding);
    REQUIRE(opened.has_value());
    CHECK(*opened == kPayload);

    for (const char* field : {"ciphertext", "tag", "iv", "encrypted_key", "protected"}) {
        CAPTURE(field);
        auto damaged = keys->open(tamper(*jwe, field), kBinding);
        REQUIRE_FALSE(damaged.has_value());
        CHECK(damaged.error().code == net::NetError::Corrupt);
    }
    auto swapped = keys->open(*jwe, {"OTHER-REF01", "verhuizing"});
    REQUIRE_FALSE(swapped.has_value());
    CHECK(swapped.error().code == net::NetError::Corrupt);

    auto other = net::EnvelopeKeys::loadOrCreateKeyFile(tmp / "other.key");
    REQUIRE(other.has_value());
    CHECK(other->keyId() != keys->keyId());
    auto wrongKey = other->open(*jwe, kBinding);
    REQUIRE_FALSE(wrongKey.has_value());
    CHECK(wrongKey.error().code == net::NetError::Corrupt);
}

TEST_CASE("net: the key file is made 0600 with 32 random bytes and reused") {
    TempDir tmp;
    const auto file = tmp / "keys" / "outbox.key";
    auto first = net::EnvelopeKeys::loadOrCreateKeyFile(file);
    REQUIRE(first.has_value());
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(st.st_size == 32);
    auto second = net::EnvelopeKeys::loadOrCreateKeyFile(file);
    REQUIRE(second.has_value());
    CHECK(second->keyId() == first->keyId());
    auto jwe = first->seal(kPayload, kBinding);
    REQUIRE(jwe.has_value());
    CHECK(second->open(*jwe, kBinding).value() == kPayload);
}

TEST_CASE("net: unsuitable keys are refused with a reason") {
    TempDir tmp;
    SUBCASE("key file readable by others") {
        writeText(tmp / "k", std::string(32, 'k'));
        ::chmod((tmp / "k").c_str(), 0644);
        auto keys = net::EnvelopeKeys::loadOrCreateKeyFile(tmp / "k");
        REQUIRE_FALSE(keys.has_value());
        CHECK(keys.error().code == net::NetError::KeyUnsuitable);
        CHECK(keys.error().detail.find("chmod 600") != std::string::npos);
    }
    SUBCASE("key file of the wrong size") {
        writeText(tmp / "k", std::string(31, 'k'));
        ::chmod((tmp / "k").c_str(), 0600);
        auto keys = net::EnvelopeKeys::loadOrCreateKeyFile(tmp / "k");
        REQUIRE_FALSE(keys.has_value());
        CHECK(keys.error().code == net::NetError::KeyUnsuitable);
    }
    SUBCASE("recipient key missing") {
        auto keys = net::EnvelopeKeys::loadRecipient(tmp / "missing.pem");
        REQUIRE_FALSE(keys.has_value());
        CHECK(keys.error().code == net::NetError::KeyUnavailable);
    }
    SUBCASE("recipient key that is a certificate, not a public key") {
        auto keys = net::EnvelopeKeys::loadRecipient(certsDir() / "server.crt");
        REQUIRE_FALSE(keys.has_value());
        CHECK(keys.error().code == net::NetError::KeyUnsuitable);
    }
    SUBCASE("recipient key that is not RSA") {
        const auto pem = tmp / "ec.pub.pem";
        const std::string command = "openssl pkey -in '" + (certsDir() / "server.key").string() +
                                    "' -pubout -out '" + pem.string() + "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        auto keys = net::EnvelopeKeys::loadRecipient(pem);
        REQUIRE_FALSE(keys.has_value());
        CHECK(keys.error().code == net::NetError::KeyUnsuitable);
        CHECK(keys.error().detail.find("RSA") != std::string::npos);
    }
}
