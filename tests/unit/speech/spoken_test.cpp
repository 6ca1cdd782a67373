// kiosk/core/spoken: what the kiosk says for values, exactly; and, through eSpeak NG's own
// phoneme transcription, that eSpeak pronounces those forms as intended.
#include "kiosk/core/spoken.hpp"

#include "forms/reference.hpp"
#include "speech/espeak_speaker.hpp"

#include "tests/fakes/print.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <cstdint>
#include <limits>

using namespace kiosk;
namespace spoken = kiosk::core::spoken;
using kiosk::speech::EspeakSpeaker;

namespace {

// A speaker that only renders (no audio device).
EspeakSpeaker::Options renderOnly() {
    EspeakSpeaker::Options options;
    options.withoutAudio = true;
    return options;
}

const core::StringTable& strings() {
    static const auto table = core::StringTable::load(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/strings");
    REQUIRE(table.has_value());
    return *table;
}

}  // namespace

TEST_CASE("BSN and digit groups are read digit by digit in groups of three") {
    CHECK(spoken::digitGroups("111222333") == "1 1 1, 2 2 2, 3 3 3");
    CHECK(spoken::digitGroups("12-34", 2) == "1 2, 3 4");
    CHECK(spoken::bsn("123456782") == "1 2 3, 4 5 6, 7 8 2");
    CHECK_FALSE(spoken::bsn("12345678").has_value());
    CHECK_FALSE(spoken::bsn("12345678a").has_value());
}

TEST_CASE("phone numbers: digit by digit in threes, never a lone digit at the end; country code apart") {
    const auto& s = strings();
    CHECK(spoken::phone(s, "nl", "0612345678") == "0 6 1, 2 3 4, 5 6 7 8");
    CHECK(spoken::phone(s, "nl", "0201234567") == "0 2 0, 1 2 3, 4 5 6 7");
    CHECK(spoken::phone(s, "nl", "+31612345678") == "plus, 3 1; 6 1 2, 3 4 5, 6 7 8");
    CHECK(spoken::phone(s, "tr", "+905321234567") == "artı, 9 0; 5 3 2, 1 2 3, 4 5 6 7");
    CHECK(spoken::phone(s, "en", "+12025550123") == "plus, 1; 2 0 2, 5 5 5, 0 1 2 3");
    CHECK(spoken::phone(s, "pl", "+48123456789") == "plus, 4 8; 1 2 3, 4 5 6, 7 8 9");
    CHECK(spoken::phone(s, "nl", "+352621123456") == "plus, 3 5 2; 6 2 1, 1 2 3, 4 5 6");
    CHECK(spoken::phone(s, "nl", "112") == "1 1 2");
    CHECK_FALSE(spoken::phone(s, "nl", "06-12345678").has_value());
    CHECK_FALSE(spoken::phone(s, "nl", "+").has_value());
}

TEST_CASE("numbers stay digits (eSpeak reads them); a minus is a word; leading zeros are read one by one") {
    const auto& s = strings();
    CHECK(spoken::number(s, "nl", 12) == "12");
    CHECK(spoken::number(s, "en", 1234567) == "1234567");
    CHECK(spoken::number(s, "nl", -5) == "min 5");
    CHECK(spoken::number(s, "tr", -5) == "eksi 5");
    CHECK(spoken::number(s, "pl", std::numeric_limits<std::int64_t>::min()) == "minus 9223372036854775808");
    CHECK(spoken::digitsAsWritten("007") == "0 0 7");
    CHECK(spoken::digitsAsWritten("12") == "12");
    CHECK(spoken::digitsAsWritten("0") == "0");
}

TEST_CASE("amounts in euros and cents, with each language's plural") {
    const auto& s = strings();
    CHECK(spoken::amount(s, "nl", "1234.50") == "1234 euro en 50 cent");
    CHECK(spoken::amount(s, "en", "1234.50") == "1234 euros and 50 cents");
    CHECK(spoken::amount(s, "tr", "1234.50") == "1234 avro 50 sent");
    CHECK(spoken::amount(s, "pl", "1234.50") == "1234 euro i 50 centów");

    CHECK(spoken::amount(s, "en", "1.01") == "1 euro and 1 cent");
    CHECK(spoken::amount(s, "en", "12") == "12 euros");
    CHECK(spoken::amount(s, "en", "0.50") == "50 cents");
    CHECK(spoken::amount(s, "en", "0") == "0 euros");
    CHECK(spoken::amount(s, "nl", "12.5") == "12 euro en 50 cent");
    CHECK(spoken::amount(s, "nl", "-3.75") == "min 3 euro en 75 cent");
    CHECK(spoken::amount(s, "tr", "-0.05") == "eksi 5 sent");
    CHECK(spoken::amount(s, "pl", "2.22") == "2 euro i 22 centy");
    CHECK(spoken::amount(s, "pl", "5.12") == "5 euro i 12 centów");
    CHECK(spoken::amount(s, "pl", "0.01") == "1 cent");
    CHECK(spoken::amount(s, "pl", "0.04") == "4 centy");
    CHECK_FALSE(spoken::amount(s, "nl", "12,50").has_value());
    CHECK_FALSE(spoken::amount(s, "nl", "€ 12").has_value());
}

TEST_CASE("dates with their weekday, in each language's order") {
    const auto& s = strings();
    CHECK(spoken::date(s, "nl", "2026-12-05") == "zaterdag 5 december 2026");
    CHECK(spoken::date(s, "en", "2026-12-05") == "Saturday 5 December 2026");
    CHECK(spoken::date(s, "tr", "2026-12-05") == "5 Aralık 2026 Cumartesi");
    CHECK(spoken::date(s, "pl", "2026-12-05") == "sobota, 5 grudnia 2026");
    CHECK(spoken::date(s, "nl", "1990-01-01") == "maandag 1 januari 1990");
    CHECK(spoken::date(s, "nl", std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::February,
                                                            std::chrono::day{29}}) == "donderdag 29 februari 2024");
    CHECK_FALSE(spoken::date(s, "nl", "2026-02-30").has_value());
    CHECK_FALSE(spoken::date(s, "nl", "5-12-2026").has_value());
}

