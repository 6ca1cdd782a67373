// [SECTION] Characters: classes and case folding
// [SECTION] Tokens and words
// [SECTION] Jargon lists
// [SECTION] The rules, text by text
// [SECTION] Forms
#include "forms/plain_language.hpp"

#include "forms/personal_data.hpp"
#include "forms/staff_file.hpp"
#include "forms/value.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <system_error>

namespace kiosk::forms::plain {

namespace {

// [SECTION] Characters: classes and case folding -------------------------------------------------

constexpr char32_t kSoftHyphen = 0x00AD;

struct Char {
    char32_t cp = 0;
    std::size_t byte = 0;  // offset in the text
};

std::vector<Char> decode(std::string_view text) {
    std::vector<Char> out;
    for (std::size_t at = 0; at < text.size();) {
        const CodePoint point = decodeUtf8(text, at);
        out.push_back({point.valid ? point.value : 0xFFFD, at});
        at += point.length;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x3000;
}

bool isDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9); }

// Letters of the scripts the kiosk's languages use (Latin, Greek, Cyrillic, Arabic).
bool isLetter(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    if (c >= 0x00C0 && c <= 0x024F) return c != 0x00D7 && c != 0x00F7;
    if (c >= 0x0370 && c <= 0x052F) return c != 0x037E && c != 0x0387;
    if (c >= 0x0600 && c <= 0x06FF) {
        return c != 0x060C && c != 0x061B && c != 0x061F && !(c >= 0x066A && c <= 0x066D) && c != 0x06D4 &&
               !isDigit(c);
    }
    return c >= 0x1E00 && c <= 0x1EFF;
}

bool isWordChar(char32_t c) { return isLetter(c) || isDigit(c); }

bool isUpper(char32_t c) {
    if (c >= 'A' && c <= 'Z') return true;
    if (c >= 0x00C0 && c <= 0x00DE) return c != 0x00D7;
    if (c >= 0x0100 && c <= 0x017F) {
        // Latin Extended-A pairs: upper case is even in 0100-0137 and 014A-0177, odd in
        // 0139-0148 and 0179-017E; 0130 (İ) and 0178 (Ÿ) are upper case too.
        if (c == 0x0130 || c == 0x0178) return true;
        if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E)) return c % 2 == 1;
        if (c == 0x0138 || c == 0x0149 || c == 0x017F) return false;
        return c % 2 == 0;
    }
    return c >= 0x0400 && c <= 0x042F;
}

char32_t fold(char32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) return c + 32;
    if (c == 0x0130) return 'i';
    if (c >= 0x0100 && c <= 0x017F && isUpper(c) && c != 0x0178) return c + 1;
    if (c == 0x0178) return 0x00FF;
    if (c >= 0x0410 && c <= 0x042F) return c + 32;
    if (c >= 0x0400 && c <= 0x040F) return c + 80;
    if (c == 0x2019) return '\'';  // a typographic apostrophe matches a typed one
    return c;
}

std::string foldString(std::string_view text) {
    std::string out;
    for (const auto& c : decode(text)) appendUtf8(out, fold(c.cp));
    return out;
}

// Characters around a word that are not part of it: quotes, brackets, punctuation.
bool isEdgePunctuation(char32_t c) { return !isWordChar(c) && c != kSoftHyphen; }

bool endsSentence(char32_t c) { return c == '.' || c == '?' || c == '!' || c == 0x061F || c == 0x06D4 || c == 0x2026; }

// [SECTION] Tokens and words ------------------------------------------------------------------------

// A piece of text between spaces: [begin, end) into the decoded characters.
struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
};

std::vector<Token> tokens(const std::vector<Char>& chars) {
    std::vector<Token> out;
    std::size_t at = 0;
    while (at < chars.size()) {
        while (at < chars.size() && isSpace(chars[at].cp)) ++at;
        const std::size_t begin = at;
        while (at < chars.size() && !isSpace(chars[at].cp)) ++at;
        if (at > begin) out.push_back({begin, at});
    }
    return out;
}

