#include "forms/personal_data.hpp"

namespace kiosk::forms {

bool isPersonal(const Field& field) {
    switch (field.type) {
        case FieldType::Bsn:
        case FieldType::Iban:
        case FieldType::Date:
        case FieldType::Phone:
        case FieldType::Email:
        case FieldType::Postcode:
            return true;
        default:
            return field.isPrivate || field.personal;
    }
}

std::vector<PersonalDataItem> personalData(const Form& form, std::string_view language) {
    std::vector<PersonalDataItem> items;
    for (const auto& page : form.pages) {
        for (const auto& field : page.fields) {
            if (!isPersonal(field)) continue;
            items.push_back({&field, field.label.in(language), field.why ? field.why->in(language) : std::string{}});
        }
    }
    return items;
}

}  // namespace kiosk::forms
