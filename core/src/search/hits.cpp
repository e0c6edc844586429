// Step 4 of a search: the page's hits, their best passages and snippets.
#include "index/passage_data.h"
#include "search/search_steps.h"
#include "search/snippet.h"
#include "strata/schema.h"

#include <cmath>

namespace strata {

namespace {

const std::set<std::string> kRecordFields = {"id",    "title", "title_en", "country", "country_name", "region", "year",
                                             "language", "type", "issuer", "source_url", "digest"};

nlohmann::json hit_header(const nlohmann::json& record) {
    nlohmann::json h = nlohmann::json::object();
    for (const std::string& k : kRecordFields)
        if (record.contains(k)) h[k] = record[k];
    return h;
}

double rounded(double w) { return std::round(w * 1000) / 1000; }

nlohmann::json passage_hit(const SearchRun& run, const MarkRules& rules, const Xapian::Document& doc, const PassageData& d,
                           double weight, const std::string* offsets = nullptr) {
    nlohmann::json p = d.to_json();
    p["score"] = rounded(weight);
    p["snippet"] = make_snippet(run.searcher.analyzer(), StoredPassage{doc, d.text, d.lang, offsets}, rules);
    if (run.r.passage_text) p["text"] = d.text;
    return p;
}

// Ranking by Xapian: passages, sorts by year, and queries without text.
std::vector<PageHit> xapian_page(const SearchRun& run) {
    const SearchRequest& r = run.r;
    Xapian::Enquire enq(run.db);
    enq.set_query(run.match.passages);
    if (run.documents()) enq.set_collapse_key(schema::kSlotDocId, 1);
    if (r.sort != SearchRequest::Sort::kRelevance)
        enq.set_sort_by_value_then_relevance(schema::kSlotYear, r.sort == SearchRequest::Sort::kYearDesc);
    else if (!run.pq.has_text)
        enq.set_sort_by_value(schema::kSlotYear, true);  // no relevance to rank by: newest first
    enq.set_time_limit(run.searcher.limits().max_seconds);
    const Xapian::MSet m = enq.get_mset(static_cast<Xapian::doccount>((r.page - 1) * r.per_page),
                                        static_cast<Xapian::doccount>(r.per_page));
    std::vector<PageHit> page;
    for (auto it = m.begin(); it != m.end(); ++it) {
        Xapian::Document d = it.get_document();
        page.push_back({d.get_value(schema::kSlotDocId), it.get_weight(), d});
    }
    return page;
}

// The best passages of every document on the page, in one query (each document's
// passages collapse to at most passages_per_document).
std::map<std::string, nlohmann::json> best_passages(const SearchRun& run, const MarkRules& rules,
                                                    const std::vector<PageHit>& page) {
    std::map<std::string, nlohmann::json> best;
    const int per_doc = run.r.passages_per_document;
    if (per_doc <= 0 || page.empty()) return best;
    std::vector<Xapian::Query> ids;
    for (const PageHit& h : page) ids.emplace_back(std::string(schema::kDocId) + h.id);
    Xapian::Query docs(Xapian::Query::OP_OR, ids.begin(), ids.end());
    // The page's documents are matching documents: within them the match set is the text
    // query under the filters, without the OR of every matching document's id.
    Xapian::Query passages = run.match.passages;
    if (!run.match.ranked.empty()) {
        passages = run.pq.query;
        if (!run.filter.empty()) docs = Xapian::Query(Xapian::Query::OP_AND, run.filter, docs);
    }
    Xapian::Enquire inner(run.db);
    inner.set_query(Xapian::Query(Xapian::Query::OP_FILTER, passages, docs));
    inner.set_collapse_key(schema::kSlotDocId, static_cast<Xapian::doccount>(per_doc));
    if (!run.pq.has_text) inner.set_sort_by_value(schema::kSlotPassageNo, false);
    const Xapian::MSet bm = inner.get_mset(0, static_cast<Xapian::doccount>(page.size() * static_cast<std::size_t>(per_doc)));
    std::vector<Xapian::docid> shown;
    for (auto b = bm.begin(); b != bm.end(); ++b) shown.push_back(*b);
    const std::unordered_map<Xapian::docid, ReadPassage> read = read_passages(run.db, shown, !rules.empty());
    for (auto b = bm.begin(); b != bm.end(); ++b) {
        const ReadPassage& p = read.at(*b);
        if (!p.data.ok) continue;
        nlohmann::json& list = best[b.get_collapse_key()];  // the document's id (kSlotDocId)
        if (list.is_null()) list = nlohmann::json::array();
        list.push_back(passage_hit(run, rules, p.doc, p.data, b.get_weight(), &p.offsets));
    }
    return best;
}

}  // namespace

// How a ranked document matched: per clause of the query, its own words or a translation.
nlohmann::json matched_json(const SearchRun& run, const RankedDocument& d) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t c = 0; c < d.how.size() && c < run.pq.clauses.size(); ++c) {
        if (d.how[c].empty()) continue;
        nlohmann::json m = {{"query", run.pq.clauses[c].text}, {"via", d.how[c]}};
        if (d.how[c] == "translation") m["language"] = d.language;
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<PageHit> page_hits(const SearchRun& run) {
    const SearchRequest& r = run.r;
    if (!run.documents() || r.sort != SearchRequest::Sort::kRelevance || run.match.ranked.empty()) return xapian_page(run);
    std::vector<PageHit> page;
    const std::size_t first = static_cast<std::size_t>((r.page - 1) * r.per_page);
    for (std::size_t i = first; i < run.match.ranked.size() && i < first + static_cast<std::size_t>(r.per_page); ++i)
        page.push_back({run.match.ranked[i].id, run.match.ranked[i].score, {}, matched_json(run, run.match.ranked[i])});
    return page;
}

nlohmann::json hits_json(const SearchRun& run, const std::vector<PageHit>& page, const FacetTally& tallied) {
    const MarkRules rules(run.pq.highlight);  // once for every snippet of the page
    std::map<std::string, nlohmann::json> best;
    if (run.documents()) best = best_passages(run, rules, page);
    nlohmann::json hits = nlohmann::json::array();
    std::size_t rank = static_cast<std::size_t>((run.r.page - 1) * run.r.per_page);
    for (const PageHit& h : page) {
        const nlohmann::json rec = run.searcher.record(run.db, h.id);
        nlohmann::json hit = hit_header(rec.is_null() ? nlohmann::json{{"id", h.id}} : rec);
        hit["rank"] = ++rank;
        hit["score"] = rounded(h.weight);
        if (!h.matched.is_null()) hit["matched"] = h.matched;
        if (run.documents()) {
            hit["matching_passages"] = tallied.passages_of(h.id);
            auto b = best.find(h.id);
            hit["passages"] = b == best.end() ? nlohmann::json::array() : std::move(b->second);
        } else {
            const PassageData d = read_passage_data(h.doc.get_data());
            hit["passages"] = nlohmann::json::array();
            if (d.ok) hit["passages"].push_back(passage_hit(run, rules, h.doc, d, h.weight));
        }
        hits.push_back(std::move(hit));
    }
    return hits;
}

}  // namespace strata
