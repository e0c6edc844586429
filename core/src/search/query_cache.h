/** @file query_cache.h
 *  @brief Internal: parsed queries kept per thread, so a repeated query skips analysis and
 *  cross-language expansion.
 *
 *  Parsing depends only on the query text and its QueryContext (the analyzer and reference
 *  data of one Searcher, the languages of the index, lang=, crosslingual and the limits),
 *  so the key holds all of those that vary; the cache empties when the index changes
 *  (a new version string), which also bounds it. A cache is per thread because
 *  Xapian::Query's reference counts are not atomic: a query built in one thread must not be
 *  copied in another.
 */
#pragma once

#include "search/lru_map.h"
#include "strata/query.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata {

/// A bounded least-recently-used map from a query key to its parse.
class QueryCache {
public:
    explicit QueryCache(std::size_t capacity) : parses_(capacity) {}

    /// The cached parse of @p key, or nullptr; a hit becomes the most recent entry.
    [[nodiscard]] const ParsedQuery* find(const std::string& key) { return parses_.find(key); }
    /// Stores @p pq under @p key, dropping the least recently used entry when full.
    void put(const std::string& key, ParsedQuery pq) { parses_.put(key, std::move(pq)); }
    /// Empties the cache when @p version differs from the last one seen.
    void set_version(const std::string& version);
    [[nodiscard]] std::size_t size() const { return parses_.size(); }
    /// The index version last set.
    [[nodiscard]] const std::string& version() const { return version_; }

    /// The languages of the index, kept with the version (empty until set).
    std::vector<std::string> stem_languages;
    bool has_languages = false;

private:
    LruMap<ParsedQuery> parses_;
    std::string version_;
};

/// Parses any thread may take: a parse made in one thread is kept with its Xapian queries
/// serialised (a Query must not be shared between threads) and rebuilt in the thread that
/// asks, which costs a small part of parsing again. A thread's own QueryCache is asked
/// first; the daemon hands each request to any of its threads, so a repeated query (the next
/// page, a facet selected) mostly lands on a thread that has not parsed it. A bounded
/// least-recently-used map per index version. Thread-safe.
class SharedParses {
public:
    explicit SharedParses(std::size_t capacity) : parses_(capacity) {}

    /// The parse of @p key under index version @p version, rebuilt in this thread; nullopt
    /// when there is none.
    [[nodiscard]] std::optional<ParsedQuery> find(const std::string& version, const std::string& key);
    /// Keeps @p pq, made in this thread, under @p key and index version @p version.
    void put(const std::string& version, const std::string& key, const ParsedQuery& pq);

private:
    struct Entry {
        ParsedQuery rest;                  // every field but the Xapian queries, which are empty
        std::vector<std::string> queries;  // query, then each clause's query, direct and exact
    };
    std::mutex mutex_;
    std::string version_;
    LruMap<std::shared_ptr<const Entry>> parses_;
};

/// The process's SharedParses for the Searcher numbered @p owner (those of older Searchers
/// are dropped when there are more than a few).
[[nodiscard]] SharedParses& shared_parses(std::uint64_t owner);

/// The key of a parse: every input of QueryContext that varies between requests.
[[nodiscard]] std::string query_cache_key(std::string_view q, const QueryContext& ctx);

/// This thread's cache for the Searcher numbered @p owner (caches of other Searchers on
/// the thread are dropped when there are more than a few).
[[nodiscard]] QueryCache& thread_query_cache(std::uint64_t owner);

}  // namespace strata
