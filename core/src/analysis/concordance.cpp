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
#include <string_view>
#include <unordered_set>

namespace strata {

namespace {

using Sort = ConcordanceRequest::Sort;

// A passage of the match set with occurrences, and how many: lines of a page are cut from
// the few passages the page covers, so only those are read.
struct Counted {
    Xapian::docid did = 0;
    const PassageKey* key = nullptr;
    std::uint32_t n = 0;
};

struct Collected {
    std::vector<Counted> passages;  // corpus order
    std::size_t total = 0, documents = 0;
};

Collected count_all(OccurrenceCounter& counter, PassageKeys& keys, const std::vector<Xapian::docid>& ids) {
    Collected c;
    std::unordered_set<std::string_view> docs;
    const std::string* last_doc = nullptr;
    for (Xapian::docid did : ids) {
        const PassageKey& key = keys.of(did);
        const std::uint32_t n = counter.count(did, key);
        if (n == 0) continue;
        c.passages.push_back({did, &key, n});
        c.total += n;
        if (!last_doc || *last_doc != key.doc) docs.insert(key.doc);
        last_doc = &key.doc;
    }
    c.documents = docs.size();
    return c;
}

// The stored text and token offsets of one passage, read when its lines are cut.
struct PassageText {
    PassageData data;
    TokenOffsets offsets;
};

PassageText read_text(Xapian::Database& db, Xapian::docid did) {
    const Xapian::Document doc = db.get_document(did, Xapian::DOC_ASSUME_VALID);
    return {read_passage_data(doc.get_data()), decode_offsets(doc.get_value(schema::kSlotOffsets))};
}

nlohmann::json line_json(const PassageKey& key, const PassageText& t, const Occurrence& occ, const OccurrenceCounter& counter,
                         int context) {
    const KwicLine cut = cut_line(t.data.text, t.offsets, occ, context);
    const TermPattern& p = counter.pattern(occ.pattern);
    return {{"id", key.doc},       {"country", key.country}, {"year", key.year},    {"language", key.lang},
            {"section", t.data.section}, {"page", t.data.page > 0 ? nlohmann::json(t.data.page) : nlohmann::json()}, {"passage", t.data.n}, {"left", cut.left},
            {"match", cut.match},  {"right", cut.right},     {"term", p.text},      {"via", p.via}};
}

// Lines [from, to) in corpus or year order: passage order, then text order within a passage.
nlohmann::json page_by_passage(Xapian::Database& db, OccurrenceCounter& counter, std::vector<Counted>& passages, Sort sort,
                               std::size_t from, std::size_t to, int context) {
    if (sort != Sort::kDoc)
        std::stable_sort(passages.begin(), passages.end(), [sort](const Counted& a, const Counted& b) {
            return sort == Sort::kYear ? a.key->year < b.key->year : a.key->year > b.key->year;
        });
    nlohmann::json lines = nlohmann::json::array();
    std::vector<Occurrence> occs;
    std::size_t at = 0;  // the number of the passage's first occurrence
    for (const Counted& c : passages) {
        if (at >= to) break;
        if (at + c.n > from) {
            const PassageText t = read_text(db, c.did);
            counter.occurrences(c.did, *c.key, text_span(t.offsets), occs);
            for (std::size_t k = 0; k < occs.size(); ++k)
                if (at + k >= from && at + k < to) lines.push_back(line_json(*c.key, t, occs[k], counter, context));
        }
        at += c.n;
    }
    return lines;
}

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

// Lines [from, to) sorted on a neighbour word: every occurrence's word is read first.
nlohmann::json page_by_neighbour(Xapian::Database& db, OccurrenceCounter& counter, const std::vector<Counted>& passages,
                                 Sort sort, std::size_t from, std::size_t to, int context, const Analyzer& analyzer) {
    struct Found {
        const Counted* passage;
        Occurrence occ;
        std::string key;  // the folded neighbour word
    };
    const int side = neighbour_of(sort);
    std::vector<Found> found;
    std::vector<Occurrence> occs;
    ValueReader offsets(db, schema::kSlotOffsets);  // passages in docid order: from the stream
    for (const Counted& c : passages) {
        const PassageText t{read_passage_data(db.get_document(c.did, Xapian::DOC_ASSUME_VALID).get_data()),
                            decode_offsets(offsets.get(c.did))};
        counter.occurrences(c.did, *c.key, text_span(t.offsets), occs);
        for (const Occurrence& o : occs)
            found.push_back({&c, o, Analyzer::fold(analyzer.normalize(neighbour_word(t.data.text, t.offsets, o, side), c.key->lang))});
    }
    std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.key < b.key; });
    nlohmann::json lines = nlohmann::json::array();
    for (std::size_t i = from; i < found.size() && i < to; ++i)
        lines.push_back(line_json(*found[i].passage->key, read_text(db, found[i].passage->did), found[i].occ, counter, context));
    return lines;
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
        PassageKeys keys(db, run.column, analyzer_);
        OccurrenceCounter counter(db, run.pq, analyzer_, options_.limits.max_wildcard, keys);
        Collected c = count_all(counter, keys, match_set_ids(db, run.match, options_.limits.max_seconds));
        const std::size_t from = static_cast<std::size_t>(req.page - 1) * static_cast<std::size_t>(req.per_page);
        const std::size_t to = from + static_cast<std::size_t>(req.per_page);
        nlohmann::json lines = neighbour_of(req.sort) != 0
                                   ? page_by_neighbour(db, counter, c.passages, req.sort, from, to, req.context, analyzer_)
                                   : page_by_passage(db, counter, c.passages, req.sort, from, to, req.context);
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{
            {"query", {{"q", req.q}, {"crosslingual", req.crosslingual}, {"filters", filters_json(run.r.filters)},
                       {"context", req.context}, {"sort", sort_name(req.sort)}, {"page", req.page}, {"per_page", req.per_page}}},
            {"total", c.total},
            {"documents", c.documents},
            {"passages", c.passages.size()},
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
