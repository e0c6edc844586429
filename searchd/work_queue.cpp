#include "work_queue.h"

#include <algorithm>
#include <exception>
#include <future>
#include <memory>

namespace strata::searchd {

WorkQueue::WorkQueue(int workers) : pool_(static_cast<unsigned>(std::max(1, workers))) {}

std::optional<Response> WorkQueue::run(const std::function<Response()>& work, std::chrono::milliseconds wait) {
    auto answer = std::make_shared<std::promise<std::optional<Response>>>();
    std::future<std::optional<Response>> done = answer->get_future();
    const auto deadline = std::chrono::steady_clock::now() + wait;
    ++waiting_;
    // The caller waits for the answer, so the task may refer to work.
    pool_.submit([this, &work, answer, deadline] {
        --waiting_;
        if (std::chrono::steady_clock::now() > deadline) {
            answer->set_value(std::nullopt);
            return;
        }
        const int now_running = ++running_;
        for (int most = most_running_; now_running > most && !most_running_.compare_exchange_weak(most, now_running);) {
        }
        std::optional<Response> r;
        std::exception_ptr failed;
        try {
            r = work();
        } catch (...) {
            failed = std::current_exception();
        }
        --running_;
        if (failed) answer->set_exception(failed);
        else answer->set_value(std::move(r));
    });
    return done.get();
}

}  // namespace strata::searchd
