#include "search/passage_rank.h"

#include "search/rank_weights.h"
#include "strata/schema.h"

#include <algorithm>

namespace strata {

namespace {

// A passage of a shown document, with what it carries.
struct Candidate {
    Xapian::docid id = 0;
    std::size_t doc = 0;          // index into the shown documents
    std::vector<double> all, typed;  // per positive clause: its weight in the passage (0: not carried)
    double near = 0;              // neighbouring clauses and words
};

// The passages of the shown documents, in docid order, from their document-id terms.
std::vector<Candidate> candidates(Xapian::Database& db, const std::vector<std::string>& docs, std::size_t clauses) {
    std::vector<Candidate> out;
    for (std::size_t d = 0; d < docs.size(); ++d) {
        const std::string term = std::string(schema::kDocId) + docs[d];
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
            out.push_back({*it, d, std::vector<double>(clauses, 0.0), std::vector<double>(clauses, 0.0), 0});
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.id < b.id; });
    return out;
}

// Calls @p f(candidate, tf) for each candidate among @p counts' passages (both in docid order).
template <class F>
void each_carrying(std::vector<Candidate>& cands, const ClauseCounts& counts, F&& f) {
    std::size_t i = 0, j = 0;
    while (i < cands.size() && j < counts.ids.size()) {
        if (cands[i].id < counts.ids[j]) {
            ++i;
        } else if (counts.ids[j] < cands[i].id) {
            ++j;
        } else {
            f(cands[i], std::max<double>(1.0, j < counts.tf.size() ? counts.tf[j] : 0));
            ++i, ++j;
        }
    }
}

// The parts' counts, from the evidence or counted again within the shown documents.
struct PartCounts {
    std::vector<const ClauseCounts*> all, typed, adjacent;
    std::vector<ClauseCounts> owned;  // counted again (reserved: pointers into it stay valid)
};

PartCounts part_counts(Xapian::Database& db, const MatchEvidence& ev, const Xapian::Query& filter,
                       const std::shared_ptr<const FacetColumn>& column, const std::vector<std::string>& docs,
                       double max_seconds) {
    PartCounts out;
    std::unique_ptr<ClauseCounter> counter;
    Xapian::Query shown;
    if (!ev.counted) {
        counter = std::make_unique<ClauseCounter>(db, filter, column, max_seconds);
        std::vector<Xapian::Query> ids;
        for (const std::string& d : docs) ids.emplace_back(std::string(schema::kDocId) + d);
        shown = Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
        out.owned.reserve(2 * ev.clauses.size() + ev.adjacent.size());
    }
    auto counts = [&](const MatchEvidence::Part& p) -> const ClauseCounts* {
        if (ev.counted) return &p.counts;
        out.owned.push_back(counter->count_within(p.query, shown));
        return &out.owned.back();
    };
    for (const MatchEvidence::Positive& c : ev.clauses) {
        out.all.push_back(counts(c.all));
        out.typed.push_back(c.has_typed ? counts(c.typed) : nullptr);
    }
    for (const MatchEvidence::Part& a : ev.adjacent) out.adjacent.push_back(counts(a));
    return out;
}

double score_of(const Candidate& c, const MatchEvidence& ev) {
    double s = 0;
    for (std::size_t k = 0; k < c.all.size(); ++k) {
        if (c.all[k] <= 0) continue;
        const double typed = ev.clauses[k].has_typed ? c.typed[k] : c.all[k];
        s += std::max(typed, ranking::kTranslated * c.all[k]);
    }
    // Neighbouring positive clauses that meet in this passage.
    for (std::size_t k = 0; k + 1 < c.all.size() && k < ev.pair_idf.size(); ++k)
        if (c.all[k] > 0 && c.all[k + 1] > 0) s += ranking::kNear * ev.pair_idf[k] * ranking::saturated(1);
    return s + c.near;
}

}  // namespace

std::map<std::string, std::vector<ScoredPassage>> best_passages_of(
    Xapian::Database& db, const MatchEvidence& ev, const Xapian::Query& filter,
    const std::shared_ptr<const FacetColumn>& column, const std::vector<std::string>& docs, std::size_t per_doc,
    double max_seconds) {
    std::map<std::string, std::vector<ScoredPassage>> out;
    if (per_doc == 0 || docs.empty() || ev.clauses.empty()) return out;
    std::vector<Candidate> cands = candidates(db, docs, ev.clauses.size());
    const PartCounts parts = part_counts(db, ev, filter, column, docs, max_seconds);
    for (std::size_t k = 0; k < ev.clauses.size(); ++k) {
        const double idf = ev.clauses[k].all.idf;
        each_carrying(cands, *parts.all[k], [&](Candidate& c, double tf) { c.all[k] = idf * ranking::saturated(tf); });
        if (!parts.typed[k]) continue;
        const double typed_idf = ev.clauses[k].typed.idf;
        each_carrying(cands, *parts.typed[k], [&](Candidate& c, double tf) { c.typed[k] = typed_idf * ranking::saturated(tf); });
    }
    for (std::size_t a = 0; a < ev.adjacent.size(); ++a) {
        const double w = ranking::kNear * ev.adjacent[a].idf * ranking::saturated(1);
        each_carrying(cands, *parts.adjacent[a], [&](Candidate& c, double) { c.near += w; });
    }
    std::vector<std::vector<ScoredPassage>> by_doc(docs.size());
    for (const Candidate& c : cands)
        if (const double s = score_of(c, ev); s > 0) by_doc[c.doc].push_back({c.id, s});
    for (std::size_t d = 0; d < docs.size(); ++d) {
        std::vector<ScoredPassage>& list = by_doc[d];
        const std::size_t n = std::min(per_doc, list.size());
        std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n), list.end(),
                          [](const ScoredPassage& a, const ScoredPassage& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; });
        list.resize(n);
        if (n) out[docs[d]] = std::move(list);
    }
    return out;
}

}  // namespace strata