TEST_CASE("postcode, IBAN and reference are spelled so that eSpeak names every letter") {
    CHECK(spoken::postcode("3511AB") == "35 11, A, B");
    CHECK(spoken::postcode("3511 ab") == "35 11, A, B");
    CHECK(spoken::postcode("1001SE") == "10 0 1, S, E");
    CHECK_FALSE(spoken::postcode("0123AB").has_value());
    CHECK_FALSE(spoken::postcode("3511A").has_value());
    CHECK_FALSE(spoken::postcode("35111AB").has_value());

    CHECK(spoken::iban("NL91ABNA0417164300") == "N, L, 9 1; A, B, N, A; 0 4 1 7; 1 6 4 3; 0 0");
    CHECK(spoken::iban("nl91 abna 0417 1643 00") == "N, L, 9 1; A, B, N, A; 0 4 1 7; 1 6 4 3; 0 0");
    CHECK_FALSE(spoken::iban("NL91").has_value());
    CHECK_FALSE(spoken::iban("9191ABNA0417164300").has_value());

    const auto check = forms::checkSymbol("K7QPD4M2X");
    REQUIRE(check.has_value());
    const std::string written = std::string("K7QPD-4M2X") + *check;
    const std::string expected = std::string("K, 7, Q, P, D; 4, M, 2, X, ") + *check;
    CHECK(spoken::reference(written) == expected);
    CHECK(spoken::reference("k7qpd 4m2x" + std::string(1, static_cast<char>(std::tolower(*check)))) == expected);
    CHECK_FALSE(spoken::reference("K7QPD-4M2XX-1").has_value());

    CHECK(spoken::spell("AB 12") == "A, B; 1, 2");
    CHECK(spoken::spell("Çağ") == "Ç, a, ğ");
    CHECK(spoken::spell("") == "");
}

