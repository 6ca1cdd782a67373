// Reading staff's form files: every *.yaml in a folder, checked against the contract
// (../shared/form-format.md). Staff mistakes become findings with file, line and column
// and a sentence that says how to fix them; they never reach a citizen's screen.
//
// Thread: any; no shared state. Never throws. YAML is read with libyaml (yaml_tree.hpp).
#pragma once

#include "forms/form.hpp"
#include "forms/icons.hpp"
#include "forms/signature.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::forms {

// Files larger than this are refused without being read.
inline constexpr std::uintmax_t kMaxFormFileBytes = 1024 * 1024;

enum class Severity { Error, Warning };

// One thing the loader has to say about a file. `pos` may be 0:0 for a file-wide finding
// (it is then printed as line 1, column 1).
struct Finding {
    Severity severity = Severity::Error;
    std::string path;
    SourcePos pos;
    std::string message;
};

// "path:line:column: error: message", the form compilers and editors understand.
[[nodiscard]] std::string formatFinding(const Finding& finding);

struct LoadOptions {
    // The kiosk config has submit.default_endpoint, so forms may leave out submit.endpoint.
    // When unknown (the staff lint runs without a config) a missing endpoint is a warning.
    enum class DefaultEndpoint { Present, Absent, Unknown };
    DefaultEndpoint defaultEndpoint = DefaultEndpoint::Unknown;
    // Hosts a form may submit to (submit.allowed_hosts). Empty: any host.
    std::vector<std::string> allowedHosts;
    // Pictograms the kiosk ships. Null: only icons in the folder's icons/ are known.
    const IconCatalog* icons = nullptr;
    // The config's forms_signature_key (docs/signing.md). Set: the folder must carry a good
    // SIGNATURE by this key over every file in it, or the whole folder is refused (no form,
    // findings that say which file is new, changed or missing). The forms and their icons
    // are checked from the very bytes whose hashes matched (no second read from disk).
    std::optional<PublicKey> signatureKey;
};

struct FileResult {
    std::optional<Form> form;        // set when the file has no errors
    std::vector<Finding> findings;   // errors and warnings, in file order
};

// Checks one form file's text. `path` is used in findings; `iconDir` is the folder whose
// NAME.png / NAME.svg files count as icons (empty: none).
[[nodiscard]] FileResult loadFormText(std::string_view text, const std::string& path,
                                      const LoadOptions& options,
                                      const std::filesystem::path& iconDir = {});

// Reads and checks one file: refuses files over kMaxFormFileBytes (unread) and files that
// are not UTF-8. Icons are looked up in the file's folder's icons/ subfolder.
[[nodiscard]] FileResult loadFormFile(const std::filesystem::path& file,
                                      const LoadOptions& options);

struct FolderResult {
    std::vector<Form> forms;         // every good form, in file-name order
    std::vector<Finding> findings;   // for every file, good or broken
    int filesRead = 0;
    int filesRefused = 0;            // files with at least one error

    [[nodiscard]] bool hasErrors() const;
};

// Loads every *.yaml in `dir` (not its subfolders). A broken file never stops the
// others; a form whose id another file already uses is refused. A missing or unreadable
// folder is one finding. With options.signatureKey the whole folder is checked first, and
// any signature problem refuses every form in it.
[[nodiscard]] FolderResult loadFormFolder(const std::filesystem::path& dir,
                                          const LoadOptions& options);

}  // namespace kiosk::forms
