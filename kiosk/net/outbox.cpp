// [SECTION] File format: metadata line and state file
// [SECTION] Opening: temporaries, keys, rebuilding the queue
// [SECTION] Enqueue and storage health
// [SECTION] The worker's side: load, delivered, failed, shelve, requeue
#include "kiosk/net/outbox.hpp"

#include "forms/payload.hpp"
#include "kiosk/net/durable_file.hpp"
#include "kiosk/net/envelope.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace kiosk::net {

namespace {

using Mode = core::Config::Outbox::Mode;
using detail::Folder;

constexpr std::string_view kSubSuffix = ".sub";
constexpr std::string_view kStateSuffix = ".state";
constexpr std::string_view kReasonSuffix = ".reason";
constexpr std::string_view kFormat = "toegang-outbox";
constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxFileBytes = 8 * 1024 * 1024;
// A form's answers are a few kilobytes; 1 MiB leaves room and keeps every stored file far
// below what the reader accepts (base64 adds a third).
constexpr std::size_t kMaxPayloadBytes = 1024 * 1024;
constexpr std::size_t kProbeBytes = 4096;

std::int64_t toMs(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint fromMs(std::int64_t ms) {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::string_view modeName(Mode mode) { return mode == Mode::Sealed ? "sealed" : "plain"; }

bool endsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

std::string stem(std::string_view name, std::string_view suffix) {
    return std::string(name.substr(0, name.size() - suffix.size()));
}

// One line, printable, bounded: reasons and errors go into files staff read and into
// metrics; nothing multi-line or huge.
std::string oneLine(std::string_view text, std::size_t limit = 300) {
    std::string out;
    for (char c : text) {
        if (out.size() >= limit) break;
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
    return out;
}

// [SECTION] File format --------------------------------------------------------------------

struct SubFile {
    OutboxEntry entry;
    Mode mode = Mode::Sealed;
    std::string body;  // the envelope
};

std::string metadataLine(const OutboxEntry& e, Mode mode, const std::string& body) {
    nlohmann::ordered_json meta;
    meta["format"] = kFormat;
    meta["version"] = kFormatVersion;
    meta["reference"] = e.reference;
    meta["form"] = e.formId;
    meta["endpoint"] = e.endpoint;
    meta["mode"] = modeName(mode);
    meta["created_at_ms"] = toMs(e.createdAt);
    meta["body_sha256"] = sha256Hex(body);
    return meta.dump();
}

std::expected<SubFile, Failure> parseSub(const std::string& name, const std::string& content) {
    auto bad = [&](const std::string& why) {
        return std::unexpected(Failure{NetError::Corrupt, name + ": " + why});
    };
    const auto newline = content.find('\n');
    if (newline == std::string::npos) return bad("no metadata line");
    SubFile sub;
    try {
        const auto meta = nlohmann::json::parse(std::string_view(content).substr(0, newline));
        if (!meta.is_object() || meta.value("format", "") != kFormat) return bad("not an outbox file");
        if (meta.value("version", 0) != kFormatVersion) return bad("unknown format version");
        sub.entry.reference = meta.value("reference", "");
        sub.entry.formId = meta.value("form", "");
        sub.entry.endpoint = meta.value("endpoint", "");
        const std::string mode = meta.value("mode", "");
        if (mode != "sealed" && mode != "plain") return bad("unknown mode");
        sub.mode = mode == "sealed" ? Mode::Sealed : Mode::Plain;
        sub.entry.createdAt = fromMs(meta.value("created_at_ms", std::int64_t{0}));
        sub.entry.nextAttemptAt = sub.entry.createdAt;
        sub.body = content.substr(newline + 1);
        if (meta.value("body_sha256", "") != sha256Hex(sub.body)) {
            return bad("the envelope's checksum does not match (damaged)");
        }
    } catch (const nlohmann::json::exception&) {
        return bad("metadata is not valid JSON");
    }
    if (!isStorableReference(sub.entry.reference) || sub.entry.reference + std::string(kSubSuffix) != name) {
        return bad("reference does not match the file name");
    }
    if (sub.entry.formId.empty() || !sub.entry.endpoint.starts_with("https://")) {
        return bad("form id or endpoint missing");
    }
    return sub;
}

std::string stateJson(int attempts, TimePoint next, const std::string& lastError) {
    nlohmann::ordered_json state;
    state["attempts"] = attempts;
    state["next_attempt_at_ms"] = toMs(next);
    state["last_error"] = lastError;
    return state.dump();
}

bool applyState(OutboxEntry& entry, const std::string& content) {
    try {
        const auto state = nlohmann::json::parse(content);
        if (!state.is_object()) return false;
        entry.attempts = state.at("attempts").get<int>();
        entry.nextAttemptAt = fromMs(state.at("next_attempt_at_ms").get<std::int64_t>());
        entry.lastError = oneLine(state.value("last_error", ""));
        return entry.attempts >= 0;
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

}  // namespace

bool isStorableReference(std::string_view reference) {
    return !reference.empty() && reference.size() <= 64 &&
           std::all_of(reference.begin(), reference.end(), [](unsigned char c) {
               return std::isalnum(c) != 0 || c == '-' || c == '_';
           });
}

OutboxOptions OutboxOptions::fromConfig(const core::Config::Outbox& outbox) {
    OutboxOptions options;
    options.dir = outbox.dir;
    options.mode = outbox.mode;
    options.recipientKey = outbox.recipientKey;
    options.keyFile = outbox.keyFile;
    return options;
}

struct Outbox::Impl {
    Impl(OutboxOptions o, const core::Clock& c, EnvelopeKeys k)
        : options(std::move(o)), clock(c), keys(std::move(k)) {}

    OutboxOptions options;
    const core::Clock& clock;
    EnvelopeKeys keys;
    Folder dir;
    Folder needsStaff;
    Folder corrupt;

    mutable std::mutex mutex;
    std::map<std::string, OutboxEntry> entries;  // by reference
    std::set<std::string> reserved;              // being written by enqueue()
    std::size_t needsStaffCount = 0;
    std::size_t corruptCount = 0;
    StorageHealth health;
    std::function<void()> listener;

    void log(const std::string& line) const { options.log(line); }

    // Moves a file of the main folder to corrupt/ with a reason. Never throws away: if the
    // move fails the file stays and is retried at the next start.
    void setAsideCorrupt(const std::string& name, const std::string& why) {
        std::string target = name;
        if (corrupt.exists(target)) target += "-" + detail::randomHex(4);
        const std::string reason =
            forms::formatUtcTimestamp(clock.now()) + " " + oneLine(why) + "\n";
        (void)corrupt.writeDurably(target + std::string(kReasonSuffix), reason, Folder::Replace::Yes);
        if (auto moved = dir.moveTo(name, corrupt, target); !moved) {
            log("cannot set aside damaged file " + name + ": " + describe(moved.error()));
            return;
        }
        {
            std::lock_guard lock(mutex);
            ++corruptCount;
        }
        log("set aside damaged outbox file " + name + " in corrupt/: " + oneLine(why));
    }

    std::expected<SubFile, Failure> readSub(const std::string& reference) const {
        const std::string name = reference + std::string(kSubSuffix);
        auto content = dir.read(name, kMaxFileBytes);
        if (!content) return std::unexpected(content.error());
        auto sub = parseSub(name, *content);
        if (!sub) return sub;
        if (sub->mode != options.mode) {
            return std::unexpected(Failure{NetError::Corrupt,
                                           name + ": stored in " + std::string(modeName(sub->mode)) +
                                               " mode, but the outbox is now " +
                                               std::string(modeName(options.mode))});
        }
        if (auto header = keys.checkHeader(sub->body, {sub->entry.reference, sub->entry.formId}); !header) {
            return std::unexpected(Failure{NetError::Corrupt, name + ": " + header.error().detail});
        }
        return sub;
    }

    std::size_t countShelf(const Folder& shelf, Shelf kind) const {
        auto names = shelf.files();
        if (!names) return 0;
        return static_cast<std::size_t>(std::count_if(names->begin(), names->end(), [&](const std::string& n) {
            if (n.starts_with(detail::kTempPrefix)) return false;
            return kind == Shelf::NeedsStaff ? endsWith(n, kSubSuffix) : !endsWith(n, kReasonSuffix);
        }));
    }
};

// [SECTION] Opening --------------------------------------------------------------------------

std::expected<std::unique_ptr<Outbox>, Failure> Outbox::open(OutboxOptions options, const core::Clock& clock) {
    if (!options.log) options.log = stderrLog();
    if (options.dir.empty()) {
        return std::unexpected(Failure{NetError::NotWritable, "outbox.dir is not set in the config"});
    }
    std::error_code existsError;  // the overload without error_code throws
    const bool existed = std::filesystem::exists(options.dir, existsError);
    auto dir = Folder::open(options.dir, true);
    if (!dir) return std::unexpected(dir.error());
    if (!existed) {
        std::error_code ec;  // only the folder we made; an operator's own folder keeps its mode
        std::filesystem::permissions(options.dir, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, ec);
    }
    auto needsStaff = Folder::open(options.dir / "needs-staff", true);
    if (!needsStaff) return std::unexpected(needsStaff.error());
    auto corrupt = Folder::open(options.dir / "corrupt", true);
    if (!corrupt) return std::unexpected(corrupt.error());

    auto keys = options.mode == Mode::Sealed
                    ? (options.recipientKey.empty()
                           ? std::expected<EnvelopeKeys, Failure>(std::unexpected(Failure{
                                 NetError::KeyUnavailable, "outbox.recipient_key is not set (mode: sealed)"}))
                           : EnvelopeKeys::loadRecipient(options.recipientKey))
                    : (options.keyFile.empty()
                           ? std::expected<EnvelopeKeys, Failure>(std::unexpected(Failure{
                                 NetError::KeyUnavailable, "outbox.key_file is not set (mode: plain)"}))
                           : EnvelopeKeys::loadOrCreateKeyFile(options.keyFile));
    if (!keys) return std::unexpected(keys.error());

    auto impl = std::make_unique<Impl>(std::move(options), clock, std::move(*keys));
    impl->dir = std::move(*dir);
    impl->needsStaff = std::move(*needsStaff);
    impl->corrupt = std::move(*corrupt);

    const std::size_t temporaries = impl->dir.removeTemporaries() + impl->needsStaff.removeTemporaries() +
                                    impl->corrupt.removeTemporaries();
    if (temporaries > 0) {
        impl->log("removed " + std::to_string(temporaries) + " unfinished write(s) left by an earlier run");
    }

    auto outbox = std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
    Impl& d = *outbox->m_impl;
    // A start on a read-only or full disk must show at once, not at the first citizen.
    if (auto probed = outbox->probe(); !probed) return std::unexpected(probed.error());

    auto names = d.dir.files();
    if (!names) return std::unexpected(names.error());
    std::sort(names->begin(), names->end());
    std::set<std::string> subs;
    for (const auto& name : *names) {
        if (endsWith(name, kSubSuffix)) subs.insert(stem(name, kSubSuffix));
    }
    for (const auto& name : *names) {
        if (endsWith(name, kSubSuffix)) {
            const std::string reference = stem(name, kSubSuffix);
            auto sub = d.readSub(reference);
            if (!sub) {
                if (sub.error().code == NetError::Corrupt) {
                    d.setAsideCorrupt(name, sub.error().detail);
                    const std::string state = reference + std::string(kStateSuffix);
                    if (d.dir.exists(state)) (void)d.dir.remove(state);
                } else {
                    d.log("cannot read " + name + " now (" + describe(sub.error()) + "); it stays");
                }
                continue;
            }
            OutboxEntry entry = std::move(sub->entry);
            const std::string stateName = reference + std::string(kStateSuffix);
            if (d.dir.exists(stateName)) {
                auto state = d.dir.read(stateName, 64 * 1024);
                if (!state || !applyState(entry, *state)) {
                    // The schedule is only a hint: start over rather than lose the submission.
                    d.log("ignored an unreadable retry schedule for " + reference);
                    entry.attempts = 0;
                    entry.nextAttemptAt = entry.createdAt;
                    entry.lastError.clear();
                    (void)d.dir.remove(stateName);
                }
            }
            d.entries.emplace(reference, std::move(entry));
        } else if (endsWith(name, kStateSuffix)) {
            // A schedule whose submission was delivered just before a crash.
            if (!subs.contains(stem(name, kStateSuffix))) (void)d.dir.remove(name);
        }
    }
    d.needsStaffCount = d.countShelf(d.needsStaff, Shelf::NeedsStaff);
    d.corruptCount = d.countShelf(d.corrupt, Shelf::Corrupt);
    d.log("outbox " + d.dir.path().string() + " (" + std::string(modeName(d.options.mode)) + "): " +
          std::to_string(d.entries.size()) + " waiting, " + std::to_string(d.needsStaffCount) +
          " need staff, " + std::to_string(d.corruptCount) + " damaged");
    return outbox;
}

Outbox::Outbox(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Outbox::~Outbox() = default;

const std::filesystem::path& Outbox::dir() const { return m_impl->dir.path(); }
core::Config::Outbox::Mode Outbox::mode() const { return m_impl->options.mode; }

// [SECTION] Enqueue and storage health -----------------------------------------------------

std::expected<void, Failure> Outbox::enqueue(const core::PreparedSubmission& submission) {
    Impl& d = *m_impl;
    if (!isStorableReference(submission.reference)) {
        return std::unexpected(Failure{NetError::InvalidSubmission, "reference is not [A-Za-z0-9_-]{1,64}"});
    }
    if (submission.formId.empty() || !submission.endpoint.starts_with("https://") ||
        submission.payload.empty() || submission.payload.size() > kMaxPayloadBytes) {
        return std::unexpected(Failure{NetError::InvalidSubmission,
                                       submission.reference + ": form id, https endpoint and a payload of at most 1 MiB are required"});
    }
    {
        std::lock_guard lock(d.mutex);
        if (d.entries.contains(submission.reference) || !d.reserved.insert(submission.reference).second) {
            return std::unexpected(Failure{NetError::AlreadyQueued, submission.reference});
        }
    }
    OutboxEntry entry;
    entry.reference = submission.reference;
    entry.formId = submission.formId;
    entry.endpoint = submission.endpoint;
    entry.createdAt = d.clock.now();
    entry.nextAttemptAt = entry.createdAt;

    std::expected<void, Failure> result;
    auto body = d.keys.seal(submission.payload, {entry.reference, entry.formId});
    if (!body) {
        result = std::unexpected(body.error());
    } else {
        const std::string content = metadataLine(entry, d.options.mode, *body) + "\n" + *body;
        result = d.dir.writeDurably(entry.reference + std::string(kSubSuffix), content, Folder::Replace::No);
        if (!result && result.error().code == NetError::AlreadyQueued) {
            result = std::unexpected(Failure{NetError::AlreadyQueued, entry.reference + " is already in the outbox folder"});
        }
    }
    std::function<void()> listener;
    {
        std::lock_guard lock(d.mutex);
        d.reserved.erase(entry.reference);
        if (result) {
            d.entries.emplace(entry.reference, entry);
            d.health = StorageHealth{};
            listener = d.listener;
        } else if (isStorageProblem(result.error().code)) {
            d.health = StorageHealth{false, describe(result.error())};
        }
    }
    if (!result) {
        d.log("could not store " + entry.reference + " (form " + entry.formId + "): " + describe(result.error()));
        return result;
    }
    d.log("stored " + entry.reference + " (form " + entry.formId + ")");
    if (listener) listener();
    return {};
}

StorageHealth Outbox::storage() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->health;
}

std::expected<void, Failure> Outbox::probe() {
    Impl& d = *m_impl;
    const std::string name = ".probe-" + detail::randomHex(4);
    auto written = d.dir.writeDurably(name, std::string(kProbeBytes, '\0'), Folder::Replace::No);
    if (written) written = d.dir.remove(name);
    std::lock_guard lock(d.mutex);
    const bool wasOk = d.health.ok;
    d.health = written ? StorageHealth{} : StorageHealth{false, describe(written.error())};
    if (!wasOk && written) d.log("the outbox can store submissions again");
    return written;
}

// [SECTION] What is waiting ------------------------------------------------------------------

std::vector<OutboxEntry> Outbox::entries() const {
    std::vector<OutboxEntry> out;
    {
        std::lock_guard lock(m_impl->mutex);
        out.reserve(m_impl->entries.size());
        for (const auto& [reference, entry] : m_impl->entries) out.push_back(entry);
    }
    std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.reference < b.reference;
    });
    return out;
}

std::size_t Outbox::size() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->entries.size();
}

std::size_t Outbox::shelvedCount(Shelf shelf) const {
    std::lock_guard lock(m_impl->mutex);
    return shelf == Shelf::NeedsStaff ? m_impl->needsStaffCount : m_impl->corruptCount;
}

std::vector<ShelvedEntry> Outbox::shelved(Shelf shelf) const {
    const Folder& folder = shelf == Shelf::NeedsStaff ? m_impl->needsStaff : m_impl->corrupt;
    std::vector<ShelvedEntry> out;
    auto names = folder.files();
    if (!names) return out;
    std::sort(names->begin(), names->end());
    for (const auto& name : *names) {
        if (name.starts_with(detail::kTempPrefix) || endsWith(name, kReasonSuffix)) continue;
        if (shelf == Shelf::NeedsStaff && !endsWith(name, kSubSuffix)) continue;
        ShelvedEntry item;
        item.file = name;
        if (endsWith(name, kSubSuffix) && isStorableReference(stem(name, kSubSuffix))) {
            item.reference = stem(name, kSubSuffix);
        }
        if (auto reason = folder.read(name + std::string(kReasonSuffix), 64 * 1024)) {
            item.reason = oneLine(*reason);
        } else if (!item.reference.empty()) {
            if (auto byRef = folder.read(item.reference + std::string(kReasonSuffix), 64 * 1024)) {
                item.reason = oneLine(*byRef);
            }
        }
        out.push_back(std::move(item));
    }
    return out;
}

// [SECTION] The worker's side --------------------------------------------------------------

std::expected<HttpRequest, Failure> Outbox::load(const std::string& reference) const {
    const Impl& d = *m_impl;
    if (!isStorableReference(reference)) return std::unexpected(Failure{NetError::NotQueued, reference});
    auto sub = d.readSub(reference);
    if (!sub) return std::unexpected(sub.error());
    HttpRequest request;
    request.url = sub->entry.endpoint;
    request.idempotencyKey = sub->entry.reference;
    if (d.options.mode == Mode::Sealed) {
        request.contentType = std::string(kSealedContentType);
        request.body = std::move(sub->body);
    } else {
        auto payload = d.keys.open(sub->body, {sub->entry.reference, sub->entry.formId});
        if (!payload) {
            return std::unexpected(Failure{NetError::Corrupt, reference + std::string(kSubSuffix) + ": " +
                                                                  payload.error().detail});
        }
        request.contentType = std::string(kPlainContentType);
        request.body = std::move(*payload);
    }
    return request;
}

std::expected<void, Failure> Outbox::markDelivered(const std::string& reference) {
    Impl& d = *m_impl;
    const std::string name = reference + std::string(kSubSuffix);
    // Plain mode: the key that opens this ciphertext stays on the kiosk, so overwrite it.
    auto removed = d.options.mode == Mode::Plain ? d.dir.shred(name) : d.dir.remove(name);
    if (!removed) return removed;
    (void)d.dir.remove(reference + std::string(kStateSuffix));
    std::lock_guard lock(d.mutex);
    d.entries.erase(reference);
    return {};
}

std::expected<void, Failure> Outbox::recordFailure(const std::string& reference, int attempts,
                                                   TimePoint nextAttemptAt, const std::string& lastError) {
    Impl& d = *m_impl;
    const std::string error = oneLine(lastError);
    {
        // Memory first: even when the disk refuses the schedule, this run keeps to it.
        std::lock_guard lock(d.mutex);
        auto it = d.entries.find(reference);
        if (it == d.entries.end()) return std::unexpected(Failure{NetError::NotQueued, reference});
        it->second.attempts = attempts;
        it->second.nextAttemptAt = nextAttemptAt;
        it->second.lastError = error;
    }
    return d.dir.writeDurably(reference + std::string(kStateSuffix), stateJson(attempts, nextAttemptAt, error),
                              Folder::Replace::Yes);
}

std::expected<void, Failure> Outbox::shelve(const std::string& reference, Shelf shelf, const std::string& why) {
    Impl& d = *m_impl;
    const std::string name = reference + std::string(kSubSuffix);
    if (shelf == Shelf::Corrupt) {
        d.setAsideCorrupt(name, why);
        if (d.dir.exists(name)) return std::unexpected(Failure{NetError::IoFailed, name + " could not be moved"});
    } else {
        const std::string reason = forms::formatUtcTimestamp(d.clock.now()) + " " + oneLine(why) + "\n";
        if (auto written = d.needsStaff.writeDurably(reference + std::string(kReasonSuffix), reason,
                                                     Folder::Replace::Yes);
            !written) {
            return written;
        }
        if (auto moved = d.dir.moveTo(name, d.needsStaff, name); !moved) return moved;
        {
            std::lock_guard lock(d.mutex);
            ++d.needsStaffCount;
        }
        d.log("set aside " + reference + " for staff: " + oneLine(why));
    }
    (void)d.dir.remove(reference + std::string(kStateSuffix));
    std::lock_guard lock(d.mutex);
    d.entries.erase(reference);
    return {};
}

std::expected<void, Failure> Outbox::requeue(const std::string& reference) {
    Impl& d = *m_impl;
    const std::string name = reference + std::string(kSubSuffix);
    if (!isStorableReference(reference) || !d.needsStaff.exists(name)) {
        return std::unexpected(Failure{NetError::NotQueued, reference + " is not in needs-staff/"});
    }
    {
        std::lock_guard lock(d.mutex);
        if (d.entries.contains(reference)) return std::unexpected(Failure{NetError::AlreadyQueued, reference});
    }
    if (auto moved = d.needsStaff.moveTo(name, d.dir, name); !moved) return moved;
    (void)d.needsStaff.remove(reference + std::string(kReasonSuffix));
    auto sub = d.readSub(reference);
    if (!sub) {
        d.setAsideCorrupt(name, sub.error().detail);
        std::lock_guard lock(d.mutex);
        --d.needsStaffCount;
        return std::unexpected(sub.error());
    }
    std::function<void()> listener;
    {
        std::lock_guard lock(d.mutex);
        sub->entry.nextAttemptAt = d.clock.now();
        d.entries.emplace(reference, std::move(sub->entry));
        if (d.needsStaffCount > 0) --d.needsStaffCount;
        listener = d.listener;
    }
    d.log("staff put " + reference + " back into the queue");
    if (listener) listener();
    return {};
}

void Outbox::setListener(std::function<void()> listener) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->listener = std::move(listener);
}

}  // namespace kiosk::net
