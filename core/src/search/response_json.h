/** @file response_json.h
 *  @brief Internal: JSON shapes shared by the search and compare responses.
 */
#pragma once

#include "strata/query.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>
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

/// A stored page number as the API shows it: null for 0 (a format without pages).
[[nodiscard]] nlohmann::json page_or_null(const nlohmann::json& data, const char* key);

/// The time of an answer, ISO 8601 in UTC to the second, so an export says when it was made.
inline std::string retrieved_at() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

/// The cross-language expansions a response says it used.
inline nlohmann::json expansions_json(const std::vector<Expansion>& expansions) {
    nlohmann::json out = nlohmann::json::array();
    for (const Expansion& e : expansions)
        out.push_back({{"matched", e.matched}, {"concept", e.concept_id}, {"label", e.label}, {"terms", e.terms}});
    return out;
}

}  // namespace strata
