// compare's per_million measure: occurrences per cell and word tokens per row (measure.h).
#include "compare/measure.h"

#include "search/snippet.h"
#include "strata/query.h"
#include "strata/schema.h"
#include "strata/text.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <unordered_map>

namespace strata {

namespace {

Xapian::MSet all_of(Xapian::Database& db, const Xapian::Query& filter) {
    Xapian::Enquire enq(db);
    enq.set_query(filter.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_FILTER, match_all(), filter));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    return enq.get_mset(0, std::max<Xapian::doccount>(db.get_doccount(), 1));
}

Xapian::Query both(const Xapian::Query& a, const Xapian::Query& b) {
    if (a.empty()) return b;
    return Xapian::Query(Xapian::Query::OP_AND, a, b);
}

// The column values of a passage: its themes, its year or its language.
std::vector<std::string> columns_of(const Xapian::Document& d, PerMillionInput::Column column) {
    switch (column) {
        case PerMillionInput::Column::kTheme: return text::split(d.get_value(schema::kSlotThemes), '\n');
        case PerMillionInput::Column::kYear: {
            const std::string y = d.get_value(schema::kSlotYear);
            return {y.empty() ? std::string() : std::to_string(std::lround(Xapian::sortable_unserialise(y)))};
        }
        case PerMillionInput::Column::kLang: return {d.get_value(schema::kSlotLanguage)};
    }
    return {};
}

// Tokens by row and by (row, column); remembers which rows each passage is in.
void count_tokens(Xapian::Database& db, const PerMillionInput& in, PerMillionCounts& out,
                  std::unordered_map<Xapian::docid, std::vector<std::size_t>>& rows_of) {
    for (std::size_t r = 0; r < in.rows.size(); ++r) {
        const std::string& row = in.rows[r].first;
        const Xapian::MSet m = all_of(db, both(in.filter, in.rows[r].second));
        double& total = out.row_tokens[row];
        for (auto it = m.begin(); it != m.end(); ++it) {
            const Xapian::Document d = it.get_document();
            const std::string v = d.get_value(schema::kSlotTokens);
            const double tokens = v.empty() ? 0.0 : Xapian::sortable_unserialise(v);
            total += tokens;
            if (in.column != PerMillionInput::Column::kTheme)
                for (const std::string& c : columns_of(d, in.column)) out.slice_tokens[{row, c}] += tokens;
            rows_of[*it].push_back(r);
        }
    }
}

// No query: the theme's lexicon hits in the row's passages tagged with it.
void count_theme_hits(Xapian::Database& db, const PerMillionInput& in, PerMillionCounts& out,
                      const std::unordered_map<Xapian::docid, std::vector<std::size_t>>& rows_of) {
    for (const std::string& theme : in.columns) {
        const std::string term = schema::term(schema::kThemeCount, theme);
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
            const auto rows = rows_of.find(*it);
            if (rows == rows_of.end()) continue;
            for (std::size_t r : rows->second) out.occurrences[{in.rows[r].first, theme}] += it.get_wdf();
        }
    }
}

// A query: its highlighted matches in the text of each matching passage.
void count_query_hits(Xapian::Database& db, const PerMillionInput& in, PerMillionCounts& out) {
    const MarkRules rules(*in.highlight);
    for (const auto& [row, row_q] : in.rows) {
        const Xapian::MSet m = all_of(db, both(both(in.filter, row_q), *in.match));
        for (auto it = m.begin(); it != m.end(); ++it) {
            const Xapian::Document d = it.get_document();
            const nlohmann::json data = nlohmann::json::parse(d.get_data(), nullptr, false);
            if (data.is_discarded()) continue;
            const std::string text = data.value("text", ""), lang = data.value("lang", "");
            const std::size_t n = match_ranges(in.analyzer, StoredPassage{d, text, lang}, rules).size();
            if (n == 0) continue;
            for (const std::string& c : columns_of(d, in.column)) out.occurrences[{row, c}] += n;
        }
    }
}

}  // namespace

PerMillionCounts count_per_million(Xapian::Database& db, const PerMillionInput& in) {
    PerMillionCounts out;
    std::unordered_map<Xapian::docid, std::vector<std::size_t>> rows_of;
    count_tokens(db, in, out, rows_of);
    if (in.match) count_query_hits(db, in, out);
    else count_theme_hits(db, in, out, rows_of);
    return out;
}

}  // namespace strata
