/** @file concordance.h
 *  @brief GET /v1/concordance (KWIC): every occurrence of a query in context, as a struct
 *         request and the CSV form of its answer.
 *
 *  Occurrences are counted over search's one match set (the passages of the matching
 *  documents that carry a positive clause, under the filters), from the positions of the
 *  query's positive words and phrases in the passage text: a phrase is one occurrence, a
 *  Han or Kana word one occurrence of its characters in sequence. Cross-language expansion
 *  follows search (crosslingual=true by default), and every line says which form of the
 *  query it matched and how (query, concept or translation). Lines are cut from the
 *  stored text with the offsets of schema::kSlotOffsets; context stays within the passage.
 *  Run through Searcher::concordance().
 */
#pragma once

#include "strata/query.h"
#include "strata/search.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata {

struct ConcordanceRequest {
    enum class Sort { kDoc, kYear, kYearDesc, kL1, kL2, kR1, kR2 };

    std::string q;
    Filters filters;
    bool crosslingual = true;
    int context = 10;  ///< words each side (segmented words for CJK and Thai)
    Sort sort = Sort::kDoc;
    int page = 1;
    int per_page = 50;

    static constexpr int kMaxContext = 50;
    static constexpr int kMaxPerPage = 500;

    /// Parses q, the search filters, crosslingual, context, sort, page, per_page (and
    /// accepts format, which the edge reads). Throws InvalidRequest naming the parameter.
    static ConcordanceRequest from_params(const ParamMap& params);
    /// Checks the bounds; throws InvalidRequest or TooLarge.
    void validate(const SearchLimits& limits) const;
};

/// The name of a sort order as the API writes it ("doc", "R1", ...).
[[nodiscard]] const char* sort_name(ConcordanceRequest::Sort sort);

/// The columns of a concordance export: a line's fields, then the provenance columns.
[[nodiscard]] const std::vector<std::string>& concordance_columns();
/// The lines of a concordance answer as tidy records keyed by concordance_columns(), with
/// their JSON types (a passage without pages has page null) and the answer's provenance.
[[nodiscard]] std::vector<nlohmann::json> concordance_records(const nlohmann::json& concordance);
/// The lines of a concordance answer as CSV (UTF-8 with a byte-order mark).
[[nodiscard]] std::string concordance_csv(const nlohmann::json& concordance);

}  // namespace strata
