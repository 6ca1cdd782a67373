// The plain-language lint: warnings for form texts that are hard to read or to hear, each
// with the place of the offending text (per language) and a fix in plain words. Run by
// `kiosk lint`; explained for staff in docs/staff-guide.md.
//
// [SECTION] Rules
//   long-sentence     a sentence over kMaxSentenceWords words (60% of Dutch adults read at
//                     level B, where longer sentences are hard)
//   long-word         a word part over kMaxWordLetters letters without a soft hyphen (U+00AD)
//   soft-hyphen-typing "&shy;" or a "\u00AD" that YAML did not turn into a soft hyphen
//   jargon            a word or phrase from the jargon list of the text's language
//   missing-why       a personal-data field (personal_data.hpp) without `why`
//   abbreviation      BSN, WMO, bijv., o.a., ... in a text that is not spelled out by `speak`
// [SECTION] Jargon lists
//   One file per language: the kiosk's own (assets/lint/jargon/<lang>.txt) and, added to it,
//   staff's (<forms folder>/plain-language/<lang>.txt). Format, one entry a line:
//       # a comment
//       indienen, ingediend, indient, dien in = geven, sturen
//       ! aanvragen            (staff's file only: never warn for this word)
//   Before '=': the forms to find (words or phrases, commas between them); after it: what
//   to write instead. Matching is by whole words, case-insensitive; soft hyphens are ignored.
//
// Pure: no files are read here except by loadJargon(). Any thread. Never throws.
#pragma once

#include "forms/form.hpp"
#include "forms/loader.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms::plain {

inline constexpr int kMaxSentenceWords = 10;
// Letters in a word (or in one part of it between hyphens, slashes or soft hyphens). Long
// Dutch compounds ("burgerservicenummer", 19) are hard to decode for people who read word
// by word, and at the largest text size a tile holds about 16 to 20 letters a line.
inline constexpr int kMaxWordLetters = 16;

// One warning: the finding (severity Warning, path, position, message), the rule's id and
// what to do about it.
struct LintFinding {
    Finding finding;
    std::string rule;
    std::string fix;
};

// "path:line:column: warning: message. Fix [rule]".
[[nodiscard]] std::string formatLintFinding(const LintFinding& finding);

// [SECTION] Jargon lists

struct JargonEntry {
    std::vector<std::vector<std::string>> forms;  // each form: its words, case-folded
    std::string plain;                            // what to write instead, as written
};
// Per language code ("nl"): the entries of that language.
using JargonTable = std::map<std::string, std::vector<JargonEntry>, std::less<>>;

// Adds the entries of one list file's text to `table[language]`. A line that cannot be read
// becomes a finding (rule "jargon-list") with its line and column. `staffFile`: lines
// "! word" remove an entry (only staff's own file may; the kiosk's list has none).
void addJargonList(JargonTable& table, std::string_view language, std::string_view text,
                   const std::string& path, bool staffFile, std::vector<LintFinding>& findings);

// Reads `shippedDir`/<lang>.txt for every file there, then `formsDir`/plain-language/<lang>.txt
// (staff's additions; a missing folder is fine; a file not named after a language code is a
// finding). Files are read as staff files (staff_file.hpp: no links out of the folder, no
// pipes, at most 1 MiB).
[[nodiscard]] JargonTable loadJargon(const std::filesystem::path& shippedDir,
                                     const std::filesystem::path& formsDir,
                                     std::vector<LintFinding>& findings);

// [SECTION] Checking forms

// Every plain-language warning for one loaded form, in file order.
[[nodiscard]] std::vector<LintFinding> lintForm(const Form& form, const JargonTable& jargon);

// The words of a text as the rules count them (for tests and the staff guide's examples).
[[nodiscard]] int wordCount(std::string_view sentence);

}  // namespace kiosk::forms::plain
