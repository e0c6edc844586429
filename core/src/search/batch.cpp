#include "strata/batch.h"

#include "strata/errors.h"

#include <memory>
#include <optional>

namespace strata {

WorkerPool::WorkerPool(unsigned threads) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

void WorkerPool::submit(std::function<void()> task) {
    {
        std::lock_guard lock(mu_);
        tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
}

void WorkerPool::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
            if (tasks_.empty()) return;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        task();
    }
}

nlohmann::json parse_json_body(const std::string& body, int max_depth) {
    try {
        return nlohmann::json::parse(body, [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > max_depth)
                throw InvalidRequest("invalid_json", "JSON nested deeper than " + std::to_string(max_depth) + " levels");
            return true;
        });
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for numbers past a double (found by fuzz_request).
        throw InvalidRequest("invalid_json", std::string("the body is not valid JSON: ") + e.what());
    }
}

namespace {

// JSON field value → parameter values.
std::vector<std::string> values_of(const std::string& name, const nlohmann::json& v) {
    if (v.is_string()) return {v.get<std::string>()};
    if (v.is_boolean()) return {v.get<bool>() ? "true" : "false"};
    if (v.is_number_integer()) return {std::to_string(v.get<long long>())};
    if (v.is_array()) {
        std::string joined;
        for (const auto& x : v) {
            if (!x.is_string() && !x.is_number_integer())
                throw InvalidRequest("invalid_parameter", "field '" + name + "' must list strings or whole numbers");
            if (!joined.empty()) joined += ',';
            joined += x.is_string() ? x.get<std::string>() : std::to_string(x.get<long long>());
        }
        return {joined};
    }
    throw InvalidRequest("invalid_parameter", "field '" + name + "' must be a string, a whole number, a boolean or a list");
}

}  // namespace

std::vector<BatchItem> parse_batch(const nlohmann::json& body, std::size_t max_queries) {
    if (!body.is_object()) throw InvalidRequest("invalid_batch", "the body must be a JSON object with a 'queries' list");
    for (auto& [k, v] : body.items())
        if (k != "queries" && k != "defaults") throw InvalidRequest("invalid_batch", "unknown field '" + k.substr(0, 60) + "'");
    if (!body.contains("queries") || !body["queries"].is_array())
        throw InvalidRequest("invalid_batch", "'queries' must be a list of query objects");
    const nlohmann::json& queries = body["queries"];
    if (queries.size() > max_queries)
        throw TooLarge("a batch holds at most " + std::to_string(max_queries) + " queries; this one has " +
                       std::to_string(queries.size()));
    ParamMap defaults;
    if (body.contains("defaults")) {
        if (!body["defaults"].is_object()) throw InvalidRequest("invalid_batch", "'defaults' must be an object");
        for (auto& [k, v] : body["defaults"].items()) defaults[k] = values_of(k, v);
    }
    std::vector<BatchItem> items;
    items.reserve(queries.size());
    for (std::size_t i = 0; i < queries.size(); ++i) {
        BatchItem item;
        const nlohmann::json& q = queries[i];
        item.id = q.is_object() && q.contains("id") ? q["id"] : nlohmann::json(i);
        try {
            if (!q.is_object()) throw InvalidRequest("invalid_query", "each query must be a JSON object");
            if (!item.id.is_string() && !item.id.is_number_integer())
                throw InvalidRequest("invalid_query", "'id' must be a string or a whole number");
            item.params = defaults;
            for (auto& [k, v] : q.items())
                if (k != "id") item.params[k] = values_of(k, v);
        } catch (const InvalidRequest& e) {
            item.error_code = e.code();
            item.error_message = e.what();
        }
        items.push_back(std::move(item));
    }
    return items;
}

std::size_t run_batch(const Searcher& searcher, WorkerPool& pool, const std::vector<BatchItem>& items,
                      const std::function<void(const nlohmann::json&)>& emit) {
    // Shared with the tasks, so that a caller who stops early (the client went away) leaves
    // nothing dangling: tasks finish into state that outlives this call.
    struct State {
        std::vector<std::optional<nlohmann::json>> results;
        std::mutex mu;
        std::condition_variable cv;
    };
    auto state = std::make_shared<State>();
    state->results.resize(items.size());
    auto error_line = [](const nlohmann::json& id, const std::string& code, const std::string& message) {
        return nlohmann::json{{"id", id}, {"error", {{"code", code}, {"message", message}}}};
    };
    for (std::size_t i = 0; i < items.size(); ++i) {
        pool.submit([state, i, item = items[i], &searcher, error_line] {
            nlohmann::json line;
            if (!item.error_code.empty()) {
                line = error_line(item.id, item.error_code, item.error_message);
            } else {
                try {
                    line = {{"id", item.id}, {"result", searcher.search(SearchRequest::from_params(item.params))}};
                } catch (const InvalidRequest& e) {
                    line = error_line(item.id, e.code(), e.what());
                } catch (const TooLarge& e) {
                    line = error_line(item.id, "too_large", e.what());
                } catch (const Unavailable& e) {
                    line = error_line(item.id, "unavailable", e.what());
                } catch (const Xapian::Error& e) {
                    line = error_line(item.id, "index_error", e.get_msg());
                } catch (const std::exception&) {
                    line = error_line(item.id, "internal", "internal error");
                }
            }
            {
                std::lock_guard lock(state->mu);
                state->results[i] = std::move(line);
            }
            state->cv.notify_all();
        });
    }
    std::size_t failed = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        nlohmann::json line;
        {
            std::unique_lock lock(state->mu);
            state->cv.wait(lock, [&] { return state->results[i].has_value(); });
            line = std::move(*state->results[i]);
        }
        if (line.contains("error")) ++failed;
        emit(line);
    }
    return failed;
}

}  // namespace strata
