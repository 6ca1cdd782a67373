#include "forms/form.hpp"

#include "forms/personal_data.hpp"

#include <algorithm>
#include <array>

namespace kiosk::forms {

const std::string& Text::in(std::string_view language) const {
    static const std::string kEmpty;
    const auto found = byLanguage.find(std::string(language));
    return found == byLanguage.end() ? kEmpty : found->second;
}

SourcePos Text::posIn(std::string_view language) const {
    const auto found = posByLanguage.find(std::string(language));
    return found == posByLanguage.end() ? pos : found->second;
}

namespace {
struct TypeName {
    FieldType type;
    std::string_view name;
};
constexpr std::array<TypeName, 14> kTypeNames{{
    {FieldType::Text, "text"},
    {FieldType::Number, "number"},
    {FieldType::Money, "money"},
    {FieldType::Date, "date"},
    {FieldType::Choice, "choice"},
    {FieldType::Multichoice, "multichoice"},
    {FieldType::YesNo, "yesno"},
    {FieldType::Postcode, "postcode"},
    {FieldType::Bsn, "bsn"},
    {FieldType::Iban, "iban"},
    {FieldType::Phone, "phone"},
    {FieldType::Email, "email"},
    {FieldType::Consent, "consent"},
    {FieldType::Info, "info"},
}};
}  // namespace

std::string_view fieldTypeName(FieldType type) {
    for (const auto& entry : kTypeNames) {
        if (entry.type == type) return entry.name;
    }
    return "?";
}

std::optional<FieldType> fieldTypeFromName(std::string_view name) {
    for (const auto& entry : kTypeNames) {
        if (entry.name == name) return entry.type;
    }
    return std::nullopt;
}

const std::vector<FieldType>& allFieldTypes() {
    static const std::vector<FieldType> kAll = [] {
        std::vector<FieldType> all;
        for (const auto& entry : kTypeNames) all.push_back(entry.type);
        return all;
    }();
    return kAll;
}

bool isPrivateByDefault(FieldType type) {
    return type == FieldType::Bsn || type == FieldType::Iban || type == FieldType::Date;
}

std::chrono::year_month_day DateBound::resolve(std::chrono::year_month_day today) const {
    if (fixed) return *fixed;
    return std::chrono::year_month_day{std::chrono::sys_days{today} +
                                       std::chrono::days{daysFromToday}};
}

const Option* Field::findOption(std::string_view value) const {
    const auto found = std::ranges::find(options, value, &Option::value);
    return found == options.end() ? nullptr : &*found;
}

const Field* Form::findField(std::string_view fieldId) const {
    for (const auto& page : pages) {
        for (const auto& field : page.fields) {
            if (field.id == fieldId) return &field;
        }
    }
    return nullptr;
}

bool Form::offersLanguage(std::string_view language) const {
    return std::ranges::find(languages, language) != languages.end();
}

bool Form::asksPersonalData() const {
    // The same test as the list the intro screen shows (personal_data.hpp): an intro is
    // never shown for personal data without saying which.
    return std::ranges::any_of(pages, [](const Page& page) {
        return std::ranges::any_of(page.fields, [](const Field& field) { return isPersonal(field); });
    });
}

}  // namespace kiosk::forms
