// The demo forms in assets/forms: clean under the loader, every field type and every kind of
// condition used, and written in plain language (no sentence over ten words).
#include "forms/condition.hpp"
#include "forms/loader.hpp"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

using namespace kiosk::forms;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

FolderResult loadDemo() {
    static const IconCatalog icons = *IconCatalog::loadTsv(kSource / "assets/icons/material-icons.tsv");
    LoadOptions load;
    load.icons = &icons;
    load.defaultEndpoint = LoadOptions::DefaultEndpoint::Absent;
    return loadFormFolder(kSource / "assets/forms", load);
}

// The kinds of condition node used anywhere in `expr`.
void collect(const condition::Expr& expr, std::set<std::string>& kinds) {
    using namespace condition;
    auto operand = [&](const Operand& o) {
        if (const auto* inner = std::get_if<ExprPtr>(&o.item)) {
            kinds.insert("parentheses");
            collect(**inner, kinds);
        }
    };
    std::visit(
        [&](const auto& node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, Or>) {
                kinds.insert("or");
                for (const auto& term : node.terms) collect(*term, kinds);
            } else if constexpr (std::is_same_v<T, And>) {
                kinds.insert("and");
                for (const auto& term : node.terms) collect(*term, kinds);
            } else if constexpr (std::is_same_v<T, Not>) {
                kinds.insert("not");
                collect(*node.inner, kinds);
            } else if constexpr (std::is_same_v<T, Compare>) {
                kinds.insert("compare");
                operand(node.left);
                operand(node.right);
            } else if constexpr (std::is_same_v<T, In>) {
                kinds.insert("in");
            } else if constexpr (std::is_same_v<T, Contains>) {
                kinds.insert("contains");
            } else {
                operand(node.value);
            }
        },
        expr.node);
}

std::vector<std::string> sentences(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        current += c;
        if (c == '.' || c == '?' || c == '!') {
            out.push_back(current);
            current.clear();
        }
    }
    if (current.find_first_not_of(" \n") != std::string::npos) out.push_back(current);
    return out;
}

std::size_t wordCount(const std::string& sentence) {
    std::istringstream words(sentence);
    std::size_t count = 0;
    for (std::string word; words >> word;) ++count;
    return count;
}

}  // namespace

TEST_CASE("the demo forms load without a single finding") {
    const auto result = loadDemo();
    for (const auto& finding : result.findings) FAIL_CHECK(formatFinding(finding));
    CHECK(result.forms.size() >= 3);
    for (const auto& form : result.forms) {
        CHECK(form.languages == std::vector<std::string>{"nl", "en"});
        CHECK_FALSE(form.endpoint.empty());
    }
}

TEST_CASE("together the demo forms use every field type and every kind of condition") {
    const auto result = loadDemo();
    std::set<FieldType> types;
    std::set<std::string> kinds;
    bool pageCondition = false;
    bool fieldCondition = false;
    for (const auto& form : result.forms) {
        for (const auto& page : form.pages) {
            if (page.showIf) {
                pageCondition = true;
                collect(*page.showIf, kinds);
                // The parser keeps no node for brackets that only group: look at the source.
                if (page.showIfSource.find('(') != std::string::npos) kinds.insert("parentheses");
            }
            for (const auto& field : page.fields) {
                types.insert(field.type);
                if (field.showIf) {
                    fieldCondition = true;
                    collect(*field.showIf, kinds);
                    if (field.showIfSource.find('(') != std::string::npos) kinds.insert("parentheses");
                }
            }
        }
    }
    CHECK(types.size() == allFieldTypes().size());
    for (const std::string kind : {"and", "or", "not", "in", "contains", "compare", "parentheses"}) {
        CAPTURE(kind);
        CHECK(kinds.contains(kind));
    }
    CHECK(pageCondition);
    CHECK(fieldCondition);
}

TEST_CASE("every text of the demo forms is plain: no sentence over ten words") {
    const auto result = loadDemo();
    std::vector<const Text*> texts;
    for (const auto& form : result.forms) {
        texts.push_back(&form.title);
        if (form.intro) texts.push_back(&*form.intro);
        for (const auto& page : form.pages) {
            if (page.title) texts.push_back(&*page.title);
            for (const auto& field : page.fields) {
                texts.push_back(&field.label);
                for (const auto* optional : {&field.hint, &field.why}) {
                    if (*optional) texts.push_back(&**optional);
                }
                for (const auto& option : field.options) texts.push_back(&option.label);
            }
        }
    }
    CHECK(texts.size() > 100);
    for (const auto* text : texts) {
        for (const auto& [language, words] : text->byLanguage) {
            for (const auto& sentence : sentences(words)) {
                CAPTURE(sentence);
                CHECK(wordCount(sentence) <= 10);
            }
        }
    }
}
