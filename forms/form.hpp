// The form model: what a staff member's YAML file means, after loading.
//
// Pure data, no YAML, no SDL. Built by the loader (loader.hpp), read by the session
// model, the validators, the payload builder and (later) the screens.
//
// [SECTION] Source positions
// [SECTION] Texts
// [SECTION] Field types
// [SECTION] Fields, pages, forms
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

// [SECTION] Source positions ---------------------------------------------------------------

// A place in a form file. Both numbers count from 1, as editors show them; 0 means
// "unknown" (a value that was not read from a file).
struct SourcePos {
    int line = 0;
    int column = 0;
    friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

// [SECTION] Texts ----------------------------------------------------------------------------

// A text in every language of its form: language code ("nl") -> UTF-8 string.
// The loader guarantees that a loaded form's texts hold every language the form lists.
struct Text {
    std::map<std::string, std::string> byLanguage;
    SourcePos pos;
    // Where each language's own value stands (the lint points at it); empty when the text
    // was not read from a file.
    std::map<std::string, SourcePos> posByLanguage;

    // The text in `language`; the empty string when this text lacks that language.
    [[nodiscard]] const std::string& in(std::string_view language) const;
    // Where the text in `language` stands; `pos` when that is not known.
    [[nodiscard]] SourcePos posIn(std::string_view language) const;
    [[nodiscard]] bool empty() const { return byLanguage.empty(); }
};

// [SECTION] Field types ------------------------------------------------------------------------

enum class FieldType {
    Text,
    Number,
    Money,
    Date,
    Choice,
    Multichoice,
    YesNo,
    Postcode,
    Bsn,
    Iban,
    Phone,
    Email,
    Consent,
    Info,
};

// The name used in form files ("multichoice"), and back. fieldTypeFromName returns
// nullopt for a name that is not a type.
[[nodiscard]] std::string_view fieldTypeName(FieldType type);
[[nodiscard]] std::optional<FieldType> fieldTypeFromName(std::string_view name);
// Every type, in the order of the contract's table.
[[nodiscard]] const std::vector<FieldType>& allFieldTypes();

// Whether an answer of this type is personal data that the kiosk treats as private by
// default (never read back over loudspeakers, masked on review): bsn, iban, date.
[[nodiscard]] bool isPrivateByDefault(FieldType type);

// [SECTION] Fields, pages, forms -------------------------------------------------------------

// A date bound as written in a form file: a fixed day, or a number of days from today.
struct DateBound {
    std::optional<std::chrono::year_month_day> fixed;  // set for "2026-01-31"
    int daysFromToday = 0;                               // used when `fixed` is empty

    // The bound as a day, given today's date.
    [[nodiscard]] std::chrono::year_month_day resolve(std::chrono::year_month_day today) const;
    friend bool operator==(const DateBound&, const DateBound&) = default;
};

struct Option {
    std::string value;             // [a-z0-9_]+, unique in its field
    Text label;
    std::string icon;              // pictogram name, or empty
    std::optional<Text> speak;     // what to say instead of the label
    SourcePos pos;
};

namespace condition {
struct Expr;  // condition.hpp
}
// A parsed show_if, shared because pages and fields keep it for the session's lifetime.
using ConditionPtr = std::shared_ptr<const condition::Expr>;

struct Field {
    std::string id;                // [a-z0-9_]+, unique in its form
    FieldType type = FieldType::Text;
    Text label;
    std::optional<Text> hint;
    std::optional<Text> why;
    std::optional<Text> speak;
    std::string icon;
    ConditionPtr showIf;           // null: always shown
    std::string showIfSource;      // the condition as written, for messages
    bool required = true;          // always false for info
    bool isPrivate = false;
    bool personal = false;         // `personal: true`: counts as personal data (personal_data.hpp)

    // text
    std::optional<int> minLength;
    int maxLength = 200;
    // number: whole numbers; money: cents; multichoice: counts of chosen options
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    // date
    std::optional<DateBound> minDate;
    std::optional<DateBound> maxDate;
    // choice, multichoice
    std::vector<Option> options;

    SourcePos pos;

    [[nodiscard]] const Option* findOption(std::string_view value) const;
    // Info fields take no input; every other type does.
    [[nodiscard]] bool takesInput() const { return type != FieldType::Info; }
};

struct Page {
    std::string id;
    std::optional<Text> title;
    ConditionPtr showIf;
    std::string showIfSource;
    std::vector<Field> fields;
    SourcePos pos;
};

struct Form {
    std::string id;                    // [a-z0-9-]+, unique in the folder
    int version = 1;
    Text title;
    std::string icon;
    std::vector<std::string> languages;  // first is the default
    std::optional<Text> intro;
    std::string endpoint;              // https URL; empty: the kiosk's default endpoint
    std::vector<Page> pages;
    std::string sourcePath;            // the file it was loaded from
    SourcePos idPos;                   // where the `form:` id stands in that file

    [[nodiscard]] const Field* findField(std::string_view id) const;
    [[nodiscard]] bool offersLanguage(std::string_view language) const;
    // Whether any field asks for personal data (forms::isPersonal, personal_data.hpp), so
    // that the intro screen must be shown and list them.
    [[nodiscard]] bool asksPersonalData() const;
};

}  // namespace kiosk::forms
