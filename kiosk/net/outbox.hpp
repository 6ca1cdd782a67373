// The outbox: where a citizen's submission waits, encrypted, until the backend has it.
//
// The promise (issue 5): when enqueue() returns success, the submission is on disk in a way
// that survives a power cut, and it will be delivered exactly once (with the backend's
// idempotency on the reference). Only then may the confirmation screen appear. When
// enqueue() fails, nothing of the submission remains on disk and the citizen must be told.
//
// [SECTION] On disk (docs/outbox.md has the full format and the threat model)
//
//   <dir>/<reference>.sub     one per waiting submission, written once and never changed:
//                             line 1 JSON metadata (reference, form, endpoint, mode,
//                             created_at_ms, body_sha256), then the JWE envelope
//                             (envelope.hpp). No plaintext answers, ever.
//   <dir>/<reference>.state   the retry schedule (attempts, next_attempt_at_ms, last_error);
//                             replaced atomically after each failed attempt; absent = due now.
//   <dir>/.tmp-*              a write in progress; removed when the outbox is opened.
//   <dir>/needs-staff/        submissions the server refused (other 4xx): <ref>.sub plus
//                             <ref>.reason (when, HTTP status, reason). Never deleted here.
//   <dir>/corrupt/            files that could not be read back, moved aside with a
//                             <name>.reason; the others go on.
//
// Every write is temp file + fsync + rename + fsync of the folder (durable_file.hpp).
//
// [SECTION] Threads
//
// All members are thread-safe: the UI thread enqueues and reads status while the delivery
// worker loads, reschedules and removes. An internal mutex guards the in-memory index only;
// file I/O runs outside it, so a slow fsync in enqueue() does not stall status().
// The clock and the log sink must outlive the outbox.
#pragma once

#include "kiosk/core/clock.hpp"
#include "kiosk/core/config.hpp"
#include "kiosk/core/session.hpp"
#include "kiosk/net/error.hpp"
#include "kiosk/net/log.hpp"
#include "kiosk/net/submitter.hpp"

#include <chrono>
#include <cstddef>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::net {

using TimePoint = std::chrono::system_clock::time_point;

struct OutboxOptions {
    std::filesystem::path dir;
    core::Config::Outbox::Mode mode = core::Config::Outbox::Mode::Sealed;
    std::filesystem::path recipientKey;  // sealed: the backend's RSA public key (PEM)
    std::filesystem::path keyFile;       // plain: 32 bytes, created 0600 when missing
    LogSink log;                         // empty: stderrLog()

    [[nodiscard]] static OutboxOptions fromConfig(const core::Config::Outbox& outbox);
};

// What the outbox knows about one waiting submission. No personal data.
struct OutboxEntry {
    std::string reference;
    std::string formId;
    std::string endpoint;
    TimePoint createdAt;
    int attempts = 0;            // failed attempts so far
    TimePoint nextAttemptAt;     // not before this; createdAt when never tried
    std::string lastError;       // "" when never failed; e.g. "connect_failed: ..."
};

enum class Shelf { NeedsStaff, Corrupt };

// A file set aside, as the staff screen lists it.
struct ShelvedEntry {
    std::string file;       // file name inside the shelf folder
    std::string reference;  // "" when the file was too damaged to tell
    std::string reason;     // one line, no personal data
};

struct StorageHealth {
    bool ok = true;
    std::string lastError;  // describe() of the last storing failure, when !ok
};

class Outbox {
public:
    // Opens (creating) the folder, removes leftover temporary files, loads the key (sealed:
    // recipient key; plain: key file, created when missing) and rebuilds the queue from the
    // files. Unreadable .sub files are moved to corrupt/ and logged; the rest load.
    // Fails when the folder cannot be made or written, or the key is missing/unsuitable.
    [[nodiscard]] static std::expected<std::unique_ptr<Outbox>, Failure> open(
        OutboxOptions options, const core::Clock& clock);
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    // -- the citizen's side (UI thread) --

    // Encrypts and stores the submission durably; returns after the folder is synced.
    // Fails with DiskFull / NotWritable / IoFailed (nothing left on disk; storage() turns
    // not-ok until probe() succeeds), InvalidSubmission (reference not [A-Za-z0-9_-]{1,64},
    // empty form id, endpoint not https://, payload empty or over 1 MiB), AlreadyQueued.
    [[nodiscard]] std::expected<void, Failure> enqueue(const core::PreparedSubmission& submission);

    // Whether the outbox can take submissions: ok until an enqueue fails for a storage
    // reason, then not ok until probe() writes, syncs and removes a test file again.
    [[nodiscard]] StorageHealth storage() const;
    [[nodiscard]] std::expected<void, Failure> probe();

    // -- what is waiting --
    [[nodiscard]] std::vector<OutboxEntry> entries() const;  // oldest first
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::size_t shelvedCount(Shelf shelf) const;
    [[nodiscard]] std::vector<ShelvedEntry> shelved(Shelf shelf) const;
    [[nodiscard]] const std::filesystem::path& dir() const;
    [[nodiscard]] core::Config::Outbox::Mode mode() const;

    // Staff, after fixing the backend: moves a needs-staff submission back into the queue
    // (due now, attempts reset). NotQueued when it is not on the shelf.
    [[nodiscard]] std::expected<void, Failure> requeue(const std::string& reference);

    // -- the delivery worker's side --

    // The request to POST for a waiting submission: sealed mode the envelope as stored
    // (application/jose+json); plain mode the decrypted contract JSON (application/json;
    // the caller wipes request.body after use). Corrupt when the file does not read back
    // (the caller then shelves it); NotQueued when it is gone.
    [[nodiscard]] std::expected<HttpRequest, Failure> load(const std::string& reference) const;
    // Delivered: removes the files (plain mode overwrites them first) and syncs the folder.
    [[nodiscard]] std::expected<void, Failure> markDelivered(const std::string& reference);
    // A failed attempt: persists the new schedule.
    [[nodiscard]] std::expected<void, Failure> recordFailure(const std::string& reference,
                                                             int attempts, TimePoint nextAttemptAt,
                                                             const std::string& lastError);
    // Moves the submission to a shelf with a one-line reason (no personal data in it).
    [[nodiscard]] std::expected<void, Failure> shelve(const std::string& reference, Shelf shelf,
                                                      const std::string& reason);

    // Called (on the enqueuing thread, after the durable write, outside any lock) whenever
    // a submission was added; the delivery worker uses it to wake up. One listener; an
    // empty function removes it. The listener must not call back into enqueue().
    void setListener(std::function<void()> listener);

private:
    struct Impl;
    explicit Outbox(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// A reference is used as a file name: [A-Za-z0-9_-], 1..64 characters.
[[nodiscard]] bool isStorableReference(std::string_view reference);

}  // namespace kiosk::net
