// Step 3 of a search: totals and facet counts over the one match set.
#include "search/country_groups.h"
#include "search/search_steps.h"
#include "strata/schema.h"

#include <algorithm>
#include <array>

namespace strata {

namespace {

const std::map<std::string, std::string>& language_names() {
    static const std::map<std::string, std::string> names = {
        {"ar", "Arabic"},    {"cs", "Czech"},      {"da", "Danish"},   {"de", "German"},     {"el", "Greek"},
        {"en", "English"},   {"es", "Spanish"},    {"fi", "Finnish"},  {"fr", "French"},     {"hi", "Hindi"},
        {"hu", "Hungarian"}, {"id", "Indonesian"}, {"it", "Italian"},  {"ja", "Japanese"},   {"ko", "Korean"},
        {"nb", "Norwegian Bokmål"}, {"nl", "Dutch"}, {"pl", "Polish"}, {"pt", "Portuguese"}, {"pt-br", "Portuguese (Brazil)"},
        {"ru", "Russian"},   {"sv", "Swedish"},    {"th", "Thai"},     {"tr", "Turkish"},    {"vi", "Vietnamese"},
        {"zh-hans", "Chinese (Simplified)"}, {"zh-hant", "Chinese (Traditional)"}, {"he", "Hebrew"}, {"uk", "Ukrainian"},
        {"ro", "Romanian"},  {"lt", "Lithuanian"}, {"et", "Estonian"}, {"lv", "Latvian"},    {"sk", "Slovak"},
        {"sl", "Slovenian"}, {"bg", "Bulgarian"},  {"hr", "Croatian"}, {"sr", "Serbian"},    {"ms", "Malay"},
    };
    return names;
}

// Counts @p m's passages with @p wanted facets; country groups are summed from countries.
FacetTally count(const SearchRun& run, const DocumentMatch& m, const std::set<std::string>& wanted) {
    FacetCounter counter(run.column);
    count_match(counter, run.db, m, run.searcher.limits().max_seconds);
    std::set<std::string> fields = wanted;
    for (const std::string& f : wanted)
        if (is_country_group(f)) fields.insert("country");
    FacetTally t = tally(counter, run.documents(), fields);
    for (const std::string& f : wanted)
        if (is_country_group(f)) t.counts[f] = group_counts(run.searcher.reference(), f, t.counts["country"]);
    if (!wanted.count("country")) t.counts.erase("country");
    return t;
}

// Whether facet value @p v is selected by the filters: lang=pt selects pt-br too.
bool selected(const Filters& f, const std::string& facet, const std::string& v) {
    if (facet == "year" && (f.year_from || f.year_to)) {
        const int y = std::atoi(v.c_str());
        return y >= f.year_from.value_or(0) && y <= f.year_to.value_or(9999);
    }
    const auto sel = f.values.find(facet);
    if (sel == f.values.end()) return false;
    return std::any_of(sel->second.begin(), sel->second.end(),
                       [&](const std::string& s) { return facet == "lang" ? language_covers(s, v) : s == v; });
}

// The match set without the filter of @p facet (multi-select).
DocumentMatch without_own_filter(const SearchRun& run, const std::string& facet) {
    // The matching documents were chosen under every filter; drop only the facet's own.
    const Xapian::Query others = run.r.filters.to_query(facet);
    if (!run.match.ranked.empty() || run.match.none)
        return match_documents(run.db, run.pq, others, run.column, run.searcher.limits().max_seconds);
    DocumentMatch m;
    m.passages = others.empty() ? run.pq.query : Xapian::Query(Xapian::Query::OP_FILTER, run.pq.query, others);
    return m;
}

nlohmann::json facet_array(const SearchRun& run, const std::string& facet, const std::map<std::string, std::size_t>& counts) {
    std::vector<std::pair<std::string, std::size_t>> values(counts.begin(), counts.end());
    std::sort(values.begin(), values.end(), [&](const auto& a, const auto& b) {
        if (facet == "year") return a.first > b.first;
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& [v, n] : values)
        arr.push_back({{"value", v}, {"label", facet_label(run.searcher.reference(), facet, v)}, {"count", n},
                       {"selected", selected(run.r.filters, facet, v)}});
    return arr;
}

}  // namespace

std::size_t FacetTally::passages_of(const std::string& id) const {
    const auto it = doc_passages.find(id);
    return it == doc_passages.end() ? 0 : it->second;
}

FacetTally tally(FacetCounter& counter, bool documents, const std::set<std::string>& wanted) {
    FacetTally t;
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    std::vector<std::size_t> doc_passages(table.docs(), 0);  // by the table's document number
    std::array<std::vector<std::size_t>, kFacetFields> n;
    std::array<std::vector<std::uint32_t>, kFacetFields> last_doc;  // per value: document counted last, + 1
    std::array<bool, kFacetFields> want{};
    for (std::size_t f = 0; f < kFacetFields; ++f) {
        want[f] = wanted.count(std::string(kFacetFieldNames[f])) > 0;
        if (!want[f]) continue;
        n[f].assign(table.values(static_cast<FacetField>(f)), 0);
        if (documents) last_doc[f].assign(n[f].size(), 0);
    }
    const std::vector<FacetTable::Row>& rows = table.rows();
    for (const std::uint32_t r : counter.counted_rows()) {
        const std::uint32_t c = counts[r];
        const FacetTable::Row& row = rows[r];
        t.passages += c;
        if (doc_passages[row.doc] == 0) ++t.documents;
        doc_passages[row.doc] += c;
        auto add = [&](std::size_t f, std::uint32_t v) {
            if (!documents) {
                n[f][v] += c;
            } else if (last_doc[f][v] != row.doc + 1) {
                last_doc[f][v] = row.doc + 1;
                ++n[f][v];
            }
        };
        for (std::size_t f = 0; f < kFacetFields; ++f)
            if (want[f]) table.for_each_value(row, static_cast<FacetField>(f), [&](std::uint32_t v) { add(f, v); });
    }
    for (std::uint32_t d = 0; d < doc_passages.size(); ++d)
        if (doc_passages[d]) t.doc_passages.emplace(table.doc(d), doc_passages[d]);
    for (std::size_t f = 0; f < kFacetFields; ++f) {
        if (!want[f]) continue;
        auto& out = t.counts[std::string(kFacetFieldNames[f])];
        for (std::uint32_t v = 0; v < n[f].size(); ++v)
            if (n[f][v]) out[table.value(static_cast<FacetField>(f), v)] = n[f][v];
    }
    return t;
}

FacetTally count_matches(const SearchRun& run, const std::set<std::string>& unselected) {
    return count(run, run.match, unselected);
}

nlohmann::json facets_json(const SearchRun& run, const FacetTally& tallied, const std::vector<std::string>& selected) {
    std::map<std::string, std::map<std::string, std::size_t>> counts = tallied.counts;
    for (const std::string& facet : selected) {
        const FacetTally t = count(run, without_own_filter(run, facet), {facet});
        counts[facet] = t.counts.count(facet) ? t.counts.at(facet) : std::map<std::string, std::size_t>{};
    }
    nlohmann::json facets = nlohmann::json::object();
    for (const std::string& facet : run.r.facets) facets[facet] = facet_array(run, facet, counts[facet]);
    return facets;
}

std::string facet_label(const ReferenceData& ref, const std::string& facet, const std::string& value) {
    if (facet == "country") {
        const Country* c = ref.country(value);
        return c ? c->name : value;
    }
    if (facet == "region") {
        for (const Country& c : ref.countries) {
            if (schema::slug(c.region) == value) return c.region;
            if (schema::slug(c.subregion) == value) return c.subregion;
        }
        return value;
    }
    if (is_country_group(facet)) return group_label(ref, facet, value);
    if (facet == "theme") {
        const Theme* t = ref.theme(value);
        return t ? t->label : value;
    }
    if (facet == "lang") {
        auto it = language_names().find(value);
        return it != language_names().end() ? it->second : value;
    }
    if (facet == "type") {
        std::string l = value;
        std::replace(l.begin(), l.end(), '-', ' ');
        if (!l.empty()) l[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(l[0])));
        return l;
    }
    return value;
}

}  // namespace strata
