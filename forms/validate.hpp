// Checking and normalising a citizen's answer to one field.
//
// Pure functions: no clock (today's date is passed in), no language. A problem is a code
// plus raw parameters; the session turns it into a plain-language sentence in the
// citizen's language from the string tables in assets/strings/.
#pragma once

#include "forms/form.hpp"
#include "forms/value.hpp"

#include <chrono>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kiosk::forms {

// What the screens hand over for a field, before checking:
//   monostate: nothing entered;
//   string: typed text (text, number, money, postcode, bsn, iban, phone, email), the
//           chosen option's value (choice), or "YYYY-MM-DD" from the date steppers
//           (date; "D-M-YYYY" and "D/M/YYYY" are accepted as well);
//   bool: yesno, consent;
//   list: the chosen options of a multichoice.
using RawInput = std::variant<std::monostate, std::string, bool, std::vector<std::string>>;

enum class Problem {
    Required,            // nothing entered in a required field
    TooShort,            // params: min (characters)
    TooLong,             // params: max (characters)
    NotWholeNumber,
    NumberTooSmall,      // params: min
    NumberTooLarge,      // params: max
    NotMoney,
    MoneyTooManyDecimals,
    MoneyTooSmall,       // params: min ("12.50")
    MoneyTooLarge,       // params: max ("12.50")
    NotDate,
    DateTooEarly,        // params: min ("YYYY-MM-DD")
    DateTooLate,         // params: max ("YYYY-MM-DD")
    UnknownOption,
    TooFewChosen,        // params: min
    TooManyChosen,       // params: max
    NotPostcode,
    BsnWrongLength,
    BsnCheckFailed,
    IbanWrongFormat,
    IbanCheckFailed,
    NotPhone,
    NotEmail,
    ConsentNeeded,
    WrongInputKind,      // the screen handed over the wrong kind of input (a programming error)
};

// The string-table id of a problem's message, e.g. "validation.required".
[[nodiscard]] std::string_view problemId(Problem problem);
// Every problem, for tests that check the string tables.
[[nodiscard]] const std::vector<Problem>& allProblems();

struct ValidationProblem {
    Problem code = Problem::Required;
    std::map<std::string, std::string> params;  // raw values, formatted by the session
    friend bool operator==(const ValidationProblem&, const ValidationProblem&) = default;
};

// Checks `input` for `field` and returns the normalised value the contract submits, or
// nullopt when nothing was entered in an optional field. `today` resolves date bounds
// such as `today+30`.
[[nodiscard]] std::expected<std::optional<Value>, ValidationProblem> validate(
    const Field& field, const RawInput& input, std::chrono::year_month_day today);

// The single checks, exposed for tests and for the screens' live feedback.
[[nodiscard]] bool passesElevenTest(std::string_view nineDigits);   // BSN
[[nodiscard]] bool passesMod97(std::string_view compactIban);       // "NL91ABNA0417164300"

}  // namespace kiosk::forms
