/** @file batch.h
 *  @brief POST /v1/batch: many searches in one request, run on a worker pool, answered
 *         in input order; a bad query gets its own error entry.
 */
#pragma once

#include "strata/search.h"

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

/// A fixed set of threads that run submitted tasks. Each thread keeps its own
/// Xapian::Database (IndexHandle is per thread), so work reuses open databases.
class WorkerPool {
public:
    explicit WorkerPool(unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(std::function<void()> task);
    [[nodiscard]] unsigned size() const { return static_cast<unsigned>(threads_.size()); }

private:
    void work();
    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> tasks_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
};

/// One query of a batch: its id and its parameters, or why it cannot run.
struct BatchItem {
    nlohmann::json id;
    ParamMap params;
    std::string error_code, error_message;  ///< set when the item itself is malformed
};

/// Parses a JSON body with the nesting depth bounded (so hostile input cannot exhaust the
/// stack). Throws InvalidRequest("invalid_json", …) naming the position of the error.
[[nodiscard]] nlohmann::json parse_json_body(const std::string& body, int max_depth = 32);

/// Reads {"queries": [...], "defaults": {...}}. Throws InvalidRequest for a malformed body,
/// TooLarge for more than @p max_queries queries; a malformed query becomes an item with
/// an error.
[[nodiscard]] std::vector<BatchItem> parse_batch(const nlohmann::json& body, std::size_t max_queries);

/// Runs @p items on @p pool and calls @p emit with each result line, in input order, from
/// the calling thread, as soon as each is ready. A line is {"id", "result"} or
/// {"id", "error": {"code", "message"}}. Returns the number of failed queries.
std::size_t run_batch(const Searcher& searcher, WorkerPool& pool, const std::vector<BatchItem>& items,
                      const std::function<void(const nlohmann::json&)>& emit);

}  // namespace strata
