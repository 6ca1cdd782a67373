// A full disk and a read-only disk under the outbox (a small tmpfs): the citizen is told
// (enqueue fails with a clear error), nothing is half-written, nothing stored is lost, and
// the outbox takes submissions again once there is room. Needs mount(2): as root here;
// elsewhere these cases say they were skipped.
#include "kiosk/net/delivery.hpp"

#include "tests/fakes/print.hpp"
#include "tests/unit/net/net_support.hpp"
#include "tests/unit/net/recording_submitter.hpp"
#include "tests/unit/net/stepped_clock.hpp"

#include <doctest/doctest.h>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const auto kStart = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 10h;
const std::string kEndpoint = "https://localhost:8443/api/submissions";

// A tmpfs mounted for the test's lifetime.
class Tmpfs {
public:
    Tmpfs(const fs::path& where, const std::string& options) : m_where(where) {
        fs::create_directories(where);
        if (::mount("tmpfs", where.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
            m_mounted = true;
        } else {
            m_error = std::strerror(errno);
        }
    }
    ~Tmpfs() {
        if (m_mounted) ::umount2(m_where.c_str(), MNT_DETACH);
    }
    Tmpfs(const Tmpfs&) = delete;
    Tmpfs& operator=(const Tmpfs&) = delete;
    [[nodiscard]] bool mounted() const { return m_mounted; }
    [[nodiscard]] const std::string& error() const { return m_error; }
    bool remount(unsigned long flags) {
        return ::mount(nullptr, m_where.c_str(), nullptr, MS_REMOUNT | MS_NOSUID | MS_NODEV | flags, nullptr) == 0;
    }

private:
    fs::path m_where;
    bool m_mounted = false;
    std::string m_error;
};

std::vector<std::string> temporaries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.starts_with(".tmp-") || name.starts_with(".probe-")) out.push_back(name);
    }
    return out;
}

}  // namespace

TEST_CASE("net: a full disk: enqueue fails cleanly, nothing half-written, and recovers when there is room") {
    TempDir tmp;
    Tmpfs disk(tmp / "disk", "size=64k,mode=0700");
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: cannot mount a tmpfs here (" << disk.error() << "); the full-disk case needs root");
        return;
    }
    SteppedClock clock{kStart};
    LogCapture log;
    RecordingSubmitter submitter;
    const fs::path dir = tmp / "disk" / "outbox";
    auto opened = net::Outbox::open(plainOutbox(dir, tmp / "outbox.key", log.sink()), clock);
    REQUIRE(opened.has_value());
    auto& outbox = **opened;
    net::DeliveryOptions options;
    options.log = log.sink();
    net::Delivery delivery(outbox, submitter, clock, options);

    std::vector<std::string> stored;
    std::optional<net::Failure> failure;
    std::string failedRef;
    for (int i = 0; i < 100 && !failure; ++i) {
        const std::string ref = "FULL-" + std::to_string(i);
        auto result = outbox.enqueue(makeSubmission(ref, kEndpoint, 3000));
        if (result) {
            stored.push_back(ref);
        } else {
            failure = result.error();
            failedRef = ref;
        }
    }
    REQUIRE(failure.has_value());
    CAPTURE(net::describe(*failure));
    CHECK(failure->code == net::NetError::DiskFull);
    CHECK(net::isStorageProblem(failure->code));
    CHECK(stored.size() >= 3);
    MESSAGE(stored.size() << " submissions fitted before the disk was full");

    // The citizen is told; the kiosk knows it cannot take submissions.
    CHECK_FALSE(outbox.storage().ok);
    CHECK(outbox.storage().lastError.find("disk is full") != std::string::npos);
    const auto status = delivery.status();
    CHECK_FALSE(status.storageOk);
    CHECK(net::formatPrometheus(status).find("toegang_outbox_storage_ok 0\n") != std::string::npos);
    CHECK(log.contains("could not store " + failedRef));

    // Nothing half-written: no temporary file, no file for the failed one, every stored one whole.
    CHECK(temporaries(dir) == std::vector<std::string>{});
    CHECK_FALSE(fs::exists(dir / (failedRef + ".sub")));
    for (const auto& ref : stored) {
        CAPTURE(ref);
        auto request = outbox.load(ref);
        REQUIRE(request.has_value());
        CHECK(request->body == makeSubmission(ref, kEndpoint, 3000).payload);
    }
    // A kiosk starting on this full disk says so at once (and also leaves nothing behind).
    auto second = net::Outbox::open(plainOutbox(dir, tmp / "outbox.key", log.sink()), clock);
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().code == net::NetError::DiskFull);
    CHECK(temporaries(dir) == std::vector<std::string>{});

    // Delivering frees the disk; the worker's probe turns storage back on.
    const auto pass = delivery.deliverDue();
    CHECK(pass.delivered == static_cast<int>(stored.size()));
    CHECK(outbox.storage().ok);
    CHECK(log.contains("the outbox can store submissions again"));
    REQUIRE(outbox.enqueue(makeSubmission(failedRef, kEndpoint, 3000)).has_value());
    CHECK(outbox.size() == 1);
    CHECK(temporaries(dir) == std::vector<std::string>{});
}

TEST_CASE("net: a read-only disk: enqueue and start fail with a clear error, nothing is lost") {
    TempDir tmp;
    Tmpfs disk(tmp / "disk", "size=256k,mode=0700");
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: cannot mount a tmpfs here (" << disk.error() << "); the read-only case needs root");
        return;
    }
    SteppedClock clock{kStart};
    LogCapture log;
    const fs::path dir = tmp / "disk" / "outbox";
    auto opened = net::Outbox::open(sealedOutbox(dir, log.sink()), clock);
    REQUIRE(opened.has_value());
    auto& outbox = **opened;
    REQUIRE(outbox.enqueue(makeSubmission("KEPT-1", kEndpoint)).has_value());

    REQUIRE(disk.remount(MS_RDONLY));
    auto refused = outbox.enqueue(makeSubmission("REFUSED-1", kEndpoint));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == net::NetError::NotWritable);
    CHECK_FALSE(outbox.storage().ok);
    CHECK_FALSE(outbox.probe().has_value());
    auto atStart = net::Outbox::open(sealedOutbox(dir, log.sink()), clock);
    REQUIRE_FALSE(atStart.has_value());
    CHECK(atStart.error().code == net::NetError::NotWritable);

    REQUIRE(disk.remount(0));
    CHECK(outbox.probe().has_value());
    CHECK(outbox.storage().ok);
    REQUIRE(outbox.enqueue(makeSubmission("AFTER-1", kEndpoint)).has_value());
    CHECK(outbox.size() == 2);
    CHECK(outbox.load("KEPT-1").has_value());
}
