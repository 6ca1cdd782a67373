// A Submitter that records what it was asked to send and answers as the test scripts it
// (house style: fakes named by behaviour). Thread-safe: the delivery worker posts while the
// test thread scripts answers and reads what was posted.
#pragma once

#include "kiosk/net/submitter.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace kiosk::test {

class RecordingSubmitter final : public net::Submitter {
public:
    using Outcome = std::expected<net::HttpAnswer, net::Failure>;

    // The next post() answers with this (in order); once the script is used up, 201.
    void script(Outcome outcome) {
        std::lock_guard lock(m_mutex);
        m_script.push_back(std::move(outcome));
    }
    void scriptStatus(long status, int times = 1) {
        for (int i = 0; i < times; ++i) script(net::HttpAnswer{status, {}, {}});
    }
    void scriptFailure(net::NetError code, int times = 1) {
        for (int i = 0; i < times; ++i) script(std::unexpected(net::Failure{code, "scripted"}));
    }
    // The next post() blocks until cancel() (to test that stop() is prompt).
    void blockNext() {
        std::lock_guard lock(m_mutex);
        m_blockNext = true;
    }

    std::expected<net::HttpAnswer, net::Failure> post(const net::HttpRequest& request) override {
        std::unique_lock lock(m_mutex);
        m_requests.push_back(request);
        m_changed.notify_all();
        if (m_blockNext) {
            m_blockNext = false;
            m_changed.wait(lock, [&] { return m_cancelled; });
        }
        if (m_cancelled) return std::unexpected(net::Failure{net::NetError::Cancelled, {}});
        if (m_script.empty()) return net::HttpAnswer{201, R"({"status":"stored"})", {}};
        Outcome next = std::move(m_script.front());
        m_script.pop_front();
        return next;
    }
    void cancel() override {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
        m_changed.notify_all();
    }
    void resume() override {
        std::lock_guard lock(m_mutex);
        m_cancelled = false;
    }

    [[nodiscard]] std::vector<net::HttpRequest> requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }
    [[nodiscard]] std::size_t posts() const {
        std::lock_guard lock(m_mutex);
        return m_requests.size();
    }
    // Bounded wait until at least `count` posts were made.
    bool waitForPosts(std::size_t count, std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [&] { return m_requests.size() >= count; });
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Outcome> m_script;
    std::vector<net::HttpRequest> m_requests;
    bool m_blockNext = false;
    bool m_cancelled = false;
};

}  // namespace kiosk::test
