#include "kiosk/core/pin.hpp"

#include <doctest/doctest.h>

using namespace kiosk::core;

TEST_CASE("a PIN hash verifies its PIN and nothing else") {
    const auto hash = hashPin("4711");
    REQUIRE(hash.has_value());
    CHECK(hash->starts_with("$scrypt$ln=15,r=8,p=1$"));
    CHECK(isPinHash(*hash));
    CHECK(verifyPin("4711", *hash));
    CHECK_FALSE(verifyPin("4712", *hash));
    CHECK_FALSE(verifyPin("", *hash));
    // A fresh salt each time: the same PIN gives another line.
    CHECK(*hashPin("4711") != *hash);
}

TEST_CASE("a known scrypt line (made with Python's hashlib.scrypt) verifies") {
    // hashlib.scrypt(b"1234", salt=b"toegang-demo-pin", n=2**15, r=8, p=1, dklen=32)
    const std::string known =
        "$scrypt$ln=15,r=8,p=1$dG9lZ2FuZy1kZW1vLXBpbg==$A0VuqleyAn+JQXO+2kOv7c/bYZ8U857D1Fuf9SJFX70=";
    CHECK(verifyPin("1234", known));
    CHECK_FALSE(verifyPin("1235", known));
}

TEST_CASE("malformed hashes never match and are recognised as malformed") {
    for (const char* bad : {"", "1234", "$scrypt$", "$scrypt$ln=15,r=8,p=1$$", "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
                            "$argon2$ln=15,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=="}) {
        CAPTURE(bad);
        CHECK_FALSE(isPinHash(bad));
        CHECK_FALSE(verifyPin("1234", bad));
    }
}
