// Data minimisation: which questions of a form ask for personal data, and why.
//
// A field counts as personal data when its type is bsn, iban, date, phone, email or postcode,
// when it is `private: true` (also by default: bsn, iban, date), or when staff mark it
// `personal: true` (a name, an address; docs/forms.md). `kiosk lint --summary` prints the
// list per form; the intro screen reads it to the citizen before any data is entered; the
// lint warns for a personal field without `why`.
//
// Only the form's texts (label, why) are involved, never a citizen's answer. Pure; any thread.
#pragma once

#include "forms/form.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

// Whether a field's answer is personal data (see above).
[[nodiscard]] bool isPersonal(const Field& field);

struct PersonalDataItem {
    const Field* field = nullptr;  // into the form given to personalData()
    std::string label;             // the field's label in the language asked for
    std::string why;               // its `why` in that language; empty when it has none
};

// Every personal-data field of `form`, in form order (also fields behind a show_if: the
// citizen may be asked them), with label and why in `language`.
[[nodiscard]] std::vector<PersonalDataItem> personalData(const Form& form, std::string_view language);

}  // namespace kiosk::forms
