// The outbox on disk: durable files, no plain answers, the queue rebuilt after a restart,
// damaged files set aside while the others go on, refusals that leave nothing behind.
#include "kiosk/net/outbox.hpp"

#include "kiosk/net/envelope.hpp"
#include "tests/unit/net/net_support.hpp"
#include "tests/unit/net/stepped_clock.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <thread>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Mode = core::Config::Outbox::Mode;

namespace {

const auto kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 10h;
const std::string kEndpoint = "https://localhost:8443/api/submissions";

struct Fixture {
    TempDir tmp;
    SteppedClock clock{kStart};
    LogCapture log;

    net::OutboxOptions options(Mode mode) {
        return mode == Mode::Sealed ? sealedOutbox(tmp / "outbox", log.sink())
                                    : plainOutbox(tmp / "outbox", tmp / "outbox.key", log.sink());
    }
    std::unique_ptr<net::Outbox> open(Mode mode) {
        auto outbox = net::Outbox::open(options(mode), clock);
        INFO(log.all());
        REQUIRE(outbox.has_value());
        return std::move(*outbox);
    }
    std::vector<std::string> names(const fs::path& dir) {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file()) out.push_back(e.path().filename().string());
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    fs::path dir() { return tmp / "outbox"; }
};

std::vector<std::string> references(const std::vector<net::OutboxEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.reference);
    return out;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "net: enqueue leaves one file, no temporaries, and no plain answer") {
    for (Mode mode : {Mode::Sealed, Mode::Plain}) {
        CAPTURE(mode == Mode::Sealed ? "sealed" : "plain");
        fs::remove_all(dir());
        auto outbox = open(mode);
        const auto sub = makeSubmission("K7QPD-4M2XR", kEndpoint);
        REQUIRE(outbox->enqueue(sub).has_value());

        CHECK(names(dir()) == std::vector<std::string>{"K7QPD-4M2XR.sub"});
        CHECK(outbox->size() == 1);
        const auto entry = outbox->entries().at(0);
        CHECK(entry.reference == "K7QPD-4M2XR");
        CHECK(entry.formId == "verhuizing");
        CHECK(entry.endpoint == kEndpoint);
        CHECK(entry.createdAt == clock.now());
        CHECK(entry.nextAttemptAt == clock.now());
        CHECK(entry.attempts == 0);

        for (const auto& [path, content] : allFiles(dir())) {
            CAPTURE(path);
            CHECK(content.find("Jansen") == std::string::npos);
            CHECK(content.find(kSecretBsn) == std::string::npos);
            CHECK(content.find(kSecretIban) == std::string::npos);
            CHECK(content.find(sub.payload) == std::string::npos);
        }
        // The metadata line says what is needed for sending, and nothing personal.
        const std::string content = readText(dir() / "K7QPD-4M2XR.sub");
        const auto meta = nlohmann::json::parse(content.substr(0, content.find('\n')));
        CHECK(meta.at("reference") == "K7QPD-4M2XR");
        CHECK(meta.at("endpoint") == kEndpoint);
        CHECK(meta.at("mode") == (mode == Mode::Sealed ? "sealed" : "plain"));

        // What the worker sends: the envelope as stored (sealed), or the payload (plain).
        auto request = outbox->load("K7QPD-4M2XR");
        REQUIRE(request.has_value());
        CHECK(request->url == kEndpoint);
        CHECK(request->idempotencyKey == "K7QPD-4M2XR");
        if (mode == Mode::Sealed) {
            CHECK(request->contentType == "application/jose+json");
            CHECK(request->body == content.substr(content.find('\n') + 1));
            CHECK(net::openSealedEnvelope(request->body, certsDir() / "sealing.key").value() == sub.payload);
        } else {
            CHECK(request->contentType == "application/json");
            CHECK(request->body == sub.payload);
        }
        // Logs name the reference and form, never an answer.
        CHECK(log.contains("stored K7QPD-4M2XR (form verhuizing)"));
        CHECK_FALSE(log.contains("Jansen"));
    }
}

