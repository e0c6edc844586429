#include "strata/search.h"

#include "search/absent_terms.h"
#include "search/facet_table.h"
#include "search/response_json.h"
#include "search/filter_check.h"
#include "search/lru_map.h"
#include "search/query_cache.h"
#include "search/search_steps.h"
#include "text/stopwords.h"
#include "text/translate.h"
#include "strata/errors.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <cmath>

namespace strata {

namespace {

// Document records each thread keeps, most recently used first: a compare's matrix names a
// few hundred documents, a page of hits ten. At about 4 kB a record, a thread's cache stays
// near 4 MB whatever the corpus's size.
constexpr std::size_t kRecordsPerThread = 1024;

nlohmann::json parse_data(const Xapian::Document& d) {
    return nlohmann::json::parse(d.get_data(), nullptr, false);
}

std::uint64_t next_cache_id() {
    static std::atomic<std::uint64_t> next{1};
    return next++;
}

// What changes when the index does: a new generation has a new UUID, an update in place a
// new revision. Shards and remote databases have no one revision: their counts stand in.
std::string index_version(Xapian::Database& db, bool single_local) {
    std::string v = db.get_metadata("strata:generation");
    v += '/' + std::to_string(db.get_doccount()) + '/' + std::to_string(db.get_lastdocid());
    if (single_local) v += '/' + db.get_uuid() + ':' + std::to_string(db.get_revision());
    return v;
}

const char* sort_name(SearchRequest::Sort s) {
    return s == SearchRequest::Sort::kRelevance ? "relevance" : s == SearchRequest::Sort::kYear ? "year" : "-year";
}

}  // namespace

Searcher::Searcher(SearcherOptions options, ReferenceData reference)
    : options_(std::move(options)), ref_(std::move(reference)), index_(options_.shards), cache_id_(next_cache_id()) {
    lexicon_ = std::make_unique<LexiconMatcher>(analyzer_, ref_);
    // Load the language data now rather than in the first request that needs it.
    (void)StopWords::builtin();
    (void)Translator::builtin();
}

void Searcher::check_ready() const {
    index_.with_db([&](Xapian::Database& db) { return facet_column(db) != nullptr; });
}

std::shared_ptr<const FacetColumn> Searcher::facet_column(Xapian::Database& db) const {
    if (!options_.facet_columns || !index_.single_local()) return nullptr;
    // A new generation has a new UUID; an update in place a new revision.
    const std::string version = db.get_uuid() + ':' + std::to_string(db.get_revision());
    std::lock_guard lock(columns_mu_);
    for (const auto& [v, column] : columns_)
        if (v == version) return column;
    auto column = std::make_shared<const FacetColumn>(db);
    // Threads switch to a new revision one by one: keep the previous column too.
    if (columns_.size() >= 2) columns_.erase(columns_.begin());
    columns_.emplace_back(version, column);
    return column;
}

QueryContext Searcher::query_context(Xapian::Database& db, const SearchRequest& r) const {
    QueryContext ctx{analyzer_, nullptr, nullptr, {}, {}, false, {}};
    ctx.lexicon = lexicon_.get();
    ctx.ref = &ref_;
    ctx.crosslingual = r.crosslingual;
    ctx.limits.max_bytes = options_.limits.max_query_bytes;
    ctx.limits.max_terms = options_.limits.max_terms;
    ctx.limits.max_wildcard = options_.limits.max_wildcard;
    QueryCache& cache = thread_query_cache(cache_id_);
    cache.set_version(index_version(db, index_.single_local()));
    if (!cache.has_languages) {
        std::set<std::string> langs;
        const std::string prefix(schema::kLanguage);
        for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
            langs.insert(Analyzer::stem_language((*it).substr(prefix.size())));
        cache.stem_languages.assign(langs.begin(), langs.end());
        cache.has_languages = true;
    }
    ctx.stem_languages = cache.stem_languages;
    if (auto it = r.filters.values.find("lang"); it != r.filters.values.end()) ctx.lang_filter = it->second;
    return ctx;
}

ParsedQuery Searcher::parse(Xapian::Database& db, const std::string& q, const SearchRequest& r) const {
    const QueryContext ctx = query_context(db, r);  // brings the thread's cache up to the index's version
    QueryCache& cache = thread_query_cache(cache_id_);
    const std::string key = query_cache_key(q, ctx);
    if (const ParsedQuery* hit = cache.find(key)) return *hit;
    SharedParses& shared = shared_parses(cache_id_);
    if (std::optional<ParsedQuery> made = shared.find(cache.version(), key)) {
        cache.put(key, *made);
        return std::move(*made);
    }
    ParsedQuery pq = parse_query(q, ctx);
    // Over local indexes only: a look-up per term is a round trip to a remote shard.
    if (index_.single_local()) prune_absent_terms(pq, db);
    cache.put(key, pq);
    shared.put(cache.version(), key, pq);
    return pq;
}

nlohmann::json Searcher::record(Xapian::Database& db, const std::string& id) const {
    // Records change only when the index does: cache them per thread and index version.
    struct RecordCache {
        std::string version;
        LruMap<nlohmann::json> records{kRecordsPerThread};
    };
    // Under the Searcher's number, not its address, which a later Searcher may reuse; the
    // newest few Searchers of the thread keep theirs.
    thread_local std::map<std::uint64_t, RecordCache> caches;
    if (!caches.count(cache_id_))
        while (caches.size() >= 4) caches.erase(caches.begin());
    RecordCache& cache = caches[cache_id_];
    std::string version = db.get_metadata("strata:generation");
    version += '/';
    version += std::to_string(db.get_doccount());
    version += '/';
    version += std::to_string(db.get_lastdocid());
    if (version != cache.version) {
        cache.records.clear();
        cache.version = std::move(version);
    }
    if (const nlohmann::json* hit = cache.records.find(id)) return *hit;

    nlohmann::json rec = nullptr;
    if (db.size() == 1) {
        // One local shard: the metadata copy is small and quick to read.
        rec = nlohmann::json::parse(db.get_metadata(std::string(schema::kMetaDocPrefix) + id), nullptr, false);
        if (rec.is_discarded()) rec = nullptr;
    }
    if (rec.is_null()) {
        // Several shards: metadata is read from the first only, so find passage 0.
        const std::string term = std::string(schema::kUniqueId) + id + "#0";
        auto it = db.postlist_begin(term);
        if (it != db.postlist_end(term)) {
            const nlohmann::json data = parse_data(db.get_document(*it));
            if (!data.is_discarded() && data.contains("record")) rec = data["record"];
        }
    }
    cache.records.put(id, rec);
    return rec;
}

// Step 1: parse q, join its field filters to the request's, and check what they leave.
SearchRun Searcher::prepare(Xapian::Database& db, const SearchRequest& req) const {
    SearchRun run{*this, db, req, parse(db, req.q, req), {}, {}, facet_column(db)};
    run.r.filters.intersect(run.pq.filters);
    if (run.r.filters.year_from && run.r.filters.year_to && *run.r.filters.year_from > *run.r.filters.year_to)
        throw InvalidRequest("invalid_filter", "the year filters exclude every year");
    check_filters(run.r.filters, ref_, db);
    run.filter = run.r.filters.to_query();
    return run;
}

nlohmann::json Searcher::search(const SearchRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        SearchRun run = prepare(db, req);
        run.match = match_documents(db, run.pq, run.filter, run.column, options_.limits.max_seconds);
        std::set<std::string> unselected;
        std::vector<std::string> selected;
        for (const std::string& f : run.r.facets) (run.r.filters.selects(f) ? selected.push_back(f) : void(unselected.insert(f)));
        const FacetTally tallied = count_matches(run, unselected);
        std::vector<std::string> warnings = run.pq.warnings;
        if (const std::string w = operator_word_warning(run); !w.empty()) warnings.push_back(w);
        nlohmann::json hits = hits_json(run, page_hits(run), tallied);
        const SearchRequest& r = run.r;
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"q", req.q}, {"group", run.documents() ? "document" : "passage"}, {"page", r.page},
                       {"per_page", r.per_page}, {"sort", sort_name(r.sort)},
                       {"crosslingual", r.crosslingual}, {"passages", r.passages_per_document},
                       {"passage_text", r.passage_text}, {"filters", filters_json(r.filters)}}},
            {"total", run.documents() ? tallied.documents : tallied.passages},
            {"total_documents", tallied.documents},
            {"total_passages", tallied.passages},
            {"hits", std::move(hits)},
            {"facets", facets_json(run, tallied, selected)},
            {"expansions", expansions_json(run.pq.expansions)},
            {"warnings", warnings},
            {"did_you_mean", did_you_mean(run, tallied, warnings)},
            {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
            {"retrieved_at", retrieved_at()},
            {"took_ms", std::round(took * 100) / 100}};
    });
}

}  // namespace strata
