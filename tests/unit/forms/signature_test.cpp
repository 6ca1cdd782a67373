// Signed forms folders (forms/signature.hpp, docs/signing.md): real Ed25519 keys made by
// OpenSSL in the test, real files in a temporary folder, signed and then loaded by the
// loader as a kiosk with forms_signature_key does. Every way of tampering is refused with
// its own message, and the whole folder goes (no form is offered).
#include "forms/loader.hpp"
#include "forms/signature.hpp"
#include "tests/fakes/minimal_form.hpp"
#include "tests/fakes/test_keys.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace kiosk::forms;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// A scratch place with a key pair and a forms folder: two forms (one with a staff icon),
// the icon, a word list in a subfolder and a hidden file.
struct Fixture {
    fs::path root;
    fs::path forms;
    kiosk::test::KeyFiles keys;
    PublicKey publicKey;

    Fixture() {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("kiosk-signature-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(root);
        fs::create_directories(root);
        forms = root / "forms";
        keys = kiosk::test::makeKeyPair(root, "staff");
        auto key = readPublicKeyFile(keys.publicPem);
        REQUIRE(key.has_value());
        publicKey = *key;
        spit(forms / "goed.yaml", kiosk::test::kMinimalForm);
        std::string iconForm = kiosk::test::kMinimalForm;
        iconForm.replace(iconForm.find("form: goed"), 10, "form: fiets\nicon: eigen");
        spit(forms / "fiets.yaml", iconForm);
        fs::create_directories(forms / "icons");
        fs::copy_file(fs::path(KIOSK_TEST_DATA_DIR) / "bad-icons/icons/goed.png", forms / "icons/eigen.png");
        spit(forms / "woorden/moeilijk.txt", "indienen\nverstrekken\n");
        spit(forms / ".editorconfig", "root = true\n");
    }
    ~Fixture() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    void sign() const {
        auto signedFolder = signFolder(forms, keys.privatePem);
        REQUIRE_MESSAGE(signedFolder.has_value(), signedFolder.error());
    }

    [[nodiscard]] FolderResult load() const {
        LoadOptions options;
        options.signatureKey = publicKey;
        return loadFormFolder(forms, options);
    }
};

// Every finding as "relative-path: message" (the folder itself as ".").
std::string findingsText(const FolderResult& result, const fs::path& forms) {
    std::string out;
    for (const auto& finding : result.findings) {
        out += fs::path(finding.path).lexically_relative(forms).generic_string() + ": " + finding.message + "\n";
    }
    return out;
}

// The folder was refused whole: no form, the summary first, and `expected` said about `file`.
void checkRefused(const Fixture& fixture, const std::string& file, const std::string& expected) {
    const auto result = fixture.load();
    const std::string text = findingsText(result, fixture.forms);
    INFO(text);
    CHECK(result.forms.empty());
    CHECK(result.hasErrors());
    REQUIRE(result.findings.size() >= 2);
    CHECK(result.findings.front().message.find("the whole forms folder is refused") != std::string::npos);
    CHECK(text.find(file + ": " + expected) != std::string::npos);
}

}  // namespace

TEST_CASE("a signed folder loads, and its SIGNATURE lists every file with size and SHA-256") {
    Fixture fixture;
    fixture.sign();
    const auto result = fixture.load();
    INFO(findingsText(result, fixture.forms));
    CHECK_FALSE(result.hasErrors());
    REQUIRE(result.forms.size() == 2);
    CHECK(result.forms[0].id == "fiets");
    CHECK(result.forms[0].icon == "eigen");

    const std::string signature = slurp(fixture.forms / "SIGNATURE");
    CHECK(signature.find("key: " + fixture.publicKey.fingerprint() + "\n") != std::string::npos);
    CHECK(signature.find("files: 5\n") != std::string::npos);
    const std::string png = slurp(fixture.forms / "icons/eigen.png");
    CHECK(signature.find(sha256Hex(png) + " " + std::to_string(png.size()) + " icons/eigen.png\n") !=
          std::string::npos);
    CHECK(signature.find(" woorden/moeilijk.txt\n") != std::string::npos);
    CHECK(signature.find(" .editorconfig\n") != std::string::npos);
    CHECK(signature.find(" SIGNATURE\n") == std::string::npos);
}

