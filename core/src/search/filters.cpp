// Filters: field values from parameters and from q, as one boolean query.
#include "strata/errors.h"
#include "strata/query.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <charconv>

namespace strata {

namespace {

int parse_year(const std::string& s) {
    int y = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), y);
    if (ec != std::errc() || p != s.data() + s.size() || y < 1000 || y > 9999)
        throw InvalidRequest("invalid_filter", "year '" + s + "' is not a four-digit year");
    return y;
}

// A language and its regional variants: "pt" is pt and pt-br, "zh" is zh-hans and zh-hant.
Xapian::Query language_query(const std::string& lang) {
    const Xapian::Query exact(std::string(schema::kLanguage) + lang);
    if (lang.find('-') != std::string::npos) return exact;
    return Xapian::Query(Xapian::Query::OP_OR, exact,
                         Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(schema::kLanguage) + lang + "-"));
}

}  // namespace

std::string canonical_language(std::string_view tag) {
    std::string v = text::ascii_lower(tag);
    std::replace(v.begin(), v.end(), '_', '-');
    // Chinese by region: the index tags Chinese by script.
    if (v == "zh-cn" || v == "zh-sg" || v == "zh-my") return "zh-hans";
    if (v == "zh-tw" || v == "zh-hk" || v == "zh-mo") return "zh-hant";
    return v;
}

bool language_covers(std::string_view selected, std::string_view lang) {
    return lang == selected ||
           (selected.find('-') == std::string_view::npos && lang.size() > selected.size() &&
            lang.compare(0, selected.size(), selected) == 0 && lang[selected.size()] == '-');
}

const std::set<std::string>& filter_fields() {
    static const std::set<std::string> f = {"country", "region", "income", "bloc", "theme", "lang", "type", "year", "doc"};
    return f;
}

void Filters::add(const std::string& field, const std::string& value) {
    if (!filter_fields().count(field)) throw InvalidRequest("invalid_filter", "unknown filter '" + field + "'");
    if (value.size() > 1024) throw InvalidRequest("invalid_filter", "filter '" + field + "' is too long");
    if (field == "year") {
        const auto dots = value.find("..");
        if (dots == std::string::npos) {
            year_from = year_to = parse_year(std::string(text::trim(value)));
        } else {
            const std::string a(text::trim(std::string_view(value).substr(0, dots)));
            const std::string b(text::trim(std::string_view(value).substr(dots + 2)));
            if (a.empty() && b.empty()) throw InvalidRequest("invalid_filter", "year range '..' names no year");
            if (!a.empty()) year_from = parse_year(a);
            if (!b.empty()) year_to = parse_year(b);
            if (year_from && year_to && *year_from > *year_to)
                throw InvalidRequest("invalid_filter", "year range " + value + " is empty");
        }
        return;
    }
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t comma = value.find(',', start);
        std::string v(text::trim(std::string_view(value).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (!v.empty()) {
            if (field == "country") {
                for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            } else if (field == "lang") {
                v = canonical_language(v);
            } else if (field != "doc") {
                v = text::ascii_lower(v);
            }
            auto& list = values[field];
            if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
}

void Filters::require(const std::string& field, const std::string& value) {
    Filters one;
    one.add(field, value);
    intersect(one);
}

void Filters::intersect(const Filters& other) {
    auto require_group = [&](const std::string& field, const std::vector<std::string>& vals) {
        const auto it = values.find(field);
        if (it == values.end()) values[field] = vals;
        else if (it->second != vals && std::find(also.begin(), also.end(), std::pair(field, vals)) == also.end())
            also.emplace_back(field, vals);
    };
    for (const auto& [field, vals] : other.values) require_group(field, vals);
    for (const auto& [field, vals] : other.also) require_group(field, vals);
    if (other.year_from) year_from = std::max(year_from.value_or(0), *other.year_from);
    if (other.year_to) year_to = std::min(year_to.value_or(9999), *other.year_to);
}

bool Filters::selects(const std::string& facet) const {
    if (facet == "year") return year_from || year_to;
    return values.count(facet) > 0 || std::any_of(also.begin(), also.end(), [&](const auto& g) { return g.first == facet; });
}

namespace {

// The passages with any of @p vals in @p field.
Xapian::Query any_of(const std::string& field, const std::vector<std::string>& vals) {
    std::vector<Xapian::Query> alts;
    for (const std::string& v : vals) {
        if (field == "country") alts.emplace_back(std::string(schema::kCountry) + v);
        else if (field == "region") alts.emplace_back(schema::term(schema::kRegion, v));
        else if (field == "theme") alts.emplace_back(schema::term(schema::kTheme, v));
        else if (field == "income") alts.emplace_back(schema::term(schema::kIncome, v));
        else if (field == "bloc") alts.emplace_back(schema::term(schema::kBloc, v));
        else if (field == "lang") alts.push_back(language_query(v));
        else if (field == "type") alts.emplace_back(schema::term(schema::kType, v));
        else if (field == "doc") alts.emplace_back(std::string(schema::kDocId) + v);
    }
    return Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
}

}  // namespace

Xapian::Query Filters::to_query(const std::string& except) const {
    std::vector<Xapian::Query> parts;
    for (const auto& [field, vals] : values)
        if (field != except) parts.push_back(any_of(field, vals));
    for (const auto& [field, vals] : also)
        if (field != except) parts.push_back(any_of(field, vals));
    if ((year_from || year_to) && except != "year") {
        parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear,
                           Xapian::sortable_serialise(year_from.value_or(0)),
                           Xapian::sortable_serialise(year_to.value_or(9999)));
    }
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}


}  // namespace strata
