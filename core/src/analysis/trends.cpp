// GET /v1/trends: occurrences per million word tokens, and the share of documents, by year.
#include "strata/trends.h"

#include "analysis/occurrences.h"
#include "search/response_json.h"
#include "search/search_steps.h"
#include "strata/errors.h"
#include "strata/export.h"
#include "strata/schema.h"

#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace strata {

namespace {

using Split = TrendsRequest::Split;

struct Point {
    std::size_t occurrences = 0;
    double tokens = 0;
    std::unordered_set<std::string> documents, documents_total;
};

// series key → year → point
using Table = std::map<std::string, std::map<int, Point>>;

const char* split_name(Split s) {
    return s == Split::kCountry ? "country" : s == Split::kRegion ? "region" : s == Split::kLang ? "lang" : "none";
}

const std::string& series_key(const PassageKey& k, Split s) {
    static const std::string all = "all";
    return s == Split::kCountry ? k.country : s == Split::kRegion ? k.region : s == Split::kLang ? k.lang : all;
}

// Passages that share a facet key share one PassageKey: counts are gathered per key, then
// added to its point (series and year), once per key rather than once per passage.
Point& point_of(Table& t, const PassageKey& k, Split split) { return t[series_key(k, split)][k.year]; }

// The denominators: word tokens and documents of every passage the filters leave.
void count_universe(Xapian::Database& db, const Xapian::Query& filter, PassageKeys& keys, Split split, double max_seconds,
                    Table& t) {
    const Xapian::Query all = filter.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_FILTER, match_all(), filter);
    std::unordered_map<const PassageKey*, double> by_key;
    const PassageKey* run = nullptr;  // passages of one key come in runs: added up first
    double run_tokens = 0;
    for (Xapian::docid did : matching_passages(db, all, max_seconds)) {
        const PassageKey* k = &keys.of(did);
        if (k != run) {
            if (run) by_key[run] += run_tokens;
            run = k;
            run_tokens = 0;
        }
        run_tokens += keys.tokens(did);
    }
    if (run) by_key[run] += run_tokens;
    for (const auto& [k, n] : by_key) {
        Point& p = point_of(t, *k, split);
        p.tokens += n;
        p.documents_total.insert(k->doc);
    }
}

// The numerators: occurrences, and documents with one, over search's match set.
std::size_t count_occurrences(OccurrenceCounter& counter, PassageKeys& keys, const std::vector<Xapian::docid>& ids,
                              Split split, Table& t) {
    std::unordered_map<const PassageKey*, std::size_t> by_key;
    std::size_t total = 0;
    for (Xapian::docid did : ids) {
        const PassageKey& k = keys.of(did);
        if (const std::uint32_t n = counter.count(did, k)) {
            by_key[&k] += n;
            total += n;
        }
    }
    for (const auto& [k, n] : by_key) {
        Point& p = point_of(t, *k, split);
        p.occurrences += n;
        p.documents.insert(k->doc);
    }
    return total;
}

nlohmann::json points_json(const std::map<int, Point>& years) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [year, p] : years) {
        const double per_million = p.tokens > 0 ? 1e6 * static_cast<double>(p.occurrences) / p.tokens : 0;
        out.push_back({{"year", year},
                       {"occurrences", p.occurrences},
                       {"tokens", static_cast<std::uint64_t>(p.tokens)},
                       {"per_million", std::round(per_million * 1000) / 1000},
                       {"documents", p.documents.size()},
                       {"documents_total", p.documents_total.size()}});
    }
    return out;
}

std::size_t occurrences_of(const std::map<int, Point>& years) {
    std::size_t n = 0;
    for (const auto& [year, p] : years) n += p.occurrences;
    return n;
}

nlohmann::json series_json(const Table& t, Split split, const ReferenceData& ref) {
    std::vector<std::pair<std::size_t, std::string>> order;  // most occurrences first
    for (const auto& [key, years] : t) {
        const std::size_t n = occurrences_of(years);
        if (n > 0 || split == Split::kNone) order.emplace_back(n, key);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [n, key] : order) {
        const std::string label = split == Split::kNone ? std::string("All documents") : facet_label(ref, split_name(split), key);
        out.push_back({{"key", key}, {"label", label}, {"occurrences", n}, {"points", points_json(t.at(key))}});
    }
    return out;
}

}  // namespace

nlohmann::json Searcher::trends(const TrendsRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        const SearchRun run = prepare_occurrences(db, req.q, req.filters, req.crosslingual);
        Table table;
        if (req.split == Split::kNone) table["all"];
        PassageKeys keys(db, run.column, analyzer_);
        count_universe(db, run.filter, keys, req.split, options_.limits.max_seconds, table);
        OccurrenceCounter counter(db, run.pq, analyzer_, options_.limits.max_wildcard, keys);
        const std::size_t total =
            count_occurrences(counter, keys, match_set_ids(db, run.match, options_.limits.max_seconds), req.split, table);
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"q", req.q}, {"crosslingual", req.crosslingual}, {"filters", filters_json(run.r.filters)},
                       {"split", split_name(req.split)}}},
            {"total", total},
            {"series", series_json(table, req.split, ref_)},
            {"expansions", expansions_json(run.pq.expansions)},
            {"warnings", run.pq.warnings},
            {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
            {"retrieved_at", retrieved_at()},
            {"took_ms", std::round(took * 100) / 100}};
    });
}

const std::vector<std::string>& trends_columns() {
    static const std::vector<std::string> cols = [] {
        std::vector<std::string> c = {"key", "label", "year", "occurrences", "tokens", "per_million", "documents", "documents_total"};
        c.insert(c.end(), provenance_columns().begin(), provenance_columns().end());
        return c;
    }();
    return cols;
}

std::vector<nlohmann::json> trends_records(const nlohmann::json& j) {
    const nlohmann::json prov = provenance_record(j);
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& s : j.at("series"))
        for (const nlohmann::json& p : s.at("points")) {
            nlohmann::json rec = {{"key", s.at("key")}, {"label", s.at("label")}};
            rec.update(p);
            rec.update(prov);
            out.push_back(std::move(rec));
        }
    return out;
}

std::string trends_csv(const nlohmann::json& j) { return records_csv(trends_columns(), trends_records(j)); }

}  // namespace strata
