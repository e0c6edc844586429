/** @file trends.h
 *  @brief GET /v1/trends: a query's occurrences per million word tokens and its share of
 *         documents, by year, for the whole subset or split by country, region or language.
 *
 *  Occurrences are those of the concordance (one counter), so a query's trend points add
 *  up to its concordance total. A point's tokens are the word tokens (schema::kSlotTokens)
 *  of every passage the filters leave that year in that series, whether it matches or
 *  not: the denominator of per_million. Run through Searcher::trends().
 */
#pragma once

#include "strata/query.h"
#include "strata/search.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata {

struct TrendsRequest {
    enum class Split { kNone, kCountry, kRegion, kLang };

    std::string q;
    Filters filters;
    bool crosslingual = true;
    Split split = Split::kNone;

    /// Parses q, the search filters, crosslingual and split (and accepts format, which
    /// the edge reads). Throws InvalidRequest naming the parameter.
    static TrendsRequest from_params(const ParamMap& params);
    void validate(const SearchLimits& limits) const;
};

/// The columns of a trends export: the series, the point's fields, then the provenance columns.
[[nodiscard]] const std::vector<std::string>& trends_columns();
/// One tidy record per point of a trends answer, keyed by trends_columns(), with the
/// answer's provenance.
[[nodiscard]] std::vector<nlohmann::json> trends_records(const nlohmann::json& trends);
/// The series of a trends answer as tidy CSV, one row per point.
[[nodiscard]] std::string trends_csv(const nlohmann::json& trends);

}  // namespace strata