TEST_CASE("the fingerprint is the one openssl prints for the public key's DER") {
    // RFC 8032's first test key. The expected value was printed by
    //   openssl pkey -pubin -in KEY -outform DER | openssl dgst -sha256 -binary | base64
    // (with the padding '=' dropped): a wrong DER prefix or encoding changes it.
    auto key = parsePublicKeyPem("-----BEGIN PUBLIC KEY-----\n"
                                 "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
                                 "-----END PUBLIC KEY-----\n");
    REQUIRE(key.has_value());
    CHECK(key->raw[0] == 0xd7);
    CHECK(key->raw[31] == 0x1a);
    CHECK(key->fingerprint() == "SHA256:BuP9j9opu2CrWVV95h7bCuzbIxE0vjDnW0Vfjht5L6k");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("signing twice gives a folder that still verifies") {
    Fixture fixture;
    fixture.sign();
    fixture.sign();
    CHECK(fixture.load().forms.size() == 2);
    // A changed folder signed again verifies again.
    spit(fixture.forms / "icons/nieuw.svg", slurp(fs::path(KIOSK_TEST_DATA_DIR) / "bad-icons/icons/goed.svg"));
    CHECK(fixture.load().forms.empty());
    fixture.sign();
    CHECK(fixture.load().forms.size() == 2);
}

TEST_CASE("one changed byte in a form refuses the whole folder") {
    Fixture fixture;
    fixture.sign();
    std::string text = slurp(fixture.forms / "goed.yaml");
    text[text.find("Naam")] = 'M';  // same size, one byte
    spit(fixture.forms / "goed.yaml", text);
    checkRefused(fixture, "goed.yaml", "this file was changed after the folder was signed");
    // fiets.yaml is untouched, but it goes too.
}

TEST_CASE("a changed icon, word list or hidden file refuses the folder too") {
    for (const std::string file : {"icons/eigen.png", "woorden/moeilijk.txt", ".editorconfig"}) {
        CAPTURE(file);
        Fixture fixture;
        fixture.sign();
        spit(fixture.forms / file, slurp(fixture.forms / file) + "x");
        checkRefused(fixture, file, "this file was changed after the folder was signed");
    }
}

TEST_CASE("an added file of any kind refuses the folder") {
    for (const std::string file : {"nieuw.yaml", "icons/extra.png", "leesmij.pdf", "diep/in/een/map.txt", ".verborgen"}) {
        CAPTURE(file);
        Fixture fixture;
        fixture.sign();
        spit(fixture.forms / file, "form: nep\n");
        checkRefused(fixture, file, "the forms folder was changed after it was signed: this file is new");
    }
}

TEST_CASE("a removed file refuses the folder") {
    for (const std::string file : {"goed.yaml", "icons/eigen.png", "woorden/moeilijk.txt"}) {
        CAPTURE(file);
        Fixture fixture;
        fixture.sign();
        fs::remove(fixture.forms / file);
        checkRefused(fixture, file, "this file is missing: it was removed after the folder was signed");
    }
}

TEST_CASE("a folder signed with another key is refused, naming both keys") {
    Fixture fixture;
    fixture.sign();
    const auto other = kiosk::test::makeKeyPair(fixture.root, "other");
    auto otherKey = readPublicKeyFile(other.publicPem);
    REQUIRE(otherKey.has_value());
    LoadOptions options;
    options.signatureKey = *otherKey;
    const auto result = loadFormFolder(fixture.forms, options);
    CHECK(result.forms.empty());
    const std::string text = findingsText(result, fixture.forms);
    INFO(text);
    CHECK(text.find("SIGNATURE: the folder was signed with another key (" + fixture.publicKey.fingerprint() +
                    "); this kiosk trusts " + otherKey->fingerprint()) != std::string::npos);
}

TEST_CASE("a signature made by another key under the right key's name is refused") {
    // An attacker edits a form, signs with their own key, and writes the trusted fingerprint.
    Fixture fixture;
    const auto attacker = kiosk::test::makeKeyPair(fixture.root, "attacker");
    spit(fixture.forms / "goed.yaml", slurp(fixture.forms / "goed.yaml") + "# nep\n");
    REQUIRE(signFolder(fixture.forms, attacker.privatePem).has_value());
    auto attackerKey = readPublicKeyFile(attacker.publicPem);
    REQUIRE(attackerKey.has_value());
    std::string text = slurp(fixture.forms / "SIGNATURE");
    const std::string fake = attackerKey->fingerprint();
    text.replace(text.find(fake), fake.size(), fixture.publicKey.fingerprint());
    spit(fixture.forms / "SIGNATURE", text);
    checkRefused(fixture, "SIGNATURE", "the signature is not valid");
}

TEST_CASE("an edited list in SIGNATURE is refused: the signature no longer matches") {
    Fixture fixture;
    fixture.sign();
    spit(fixture.forms / "goed.yaml", slurp(fixture.forms / "goed.yaml") + "# erbij\n");
    std::string text = slurp(fixture.forms / "SIGNATURE");
    const std::string line = " goed.yaml\n";
    const auto end = text.find(line);
    const auto start = text.rfind('\n', end) + 1;
    const std::string bytes = slurp(fixture.forms / "goed.yaml");
    text.replace(start, end - start, sha256Hex(bytes) + " " + std::to_string(bytes.size()));
    spit(fixture.forms / "SIGNATURE", text);
    checkRefused(fixture, "SIGNATURE", "the signature is not valid: the SIGNATURE file was changed after signing");
}

TEST_CASE("no SIGNATURE file: the folder is not signed") {
    Fixture fixture;
    const auto result = fixture.load();
    CHECK(result.forms.empty());
    const std::string text = findingsText(result, fixture.forms);
    INFO(text);
    CHECK(text.find(".: the forms folder is not signed (it has no SIGNATURE file)") != std::string::npos);
    CHECK(text.find("kiosk sign") != std::string::npos);
}

TEST_CASE("a cut-off or damaged SIGNATURE file is refused as damaged") {
    Fixture fixture;
    fixture.sign();
    const std::string whole = slurp(fixture.forms / "SIGNATURE");
    for (const std::size_t keep : {std::size_t{0}, whole.size() / 2, whole.size() - 10, whole.size() - 1}) {
        CAPTURE(keep);
        spit(fixture.forms / "SIGNATURE", whole.substr(0, keep));
        checkRefused(fixture, "SIGNATURE", "the SIGNATURE file is damaged or cut off");
    }
    spit(fixture.forms / "SIGNATURE", whole + "signature: AAAA\n");
    checkRefused(fixture, "SIGNATURE", "the SIGNATURE file is damaged or cut off");
}

TEST_CASE("links are refused, in signing and in checking") {
    Fixture fixture;
    // Signing: a link, even to a file inside the folder.
    fs::create_symlink("goed.yaml", fixture.forms / "ook-goed.yaml");
    auto refused = signFolder(fixture.forms, fixture.keys.privatePem);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().find("ook-goed.yaml: this is a link; a signed folder holds no links") != std::string::npos);
    // Checking: a link added after signing.
    fs::remove(fixture.forms / "ook-goed.yaml");
    fixture.sign();
    fs::create_symlink(fixture.root / "staff-public.pem", fixture.forms / "icons/sleutel.png");
    checkRefused(fixture, "icons/sleutel.png", "this is a link; a signed folder holds no links");
}

