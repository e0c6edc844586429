/** @file doc_match.h
 *  @brief Match and rank: documents match as wholes, and the one match set they define.
 *
 *  The words of a query may sit in different passages of one document. A document
 *  matches when it carries every required clause, no excluded one, and, when there is no
 *  required clause, at least minimum_should_match() of the optional ones. Documents are
 *  ranked by BM25 over clauses, where a clause's frequency in a document is the number of
 *  its passages that carry the clause and its idf comes from passage counts; neighbouring
 *  clauses that meet in one passage add to it (closer together ranks higher). A clause
 *  weighs its typed words on their own statistics, or its translations at a discount,
 *  whichever is more. Fair ranking across languages: the score blends the document's
 *  share of the best score overall with its share of the best score in its own language
 *  (times the share of clauses it carries). The passages of the matching documents that carry
 *  a positive clause are the one match set that totals, facets, compare cells and batch
 *  all count.
 */
#pragma once

#include "strata/query.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace strata {

class FacetColumn;
class FacetCounter;

/// How many of @p optional clauses a document must carry when no clause is required.
[[nodiscard]] std::size_t minimum_should_match(std::size_t optional);

struct RankedDocument {
    std::string id;
    double score = 0;
    std::size_t clauses = 0;  ///< positive clauses the document carries
    double coverage = 0;      ///< their share of the query's positive clauses, each weighed by its idf
    std::string language;     ///< the language of most of its matching passages (not of one detected apart)
    /// How it matched, per clause of the query: "words" (the typed words),
    /// "translation" (only through a translation), or "" (not at all, or excluded).
    std::vector<std::string> how;
};

struct DocumentMatch {
    /// The matching documents, best first; empty when the query has no text (every
    /// document that passes the filters matches then, and is ranked by Xapian).
    std::vector<RankedDocument> ranked;
    /// The one match set, as passages (filters included). Never empty: a query that
    /// matches nothing gets a query that matches no passage.
    Xapian::Query passages;
    /// The same match set as docids, in increasing order, when it was found without a
    /// Xapian pass of its own (one local index with a facet column); see has_ids.
    std::vector<Xapian::docid> passage_ids;
    bool has_ids = false;
    bool all = false;   ///< every passage matches (no text, no filter)
    bool none = false;  ///< no document matches
};

/// Matches @p pq's clauses against documents under @p filter (which may be empty).
/// @p column counts passages over one local index (null over shards); with it, a clause
/// that is a disjunction of terms is counted from its postings (clause_count.h).
[[nodiscard]] DocumentMatch match_documents(Xapian::Database& db, const ParsedQuery& pq, const Xapian::Query& filter,
                                            const std::shared_ptr<const FacetColumn>& column, double max_seconds);

/// The number of documents match_documents() finds (the size of its ranked), without
/// ranking them or counting the translations, neighbours and match set that ranking needs.
[[nodiscard]] std::size_t count_documents(Xapian::Database& db, const ParsedQuery& pq, const Xapian::Query& filter,
                                          const std::shared_ptr<const FacetColumn>& column, double max_seconds);

/// Counts @p m's passages into @p counter: from its docids when it has them and the counter
/// has a column, otherwise by a match of m.passages.
void count_match(FacetCounter& counter, Xapian::Database& db, const DocumentMatch& m, double max_seconds);

}  // namespace strata