TEST_CASE("abbreviations eSpeak misreads are expanded as whole words; the source range maps back") {
    const auto text = spoken::expandAbbreviations("nl", "Uw UWV-uitkering, bijv. de WW. Geen UWVX of BSN.");
    CHECK(text.text == "Uw U-W-V-uitkering, bijvoorbeeld de WW. Geen UWVX of BSN.");
    REQUIRE(text.replaced.size() == 2);
    // The spoken word "U-W-V-uitkering" (3, 15) comes from "UWV-uitkering" (3, 13).
    CHECK(text.sourceRange(3, 15) == std::pair<std::size_t, std::size_t>{3, 13});
    // "bijvoorbeeld" is the replacement of "bijv." (18, 5).
    CHECK(text.sourceRange(20, 12) == std::pair<std::size_t, std::size_t>{18, 5});
    // "de" after both replacements: shifted back by 2 + 7 bytes.
    const auto de = text.text.find(" de ") + 1;
    CHECK(text.sourceRange(de, 2) == std::pair<std::size_t, std::size_t>{de - 9, 2});
    CHECK(text.sourceRange(0, 2) == std::pair<std::size_t, std::size_t>{0, 2});

    CHECK(spoken::expandAbbreviations("en", "e.g. the IND").text == "for example the I-N-D");
    CHECK(spoken::expandAbbreviations("tr", "IND ve CJIB").text == "İ-N-D ve C-J-İ-B");
    CHECK(spoken::expandAbbreviations("pl", "ul. Długa nr 5").text == "ulica Długa numer 5");
    CHECK(spoken::expandAbbreviations("ar", "UWV").text == "UWV");  // no table: unchanged
    CHECK(spoken::expandAbbreviations("nl", "").text.empty());
}

// -- How eSpeak NG really pronounces these forms (its phoneme mnemonics, eSpeak NG 1.51) --

TEST_CASE("eSpeak names letters spelled with commas, where spaces alone fail") {
    EspeakSpeaker speaker(renderOnly());
    REQUIRE(speaker.waitUntilReady().has_value());
    // English: "A" between spaces is the article (schwa), between commas the letter "ay".
    const auto spaced = speaker.phonemes("A B", "en");
    REQUIRE(spaced.has_value());
    CHECK(spaced->starts_with("a#"));
    const auto commas = speaker.phonemes(*spoken::iban("NL91ABNA0417164300"), "en");
    REQUIRE(commas.has_value());
    CHECK(commas->find("'eI") != std::string::npos);
    CHECK(commas->find("a#") == std::string::npos);
    // Dutch: "S" between spaces is a hiss, between commas "es".
    const auto hiss = speaker.phonemes("B S N", "nl");
    REQUIRE(hiss.has_value());
    CHECK(hiss->find("'Es") == std::string::npos);
    const auto es = speaker.phonemes(*spoken::postcode("1001SE"), "nl");
    REQUIRE(es.has_value());
    CHECK(es->find("'Es") != std::string::npos);
    // ... which is why "BSN" is not in the Dutch table: eSpeak says "bee es en" by itself.
    const auto bsn = speaker.phonemes("BSN", "nl");
    REQUIRE(bsn.has_value());
    CHECK(bsn->find("Es'En") != std::string::npos);
}

TEST_CASE("every abbreviation in every table changes how eSpeak pronounces it") {
    EspeakSpeaker speaker(renderOnly());
    REQUIRE(speaker.waitUntilReady().has_value());
    for (const char* language : {"nl", "en", "tr", "pl"}) {
        for (const auto& [written, said] : spoken::abbreviations(language)) {
            CAPTURE(language);
            CAPTURE(written);
            const auto before = speaker.phonemes(written, language);
            const auto after = speaker.phonemes(said, language);
            REQUIRE(before.has_value());
            REQUIRE(after.has_value());
            CHECK(*before != *after);
        }
    }
    // "UWV" in Dutch: one syllable ("yUf") as written; three letter names expanded.
    const auto uwv = speaker.phonemes(spoken::expandAbbreviations("nl", "UWV").text, "nl");
    REQUIRE(uwv.has_value());
    CHECK(uwv->find("v'e:f'e:") != std::string::npos);
}

TEST_CASE("a minus in Turkish and Polish is only heard as the word") {
    EspeakSpeaker speaker(renderOnly());
    REQUIRE(speaker.waitUntilReady().has_value());
    const auto bare = speaker.phonemes("-5", "tr");
    const auto word = speaker.phonemes(spoken::number(strings(), "tr", -5), "tr");
    REQUIRE(bare.has_value());
    REQUIRE(word.has_value());
    CHECK(*bare != *word);
    CHECK(word->size() > bare->size());
}