TEST_CASE("a private key that others can read is refused; a public key cannot sign") {
    Fixture fixture;
    ::chmod(fixture.keys.privatePem.c_str(), 0644);
    auto refused = signFolder(fixture.forms, fixture.keys.privatePem);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().find("can be read by other users (its mode is 0644)") != std::string::npos);
    CHECK(refused.error().find("chmod 600") != std::string::npos);
    CHECK_FALSE(fs::exists(fixture.forms / "SIGNATURE"));

    ::chmod(fixture.keys.publicPem.c_str(), 0600);
    auto withPublic = signFolder(fixture.forms, fixture.keys.publicPem);
    REQUIRE_FALSE(withPublic.has_value());
    CHECK(withPublic.error().find("is a public key; signing needs the private key") != std::string::npos);

    // The private key inside the forms folder would travel to every kiosk.
    ::chmod(fixture.keys.privatePem.c_str(), 0600);
    fs::copy_file(fixture.keys.privatePem, fixture.forms / "key.pem");
    auto inside = signFolder(fixture.forms, fixture.forms / "key.pem");
    REQUIRE_FALSE(inside.has_value());
    CHECK(inside.error().find("lies inside the forms folder") != std::string::npos);
}

TEST_CASE("public keys: a private key or a key of another kind is refused with how to fix it") {
    Fixture fixture;
    auto fromPrivate = parsePublicKeyPem(slurp(fixture.keys.privatePem));
    REQUIRE_FALSE(fromPrivate.has_value());
    CHECK(fromPrivate.error().find("this is a private key; the kiosk needs the public key") != std::string::npos);
    const auto ec = kiosk::test::makeKeyPair(fixture.root, "ec", "EC");
    auto fromEc = parsePublicKeyPem(slurp(ec.publicPem));
    REQUIRE_FALSE(fromEc.has_value());
    CHECK(fromEc.error().find("not an Ed25519 key") != std::string::npos);
    auto garbage = parsePublicKeyPem("hello");
    REQUIRE_FALSE(garbage.has_value());
    CHECK(garbage.error().find("not a public key in PEM form") != std::string::npos);
    auto missing = readPublicKeyFile(fixture.root / "nergens.pem");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().find("does not exist") != std::string::npos);
}

