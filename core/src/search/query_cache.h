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

#include "strata/query.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata {

/// A bounded least-recently-used map from a query key to its parse.
class QueryCache {
public:
    explicit QueryCache(std::size_t capacity) : capacity_(capacity) {}

    /// The cached parse of @p key, or nullptr; a hit becomes the most recent entry.
    [[nodiscard]] const ParsedQuery* find(const std::string& key);
    /// Stores @p pq under @p key, dropping the least recently used entry when full.
    void put(const std::string& key, ParsedQuery pq);
    /// Empties the cache when @p version differs from the last one seen.
    void set_version(const std::string& version);
    [[nodiscard]] std::size_t size() const { return order_.size(); }

    /// The languages of the index, kept with the version (empty until set).
    std::vector<std::string> stem_languages;
    bool has_languages = false;

private:
    using Entry = std::pair<std::string, ParsedQuery>;
    std::size_t capacity_;
    std::string version_;
    std::list<Entry> order_;  // most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
};

/// The key of a parse: every input of QueryContext that varies between requests.
[[nodiscard]] std::string query_cache_key(std::string_view q, const QueryContext& ctx);

/// This thread's cache for the Searcher numbered @p owner (caches of other Searchers on
/// the thread are dropped when there are more than a few).
[[nodiscard]] QueryCache& thread_query_cache(std::uint64_t owner);

}  // namespace strata
