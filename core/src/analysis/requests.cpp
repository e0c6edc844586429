// ConcordanceRequest and TrendsRequest: parsed once at the edge. q, the filters and
// crosslingual are read by SearchRequest::from_params, so they mean what they mean in search.
#include "strata/concordance.h"
#include "strata/errors.h"
#include "strata/trends.h"

#include <cctype>
#include <charconv>
#include <set>

namespace strata {

namespace {

// Splits @p params into the analysis's own parameters (@p own, removed from what is left)
// and search's q, filters and crosslingual, parsed as search parses them.
SearchRequest search_part(ParamMap params, const std::set<std::string>& own, ParamMap& mine) {
    static const std::set<std::string> shared = {"q", "country", "region", "theme", "year", "lang", "type", "doc", "crosslingual"};
    for (auto it = params.begin(); it != params.end();) {
        if (own.count(it->first)) {
            mine[it->first] = it->second;
            it = params.erase(it);
        } else if (!shared.count(it->first) && it->first.rfind('_', 0) != 0) {
            throw InvalidRequest("invalid_parameter", "unknown parameter '" + it->first.substr(0, 60) + "'");
        } else {
            ++it;
        }
    }
    return SearchRequest::from_params(params);
}

const std::string& single(const ParamMap& p, const std::string& name) {
    static const std::string empty;
    const auto it = p.find(name);
    if (it == p.end() || it->second.empty()) return empty;
    if (it->second.size() > 1) throw InvalidRequest("invalid_parameter", "parameter '" + name + "' is given more than once");
    return it->second.front();
}

int integer(const ParamMap& p, const std::string& name, int fallback) {
    const std::string& v = single(p, name);
    if (v.empty()) return fallback;
    long long n = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size() || n < -1000000000LL || n > 1000000000LL)
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be a whole number, not '" + v.substr(0, 40) + "'");
    return static_cast<int>(n);
}

void check_format(const ParamMap& mine) {
    const std::string& f = single(mine, "format");
    if (!f.empty() && f != "json" && f != "csv")
        throw InvalidRequest("invalid_parameter", "parameter 'format' must be json or csv");
}

void require_text(const std::string& q, std::size_t max_bytes) {
    if (q.size() > max_bytes)
        throw TooLarge("query is " + std::to_string(q.size()) + " bytes; the limit is " + std::to_string(max_bytes));
    if (q.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InvalidRequest("invalid_parameter", "parameter 'q' is required: the words or phrases to find");
}

}  // namespace

const char* sort_name(ConcordanceRequest::Sort s) {
    using S = ConcordanceRequest::Sort;
    switch (s) {
        case S::kDoc: return "doc";
        case S::kYear: return "year";
        case S::kYearDesc: return "-year";
        case S::kL1: return "L1";
        case S::kL2: return "L2";
        case S::kR1: return "R1";
        case S::kR2: return "R2";
    }
    return "doc";
}

ConcordanceRequest ConcordanceRequest::from_params(const ParamMap& params) {
    ParamMap mine;
    const SearchRequest sr = search_part(params, {"context", "sort", "page", "per_page", "format"}, mine);
    check_format(mine);
    ConcordanceRequest r;
    r.q = sr.q;
    r.filters = sr.filters;
    r.crosslingual = sr.crosslingual;
    r.context = integer(mine, "context", 10);
    r.page = integer(mine, "page", 1);
    r.per_page = integer(mine, "per_page", 50);
    const std::string& sort = single(mine, "sort");
    static const std::vector<std::pair<std::string, Sort>> sorts = {{"doc", Sort::kDoc}, {"year", Sort::kYear},
                                                                    {"-year", Sort::kYearDesc}, {"L1", Sort::kL1},
                                                                    {"L2", Sort::kL2}, {"R1", Sort::kR1}, {"R2", Sort::kR2}};
    bool known = sort.empty();
    for (const auto& [name, value] : sorts)
        if (sort == name || (sort.size() == 2 && (sort[0] == 'l' || sort[0] == 'r') && std::toupper(sort[0]) == name[0] && sort[1] == name[1])) {
            r.sort = value;
            known = true;
        }
    if (!known) throw InvalidRequest("invalid_parameter", "parameter 'sort' must be doc, year, -year, L1, L2, R1 or R2");
    return r;
}

void ConcordanceRequest::validate(const SearchLimits& limits) const {
    require_text(q, limits.max_query_bytes);
    if (context < 0 || context > kMaxContext)
        throw InvalidRequest("invalid_parameter", "parameter 'context' must be between 0 and " + std::to_string(kMaxContext));
    if (page < 1) throw InvalidRequest("invalid_parameter", "parameter 'page' must be 1 or more");
    if (per_page < 1 || per_page > kMaxPerPage)
        throw InvalidRequest("invalid_parameter", "parameter 'per_page' must be between 1 and " + std::to_string(kMaxPerPage));
    if (static_cast<long long>(page) * per_page > 1000000)
        throw InvalidRequest("invalid_parameter", "page * per_page must not exceed 1000000");
}

TrendsRequest TrendsRequest::from_params(const ParamMap& params) {
    ParamMap mine;
    const SearchRequest sr = search_part(params, {"split", "format"}, mine);
    check_format(mine);
    TrendsRequest r;
    r.q = sr.q;
    r.filters = sr.filters;
    r.crosslingual = sr.crosslingual;
    const std::string& split = single(mine, "split");
    if (split.empty() || split == "none") r.split = Split::kNone;
    else if (split == "country") r.split = Split::kCountry;
    else if (split == "region") r.split = Split::kRegion;
    else if (split == "lang" || split == "language") r.split = Split::kLang;
    else throw InvalidRequest("invalid_parameter", "parameter 'split' must be none, country, region or lang");
    return r;
}

void TrendsRequest::validate(const SearchLimits& limits) const { require_text(q, limits.max_query_bytes); }

}  // namespace strata
