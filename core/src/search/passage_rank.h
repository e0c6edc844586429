/** @file passage_rank.h
 *  @brief Internal: the best passages of the documents a page shows, from what ranking
 *  found (MatchEvidence), without a second search.
 *
 *  A passage is weighed as a document is (doc_match.h), with occurrences of a clause's
 *  terms in the passage in place of passages in the document: per positive clause it
 *  carries, BM25's saturation of those occurrences times the clause's idf (its typed words
 *  on their own statistics, or its translations at a discount, whichever is more), plus the
 *  neighbouring clauses that meet in it and the neighbouring words that follow each other
 *  there. Passages are not normalised by length: they are cut to a bounded one. Ties go to
 *  the earlier passage. Candidates are the document's passages in the match set.
 */
#pragma once

#include "search/doc_match.h"

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata {

class FacetColumn;

struct ScoredPassage {
    Xapian::docid id = 0;
    double score = 0;
};

/// At most @p per_doc best passages of each of @p docs (document ids), best first, keyed by
/// document id (a document without a matching passage is absent). @p filter is the
/// search's (which may be empty); without evidence.counted, each part is counted again
/// within the documents (slower: shards and remote servers).
[[nodiscard]] std::map<std::string, std::vector<ScoredPassage>> best_passages_of(
    Xapian::Database& db, const MatchEvidence& evidence, const Xapian::Query& filter,
    const std::shared_ptr<const FacetColumn>& column, const std::vector<std::string>& docs, std::size_t per_doc,
    double max_seconds);

}  // namespace strata