std::string slice(std::string_view text, const std::vector<Char>& chars, std::size_t begin, std::size_t end) {
    const std::size_t from = begin < chars.size() ? chars[begin].byte : text.size();
    const std::size_t to = end < chars.size() ? chars[end].byte : text.size();
    return std::string(text.substr(from, to - from));
}

bool hasWordChar(const std::vector<Char>& chars, Token token) {
    for (std::size_t i = token.begin; i < token.end; ++i) {
        if (isWordChar(chars[i].cp)) return true;
    }
    return false;
}

// The token without quotes, brackets and punctuation around it (a trailing '.' kept when
// `keepDot`, for abbreviations such as "bijv.").
Token core(const std::vector<Char>& chars, Token token, bool keepDot) {
    while (token.begin < token.end && isEdgePunctuation(chars[token.begin].cp)) ++token.begin;
    while (token.end > token.begin && isEdgePunctuation(chars[token.end - 1].cp)) {
        if (keepDot && chars[token.end - 1].cp == '.') {
            std::size_t dot = token.end - 1;
            if (dot > token.begin && isWordChar(chars[dot - 1].cp)) break;
        }
        --token.end;
    }
    return token;
}

// Abbreviations written with dots, per language (lower case). Any "x.y." pattern of short
// letter groups counts too (abbreviationWithDots).
const std::vector<std::string_view>& dottedAbbreviations(std::string_view language) {
    static const std::vector<std::string_view> kNl{"bijv.", "bv.", "b.v.", "ca.", "nr.", "evt.", "enz.", "incl.",
                                                   "excl.", "tel.", "mevr.", "dhr.", "ivm.", "mbt.", "tav.", "zgn."};
    static const std::vector<std::string_view> kEn{"e.g.", "i.e.", "etc.", "approx.", "incl.", "excl.", "tel.", "vs.", "dept."};
    static const std::vector<std::string_view> kTr{"vb.", "örn.", "bkz.", "yy.", "no.", "tel."};
    static const std::vector<std::string_view> kPl{"np.", "itd.", "itp.", "tzn.", "ok.", "nr.", "tel.", "ul.", "godz."};
    static const std::vector<std::string_view> kUk{"напр.", "тел.", "вул.", "м."};
    static const std::vector<std::string_view> kNone;
    if (language == "nl") return kNl;
    if (language == "en") return kEn;
    if (language == "tr") return kTr;
    if (language == "pl") return kPl;
    if (language == "uk") return kUk;
    return kNone;
}

// "o.a.", "t.a.v.", "z.s.m.", "e.g.", "т.д.": letter groups of 1 to 3 with a dot between.
bool abbreviationWithDots(const std::vector<Char>& chars, Token word) {
    int groups = 0;
    int run = 0;
    bool innerDot = false;
    for (std::size_t i = word.begin; i < word.end; ++i) {
        const char32_t c = chars[i].cp;
        if (isLetter(c)) {
            if (++run > 3) return false;
        } else if (c == '.') {
            if (run == 0) return false;
            ++groups;
            if (i + 1 < word.end) innerDot = true;
            run = 0;
        } else {
            return false;
        }
    }
    if (run > 0) ++groups;
    return innerDot && groups >= 2;
}

bool isDottedAbbreviation(std::string_view text, const std::vector<Char>& chars, Token token, std::string_view language) {
    const Token word = core(chars, token, true);
    if (word.end <= word.begin) return false;
    if (abbreviationWithDots(chars, word)) return true;
    if (chars[word.end - 1].cp != '.') return false;
    const std::string folded = foldString(slice(text, chars, word.begin, word.end));
    const auto& list = dottedAbbreviations(language);
    return std::ranges::find(list, folded) != list.end();
}

