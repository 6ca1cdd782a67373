// The Prometheus text file: names, values, label escaping, and an atomic write.
#include "kiosk/net/status.hpp"

#include "tests/unit/net/net_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace kiosk;
using namespace kiosk::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

net::OutboxStatus sample() {
    net::OutboxStatus s;
    s.at = std::chrono::system_clock::time_point(1'800'000'000s);
    s.queueLength = 3;
    s.oldestAge = 125s;
    s.oldestReference = "K7QPD-4M2XR";
    s.overdue = 1;
    s.needsStaff = 2;
    s.corrupt = 1;
    s.storageOk = false;
    s.storageError = "the outbox's disk is full";
    s.deliveredSinceStart = 42;
    net::EndpointStatus e;
    e.endpoint = "https://a.example/api?x=\"1\"\\";
    e.lastError = "could not connect";
    e.lastErrorKind = "connect_failed";
    e.lastErrorAt = std::chrono::system_clock::time_point(1'799'999'990s);
    e.lastSuccessAt = std::chrono::system_clock::time_point(1'799'999'000s);
    s.endpoints.push_back(e);
    return s;
}

}  // namespace

TEST_CASE("net: the Prometheus file names every figure of the operator view") {
    const std::string text = net::formatPrometheus(sample());
    for (const char* line : {
             "toegang_outbox_queue_length 3\n",
             "toegang_outbox_oldest_age_seconds 125\n",
             "toegang_outbox_overdue 1\n",
             "toegang_outbox_needs_staff 2\n",
             "toegang_outbox_corrupt 1\n",
             "toegang_outbox_storage_ok 0\n",
             "toegang_outbox_delivered 42\n",
             "toegang_outbox_last_error{endpoint=\"https://a.example/api?x=\\\"1\\\"\\\\\",error=\"connect_failed\"} 1\n",
             "toegang_outbox_last_error_timestamp_seconds{endpoint=\"https://a.example/api?x=\\\"1\\\"\\\\\"} 1799999990.000\n",
             "toegang_outbox_last_success_timestamp_seconds{endpoint=\"https://a.example/api?x=\\\"1\\\"\\\\\"} 1799999000.000\n",
             "toegang_outbox_status_timestamp_seconds 1800000000.000\n",
             "# TYPE toegang_outbox_queue_length gauge\n",
             "# HELP toegang_outbox_queue_length Submissions waiting in the outbox.\n",
         }) {
        CAPTURE(line);
        CHECK(text.find(line) != std::string::npos);
    }
    CHECK(text.find("K7QPD") == std::string::npos);  // references stay out of metrics
    // Every sample line: name, optional labels, one value.
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        REQUIRE(end != std::string::npos);
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.starts_with("#")) continue;
        CAPTURE(line);
        CHECK(line.starts_with("toegang_outbox_"));
        CHECK(line.rfind(' ') != std::string::npos);
    }
}

TEST_CASE("net: an empty queue reports age 0 and no endpoint lines") {
    net::OutboxStatus s;
    const std::string text = net::formatPrometheus(s);
    CHECK(text.find("toegang_outbox_oldest_age_seconds 0\n") != std::string::npos);
    CHECK(text.find("toegang_outbox_last_error{") == std::string::npos);
    CHECK(text.find("toegang_outbox_storage_ok 1\n") != std::string::npos);
}

TEST_CASE("net: the metrics file is replaced atomically and leaves no temporary") {
    TempDir tmp;
    const auto file = tmp / "toegang.prom";
    REQUIRE(net::writePrometheusFile(sample(), file).has_value());
    auto s = sample();
    s.queueLength = 7;
    REQUIRE(net::writePrometheusFile(s, file).has_value());
    CHECK(readText(file).find("toegang_outbox_queue_length 7\n") != std::string::npos);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(tmp.path())) names.push_back(e.path().filename().string());
    CHECK(names == std::vector<std::string>{"toegang.prom"});
    CHECK_FALSE(net::writePrometheusFile(s, tmp / "missing" / "toegang.prom").has_value());
}

TEST_CASE("net: the metrics file is readable by node_exporter's user even under umask 0077") {
    // The service runs with UMask=0077 (deploy/systemd/toegang-kiosk.service); node_exporter
    // runs as the user prometheus and must still read the file.
    TempDir tmp;
    const auto file = tmp / "toegang.prom";
    const mode_t before = ::umask(0077);
    const bool written = net::writePrometheusFile(sample(), file).has_value();
    ::umask(before);
    REQUIRE(written);
    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0644);
}
