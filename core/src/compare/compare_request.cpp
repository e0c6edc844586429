// GET /v1/compare's parameters: read once, checked, and refused with the parameter named.
#include "compare/compare_request.h"
#include "strata/errors.h"
#include "strata/query.h"
#include "strata/search.h"
#include "strata/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace strata {

std::string selector_of(const std::string& kind) {
    static const std::map<std::string, std::string> lists = {{"country", "countries"}, {"region", "regions"}, {"income", "incomes"},
                                                             {"bloc", "blocs"},       {"theme", "themes"},   {"year", "years"},
                                                             {"lang", "langs"}};
    return lists.at(kind);
}

namespace {

std::vector<std::string> list_param(const ParamMap& p, const std::string& name) {
    std::vector<std::string> out;
    auto it = p.find(name);
    if (it == p.end()) return out;
    for (const std::string& v : it->second)
        for (std::string x : text::split(v, ',')) {
            x = std::string(text::trim(x));
            if (!x.empty() && std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
        }
    return out;
}

// countries= with by=region (or themes= with by=country,year…) would choose nothing: say so
// rather than ignore it.
void refuse_unused_selectors(const ParamMap& params, const std::string& rows, const std::string& columns) {
    for (const std::string kind : {"country", "region", "income", "bloc", "theme", "year", "lang"}) {
        const std::string name = selector_of(kind);
        if (kind == rows || kind == columns || !params.count(name)) continue;
        const bool row_kind = kind == "country" || kind == "region" || kind == "income" || kind == "bloc";
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' chooses the " + (row_kind ? "rows" : "columns") +
                                                      " of by=" + (row_kind ? kind + ",…" : "…," + kind) + ", and this comparison is by=" +
                                                      rows + "," + columns + ": use '" + selector_of(row_kind ? rows : columns) +
                                                      "', or the filter '" + kind + "'");
    }
}

}  // namespace

CompareRequest CompareRequest::from_params(const ParamMap& params) {
    static const std::set<std::string> known = {"q",   "country", "region", "income", "bloc", "theme",  "year",   "lang",
                                                "type", "doc", "by",      "countries", "regions", "incomes", "blocs",
                                                "themes", "years", "langs",
                                                "crosslingual", "best", "format", "measure"};
    for (const auto& [name, values] : params)
        if (!known.count(name) && name.rfind('_', 0) != 0)
            throw InvalidRequest("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'");
    CompareRequest r;
    if (auto it = params.find("q"); it != params.end() && !it->second.empty()) r.q = it->second.front();
    for (const std::string& f : filter_fields())
        if (auto it = params.find(f); it != params.end())
            for (const std::string& v : it->second) r.filters.add(f, v);
    const std::vector<std::string> by = list_param(params, "by");
    if (!by.empty()) {
        if (by.size() != 2) throw InvalidRequest("invalid_parameter", "parameter 'by' must be ROW,COLUMN, e.g. country,theme");
        r.rows = by[0];
        r.columns = by[1];
    }
    if (r.rows != "country" && r.rows != "region" && r.rows != "income" && r.rows != "bloc")
        throw InvalidRequest("invalid_parameter", "rows of 'by' must be country, region, income or bloc");
    if (r.columns != "theme" && r.columns != "year" && r.columns != "lang")
        throw InvalidRequest("invalid_parameter", "columns of 'by' must be theme, year or lang");
    refuse_unused_selectors(params, r.rows, r.columns);
    r.row_values = list_param(params, selector_of(r.rows));
    if (r.rows == "country")
        for (std::string& c : r.row_values) std::transform(c.begin(), c.end(), c.begin(), ::toupper);
    r.column_values = list_param(params, selector_of(r.columns));
    if (r.columns == "lang")
        for (std::string& c : r.column_values) c = canonical_language(c);
    auto flag = [&](const char* name, bool fallback) {
        auto it = params.find(name);
        if (it == params.end() || it->second.empty()) return fallback;
        const std::string v = text::ascii_lower(it->second.front());
        if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
        if (v == "false" || v == "0" || v == "no" || v == "off") return false;
        throw InvalidRequest("invalid_parameter", std::string("parameter '") + name + "' must be true or false");
    };
    r.crosslingual = flag("crosslingual", true);
    r.best = flag("best", true);
    if (auto it = params.find("measure"); it != params.end() && !it->second.empty()) r.measure = text::ascii_lower(it->second.front());
    if (r.measure != "passages" && r.measure != "per_million" && r.measure != "documents")
        throw InvalidRequest("invalid_parameter", "parameter 'measure' must be passages, per_million or documents");
    return r;
}

void CompareRequest::validate(const SearchLimits& limits) const {
    if (q.size() > limits.max_query_bytes)
        throw TooLarge("query is " + std::to_string(q.size()) + " bytes; the limit is " + std::to_string(limits.max_query_bytes));
    if (row_values.size() > 500 || column_values.size() > 500)
        throw InvalidRequest("invalid_parameter", "at most 500 rows and 500 columns can be selected");
}

}  // namespace strata