// Words for the jargon match: runs of letters, digits and apostrophes inside a word, case
// folded, soft hyphens dropped; anything else separates ("e-mail" is "e", "mail").
std::vector<std::string> matchWords(std::string_view text) {
    std::vector<std::string> words;
    std::string current;
    const auto chars = decode(text);
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const char32_t c = chars[i].cp;
        if (c == kSoftHyphen) continue;
        const bool apostrophe = (c == '\'' || c == 0x2019) && !current.empty() && i + 1 < chars.size() &&
                                isWordChar(chars[i + 1].cp);
        if (isWordChar(c) || apostrophe) {
            appendUtf8(current, fold(c));
        } else if (!current.empty()) {
            words.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

std::string languageName(std::string_view code) {
    static const std::map<std::string, std::string, std::less<>> kNames{
        {"nl", "Dutch"}, {"en", "English"}, {"tr", "Turkish"}, {"pl", "Polish"}, {"ar", "Arabic"}, {"uk", "Ukrainian"}};
    const auto found = kNames.find(code);
    return found == kNames.end() ? std::string(code) : found->second + " (" + std::string(code) + ")";
}

bool isLanguageCode(std::string_view code) {
    return code.size() >= 2 && code.size() <= 3 && std::ranges::all_of(code, [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

int columnOf(std::string_view line, std::size_t byte) {
    return static_cast<int>(codePointCount(line.substr(0, std::min(byte, line.size())))) + 1;
}

}  // namespace

std::string formatLintFinding(const LintFinding& finding) {
    std::string out = formatFinding(finding.finding);
    if (!finding.fix.empty()) out += ". " + finding.fix;
    if (!finding.rule.empty()) out += " [" + finding.rule + "]";
    return out;
}

int wordCount(std::string_view sentence) {
    const auto chars = decode(sentence);
    int count = 0;
    for (const auto token : tokens(chars)) count += hasWordChar(chars, token) ? 1 : 0;
    return count;
}

// [SECTION] Jargon lists ----------------------------------------------------------------------------

void addJargonList(JargonTable& table, std::string_view language, std::string_view text, const std::string& path,
                   bool staffFile, std::vector<LintFinding>& findings) {
    auto& entries = table[std::string(language)];
    auto problem = [&](int line, int column, std::string message, std::string fix) {
        findings.push_back({{Severity::Warning, path, {line, column}, std::move(message)}, "jargon-list", std::move(fix)});
    };
    const std::string kFormat = "Each line is: jargon word, other form = plain words (for example: indienen, ingediend = geven)";
    int lineNumber = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto newline = text.find('\n', start);
        const std::string_view line = text.substr(start, newline == std::string_view::npos ? text.size() - start : newline - start);
        start = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
        ++lineNumber;
        const std::string trimmed = trim(line);
        if (trimmed.empty() || trimmed.starts_with('#')) continue;
        const std::size_t indent = line.find_first_not_of(" \t");
        if (trimmed.starts_with('!')) {
            if (!staffFile) {
                problem(lineNumber, columnOf(line, indent), "'!' (remove a word) only works in the forms folder's plain-language list", "Remove this line");
                continue;
            }
            const std::string words = trim(trimmed.substr(1));
            const auto form = matchWords(words);
            if (form.empty()) {
                problem(lineNumber, columnOf(line, indent), "this line removes nothing: there is no word after '!'", "Write the word to remove after '!', like: ! aanvragen");
                continue;
            }
            bool removed = false;
            for (auto& entry : entries) {
                const auto before = entry.forms.size();
                std::erase(entry.forms, form);
                removed = removed || entry.forms.size() != before;
            }
            std::erase_if(entries, [](const JargonEntry& e) { return e.forms.empty(); });
            if (!removed) {
                problem(lineNumber, columnOf(line, indent), "'" + words + "' is not in the jargon list, so there is nothing to remove",
                        "Check the spelling, or remove this line");
            }
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            problem(lineNumber, columnOf(line, indent), "this line has no '='", kFormat);
            continue;
        }
        const std::string plain = trim(line.substr(equals + 1));
        if (plain.empty()) {
            problem(lineNumber, columnOf(line, equals), "there is nothing after '='",
                    "Write after '=' what staff should write instead, like: indienen = geven");
            continue;
        }
        JargonEntry entry;
        entry.plain = plain;
        bool ok = true;
        std::size_t itemStart = 0;
        const std::string_view left = line.substr(0, equals);
        while (itemStart <= left.size()) {
            const auto comma = left.find(',', itemStart);
            const std::size_t itemEnd = comma == std::string_view::npos ? left.size() : comma;
            const std::string_view item = left.substr(itemStart, itemEnd - itemStart);
            const std::size_t itemIndent = item.find_first_not_of(" \t");
            const int column = columnOf(line, itemStart + (itemIndent == std::string_view::npos ? 0 : itemIndent));
            auto words = matchWords(item);
            if (words.empty()) {
                problem(lineNumber, column, trim(item).empty() ? "a word is missing here (before '=' or between commas)"
                                                               : "'" + trim(item) + "' has no letters",
                        kFormat);
                ok = false;
            } else {
                entry.forms.push_back(std::move(words));
            }
            itemStart = itemEnd + 1;
        }
        if (ok) entries.push_back(std::move(entry));
    }
}

JargonTable loadJargon(const std::filesystem::path& shippedDir, const std::filesystem::path& formsDir,
                       std::vector<LintFinding>& findings) {
    JargonTable table;
    auto readFolder = [&](const std::filesystem::path& folder, bool staff) {
        std::error_code ec;
        if (!std::filesystem::is_directory(folder, ec)) {
            if (!staff) {
                findings.push_back({{Severity::Warning, folder.string(), {1, 1}, "the kiosk's jargon lists are missing"},
                                    "jargon-list", "Is the kiosk installed completely?"});
            }
            return;
        }
        std::vector<std::filesystem::path> files;
        for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() == ".txt") files.push_back(it->path());
        }
        std::ranges::sort(files);
        for (const auto& file : files) {
            const std::string language = file.stem().string();
            if (!isLanguageCode(language)) {
                findings.push_back({{Severity::Warning, file.string(), {1, 1},
                                     "this list is not read: its name is not a language code"},
                                    "jargon-list", "Name it after the language of its words, like nl.txt or en.txt"});
                continue;
            }
            ReadRules rules;
            rules.kind = "word list";
            rules.sizeRule = "word lists may be at most 1024 KiB (1 MiB)";
            if (staff) rules.insideFolder = std::filesystem::weakly_canonical(formsDir, ec);
            auto text = readStaffFile(file, rules);
            if (!text) {
                findings.push_back({{Severity::Warning, file.string(), {1, 1}, text.error()}, "jargon-list", ""});
                continue;
            }
            if (auto bad = firstInvalidUtf8(*text)) {
                findings.push_back({{Severity::Warning, file.string(), {1, 1}, "this list is not UTF-8 text"},
                                    "jargon-list", "Save it as UTF-8 in your editor"});
                continue;
            }
            addJargonList(table, language, *text, file.string(), staff, findings);
        }
    };
    readFolder(shippedDir, false);
    readFolder(formsDir / "plain-language", true);
    return table;
}

namespace {

// [SECTION] The rules, text by text -------------------------------------------------------------------

enum class Role { Title, Intro, PageTitle, Label, Hint, Why, Speak, OptionLabel, OptionSpeak };

struct TextRef {
    const Text* text = nullptr;
    Role role = Role::Label;
    std::string owner;            // "field 'bsn'", "option 'huur' of field 'woning'", "the form"
    bool hasSpeak = false;        // label / option label whose field or option has `speak`
};

std::string roleName(Role role) {
    switch (role) {
        case Role::Title: return "the title";
        case Role::Intro: return "the intro";
        case Role::PageTitle: return "the title";
        case Role::Label: return "the label";
        case Role::Hint: return "the hint";
        case Role::Why: return "the why";
        case Role::Speak: return "the speak";
        case Role::OptionLabel: return "the label";
        case Role::OptionSpeak: return "the speak";
    }
    return "the text";
}

class TextChecker {
public:
    TextChecker(const Form& form, const JargonTable& jargon, std::vector<LintFinding>& out)
        : m_form(form), m_jargon(jargon), m_out(out) {}

    void check(const TextRef& ref) {
        for (const auto& language : m_form.languages) {
            const std::string& text = ref.text->in(language);
            if (text.empty()) continue;
            m_ref = &ref;
            m_language = language;
            m_pos = ref.text->posIn(language);
            const bool shown = ref.role != Role::Speak && ref.role != Role::OptionSpeak;
            sentences(text);
            if (shown) longWords(text);
            softHyphenTyping(text);
            jargon(text);
            if (shown && !ref.hasSpeak) abbreviations(text);
        }
    }

private:
    void warn(std::string rule, std::string message, std::string fix) {
        const std::string where = roleName(m_ref->role) + " of " + m_ref->owner + " (" + m_language + ")";
        m_out.push_back({{Severity::Warning, m_form.sourcePath, m_pos, where + ": " + std::move(message)},
                         std::move(rule), std::move(fix)});
    }

    void sentences(std::string_view text) {
        const auto chars = decode(text);
        const auto all = tokens(chars);
        std::size_t first = 0;
        int words = 0;
        auto finish = [&](std::size_t endToken) {
            if (words > kMaxSentenceWords) {
                std::string start;
                const std::size_t shown = std::min<std::size_t>(endToken - first, 6);
                for (std::size_t i = first; i < first + shown; ++i) {
                    if (!start.empty()) start += ' ';
                    start += slice(text, chars, all[i].begin, all[i].end);
                }
                if (endToken - first > shown) start += " \u2026";
                warn("long-sentence",
                     "this sentence has " + std::to_string(words) + " words (\"" + start + "\")",
                     "Make it " + std::to_string(kMaxSentenceWords) +
                         " words or fewer: split it in two, or leave words out. 60% of Dutch adults "
                         "read at level B, and long sentences are hard at that level");
            }
            words = 0;
            first = endToken;
        };
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (hasWordChar(chars, all[i])) ++words;
            // The last character that is not a closing quote or bracket ends the sentence?
            std::size_t last = all[i].end;
            while (last > all[i].begin && std::u32string_view(U"\"')]}\u201D\u2019\u00BB").find(chars[last - 1].cp) != std::u32string_view::npos) --last;
            if (last > all[i].begin && endsSentence(chars[last - 1].cp) && !isDottedAbbreviation(text, chars, all[i], m_language)) {
                finish(i + 1);
            }
        }
        finish(all.size());
    }

    void longWords(std::string_view text) {
        const auto chars = decode(text);
        for (const auto token : tokens(chars)) {
            const std::string written = slice(text, chars, token.begin, token.end);
            if (written.find('@') != std::string::npos || written.find("://") != std::string::npos ||
                written.starts_with("www.")) {
                continue;  // an address: it cannot be shorter
            }
            const Token word = core(chars, token, false);
            bool softHyphen = false;
            int letters = 0;
            int longest = 0;
            bool onlyDigits = true;
            bool longPartDigits = true;
            for (std::size_t i = word.begin; i <= word.end; ++i) {
                const char32_t c = i < word.end ? chars[i].cp : U' ';
                if (c == kSoftHyphen) softHyphen = true;
                if (i < word.end && isWordChar(c)) {
                    ++letters;
                    onlyDigits = onlyDigits && isDigit(c);
                    continue;
                }
                // A part ends at a hyphen, slash, soft hyphen or anything but a letter.
                if (letters > longest) {
                    longest = letters;
                    longPartDigits = onlyDigits;
                }
                letters = 0;
                onlyDigits = true;
            }
            if (longest <= kMaxWordLetters || longPartDigits) continue;
            std::string shown;
            for (std::size_t i = word.begin; i < word.end; ++i) {
                if (chars[i].cp == kSoftHyphen) {
                    shown += "\\u00AD";
                } else {
                    appendUtf8(shown, chars[i].cp);
                }
            }
            warn("long-word",
                 "the word \"" + shown + "\" has a part of " + std::to_string(longest) + " letters" +
                     (softHyphen ? " between soft hyphens" : " and no soft hyphen"),
                 "Use a shorter word, or let the kiosk break it: put a soft hyphen between its parts. "
                 "A soft hyphen is invisible; only where the word must break at the end of a line "
                 "does the kiosk show a hyphen. Type it as \\u00AD and put the whole text in double "
                 "quotes, like: nl: \"Wat is uw burger\\u00ADservice\\u00ADnummer?\". Words over " +
                     std::to_string(kMaxWordLetters) + " letters are hard to read and may not fit on a line");
        }
    }

    void softHyphenTyping(std::string_view text) {
        const std::string folded = foldString(text);
        if (folded.find("&shy;") != std::string::npos) {
            warn("soft-hyphen-typing", "\"&shy;\" is shown and spoken as it is written",
                 "Write \\u00AD instead, and put the whole text in double quotes, like: "
                 "\"burger\\u00ADservice\\u00ADnummer\"");
        }
        if (folded.find("\\u00ad") != std::string::npos || folded.find("\\xad") != std::string::npos) {
            warn("soft-hyphen-typing", "this text has \\u00AD as plain letters, not as a soft hyphen",
                 "YAML only turns \\u00AD into a soft hyphen inside double quotes: put the whole text in "
                 "\"double quotes\" (not 'single quotes', not without quotes)");
        }
    }

    void jargon(std::string_view text) {
        const auto list = m_jargon.find(m_language);
        if (list == m_jargon.end()) return;
        const auto words = matchWords(text);
        std::set<std::string> reported;
        for (const auto& entry : list->second) {
            for (const auto& form : entry.forms) {
                if (form.empty() || form.size() > words.size()) continue;
                for (std::size_t at = 0; at + form.size() <= words.size(); ++at) {
                    if (!std::equal(form.begin(), form.end(), words.begin() + static_cast<std::ptrdiff_t>(at))) continue;
                    std::string phrase;
                    for (const auto& word : form) phrase += (phrase.empty() ? "" : " ") + word;
                    if (reported.insert(phrase).second) {
                        warn("jargon", "\"" + phrase + "\" is official language (jargon) that many people do not know",
                             "Write instead: " + entry.plain + " (from the " + languageName(m_language) +
                                 " jargon list; your own words go in plain-language/" + m_language + ".txt)");
                    }
                    break;
                }
            }
        }
    }

    void abbreviations(std::string_view text) {
        const auto chars = decode(text);
        const auto all = tokens(chars);
        std::set<std::string> reported;
        auto report = [&](const std::string& abbreviation) {
            if (!reported.insert(abbreviation).second) return;
            const bool canSpeak = m_ref->role == Role::Label || m_ref->role == Role::OptionLabel;
            warn("abbreviation",
                 "\"" + abbreviation + "\" is an abbreviation: not everyone knows what it means, and "
                 "speech may read it wrongly",
                 canSpeak ? std::string("Add speak: to this ") + (m_ref->role == Role::Label ? "field" : "option") +
                                " with the words written out (speak: is said instead of the label), or write "
                                "it out in the label"
                          : "Write it out in full: " + roleName(m_ref->role) + " has no speak: to say it differently");
        };
        for (std::size_t t = 0; t < all.size(); ++t) {
            const Token token = all[t];
            if (isDottedAbbreviation(text, chars, token, m_language)) {
                const Token word = core(chars, token, true);
                report(slice(text, chars, word.begin, word.end));
                continue;
            }
            const Token word = core(chars, token, false);
            // Parts between hyphens and slashes: "ID-kaart" has "ID".
            std::size_t partStart = word.begin;
            for (std::size_t i = word.begin; i <= word.end; ++i) {
                const bool split = i == word.end || chars[i].cp == '-' || chars[i].cp == '/' || chars[i].cp == kSoftHyphen;
                if (!split) continue;
                std::size_t partEnd = i;
                // "BSN's": the plural ending is not part of the abbreviation.
                if (partEnd - partStart > 2 && (chars[partEnd - 2].cp == '\'' || chars[partEnd - 2].cp == 0x2019) &&
                    chars[partEnd - 1].cp == 's') {
                    partEnd -= 2;
                }
                int letters = 0;
                bool allUpper = partEnd > partStart;
                for (std::size_t k = partStart; k < partEnd; ++k) {
                    if (!isLetter(chars[k].cp) || !isUpper(chars[k].cp)) {
                        allUpper = false;
                        break;
                    }
                    ++letters;
                }
                // Two capitals after four digits are the letters of a Dutch postcode (1234 AB).
                const bool postcodeLetters = letters == 2 && t > 0 && all[t - 1].end - all[t - 1].begin == 4 &&
                                             std::all_of(chars.begin() + static_cast<std::ptrdiff_t>(all[t - 1].begin),
                                                         chars.begin() + static_cast<std::ptrdiff_t>(all[t - 1].end),
                                                         [](const Char& c) { return isDigit(c.cp); });
                if (allUpper && letters >= 2 && !postcodeLetters) report(slice(text, chars, partStart, partEnd));
                partStart = i + 1;
            }
        }
    }

    const Form& m_form;
    const JargonTable& m_jargon;
    std::vector<LintFinding>& m_out;
    const TextRef* m_ref = nullptr;
    std::string m_language;
    SourcePos m_pos;
};

// [SECTION] Forms -------------------------------------------------------------------------------------

std::string personalWhat(const Field& field) {
    switch (field.type) {
        case FieldType::Bsn: return "a BSN";
        case FieldType::Iban: return "a bank account (IBAN)";
        case FieldType::Date: return "a date";
        case FieldType::Phone: return "a phone number";
        case FieldType::Email: return "an e-mail address";
        case FieldType::Postcode: return "a postcode";
        default: return field.personal ? "data marked personal: true" : "data marked private: true";
    }
}

}  // namespace

