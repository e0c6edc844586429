#include "strata/errors.h"
#include "strata/search.h"
#include "strata/text.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace strata {

namespace {

const std::string& single(const ParamMap& p, const std::string& name) {
    static const std::string empty;
    auto it = p.find(name);
    if (it == p.end() || it->second.empty()) return empty;
    if (it->second.size() > 1 && name != "q")
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' is given more than once");
    return it->second.front();
}

int integer(const ParamMap& p, const std::string& name, int fallback) {
    const std::string& v = single(p, name);
    if (v.empty()) return fallback;
    long long n = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size())
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be a whole number, not '" + v.substr(0, 40) + "'");
    if (n < -1000000000LL || n > 1000000000LL)
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' is out of range");
    return static_cast<int>(n);
}

bool boolean(const ParamMap& p, const std::string& name, bool fallback) {
    const std::string v = text::ascii_lower(single(p, name));
    if (v.empty()) return fallback;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be true or false");
}

}  // namespace

const std::vector<std::string>& facet_names() {
    static const std::vector<std::string> names = {"country", "region", "income", "bloc", "theme", "year", "lang", "type"};
    return names;
}

SearchRequest SearchRequest::from_params(const ParamMap& params) {
    static const std::set<std::string> known = {"q",    "country",  "region", "income", "bloc", "theme", "year",  "lang",
                                                "type", "doc",      "group",  "page",  "per_page", "sort",
                                                "facets", "crosslingual", "passages", "passage_text"};
    for (const auto& [name, values] : params)
        if (!known.count(name) && name.rfind('_', 0) != 0)
            throw InvalidRequest("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'");
    SearchRequest r;
    if (auto it = params.find("q"); it != params.end() && !it->second.empty()) {
        if (it->second.size() > 1) throw InvalidRequest("invalid_parameter", "parameter 'q' is given more than once");
        r.q = it->second.front();
    }
    for (const std::string& f : filter_fields())
        if (auto it = params.find(f); it != params.end())
            for (const std::string& v : it->second) r.filters.add(f, v);
    const std::string group = single(params, "group");
    if (group == "passage" || group == "passages") r.group = Group::kPassage;
    else if (!group.empty() && group != "document" && group != "documents")
        throw InvalidRequest("invalid_parameter", "parameter 'group' must be document or passage");
    r.page = integer(params, "page", 1);
    r.per_page = integer(params, "per_page", 10);
    r.passages_per_document = integer(params, "passages", 3);
    const std::string sort = single(params, "sort");
    if (sort == "year") r.sort = Sort::kYear;
    else if (sort == "-year") r.sort = Sort::kYearDesc;
    else if (!sort.empty() && sort != "relevance")
        throw InvalidRequest("invalid_parameter", "parameter 'sort' must be relevance, year or -year");
    if (auto it = params.find("facets"); it == params.end()) {
        r.facets = facet_names();
    } else {
        Filters tmp;
        for (const std::string& v : it->second) {
            std::size_t start = 0;
            while (start <= v.size()) {
                const auto comma = v.find(',', start);
                const std::string name(text::trim(std::string_view(v).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
                if (name == "all") r.facets = facet_names();
                else if (!name.empty() && name != "none") {
                    if (std::find(facet_names().begin(), facet_names().end(), name) == facet_names().end())
                        throw InvalidRequest("invalid_parameter", "unknown facet '" + name.substr(0, 40) + "'");
                    if (std::find(r.facets.begin(), r.facets.end(), name) == r.facets.end()) r.facets.push_back(name);
                }
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
        }
    }
    r.crosslingual = boolean(params, "crosslingual", true);
    r.passage_text = boolean(params, "passage_text", false);
    return r;
}

DocumentRequest DocumentRequest::from_params(const std::string& id, const ParamMap& params) {
    // The options that decide which passages match; paging and sorting have no meaning here.
    static const std::set<std::string> matching = {"q",    "country", "region", "income", "bloc",
                                                   "theme", "year",    "lang",   "type",   "crosslingual"};
    for (const auto& [name, values] : params)
        if (!matching.count(name) && name.rfind('_', 0) != 0)
            throw InvalidRequest("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'");
    return DocumentRequest{id, SearchRequest::from_params(params)};
}

void SearchRequest::validate(const SearchLimits& limits) const {
    if (q.size() > limits.max_query_bytes)
        throw TooLarge("query is " + std::to_string(q.size()) + " bytes; the limit is " + std::to_string(limits.max_query_bytes));
    if (page < 1) throw InvalidRequest("invalid_parameter", "parameter 'page' must be 1 or more");
    if (per_page < 1 || per_page > limits.max_per_page)
        throw InvalidRequest("invalid_parameter", "parameter 'per_page' must be between 1 and " + std::to_string(limits.max_per_page));
    if (static_cast<long long>(page) * per_page > limits.max_page_depth)
        throw InvalidRequest("invalid_parameter", "page * per_page must not exceed " + std::to_string(limits.max_page_depth));
    if (passages_per_document < 0 || passages_per_document > 20)
        throw InvalidRequest("invalid_parameter", "parameter 'passages' must be between 0 and 20");
}

}  // namespace strata
