/** @file measure.h
 *  @brief Internal: compare's per_million measure: each cell's occurrences and each row's
 *         (or row slice's) word tokens.
 *
 *  Occurrences of a cell. With a query: the query's matches in the text of the cell's
 *  matching passages, found as snippets find them (one per highlighted stretch: a word,
 *  its folded form, stem or translation; a phrase or a multi-word translation counts once). With no
 *  query (theme coverage): the theme's lexicon hits in the text of the row's passages
 *  tagged with the theme (the XJ counting terms of schema.h). Headings and titles are not
 *  text, as for the token counts of value slot 9.
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/query.h"

#include <xapian.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace strata {

/// What the per_million count needs from a comparison.
struct PerMillionInput {
    const Analyzer& analyzer;
    Xapian::Query filter;  ///< the comparison's filters (empty: every passage)
    std::vector<std::pair<std::string, Xapian::Query>> rows;  ///< row value → its boolean term
    enum class Column { kTheme, kYear, kLang } column = Column::kTheme;
    std::vector<std::string> columns;
    const Xapian::Query* match = nullptr;               ///< the match set; null with no query
    const Highlight* highlight = nullptr;               ///< what the query marks in snippets
};

struct PerMillionCounts {
    std::map<std::string, double> row_tokens;
    std::map<std::pair<std::string, std::string>, double> slice_tokens;  ///< (row, column) → tokens
    std::map<std::pair<std::string, std::string>, std::uint64_t> occurrences;
};

[[nodiscard]] PerMillionCounts count_per_million(Xapian::Database& db, const PerMillionInput& in);

}  // namespace strata