TEST_CASE_FIXTURE(Fixture, "net: the queue and its schedule survive a restart") {
    {
        auto outbox = open(Mode::Sealed);
        for (const char* ref : {"AAAAA-00001", "CCCCC-00003", "BBBBB-00002"}) {
            REQUIRE(outbox->enqueue(makeSubmission(ref, kEndpoint)).has_value());
            clock.advance(1s);
        }
        REQUIRE(outbox->recordFailure("CCCCC-00003", 3, clock.now() + 120s, "http_503: HTTP 503").has_value());
    }
    auto outbox = open(Mode::Sealed);
    const auto entries = outbox->entries();
    CHECK(references(entries) == std::vector<std::string>{"AAAAA-00001", "CCCCC-00003", "BBBBB-00002"});
    CHECK(entries[0].createdAt == kStart);
    CHECK(entries[1].attempts == 3);
    CHECK(entries[1].nextAttemptAt == clock.now() + 120s);
    CHECK(entries[1].lastError == "http_503: HTTP 503");
    CHECK(entries[2].attempts == 0);
    CHECK(outbox->shelvedCount(net::Shelf::Corrupt) == 0);
}

TEST_CASE_FIXTURE(Fixture, "net: unfinished writes and stale schedules are cleaned up on open") {
    {
        auto outbox = open(Mode::Plain);
        REQUIRE(outbox->enqueue(makeSubmission("AAAAA-00001", kEndpoint)).has_value());
    }
    // What a kill in the middle of a write leaves, and a schedule whose submission went.
    writeText(dir() / ".tmp-BBBBB-00002.sub-0a1b2c3d4e5f", "{\"format\":\"toegang-outbox\"");
    writeText(dir() / "CCCCC-00003.state", R"({"attempts":1,"next_attempt_at_ms":0,"last_error":""})");
    writeText(dir() / ".tmp-CCCCC-00003.state-a1b2c3d4e5f6", "");
    auto outbox = open(Mode::Plain);
    CHECK(names(dir()) == std::vector<std::string>{"AAAAA-00001.sub"});
    CHECK(references(outbox->entries()) == std::vector<std::string>{"AAAAA-00001"});
    CHECK(log.contains("removed 2 unfinished write(s)"));
}

TEST_CASE_FIXTURE(Fixture, "net: damaged files are set aside and reported, the others load") {
    {
        auto outbox = open(Mode::Sealed);
        for (const char* ref : {"GOOD1-00001", "FLIP2-00002", "CUT33-00003", "SWAP4-00004", "GOOD5-00005"}) {
            REQUIRE(outbox->enqueue(makeSubmission(ref, kEndpoint)).has_value());
        }
    }
    // A flipped byte inside the envelope.
    std::string flipped = readText(dir() / "FLIP2-00002.sub");
    flipped[flipped.size() - 20] ^= 0x01;
    writeText(dir() / "FLIP2-00002.sub", flipped);
    // Cut short (a disk that lost the tail).
    const std::string cut = readText(dir() / "CUT33-00003.sub");
    writeText(dir() / "CUT33-00003.sub", cut.substr(0, cut.size() / 2));
    // A file copied under another reference's name.
    fs::copy_file(dir() / "GOOD1-00001.sub", dir() / "SWAP4-00004.sub", fs::copy_options::overwrite_existing);
    // Something that is not an outbox file at all.
    writeText(dir() / "NOISE-00006.sub", "garbage \x01 not json\n");
    // A schedule that does not parse is only a hint: the submission stays.
    writeText(dir() / "GOOD5-00005.state", "{broken");

    auto outbox = open(Mode::Sealed);
    CHECK(references(outbox->entries()) == std::vector<std::string>{"GOOD1-00001", "GOOD5-00005"});
    CHECK(outbox->shelvedCount(net::Shelf::Corrupt) == 4);
    const auto shelved = outbox->shelved(net::Shelf::Corrupt);
    REQUIRE(shelved.size() == 4);
    for (const auto& item : shelved) {
        CAPTURE(item.file);
        CHECK_FALSE(item.reason.empty());
        CHECK(fs::exists(dir() / "corrupt" / item.file));
    }
    CHECK(log.contains("set aside damaged outbox file FLIP2-00002.sub"));
    CHECK(log.contains("set aside damaged outbox file CUT33-00003.sub"));
    CHECK(log.contains("set aside damaged outbox file SWAP4-00004.sub"));
    CHECK(log.contains("set aside damaged outbox file NOISE-00006.sub"));
    CHECK(log.contains("ignored an unreadable retry schedule for GOOD5-00005"));
    // Nothing was deleted: four files and their reasons.
    CHECK(names(dir() / "corrupt").size() == 8);
}

