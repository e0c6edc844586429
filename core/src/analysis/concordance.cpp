// GET /v1/concordance: every occurrence of a query in context (KWIC).
#include "strata/concordance.h"

#include "analysis/kwic_text.h"
#include "analysis/occurrences.h"
#include "index/passage_data.h"
#include "search/response_json.h"
#include "search/search_steps.h"
#include "strata/errors.h"
#include "strata/export.h"
#include "strata/schema.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_set>

namespace strata {

namespace {

using Sort = ConcordanceRequest::Sort;

// One occurrence, before its line is cut: enough to sort it and to find it again.
struct Found {
    Xapian::docid did = 0;
    std::size_t ordinal = 0;  // corpus order
    int year = 0;
    Occurrence occ;
    std::string key;  // the folded neighbour word an L/R sort is on
};

struct Collected {
    std::vector<Found> found;
    std::size_t documents = 0, passages = 0;
};

// The neighbour word of an L/R sort: -1, -2 left of the match, 1, 2 right of it.
int neighbour_of(Sort s) {
    switch (s) {
        case Sort::kL1: return -1;
        case Sort::kL2: return -2;
        case Sort::kR1: return 1;
        case Sort::kR2: return 2;
        default: return 0;
    }
}

Collected collect(OccurrenceCounter& counter, const Xapian::Query& passages, Sort sort, const Analyzer& analyzer,
                  double max_seconds) {
    Collected c;
    std::unordered_set<std::string> docs;
    const int side = neighbour_of(sort);
    counter.scan(passages, max_seconds, [&](PassageHit& hit) {
        ++c.passages;
        docs.insert(hit.key.doc);
        std::string text;
        if (side != 0) text = read_passage_data(hit.doc.get_data()).text;
        for (const Occurrence& o : hit.occurrences) {
            Found f{hit.did, c.found.size(), hit.key.year, o, {}};
            if (side != 0) f.key = Analyzer::fold(analyzer.normalize(neighbour_word(text, hit.offsets, o, side), hit.key.lang));
            c.found.push_back(std::move(f));
        }
    });
    c.documents = docs.size();
    return c;
}

void sort_found(std::vector<Found>& found, Sort sort) {
    if (sort == Sort::kDoc) return;  // scanned in corpus order
    std::stable_sort(found.begin(), found.end(), [sort](const Found& a, const Found& b) {
        if (sort == Sort::kYear) return a.year < b.year;
        if (sort == Sort::kYearDesc) return a.year > b.year;
        return a.key < b.key;
    });
}

nlohmann::json line_json(Xapian::Database& db, const Found& f, const OccurrenceCounter& counter, int context) {
    const Xapian::Document doc = db.get_document(f.did, Xapian::DOC_ASSUME_VALID);
    const PassageKey key = parse_passage_key(doc.get_value(schema::kSlotFacetKey));
    const PassageData data = read_passage_data(doc.get_data());
    const TokenOffsets offsets = decode_offsets(doc.get_value(schema::kSlotOffsets));
    const KwicLine cut = cut_line(data.text, offsets, f.occ, context);
    const TermPattern& p = counter.pattern(f.occ.pattern);
    return {{"id", key.doc},       {"country", key.country}, {"year", key.year},   {"language", key.lang},
            {"section", data.section}, {"page", data.page > 0 ? nlohmann::json(data.page) : nlohmann::json()},  {"passage", data.n},  {"left", cut.left},
            {"match", cut.match},  {"right", cut.right},     {"term", p.text},     {"via", p.via}};
}

nlohmann::json patterns_json(const ParsedQuery& pq, const OccurrenceCounter& counter) {
    nlohmann::json out = nlohmann::json::array();
    for (std::uint32_t i = 0; i < pq.patterns.size(); ++i)
        out.push_back({{"text", pq.patterns[i].text}, {"via", pq.patterns[i].via}, {"terms", counter.terms_of(i)}});
    return out;
}

}  // namespace

SearchRun Searcher::prepare_occurrences(Xapian::Database& db, const std::string& q, const Filters& filters,
                                        bool crosslingual) const {
    SearchRequest sr;
    sr.q = q;
    sr.filters = filters;
    sr.crosslingual = crosslingual;
    SearchRun run = prepare(db, sr);
    if (!run.pq.has_text || run.pq.patterns.empty())
        throw InvalidRequest("invalid_parameter", "parameter 'q' has no word or phrase to find");
    run.match = match_documents(db, run.pq, run.filter, run.column, options_.limits.max_seconds);
    return run;
}

nlohmann::json Searcher::concordance(const ConcordanceRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        const SearchRun run = prepare_occurrences(db, req.q, req.filters, req.crosslingual);
        OccurrenceCounter counter(db, run.pq, analyzer_, options_.limits.max_wildcard);
        Collected c;
        if (!run.match.none) c = collect(counter, run.match.passages, req.sort, analyzer_, options_.limits.max_seconds);
        sort_found(c.found, req.sort);
        nlohmann::json lines = nlohmann::json::array();
        const std::size_t from = static_cast<std::size_t>(req.page - 1) * static_cast<std::size_t>(req.per_page);
        for (std::size_t i = from; i < c.found.size() && i < from + static_cast<std::size_t>(req.per_page); ++i)
            lines.push_back(line_json(db, c.found[i], counter, req.context));
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"q", req.q}, {"crosslingual", req.crosslingual}, {"filters", filters_json(run.r.filters)},
                       {"context", req.context}, {"sort", sort_name(req.sort)}, {"page", req.page}, {"per_page", req.per_page}}},
            {"total", c.found.size()},
            {"documents", c.documents},
            {"passages", c.passages},
            {"lines", std::move(lines)},
            {"patterns", patterns_json(run.pq, counter)},
            {"expansions", expansions_json(run.pq.expansions)},
            {"warnings", run.pq.warnings},
            {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
            {"retrieved_at", retrieved_at()},
            {"took_ms", std::round(took * 100) / 100}};
    });
}

const std::vector<std::string>& concordance_columns() {
    static const std::vector<std::string> cols = [] {
        std::vector<std::string> c = {"id",   "country", "year",  "language", "section", "page",
                                      "passage", "left", "match", "right",    "term",    "via"};
        c.insert(c.end(), provenance_columns().begin(), provenance_columns().end());
        return c;
    }();
    return cols;
}

std::vector<nlohmann::json> concordance_records(const nlohmann::json& j) {
    const nlohmann::json prov = provenance_record(j);
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& line : j.at("lines")) {
        nlohmann::json rec = line;
        rec.update(prov);
        out.push_back(std::move(rec));
    }
    return out;
}

std::string concordance_csv(const nlohmann::json& j) { return records_csv(concordance_columns(), concordance_records(j)); }

}  // namespace strata
