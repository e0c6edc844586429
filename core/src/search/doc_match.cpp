#include "search/doc_match.h"

#include "index/packed.h"
#include "search/clause_count.h"
#include "search/facet_table.h"
#include "strata/schema.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>
#include <utility>

namespace strata {

namespace {

// Chosen on the judged set (scripts/bench-relevance; see the README's relevance table).
// BM25 over clauses with passages as the unit of frequency: k1 saturates repeated
// passages, b normalises by the number of passages a document has.
constexpr double kK1 = 1.2;
constexpr double kB = 0.5;
// A match through translation alone weighs this much of the same match of the typed words.
constexpr double kTranslated = 0.7;
// Weight of a document's score against the best of its own language (fair ranking).
constexpr double kFair = 0.8;
// Weight of neighbouring clauses that meet in one passage, and again of neighbouring bare
// words that follow each other there (closer together ranks higher).
constexpr double kNear = 0.5;
// How far apart two neighbouring words may follow each other: one word may sit between
// ("AI in healthcare").
constexpr Xapian::termcount kAdjacentWindow = 3;

std::size_t document_count(Xapian::Database& db, const std::shared_ptr<const FacetColumn>& column) {
    if (column) return std::max<std::size_t>(column->documents(), 1);
    const std::string prefix(schema::kDocId);
    std::size_t n = 0;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++n;
    return std::max<std::size_t>(n, 1);
}

// The match set as docids: the passages of the matching documents (@p ranked) that carry a
// positive clause, all within the filter already. Needs a column.
std::vector<Xapian::docid> match_ids(const FacetColumn& column, const std::vector<const Clause*>& clauses,
                                     const std::vector<ClauseCounts>& counts, const std::vector<RankedDocument>& ranked) {
    const FacetTable& table = column.table();
    std::vector<char> matching(table.docs(), 0);  // by the table's document number
    for (const RankedDocument& d : ranked)
        if (const std::uint32_t n = table.find_doc(d.id); n != FacetTable::kNone) matching[n] = 1;
    // One bit per passage: a passage that an earlier clause carried is not looked up again.
    Xapian::docid last = 0;
    for (const ClauseCounts& cc : counts)
        if (!cc.ids.empty()) last = std::max(last, cc.ids.back());
    std::vector<std::uint64_t> bits(last / 64 + 1, 0);
    for (std::size_t c = 0; c < clauses.size(); ++c) {
        if (clauses[c]->role == Clause::Role::kExcluded) continue;
        for (const Xapian::docid id : counts[c].ids) {
            std::uint64_t& word = bits[id / 64];
            const std::uint64_t bit = std::uint64_t{1} << (id % 64);
            if (word & bit) continue;
            if (const std::uint32_t row = column.row(id); row != FacetTable::kNone && matching[table.rows()[row].doc]) word |= bit;
        }
    }
    return packed::set_bits(bits);
}

// Whether document @p id carries every required clause, no excluded one and, when no
// clause is required, at least @p needed optional ones.
bool qualifies(const std::vector<const Clause*>& clauses, const std::vector<ClauseCounts>& counts,
               std::uint32_t doc, std::size_t needed) {
    std::size_t required = 0, optional_hits = 0;
    for (std::size_t c = 0; c < clauses.size(); ++c) {
        const bool has = counts[c].of(doc) > 0;
        switch (clauses[c]->role) {
            case Clause::Role::kExcluded: if (has) return false; break;
            case Clause::Role::kRequired: if (!has) return false; ++required; break;
            case Clause::Role::kOptional: optional_hits += has ? 1 : 0; break;
        }
    }
    return required > 0 || optional_hits >= needed;
}

// How many optional clauses a document needs when no clause is required (qualifies()).
std::size_t optional_needed(const std::vector<const Clause*>& clauses) {
    return minimum_should_match(static_cast<std::size_t>(
        std::count_if(clauses.begin(), clauses.end(), [](const Clause* c) { return c->role == Clause::Role::kOptional; })));
}

// Each clause of @p pq with its passages per document; with @p typed, also those of a
// clause's typed words apart (empty for a clause without them), which ranking weighs.
// match_documents() and count_documents() count with this one pass, so that they find the
// same documents and a phrase matched for one is met again by the other.
struct CountedClauses {
    std::vector<const Clause*> clauses;
    std::vector<ClauseCounts> counts, direct;
};

CountedClauses count_clauses(ClauseCounter& counter, const ParsedQuery& pq, bool typed) {
    CountedClauses out;
    for (const Clause& c : pq.clauses) {
        out.clauses.push_back(&c);
        if (c.direct.empty()) {
            out.counts.push_back(counter.count(c.query));
            if (typed) out.direct.emplace_back();
            continue;
        }
        auto [all, words] = counter.count_with_part(c.query, c.direct);
        out.counts.push_back(std::move(all));
        if (typed) out.direct.push_back(std::move(words));
    }
    return out;
}

// idf over passages: how specific the clause is, whatever the length of the documents.
double idf_of(Xapian::Database& db, const ClauseCounts& cc) {
    const double n = db.get_doccount(), df = cc.total;
    return std::log(1 + (n - df + 0.5) / (df + 0.5));
}

std::vector<double> idfs_of(Xapian::Database& db, const std::vector<ClauseCounts>& counts) {
    std::vector<double> out;
    out.reserve(counts.size());
    for (const ClauseCounts& cc : counts) out.push_back(idf_of(db, cc));
    return out;
}

// BM25 of a clause of idf @p idf (idf_of) in document @p doc of @p len passages, or 0 when
// the document lacks the clause.
double clause_weight(double idf, const ClauseCounts& cc, std::uint32_t doc, double len, double avg_passages) {
    if (!cc.of(doc)) return 0;
    const double tf = cc.of(doc);
    return idf * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * len / avg_passages));
}

