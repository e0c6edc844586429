/** @file response_json.h
 *  @brief Internal: JSON shapes shared by the search and compare responses.
 */
#pragma once

#include "strata/query.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace strata {

/// The filters a response says it applied.
inline nlohmann::json filters_json(const Filters& f) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : f.values) j[k] = v;
    // A field filtered twice: each further group must hold as well.
    for (const auto& [k, v] : f.also) j["and"].push_back({{k, v}});
    if (f.year_from) j["year_from"] = *f.year_from;
    if (f.year_to) j["year_to"] = *f.year_to;
    return j;
}

/// The cross-language expansions a response says it used.
inline nlohmann::json expansions_json(const std::vector<Expansion>& expansions) {
    nlohmann::json out = nlohmann::json::array();
    for (const Expansion& e : expansions)
        out.push_back({{"matched", e.matched}, {"concept", e.concept_id}, {"label", e.label}, {"terms", e.terms}});
    return out;
}

}  // namespace strata
