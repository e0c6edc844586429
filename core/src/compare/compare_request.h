/** @file compare_request.h
 *  @brief What CompareRequest's parsing shares with the comparison it answers.
 */
#pragma once

#include <string>

namespace strata {

/// The name of the parameter that chooses the rows or columns of kind @p kind
/// ("country" → "countries", "theme" → "themes").
[[nodiscard]] std::string selector_of(const std::string& kind);

}  // namespace strata
