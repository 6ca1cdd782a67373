// The smallest form the loader accepts: one page, one text field, two languages. Tests that
// need a good file next to bad ones (loader_test, bad_files_test) write this one.
#pragma once

#include <string>

namespace kiosk::test {

inline const std::string kMinimalForm = R"(form: goed
version: 2
title: { nl: Goed, en: Good }
languages: [nl, en]
submit:
  endpoint: https://example.org/api
pages:
  - id: p1
    fields:
      - id: naam
        type: text
        label: { nl: Naam, en: Name }
)";

}  // namespace kiosk::test
