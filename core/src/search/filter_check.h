/** @file filter_check.h
 *  @brief Filter values checked against what exists, so a typo never gives a silent zero.
 */
#pragma once

#include "strata/query.h"
#include "strata/reference.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace strata {

/// Checks every filter value against what exists: the countries, regions and themes of
/// @p ref, the document types, and the languages of @p db. Region labels ("Latin America
/// and the Caribbean") become their slugs. Throws InvalidRequest naming the parameter, the
/// value and the nearest known values.
void check_filters(Filters& filters, const ReferenceData& ref, Xapian::Database& db);

/// Checks theme ids (compare's themes=): case-folded, then known; throws like check_filters.
void check_themes(std::vector<std::string>& themes, const ReferenceData& ref, const std::string& parameter);

/// Checks compare's langs= columns against the index's languages, and replaces each with
/// the languages it covers ("pt" → pt, pt-br); throws like check_filters.
void check_language_columns(std::vector<std::string>& langs, Xapian::Database& db);

}  // namespace strata
