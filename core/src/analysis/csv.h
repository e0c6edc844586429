/** @file csv.h
 *  @brief Internal: CSV fields for the analyses' format=csv, safe in spreadsheets.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace strata::csv {

/// One field: quoted when it holds a comma, quote or line break; a leading =, +, - or @
/// is prefixed with ' so that a spreadsheet never evaluates it.
inline std::string field(const std::string& s) {
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// A JSON scalar as a field (numbers as JSON writes them, null as empty).
inline std::string field(const nlohmann::json& j) {
    if (j.is_string()) return field(j.get<std::string>());
    if (j.is_null()) return "";
    return j.dump();
}

/// The byte-order mark that tells spreadsheets the file is UTF-8.
inline constexpr const char* kBom = "\xEF\xBB\xBF";

}  // namespace strata::csv
