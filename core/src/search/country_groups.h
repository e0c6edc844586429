/** @file country_groups.h
 *  @brief Country groups: a passage's income group and blocs, which follow from its country.
 *
 *  The indexer writes them as filter terms (schema::kIncome, schema::kBloc). Facets and
 *  compare rows are summed from the counts per country: a document has one country, so
 *  its passages and the document itself count once in each group of that country.
 */
#pragma once

#include "strata/reference.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

/// Whether @p field ("income", "bloc") names a country group.
[[nodiscard]] bool is_country_group(std::string_view field);

/// The values of @p field for the country @p code: its income group, or its blocs.
[[nodiscard]] std::vector<std::string> groups_of(const ReferenceData& ref, std::string_view field, const std::string& code);

/// Counts per group value, summed from counts per country.
[[nodiscard]] std::map<std::string, std::size_t> group_counts(const ReferenceData& ref, std::string_view field,
                                                              const std::map<std::string, std::size_t>& by_country);

/// A group value for people: "Upper-middle income", "OECD members".
[[nodiscard]] std::string group_label(const ReferenceData& ref, std::string_view field, const std::string& value);

}  // namespace strata