// The language of most of a document's passages that carry the query (more_passages), not
// that of one passage detected apart: the same rule as each clause's count, over all clauses.
class LanguageCounts {
public:
    void add(std::uint32_t lang, std::uint32_t n) {
        for (auto& [l, m] : counts_)
            if (l == lang) {
                m += n;
                return;
            }
        counts_.emplace_back(lang, n);
    }
    [[nodiscard]] std::string most(const ClauseCounter& counter) const {
        const std::pair<std::uint32_t, std::uint32_t>* best = nullptr;
        for (const auto& c : counts_)
            if (!best || more_passages(c.second, counter.language(c.first), best->second, counter.language(best->first)))
                best = &c;
        return best ? counter.language(best->first) : std::string();
    }

private:
    std::vector<std::pair<std::uint32_t, std::uint32_t>> counts_;
};

// Fair ranking across languages: a document is also scored against the best document of
// its own language (times the share of the query it covers, its clauses weighed by idf:
// carrying only "AI" of "AI Villani report" covers little), so the best match in each
// language competes with the best in English whatever the strength of its channel.
void share_across_languages(std::vector<RankedDocument>& docs) {
    std::unordered_map<std::string, double> best;
    double top = 0;
    for (const RankedDocument& d : docs) {
        best[d.language] = std::max(best[d.language], d.score);
        top = std::max(top, d.score);
    }
    for (RankedDocument& d : docs) {
        const double own = best[d.language] > 0 ? d.score / best[d.language] : 0;
        d.score = (1 - kFair) * (top > 0 ? d.score / top : 0) + kFair * own * d.coverage;
    }
}

// Passages where neighbouring bare words of the query follow each other, as typed, at
// most kAdjacentWindow positions apart: one count per pair of neighbours (a sequential
// dependence feature; "Development Plan" as a name ranks above the two words apart).
std::vector<ClauseCounts> adjacent_pairs(ClauseCounter& counter, const std::vector<const Clause*>& clauses) {
    std::vector<ClauseCounts> out;
    const Clause* previous = nullptr;
    for (const Clause* c : clauses) {
        if (c->role == Clause::Role::kExcluded) continue;
        if (previous && !previous->exact.empty() && !c->exact.empty()) {
            const Xapian::Query both[] = {previous->exact, c->exact};
            out.push_back(counter.count(Xapian::Query(Xapian::Query::OP_PHRASE, std::begin(both), std::end(both), kAdjacentWindow)));
        }
        previous = c;
    }
    return out;
}

// The documents that carry any clause, each once.
std::vector<std::uint32_t> candidates(const ClauseCounter& counter, const std::vector<ClauseCounts>& counts) {
    std::vector<char> seen(counter.documents(), 0);
    std::vector<std::uint32_t> out;
    for (const ClauseCounts& cc : counts)
        for (const std::uint32_t doc : cc.docs)
            if (!seen[doc]) seen[doc] = 1, out.push_back(doc);
    return out;
}

