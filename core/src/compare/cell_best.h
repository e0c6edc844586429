/** @file cell_best.h
 *  @brief Internal: the best passage of every cell of a comparison, in one weighted pass.
 *
 *  A passage's weight comes from the query's text alone (filters, documents and cells are
 *  boolean), so the passage that FILTER(match set, cell) ranks first is, within the cell,
 *  the one of highest weight and then lowest docid. One match of the query under the
 *  filters, with a spy that keeps that passage per cell, gives every cell's best at once
 *  instead of one match per cell. With no text, the same pass over the match set orders a
 *  theme cell's passages by the theme's score, as a match of the cell sorted by that
 *  value would.
 */
#pragma once

#include "search/facet_table.h"
#include "strata/reference.h"

#include <xapian.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata {

struct CellBest {
    double weight = 0;  ///< the passage's weight for the query (its score in the cell)
    Xapian::docid id = 0;
    double order = 0;  ///< what cells are chosen by: the weight, or a slot's value (best_by_cell)
};

/// (row value, column value) → the best passage among @p ids (sorted docids, the match
/// set; null for every passage @p q matches) that @p q matches, with rows from field @p row
/// and columns from field @p col of @p column. Best is the highest weight, then the lowest
/// docid; where @p order_slots names a slot for a column value (by its id in the column's
/// table), the highest value of that slot (sortable_serialise) instead of the weight.
[[nodiscard]] std::map<std::pair<std::string, std::string>, CellBest> best_by_cell(
    Xapian::Database& db, const Xapian::Query& q, const FacetColumn& column, const std::vector<Xapian::docid>* ids,
    FacetField row, FacetField col, const std::vector<Xapian::valueno>& order_slots = {});

/// The value slot of theme @p theme's score (schema::kSlotThemeScoreBase + its place in the
/// reference data), or BAD_VALUENO for a theme the reference data does not list: the order
/// of a cell's passages when a comparison has no text.
[[nodiscard]] Xapian::valueno theme_score_slot(const ReferenceData& ref, const std::string& theme);
/// theme_score_slot() of each theme of @p column's table, by its id there.
[[nodiscard]] std::vector<Xapian::valueno> theme_score_slots(const FacetColumn& column, const ReferenceData& ref);

/// Rows of country groups (income, bloc, by @p field) from rows of countries: each group
/// cell's best is the best of its countries' cells, in the one pass's order (higher
/// CellBest::order, then lower docid).
[[nodiscard]] std::map<std::pair<std::string, std::string>, CellBest> group_best(
    const std::map<std::pair<std::string, std::string>, CellBest>& by_country, const ReferenceData& ref,
    const std::string& field);

}  // namespace strata
