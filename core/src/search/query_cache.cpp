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

void QueryCache::set_version(const std::string& version) {
    if (version == version_) return;
    version_ = version;
    parses_.clear();
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

namespace {

constexpr std::size_t kSharedEntries = 128;

Xapian::Query rebuilt(const std::string& serialised) {
    thread_local const Xapian::Registry registry;  // building one costs more than a small query
    return Xapian::Query::unserialise(serialised, registry);
}

}  // namespace

std::optional<ParsedQuery> SharedParses::find(const std::string& version, const std::string& key) {
    std::shared_ptr<const Entry> e;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (version != version_) return std::nullopt;
        const auto* found = parses_.find(key);
        if (!found) return std::nullopt;
        e = *found;
    }
    ParsedQuery pq = e->rest;
    pq.query = rebuilt(e->queries[0]);
    for (std::size_t c = 0; c < pq.clauses.size(); ++c) {
        pq.clauses[c].query = rebuilt(e->queries[1 + 3 * c]);
        pq.clauses[c].direct = rebuilt(e->queries[2 + 3 * c]);
        pq.clauses[c].exact = rebuilt(e->queries[3 + 3 * c]);
    }
    return pq;
}

void SharedParses::put(const std::string& version, const std::string& key, const ParsedQuery& pq) {
    if (parses_.capacity() == 0) return;
    auto e = std::make_shared<Entry>();
    e->rest = pq;
    e->queries.push_back(pq.query.serialise());
    e->rest.query = Xapian::Query();
    for (Clause& c : e->rest.clauses) {
        for (Xapian::Query* q : {&c.query, &c.direct, &c.exact}) {
            e->queries.push_back(q->serialise());
            *q = Xapian::Query();
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (version != version_) {
        parses_.clear();
        version_ = version;
    }
    if (parses_.find(key)) return;  // kept already (the same parse): only made the most recent
    parses_.put(key, std::move(e));
}

SharedParses& shared_parses(std::uint64_t owner) {
    static std::mutex mutex;
    static std::map<std::uint64_t, std::unique_ptr<SharedParses>> all;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = all.find(owner);
    if (it != all.end()) return *it->second;
    // Searchers come and go (tests, reloads): keep the newest few.
    while (all.size() >= kSearchersPerThread) all.erase(all.begin());
    return *all.emplace(owner, std::make_unique<SharedParses>(kSharedEntries)).first->second;
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