TEST_CASE("a file read again later (an icon) must be the signed bytes") {
    Fixture fixture;
    fixture.sign();
    const std::string png = slurp(fixture.forms / "icons/eigen.png");
    CHECK(checkSignedFile(fixture.forms, fixture.publicKey, "icons/eigen.png", png).has_value());
    auto changed = checkSignedFile(fixture.forms, fixture.publicKey, "icons/eigen.png", png + "x");
    REQUIRE_FALSE(changed.has_value());
    CHECK(changed.error().find("changed after the folder was signed") != std::string::npos);
    auto added = checkSignedFile(fixture.forms, fixture.publicKey, "icons/extra.png", png);
    REQUIRE_FALSE(added.has_value());
    CHECK(added.error().find("not in the signature") != std::string::npos);
}

TEST_CASE("a form's icon is checked from the signed bytes: a bad signed icon is still refused") {
    Fixture fixture;
    fs::copy_file(fs::path(KIOSK_TEST_DATA_DIR) / "bad-icons/icons/afgekapt.png", fixture.forms / "icons/eigen.png",
                  fs::copy_options::overwrite_existing);
    fixture.sign();
    const auto result = fixture.load();
    const std::string text = findingsText(result, fixture.forms);
    INFO(text);
    REQUIRE(result.forms.size() == 1);
    CHECK(result.forms[0].id == "goed");
    CHECK(text.find("fiets.yaml: the icon file icons/eigen.png cannot be used") != std::string::npos);
}

TEST_CASE("without a signature key an unsigned folder loads as before") {
    Fixture fixture;
    const auto result = loadFormFolder(fixture.forms, LoadOptions{});
    CHECK(result.forms.size() == 2);
}
