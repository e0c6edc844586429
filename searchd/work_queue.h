/** @file work_queue.h
 *  @brief The requests that read the index run on a few worker threads of their own, first
 *         come first served; the HTTP threads only read requests and write answers.
 *
 *  Searches, compares and the corpus analyses are CPU-bound. Past one per core, running more
 *  at once adds no throughput: it holds more requests' working memory at the same time,
 *  lengthens every request, and fills the caches that each thread keeps (stems, document
 *  records, phrase matches) in more threads. `limits.max_running` sets the number of workers.
 */
#pragma once

#include "router.h"

#include "strata/batch.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

namespace strata::searchd {

class WorkQueue {
public:
    /// @p workers threads (at least 1).
    explicit WorkQueue(int workers);

    /// Runs @p work on a worker once those queued before it have started, and returns its
    /// answer, or throws what it threw. A request that waited longer than @p wait is not run:
    /// nullopt.
    [[nodiscard]] std::optional<Response> run(const std::function<Response()>& work, std::chrono::milliseconds wait);

    [[nodiscard]] int workers() const { return static_cast<int>(pool_.size()); }
    [[nodiscard]] int running() const { return running_; }
    [[nodiscard]] int waiting() const { return waiting_; }
    /// The most requests that ran at once since start.
    [[nodiscard]] int most_running() const { return most_running_; }

private:
    std::atomic<int> running_{0}, waiting_{0}, most_running_{0};
    WorkerPool pool_;  // last: its threads stop before the counters go
};

}  // namespace strata::searchd