std::vector<LintFinding> lintForm(const Form& form, const JargonTable& jargon) {
    std::vector<LintFinding> out;
    std::vector<TextRef> texts;
    texts.push_back({&form.title, Role::Title, "the form", false});
    if (form.intro) texts.push_back({&*form.intro, Role::Intro, "the form", false});
    for (const auto& page : form.pages) {
        if (page.title) texts.push_back({&*page.title, Role::PageTitle, "page '" + page.id + "'", false});
        for (const auto& field : page.fields) {
            const std::string owner = "field '" + field.id + "'";
            texts.push_back({&field.label, Role::Label, owner, field.speak.has_value()});
            if (field.hint) texts.push_back({&*field.hint, Role::Hint, owner, false});
            if (field.why) texts.push_back({&*field.why, Role::Why, owner, false});
            if (field.speak) texts.push_back({&*field.speak, Role::Speak, owner, false});
            for (const auto& option : field.options) {
                const std::string optionOwner = "option '" + option.value + "' of " + owner;
                texts.push_back({&option.label, Role::OptionLabel, optionOwner, option.speak.has_value()});
                if (option.speak) texts.push_back({&*option.speak, Role::OptionSpeak, optionOwner, false});
            }
            if (isPersonal(field) && !field.why) {
                out.push_back({{Severity::Warning, form.sourcePath, field.pos,
                                "field '" + field.id + "' asks for personal data (" + personalWhat(field) +
                                    ") but has no why"},
                               "missing-why",
                               "Add why: with one short sentence per language that says why you need it, like "
                               "why: { nl: Zo weten wij wie u bent., en: So we know who you are. }. Citizens hear "
                               "it on the first screen of the form and under Help"});
            }
        }
    }
    TextChecker checker(form, jargon, out);
    for (const auto& ref : texts) checker.check(ref);
    std::ranges::stable_sort(out, [](const LintFinding& a, const LintFinding& b) {
        return std::pair(a.finding.pos.line, a.finding.pos.column) < std::pair(b.finding.pos.line, b.finding.pos.column);
    });
    return out;
}

}  // namespace kiosk::forms::plain
