#include "search/doc_match.h"

#include "search/facet_table.h"
#include "strata/schema.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace strata {

namespace {

// BM25 over clauses, with passages as the unit of frequency (chosen on the judged set,
// scripts/bench-relevance): k1 saturates repeated passages, b normalises by the number of
// passages a document has.
constexpr double kK1 = 1.2;
constexpr double kB = 0.5;

struct ClauseCounts {
    std::unordered_map<std::string, std::uint32_t> passages;  // document id → passages carrying the clause
};

Xapian::Query filtered(const Xapian::Query& q, const Xapian::Query& filter) {
    return filter.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
}

// Passages per document that carry @p q, in one unweighted pass.
ClauseCounts count_clause(Xapian::Database& db, const Xapian::Query& q, const Xapian::Query& filter,
                          const std::shared_ptr<const FacetColumn>& column, double max_seconds) {
    Xapian::Enquire enq(db);
    enq.set_query(filtered(q, filter));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_time_limit(max_seconds);
    FacetCounter counter(column);
    enq.add_matchspy(counter.spy());
    enq.get_mset(0, 0, db.get_doccount());
    ClauseCounts out;
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    for (std::size_t r = 0; r < table.rows().size(); ++r)
        if (counts[r]) out.passages[table.doc(table.rows()[r].doc)] += counts[r];
    return out;
}

std::size_t document_count(Xapian::Database& db) {
    const std::string prefix(schema::kDocId);
    std::size_t n = 0;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++n;
    return std::max<std::size_t>(n, 1);
}

bool qualifies(const std::vector<const Clause*>& clauses, const std::vector<ClauseCounts>& counts,
               const std::string& id, std::size_t& optional_hits) {
    std::size_t required = 0;
    optional_hits = 0;
    for (std::size_t c = 0; c < clauses.size(); ++c) {
        const bool has = counts[c].passages.count(id) > 0;
        switch (clauses[c]->role) {
            case Clause::Role::kExcluded: if (has) return false; break;
            case Clause::Role::kRequired: if (!has) return false; ++required; break;
            case Clause::Role::kOptional: optional_hits += has ? 1 : 0; break;
        }
    }
    std::size_t optional = 0;
    for (const Clause* c : clauses) optional += c->role == Clause::Role::kOptional ? 1 : 0;
    return required > 0 || optional_hits >= minimum_should_match(optional);
}

std::vector<RankedDocument> rank(Xapian::Database& db, const std::vector<const Clause*>& clauses,
                                 const std::vector<ClauseCounts>& counts) {
    const double n_docs = static_cast<double>(document_count(db));
    const double avg_passages = static_cast<double>(db.get_doccount()) / n_docs;
    std::unordered_map<std::string, RankedDocument> docs;
    for (const ClauseCounts& cc : counts)
        for (const auto& [id, n] : cc.passages) docs[id].id = id;
    std::vector<RankedDocument> out;
    for (auto& [id, doc] : docs) {
        std::size_t optional_hits = 0;
        if (!qualifies(clauses, counts, id, optional_hits)) continue;
        const double len = static_cast<double>(db.get_termfreq(std::string(schema::kDocId) + id));
        const double norm = kK1 * (1 - kB + kB * len / avg_passages);
        for (std::size_t c = 0; c < clauses.size(); ++c) {
            if (clauses[c]->role == Clause::Role::kExcluded) continue;
            const auto it = counts[c].passages.find(id);
            if (it == counts[c].passages.end()) continue;
            const double df = static_cast<double>(counts[c].passages.size());
            const double idf = std::log(1 + (n_docs - df + 0.5) / (df + 0.5));
            const double tf = it->second;
            doc.score += idf * tf * (kK1 + 1) / (tf + norm);
            ++doc.clauses;
        }
        out.push_back(std::move(doc));
    }
    std::sort(out.begin(), out.end(), [](const RankedDocument& a, const RankedDocument& b) {
        return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
    return out;
}

}  // namespace

std::size_t minimum_should_match(std::size_t optional) {
    return optional <= 2 ? optional : optional / 2 + 1;
}

DocumentMatch match_documents(Xapian::Database& db, const ParsedQuery& pq, const Xapian::Query& filter,
                              const std::shared_ptr<const FacetColumn>& column, double max_seconds) {
    DocumentMatch m;
    if (!pq.has_text || pq.clauses.empty()) {
        m.passages = filtered(pq.query, filter);
        return m;
    }
    std::vector<const Clause*> clauses;
    std::vector<ClauseCounts> counts;
    for (const Clause& c : pq.clauses) {
        clauses.push_back(&c);
        counts.push_back(count_clause(db, c.query, filter, column, max_seconds));
    }
    m.ranked = rank(db, clauses, counts);
    const bool positive = std::any_of(clauses.begin(), clauses.end(), [](const Clause* c) { return c->role != Clause::Role::kExcluded; });
    if (!positive) {
        // Only exclusions: every document without them matches, ranked by Xapian.
        std::vector<Xapian::Query> excluded;
        for (const ClauseCounts& cc : counts)
            for (const auto& [id, n] : cc.passages) excluded.emplace_back(std::string(schema::kDocId) + id);
        m.passages = filtered(pq.query, filter);
        if (!excluded.empty())
            m.passages = Xapian::Query(Xapian::Query::OP_AND_NOT, m.passages, Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
        return m;
    }
    if (m.ranked.empty()) {
        m.none = true;
        m.passages = Xapian::Query(std::string(schema::kDocId) + "\x01none");  // a term no passage has
        return m;
    }
    std::vector<Xapian::Query> ids;
    ids.reserve(m.ranked.size());
    for (const RankedDocument& d : m.ranked) ids.emplace_back(std::string(schema::kDocId) + d.id);
    Xapian::Query docs(Xapian::Query::OP_OR, ids.begin(), ids.end());
    m.passages = Xapian::Query(Xapian::Query::OP_FILTER, pq.query,
                               filter.empty() ? docs : Xapian::Query(Xapian::Query::OP_AND, filter, docs));
    return m;
}

}  // namespace strata
