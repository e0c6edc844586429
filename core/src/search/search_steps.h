/** @file search_steps.h
 *  @brief Internal: the named steps of Searcher::search, in the order they run.
 *
 *  1. prepare (searcher.cpp): parse q, join its filters to the request's, validate;
 *  2. match and rank (doc_match.h): the matching documents, best first, and the one
 *     match set of passages;
 *  3. count (facets.cpp): totals and facets over that match set;
 *  4. page (hits.cpp): the hits of the requested page, then their best passages and
 *     snippets;
 *  5. write JSON (searcher.cpp).
 */
#pragma once

#include "search/doc_match.h"
#include "search/facet_table.h"
#include "strata/search.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

/// One search as it moves through the steps.
struct SearchRun {
    const Searcher& searcher;
    Xapian::Database& db;
    SearchRequest r;  ///< the request, with q's own field filters joined
    ParsedQuery pq;
    Xapian::Query filter;  ///< the filters as one boolean query (empty when none)
    DocumentMatch match;
    std::shared_ptr<const FacetColumn> column;

    [[nodiscard]] bool documents() const { return r.group == SearchRequest::Group::kDocument; }
};

/// Matching passages and documents, per facet value and per document.
struct FacetTally {
    std::map<std::string, std::map<std::string, std::size_t>> counts;  ///< facet → value → count
    std::size_t passages = 0, documents = 0;
    std::unordered_map<std::string, std::size_t> doc_passages;  ///< document id → matching passages

    /// Matching passages of document @p id.
    [[nodiscard]] std::size_t passages_of(const std::string& id) const;
};

/// Turns a counter's passages per facet key into per-facet counts of passages (or of
/// distinct documents, with @p documents) for the facets in @p wanted.
[[nodiscard]] FacetTally tally(FacetCounter& counter, bool documents, const std::set<std::string>& wanted);

/// Step 3: counts the match set, with the facets that have no selection.
[[nodiscard]] FacetTally count_matches(const SearchRun& run, const std::set<std::string>& unselected);
/// Step 3: the facets as JSON; facets with a selection are counted without it (multi-select).
[[nodiscard]] nlohmann::json facets_json(const SearchRun& run, const FacetTally& tallied, const std::vector<std::string>& selected);
/// A facet value's label for people: country and region names, theme labels, languages.
[[nodiscard]] std::string facet_label(const ReferenceData& ref, const std::string& facet, const std::string& value);

/// One hit of the page before its passages are chosen.
struct PageHit {
    std::string id;       ///< document id
    double weight = 0;
    Xapian::Document doc;  ///< the passage, for group=passage
    nlohmann::json matched;  ///< how the document matched (ranked documents only)
};

/// Step 4: the page's hits, from the ranked documents or from Xapian's ranking.
[[nodiscard]] std::vector<PageHit> page_hits(const SearchRun& run);
/// Step 4: the hits as JSON, with their best passages and snippets.
[[nodiscard]] nlohmann::json hits_json(const SearchRun& run, const std::vector<PageHit>& page, const FacetTally& tallied);

}  // namespace strata
