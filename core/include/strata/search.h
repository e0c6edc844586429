/** @file search.h
 *  @brief The search service: requests as structs, answers as the API's JSON.
 *
 *  Call order: build a Searcher once (it owns the index handle and reference data), then
 *  call its methods from any number of threads. A request is parsed once at the edge
 *  (SearchRequest::from_params), validated, then passed down.
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/index_handle.h"
#include "strata/lexicon.h"
#include "strata/query.h"
#include "strata/reference.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace strata {

class FacetColumn;
struct FacetTally;
struct SearchRun;
struct CompareRun;
struct DocumentMatches;
struct ConcordanceRequest;
struct TrendsRequest;

/// Request parameters as they come from a URL or a command line: name → values.
using ParamMap = std::map<std::string, std::vector<std::string>>;

/// Bounds on what one request may ask for.
struct SearchLimits {
    std::size_t max_query_bytes = 4096;
    int max_per_page = 100;
    int max_page_depth = 10000;       ///< page * per_page
    std::size_t max_terms = 200;
    Xapian::termcount max_wildcard = 100;
    /// Seconds a match may run before Xapian stops it (counts past that are estimates).
    double max_seconds = 10.0;
};

/// The facets a search can count.
[[nodiscard]] const std::vector<std::string>& facet_names();

/// GET /v1/search, as a struct.
struct SearchRequest {
    enum class Group { kDocument, kPassage };
    enum class Sort { kRelevance, kYear, kYearDesc };

    std::string q;
    Filters filters;
    Group group = Group::kDocument;
    int page = 1;
    int per_page = 10;
    Sort sort = Sort::kRelevance;
    std::vector<std::string> facets;  ///< names from facet_names()
    bool crosslingual = true;  ///< expand free-text words across languages (the default)
    int passages_per_document = 3;
    bool passage_text = false;  ///< each passage also carries its full text (for citation)

    /// Parses parameters (q, country, region, theme, year, lang, type, group, page,
    /// per_page, sort, facets, crosslingual, passages, passage_text). Throws InvalidRequest
    /// naming the parameter.
    static SearchRequest from_params(const ParamMap& params);
    /// Checks the bounds; throws InvalidRequest or TooLarge.
    void validate(const SearchLimits& limits) const;
};

/// GET /v1/compare, as a struct: a matrix of rows (countries or regions) by columns
/// (themes, years or languages) for a query and filters.
struct CompareRequest {
    std::string q;
    Filters filters;
    std::string rows = "country";     ///< country | region
    std::string columns = "theme";    ///< theme | year | lang
    std::vector<std::string> row_values;     ///< countries= / regions=: rows to show (all when empty)
    std::vector<std::string> column_values;  ///< themes= / years= / langs=: columns to show
    bool crosslingual = true;
    bool best = true;                 ///< include each cell's best passage
    /// What a cell's value measures: "passages" (the share of passages), "per_million"
    /// (occurrences per million word tokens of the row's text; compare/measure.h says what
    /// an occurrence is) or "documents" (the share of the row's documents).
    std::string measure = "passages";

    /// Parses q, the search filters, by=ROW,COLUMN, countries=, regions=, themes=, years=,
    /// langs=, crosslingual=, best=, measure=. Throws InvalidRequest naming the parameter.
    static CompareRequest from_params(const ParamMap& params);
    void validate(const SearchLimits& limits) const;
};

/// GET /v1/documents/{id}, as a struct: the document, with the matching options of a
/// search, so that its passages match as they do in that search.
struct DocumentRequest {
    std::string id;
    /// q, the filters and crosslingual; the other fields of a search are left out.
    SearchRequest search;

    /// Parses q, country, region, theme, year, lang, type and crosslingual. Throws
    /// InvalidRequest naming the parameter.
    static DocumentRequest from_params(const std::string& id, const ParamMap& params);
    /// Whether any option asks for matching passages (a query or a filter).
    [[nodiscard]] bool matches() const { return !search.q.empty() || !search.filters.empty(); }
};

/// A compare response as tidy CSV, one row per cell, UTF-8 with a byte-order mark so that
/// spreadsheets read it right; cells that would start a formula are prefixed with '.
[[nodiscard]] std::string compare_csv(const nlohmann::json& compare);

/// Options of a Searcher.
struct SearcherOptions {
    std::vector<std::string> shards;   ///< index directories or host:port
    SearchLimits limits;
    /// Count facets from an in-memory column per index revision (one local index only;
    /// shards always count with Xapian's ValueCountMatchSpy). Off only to compare the two.
    bool facet_columns = true;
};

/// Answers searches, document look-ups and index descriptions. Thread-safe.
class Searcher {
public:
    Searcher(SearcherOptions options, ReferenceData reference);

    [[nodiscard]] nlohmann::json search(const SearchRequest& request) const;
    [[nodiscard]] nlohmann::json compare(const CompareRequest& request) const;
    /// A document with all its passages. With a query or filters, the passages that the
    /// same search counts for this document are `matched` and carry a highlight.
    [[nodiscard]] nlohmann::json document(const DocumentRequest& request) const;
    /// Every occurrence of a query in context (strata/concordance.h; core/src/analysis/).
    [[nodiscard]] nlohmann::json concordance(const ConcordanceRequest& request) const;
    /// Occurrences per million tokens by year (strata/trends.h; core/src/analysis/).
    [[nodiscard]] nlohmann::json trends(const TrendsRequest& request) const;
    [[nodiscard]] nlohmann::json similar(const std::string& id, int count) const;
    [[nodiscard]] nlohmann::json stats() const;
    [[nodiscard]] nlohmann::json themes() const;
    [[nodiscard]] nlohmann::json countries() const;
    /// Throws Unavailable when the index cannot be opened.
    void check_ready() const;

    [[nodiscard]] const ReferenceData& reference() const { return ref_; }
    [[nodiscard]] const IndexHandle& index() const { return index_; }
    [[nodiscard]] const SearchLimits& limits() const { return options_.limits; }
    [[nodiscard]] const Analyzer& analyzer() const { return analyzer_; }

    /// The document record stored with passage 0 (null when unknown).
    [[nodiscard]] nlohmann::json record(Xapian::Database& db, const std::string& id) const;

private:
    [[nodiscard]] QueryContext query_context(Xapian::Database& db, const SearchRequest& r) const;
    /// parse_query(q, query_context(db, r)), from this thread's cache when it has it.
    [[nodiscard]] ParsedQuery parse(Xapian::Database& db, const std::string& q, const SearchRequest& r) const;
    [[nodiscard]] SearchRun prepare(Xapian::Database& db, const SearchRequest& req) const;
    /// The corpus analyses' first step: search's match set for q, the filters and
    /// crosslingual; throws InvalidRequest when q names no word or phrase to count.
    [[nodiscard]] SearchRun prepare_occurrences(Xapian::Database& db, const std::string& q, const Filters& filters,
                                                bool crosslingual) const;
    [[nodiscard]] CompareRun prepare_compare(Xapian::Database& db, const CompareRequest& req) const;
    [[nodiscard]] DocumentMatches document_matches(Xapian::Database& db, const DocumentRequest& req) const;
    /// A spelling suggestion when nothing matched and nothing was warned (suggestions.cpp).
    [[nodiscard]] nlohmann::json did_you_mean(const SearchRun& run, const FacetTally& tallied,
                                              const std::vector<std::string>& warnings) const;
    /// A warning when a lowercase "or", "and" or "not" changes what the query finds, or "".
    [[nodiscard]] std::string operator_word_warning(const SearchRun& run) const;
    /// The facet column of @p db's revision, loaded on first use; null when not applicable.
    [[nodiscard]] std::shared_ptr<const FacetColumn> facet_column(Xapian::Database& db) const;

    SearcherOptions options_;
    ReferenceData ref_;
    Analyzer analyzer_;
    std::unique_ptr<LexiconMatcher> lexicon_;
    IndexHandle index_;
    mutable std::mutex columns_mu_;
    mutable std::vector<std::pair<std::string, std::shared_ptr<const FacetColumn>>> columns_;  // by version
    std::uint64_t cache_id_;  ///< names this Searcher's per-thread query caches
};

}  // namespace strata