TEST_CASE_FIXTURE(Fixture, "net: a file stored in the other mode, or with another key, is set aside") {
    {
        auto outbox = open(Mode::Plain);
        REQUIRE(outbox->enqueue(makeSubmission("PLAIN-00001", kEndpoint)).has_value());
    }
    SUBCASE("the outbox is sealed now") {
        auto outbox = open(Mode::Sealed);
        CHECK(outbox->size() == 0);
        CHECK(outbox->shelvedCount(net::Shelf::Corrupt) == 1);
        CHECK(log.contains("now sealed"));
    }
    SUBCASE("the key file was replaced") {
        fs::remove(tmp / "outbox.key");
        auto outbox = open(Mode::Plain);
        CHECK(outbox->size() == 0);
        CHECK(outbox->shelvedCount(net::Shelf::Corrupt) == 1);
        CHECK(log.contains("another key"));
    }
}

TEST_CASE_FIXTURE(Fixture, "net: enqueue refuses what it cannot store and leaves nothing behind") {
    auto outbox = open(Mode::Sealed);
    auto refused = [&](core::PreparedSubmission sub, net::NetError code) {
        auto result = outbox->enqueue(sub);
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().code == code);
    };
    refused(makeSubmission("../escape", kEndpoint), net::NetError::InvalidSubmission);
    refused(makeSubmission("", kEndpoint), net::NetError::InvalidSubmission);
    refused(makeSubmission(std::string(65, 'A'), kEndpoint), net::NetError::InvalidSubmission);
    refused(makeSubmission("AAAAA-00001", "http://localhost/api"), net::NetError::InvalidSubmission);
    auto empty = makeSubmission("AAAAA-00001", kEndpoint);
    empty.payload.clear();
    refused(empty, net::NetError::InvalidSubmission);
    refused(makeSubmission("HUGE1-00001", kEndpoint, 1024 * 1024), net::NetError::InvalidSubmission);
    CHECK(names(dir()).empty());

    REQUIRE(outbox->enqueue(makeSubmission("AAAAA-00001", kEndpoint)).has_value());
    refused(makeSubmission("AAAAA-00001", kEndpoint), net::NetError::AlreadyQueued);
    CHECK(names(dir()) == std::vector<std::string>{"AAAAA-00001.sub"});
    CHECK(outbox->storage().ok);  // a refused submission says nothing about the disk
}

TEST_CASE_FIXTURE(Fixture, "net: an outbox folder that cannot be made is a clear error") {
    writeText(tmp / "a-file", "x");
    auto options = sealedOutbox(tmp / "a-file" / "outbox", log.sink());
    auto outbox = net::Outbox::open(options, clock);
    REQUIRE_FALSE(outbox.has_value());
    CHECK(net::isStorageProblem(outbox.error().code));
    CHECK(outbox.error().detail.find("a-file") != std::string::npos);

    auto missingKey = sealedOutbox(tmp / "outbox", log.sink());
    missingKey.recipientKey = tmp / "nope.pem";
    auto noKey = net::Outbox::open(missingKey, clock);
    REQUIRE_FALSE(noKey.has_value());
    CHECK(noKey.error().code == net::NetError::KeyUnavailable);
}

