// The kiosk process SIGKILLed at random moments while it enqueues 200 submissions and
// delivers in the background, then started again: every submission whose confirmation was
// shown arrives at the backend exactly once, and nothing half-written is left.
#include "tests/fakes/print.hpp"
#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <random>
#include <set>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("net: kiosk SIGKILLed at random moments during 200 submissions: each confirmed one arrives once") {
    constexpr int kTotal = 200;
    constexpr int kKills = 8;
    TempDir tmp;
    DemoBackend backend(tmp.path());
    const fs::path& c = certsDir();
    const fs::path config = tmp / "kiosk.yaml";
    writeText(config, "kiosk_id: crash-test\n"
                      "submit:\n"
                      "  default_endpoint: " + backend.url() + "\n"
                      "  allowed_hosts: [localhost]\n"
                      "  ca_file: " + (c / "ca.crt").string() + "\n"
                      "  client_cert: " + (c / "client.crt").string() + "\n"
                      "  client_key: " + (c / "client.key").string() + "\n"
                      "outbox:\n"
                      "  dir: " + (tmp / "outbox").string() + "\n"
                      "  mode: sealed\n"
                      "  recipient_key: " + (c / "sealing.pub.pem").string() + "\n");

    const unsigned seed = std::random_device{}();
    MESSAGE("kill moments drawn with seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> killAfterMs(5, 300);

    std::set<std::string> confirmed;
    auto take = [&](const std::string& line) {
        if (line.starts_with("confirmed ")) {
            REQUIRE(confirmed.insert(line.substr(10)).second);
        }
        REQUIRE_FALSE(line.starts_with("failed "));
    };
    auto driverArgs = [&](int count) {
        return std::vector<std::string>{KIOSK_OUTBOX_DRIVER, "--config", config.string(), "--count",
                                        std::to_string(count), "--backoff-ms", "100", "--drain-timeout-ms", "60000",
                                        "--pace-ms", "2"};
    };

    int kills = 0;
    for (; kills < kKills && static_cast<int>(confirmed.size()) < kTotal; ++kills) {
        Process driver(driverArgs(kTotal - static_cast<int>(confirmed.size())), tmp / "driver.log");
        const auto killAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(killAfterMs(rng));
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(killAt - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            auto line = driver.readLine(left);
            if (!line) break;
            take(*line);
        }
        driver.kill(SIGKILL);
        REQUIRE(driver.wait(10s).has_value());
        for (const auto& line : driver.remainingLines()) take(line);
    }
    MESSAGE(kills << " kills; " << confirmed.size() << " confirmed before the last start");

    // The last start: the rest, then wait until the outbox is empty.
    Process last(driverArgs(kTotal - static_cast<int>(confirmed.size())), tmp / "driver.log");
    bool drained = false;
    while (auto line = last.readLine(90s)) {
        if (*line == "drained") {
            drained = true;
            break;
        }
        take(*line);
    }
    if (!drained) FAIL("the last run did not drain; driver log:\n" << readText(tmp / "driver.log"));
    CHECK(last.wait(10s) == 0);
    CHECK(confirmed.size() == static_cast<std::size_t>(kTotal));

    const auto stored = backend.stored();
    for (const auto& ref : confirmed) {
        CAPTURE(ref);
        REQUIRE(stored.count(ref) == 1);
        CHECK(stored.at(ref) == 1);
    }
    // A submission stored durably but killed before its "confirmed" line may arrive too
    // (the citizen saw no confirmation); at most one per kill.
    CHECK(stored.size() >= confirmed.size());
    CHECK(stored.size() <= confirmed.size() + static_cast<std::size_t>(kills));
    std::size_t repeats = 0;
    for (const auto& [ref, outcomes] : backend.outcomes()) {
        repeats += static_cast<std::size_t>(std::count(outcomes.begin(), outcomes.end(), "http_409"));
    }
    MESSAGE(repeats << " repeat(s) after a kill answered 409 by the backend's idempotency");

    // Nothing left behind: no submission, no schedule, no temporary file, nothing damaged.
    std::vector<std::string> left;
    for (const auto& e : fs::recursive_directory_iterator(tmp / "outbox")) {
        if (e.is_regular_file()) left.push_back(e.path().lexically_relative(tmp / "outbox").string());
    }
    CHECK(left == std::vector<std::string>{});
}
