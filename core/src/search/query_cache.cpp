#include "search/query_cache.h"

#include <map>

namespace strata {

namespace {

constexpr std::size_t kEntriesPerThread = 128;
constexpr std::size_t kSearchersPerThread = 4;

void append_field(std::string& key, std::string_view value) {
    key += value;
    key += '\x1f';
}

}  // namespace

const ParsedQuery* QueryCache::find(const std::string& key) {
    const auto it = by_key_.find(key);
    if (it == by_key_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
}

void QueryCache::put(const std::string& key, ParsedQuery pq) {
    if (capacity_ == 0) return;
    if (const auto it = by_key_.find(key); it != by_key_.end()) {
        it->second->second = std::move(pq);
        order_.splice(order_.begin(), order_, it->second);
        return;
    }
    if (order_.size() >= capacity_) {
        by_key_.erase(order_.back().first);
        order_.pop_back();
    }
    order_.emplace_front(key, std::move(pq));
    by_key_.emplace(key, order_.begin());
}

void QueryCache::set_version(const std::string& version) {
    if (version == version_) return;
    version_ = version;
    order_.clear();
    by_key_.clear();
    stem_languages.clear();
    has_languages = false;
}

std::string query_cache_key(std::string_view q, const QueryContext& ctx) {
    std::string key;
    append_field(key, q);
    key += ctx.crosslingual ? '1' : '0';
    key += '\x1e';
    for (const std::string& l : ctx.lang_filter) append_field(key, l);
    key += '\x1e';
    for (const std::string& l : ctx.stem_languages) append_field(key, l);
    key += '\x1e';
    append_field(key, std::to_string(ctx.limits.max_bytes));
    append_field(key, std::to_string(ctx.limits.max_terms));
    append_field(key, std::to_string(ctx.limits.max_wildcard));
    return key;
}

QueryCache& thread_query_cache(std::uint64_t owner) {
    thread_local std::map<std::uint64_t, QueryCache> caches;
    auto it = caches.find(owner);
    if (it != caches.end()) return it->second;
    // Searchers come and go (tests, reloads): keep the newest few.
    while (caches.size() >= kSearchersPerThread) caches.erase(caches.begin());
    return caches.emplace(owner, QueryCache(kEntriesPerThread)).first->second;
}

}  // namespace strata