TEST_CASE_FIXTURE(Fixture, "net: delivered submissions leave no files") {
    for (Mode mode : {Mode::Sealed, Mode::Plain}) {
        fs::remove_all(dir());
        auto outbox = open(mode);
        REQUIRE(outbox->enqueue(makeSubmission("AAAAA-00001", kEndpoint)).has_value());
        REQUIRE(outbox->recordFailure("AAAAA-00001", 1, clock.now() + 30s, "connect_failed").has_value());
        CHECK(names(dir()) == std::vector<std::string>{"AAAAA-00001.state", "AAAAA-00001.sub"});
        REQUIRE(outbox->markDelivered("AAAAA-00001").has_value());
        CHECK(names(dir()).empty());
        CHECK(outbox->size() == 0);
    }
}

TEST_CASE_FIXTURE(Fixture, "net: needs-staff keeps the submission with its reason, staff can requeue it") {
    auto outbox = open(Mode::Plain);
    REQUIRE(outbox->enqueue(makeSubmission("AAAAA-00001", kEndpoint)).has_value());
    REQUIRE(outbox->shelve("AAAAA-00001", net::Shelf::NeedsStaff, "the server refused it: HTTP 422 (bad_form)").has_value());
    CHECK(outbox->size() == 0);
    CHECK(outbox->shelvedCount(net::Shelf::NeedsStaff) == 1);
    const auto shelved = outbox->shelved(net::Shelf::NeedsStaff);
    REQUIRE(shelved.size() == 1);
    CHECK(shelved[0].reference == "AAAAA-00001");
    CHECK(shelved[0].reason.find("HTTP 422 (bad_form)") != std::string::npos);
    for (const auto& [path, content] : allFiles(dir())) CHECK(content.find("Jansen") == std::string::npos);

    // Still there after a restart.
    outbox.reset();
    outbox = open(Mode::Plain);
    CHECK(outbox->shelvedCount(net::Shelf::NeedsStaff) == 1);

    REQUIRE(outbox->requeue("AAAAA-00001").has_value());
    CHECK(outbox->shelvedCount(net::Shelf::NeedsStaff) == 0);
    CHECK(references(outbox->entries()) == std::vector<std::string>{"AAAAA-00001"});
    CHECK(outbox->load("AAAAA-00001").has_value());
    CHECK_FALSE(outbox->requeue("AAAAA-00001").has_value());
}

TEST_CASE_FIXTURE(Fixture, "net: enqueue from several threads at once stores every submission") {
    auto outbox = open(Mode::Sealed);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const std::string ref = "T" + std::to_string(t) + "-" + std::to_string(i);
                if (!outbox->enqueue(makeSubmission(ref, kEndpoint))) ++failures;
                (void)outbox->entries();
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(outbox->size() == 100);
    outbox.reset();
    auto reopened = open(Mode::Sealed);
    CHECK(reopened->size() == 100);
    CHECK(reopened->shelvedCount(net::Shelf::Corrupt) == 0);
}

TEST_CASE_FIXTURE(Fixture, "net: two outboxes on one folder never overwrite each other's submissions") {
    // A second kiosk process started by mistake on the same folder: its index does not know
    // the first one's files, so only the file system can refuse the second write.
    auto first = open(Mode::Sealed);
    auto second = open(Mode::Sealed);
    REQUIRE(first->enqueue(makeSubmission("SAME-00001", kEndpoint)).has_value());
    const std::string before = readText(dir() / "SAME-00001.sub");
    auto again = second->enqueue(makeSubmission("SAME-00001", kEndpoint));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == net::NetError::AlreadyQueued);
    CHECK(readText(dir() / "SAME-00001.sub") == before);
    CHECK(names(dir()) == std::vector<std::string>{"SAME-00001.sub"});
    CHECK(second->storage().ok);
}