std::vector<RankedDocument> rank(Xapian::Database& db, const ClauseCounter& counter, const std::vector<const Clause*>& clauses,
                                 const std::vector<ClauseCounts>& counts, const std::vector<ClauseCounts>& direct,
                                 const std::vector<ClauseCounts>& pairs, const std::vector<ClauseCounts>& adjacent,
                                 const std::shared_ptr<const FacetColumn>& column) {
    const std::size_t documents = document_count(db, column);
    const double avg_passages = static_cast<double>(db.get_doccount()) / static_cast<double>(documents);
    const std::size_t needed = optional_needed(clauses);
    std::vector<double> idf(clauses.size(), 0.0);
    double total_idf = 0;
    for (std::size_t c = 0; c < clauses.size(); ++c)
        if (clauses[c]->role != Clause::Role::kExcluded) total_idf += idf[c] = idf_of(db, counts[c]);
    const std::vector<double> direct_idf = idfs_of(db, direct), pair_idf = idfs_of(db, pairs), adjacent_idf = idfs_of(db, adjacent);
    std::vector<RankedDocument> out;
    for (const std::uint32_t d : candidates(counter, counts)) {
        if (!qualifies(clauses, counts, d, needed)) continue;
        RankedDocument doc;
        doc.id = counter.document(d);
        // The document's passages: from the column when there is one (no term look-up).
        const double len = static_cast<double>(column ? column->passages_of_document(d) : db.get_termfreq(std::string(schema::kDocId) + doc.id));
        doc.how.assign(clauses.size(), std::string());
        LanguageCounts langs;  // passages carrying a clause, per language
        for (std::size_t c = 0; c < clauses.size(); ++c) {
            if (clauses[c]->role == Clause::Role::kExcluded || !counts[c].of(d)) continue;
            langs.add(counts[c].lang[d], counts[c].of(d));
            doc.how[c] = clauses[c]->direct.empty() || direct[c].of(d) ? "words" : "translation";
            // The typed words on their own statistics, or through translation at a discount.
            const double all = clause_weight(idf[c], counts[c], d, len, avg_passages);
            const double typed = clauses[c]->direct.empty() ? all : clause_weight(direct_idf[c], direct[c], d, len, avg_passages);
            doc.score += std::max(typed, kTranslated * all);
            ++doc.clauses;
            doc.coverage += total_idf > 0 ? idf[c] / total_idf : 0;
        }
        doc.language = langs.most(counter);
        // Closer together ranks higher: neighbouring clauses that meet in one passage.
        for (std::size_t p = 0; p < pairs.size(); ++p) doc.score += kNear * clause_weight(pair_idf[p], pairs[p], d, len, avg_passages);
        for (std::size_t p = 0; p < adjacent.size(); ++p) doc.score += kNear * clause_weight(adjacent_idf[p], adjacent[p], d, len, avg_passages);
        out.push_back(std::move(doc));
    }
    share_across_languages(out);
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
        m.all = !pq.has_text && filter.empty();
        return m;
    }
    ClauseCounter counter(db, filter, column, max_seconds);
    auto [clauses, counts, direct] = count_clauses(counter, pq, true);
    // Neighbouring positive clauses, counted where they meet in one passage.
    std::vector<ClauseCounts> pairs;
    std::size_t previous = clauses.size();
    for (std::size_t c = 0; c < clauses.size(); ++c) {
        if (clauses[c]->role == Clause::Role::kExcluded) continue;
        if (previous < clauses.size())
            pairs.push_back(counter.both(clauses[previous]->query, counts[previous], clauses[c]->query, counts[c]));
        previous = c;
    }
    m.ranked = rank(db, counter, clauses, counts, direct, pairs, adjacent_pairs(counter, clauses), column);
    const bool positive = std::any_of(clauses.begin(), clauses.end(), [](const Clause* c) { return c->role != Clause::Role::kExcluded; });
    if (!positive) {
        // Only exclusions: every document without them matches, ranked by Xapian.
        std::vector<Xapian::Query> excluded;
        for (const ClauseCounts& cc : counts)
            for (const std::uint32_t doc : cc.docs) excluded.emplace_back(std::string(schema::kDocId) + counter.document(doc));
        m.passages = filtered(pq.query, filter);
        if (!excluded.empty())
            m.passages = Xapian::Query(Xapian::Query::OP_AND_NOT, m.passages, Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
        return m;
    }
    if (m.ranked.empty()) {
        m.none = true;
        m.passages = Xapian::Query(std::string(schema::kDocId) + "\x01none");  // a term no passage has
        m.has_ids = column != nullptr;
        return m;
    }
    std::vector<Xapian::Query> ids;
    ids.reserve(m.ranked.size());
    for (const RankedDocument& d : m.ranked) ids.emplace_back(std::string(schema::kDocId) + d.id);
    Xapian::Query docs(Xapian::Query::OP_OR, ids.begin(), ids.end());
    m.passages = Xapian::Query(Xapian::Query::OP_FILTER, pq.query,
                               filter.empty() ? docs : Xapian::Query(Xapian::Query::OP_AND, filter, docs));
    if (column) {
        m.passage_ids = match_ids(*column, clauses, counts, m.ranked);
        m.has_ids = true;
    }
    return m;
}

std::size_t count_documents(Xapian::Database& db, const ParsedQuery& pq, const Xapian::Query& filter,
                            const std::shared_ptr<const FacetColumn>& column, double max_seconds) {
    if (!pq.has_text || pq.clauses.empty()) return 0;
    ClauseCounter counter(db, filter, column, max_seconds);
    const CountedClauses cc = count_clauses(counter, pq, false);
    const std::size_t needed = optional_needed(cc.clauses);
    std::size_t n = 0;
    for (const std::uint32_t d : candidates(counter, cc.counts)) n += qualifies(cc.clauses, cc.counts, d, needed) ? 1 : 0;
    return n;
}

void count_match(FacetCounter& counter, Xapian::Database& db, const DocumentMatch& m, double max_seconds) {
    if (m.has_ids && counter.count_docids(m.passage_ids)) return;
    if (m.all && counter.count_all()) return;
    (void)counter.count_kept(db, m.passages, max_seconds);
}

}  // namespace strata
