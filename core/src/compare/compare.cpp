// GET /v1/compare: country (or region) × theme (or year, or language) matrices.
#include "compare/cell_best.h"
#include "compare/cell_passages.h"
#include "compare/compare_request.h"
#include "compare/measure.h"
#include "search/clause_count.h"
#include "search/country_groups.h"
#include "search/facet_table.h"
#include "search/filter_check.h"
#include "search/response_json.h"
#include "search/search_steps.h"
#include "search/snippet.h"
#include "strata/errors.h"
#include "strata/export.h"
#include "strata/schema.h"
#include "strata/search.h"
#include "strata/text.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace strata {

namespace {

struct Cell {
    std::size_t passages = 0, documents = 0;
    std::uint32_t last_doc = FacetTable::kNone;

    // Counts @p n passages of document @p doc; the rows of one document come together.
    void add(std::uint32_t doc, std::size_t n) {
        passages += n;
        if (doc != last_doc) {
            last_doc = doc;
            ++documents;
        }
    }
};

// (row, column) → cell, and row → passages/documents.
struct Matrix {
    std::map<std::pair<std::string, std::string>, Cell> cells;
    std::map<std::string, Cell> rows;
};

// The rows a passage counts under. By default a row is a value of the row field (and one
// row, named "", holds passages without one). With selected regions, a row is each region
// asked for, and a passage counts under every one its country belongs to, by region or by
// sub-region: the facet key holds only the top region, and a sub-region is a row of its own.
struct RowIndex {
    FacetField key = kCountryField;                     // the field of the key a row is read from
    std::vector<std::string> names;                     // row names
    std::vector<std::vector<std::uint32_t>> of_value;   // dictionary id of the key → rows
    std::vector<std::uint32_t> of_none;                 // rows of passages without a value
};

RowIndex row_index(const FacetTable& table, FacetField row, const std::vector<std::string>& regions,
                   const ReferenceData& ref) {
    RowIndex idx;
    if (regions.empty()) {
        idx.key = row;
        for (std::uint32_t v = 0; v < table.values(row); ++v) {
            idx.names.push_back(table.value(row, v));
            idx.of_value.push_back({v});
        }
        idx.names.emplace_back();
        idx.of_none = {static_cast<std::uint32_t>(idx.names.size() - 1)};
        return idx;
    }
    idx.names = regions;
    idx.of_value.resize(table.values(kCountryField));
    for (std::uint32_t v = 0; v < table.values(kCountryField); ++v) {
        const Country* c = ref.country(table.value(kCountryField, v));
        if (!c) continue;
        for (std::uint32_t r = 0; r < regions.size(); ++r)
            if (schema::slug(c->region) == regions[r] || schema::slug(c->subregion) == regions[r]) idx.of_value[v].push_back(r);
    }
    return idx;
}

Matrix tally(FacetCounter& counter, FacetField row, FacetField col, const std::vector<std::string>& regions,
             const ReferenceData& ref) {
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    const RowIndex idx = row_index(table, row, regions, ref);
    // Accumulate by row number and column dictionary id, name at the end.
    const std::size_t nr = idx.names.size(), nc = table.values(col);
    std::vector<Cell> rows(nr), cells(nr * nc);
    for (const std::uint32_t i : counter.counted_rows()) {
        const std::uint32_t n = counts[i];
        const FacetTable::Row& x = table.rows()[i];
        const std::uint32_t v = x.value[idx.key];
        for (const std::uint32_t r : v == FacetTable::kNone ? idx.of_none : idx.of_value[v]) {
            rows[r].add(x.doc, n);
            table.for_each_value(x, col, [&](std::uint32_t c) { cells[r * nc + c].add(x.doc, n); });
        }
    }
    Matrix m;
    for (std::size_t r = 0; r < nr; ++r) {
        if (rows[r].passages == 0) continue;
        m.rows[idx.names[r]] = rows[r];
        for (std::size_t c = 0; c < nc; ++c)
            if (cells[r * nc + c].passages) m.cells[{idx.names[r], table.value(col, static_cast<std::uint32_t>(c))}] = cells[r * nc + c];
    }
    return m;
}

// The row's cell, empty for a row with no text.
const Cell& row_cell(const Matrix& m, const std::string& r) {
    static const Cell empty;
    const auto it = m.rows.find(r);
    return it == m.rows.end() ? empty : it->second;
}

}  // namespace

/// One comparison as it moves through its steps.
struct CompareRun {
    const Searcher& searcher;
    Xapian::Database& db;
    const CompareRequest& req;
    ParsedQuery pq;
    Filters filters;
    FacetField row = kCountryField, col = kThemeField;
    /// With by=region: the regions asked for (regions=, else region=), as slugs, one row
    /// each; empty for the top regions present.
    std::vector<std::string> regions;
    DocumentMatch match;
    Matrix matched, universe;
    /// Every cell's best passage from one pass (see cell_best.h), when has_best.
    std::map<std::pair<std::string, std::string>, CellBest> best;
    bool has_best = false;
    PerMillionCounts per_million;  ///< filled for measure=per_million only
    /// What snippets mark, made once for every cell, and the cells' best passages, each
    /// made once (both set when the run has its place).
    std::unique_ptr<const MarkRules> marks;
    std::unique_ptr<CellPassages> passages;
};

namespace {

// Rows of country groups (income, bloc), summed from the rows of their countries: a
// document has one country, so passages and documents both add up.
Matrix group_rows(const Matrix& by_country, const ReferenceData& ref, const std::string& field) {
    Matrix m;
    auto add = [](Cell& to, const Cell& from) {
        to.passages += from.passages;
        to.documents += from.documents;
    };
    for (const auto& [country, cell] : by_country.rows)
        for (const std::string& g : groups_of(ref, field, country)) add(m.rows[g], cell);
    for (const auto& [key, cell] : by_country.cells)
        for (const std::string& g : groups_of(ref, field, key.first)) add(m.cells[{g, key.second}], cell);
    return m;
}

Matrix count(const CompareRun& run, const DocumentMatch& dm, const std::shared_ptr<const FacetColumn>& column) {
    FacetCounter counter(column);
    count_match(counter, run.db, dm, run.searcher.limits().max_seconds);
    Matrix m = tally(counter, run.row, run.col, run.regions, run.searcher.reference());
    return is_country_group(run.req.rows) ? group_rows(m, run.searcher.reference(), run.req.rows) : m;
}

// Every passage under @p filter (without one, the column's counts of the whole index).
Matrix count_universe(const CompareRun& run, const Xapian::Query& filter, const std::shared_ptr<const FacetColumn>& column) {
    DocumentMatch all;
    all.passages = filter.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_FILTER, match_all(), filter);
    all.all = filter.empty();
    return count(run, all, column);
}

// Rows: every row with text under the filters. Columns: those asked for, all themes, or
// the years or languages present.
std::pair<std::vector<std::string>, std::vector<std::string>> rows_and_columns(const CompareRun& run) {
    std::vector<std::string> rows = run.regions, cols;
    // Rows asked for come in the order asked (those with text under the filters); else by key.
    if (rows.empty())
        for (const std::string& r : run.req.row_values)
            if (run.universe.rows.count(r)) rows.push_back(r);
    if (rows.empty() && run.req.row_values.empty())
        for (const auto& [r, c] : run.universe.rows) rows.push_back(r);
    if (!run.req.column_values.empty()) {
        cols = run.req.column_values;
    } else if (run.req.columns == "theme") {
        for (const Theme& t : run.searcher.reference().themes) cols.push_back(t.id);
    } else {
        std::set<std::string> seen;
        for (const auto& [key, c] : run.universe.cells) seen.insert(key.second);
        cols.assign(seen.begin(), seen.end());
    }
    return {rows, cols};
}

Xapian::Query row_query(const CompareRun& run, const std::string& r) {
    const std::string& kind = run.req.rows;
    return Xapian::Query(kind == "country"  ? std::string(schema::kCountry) + r
                         : kind == "income" ? schema::term(schema::kIncome, r)
                         : kind == "bloc"   ? schema::term(schema::kBloc, r)
                                            : schema::term(schema::kRegion, r));
}

Xapian::Query cell_query(const CompareRun& run, const std::string& r, const std::string& c) {
    const Xapian::Query row = row_query(run, r);
    Xapian::Query col;
    if (run.col == kThemeField) col = Xapian::Query(schema::term(schema::kTheme, c));
    else if (run.col == kYearField) col = Xapian::Query(std::string(schema::kYear) + c);
    else col = Xapian::Query(std::string(schema::kLanguage) + c);
    return Xapian::Query(Xapian::Query::OP_AND, row, col);
}

// The cell's best passage and its weight: from the one pass when there was one, otherwise
// by a match of its own.
std::optional<CellBest> best_document(const CompareRun& run, const std::string& r, const std::string& c) {
    if (run.has_best) {
        const auto it = run.best.find({r, c});
        if (it == run.best.end()) return std::nullopt;
        return it->second;
    }
    Xapian::Enquire enq(run.db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, run.match.passages, cell_query(run, r, c)));
    if (!run.pq.has_text && run.col == kThemeField)
        if (const Xapian::valueno slot = theme_score_slot(run.searcher.reference(), c); slot != Xapian::BAD_VALUENO)
            enq.set_sort_by_value(slot, true);
    const Xapian::MSet m = enq.get_mset(0, 1);
    if (m.empty()) return std::nullopt;
    return CellBest{m.begin().get_weight(), *m.begin()};
}

// The cell's best passage: by relevance, or with no query by the theme's own score.
nlohmann::json best_passage(const CompareRun& run, const std::string& r, const std::string& c) {
    const std::optional<CellBest> best = best_document(run, r, c);
    return best ? run.passages->best(best->id, best->weight) : nlohmann::json(nullptr);
}

// The cell's value under the request's measure. "documents" divides like "share" does:
// by the row's documents, or with a query and a year or language column, by the slice's.
// "per_million" divides by the row's tokens, or with a query, by the slice's.
nlohmann::json measure_json(const CompareRun& run, const std::string& r, const std::string& c, double share,
                            std::size_t documents) {
    const bool slice = run.col != kThemeField && run.pq.has_text;
    double value = share;
    nlohmann::json out = nlohmann::json::object();
    if (run.req.measure == "documents") {
        std::size_t denominator = run.universe.rows.at(r).documents;
        if (slice) {
            auto u = run.universe.cells.find({r, c});
            denominator = u == run.universe.cells.end() ? 0 : u->second.documents;
        }
        value = denominator ? static_cast<double>(documents) / static_cast<double>(denominator) : 0.0;
        out["documents_total"] = denominator;
    } else if (run.req.measure == "per_million") {
        const PerMillionCounts& pm = run.per_million;
        double tokens = 0;
        if (slice) {
            auto t = pm.slice_tokens.find({r, c});
            tokens = t == pm.slice_tokens.end() ? 0.0 : t->second;
        } else if (auto t = pm.row_tokens.find(r); t != pm.row_tokens.end()) {
            tokens = t->second;
        }
        auto o = pm.occurrences.find({r, c});
        const std::uint64_t occurrences = o == pm.occurrences.end() ? 0 : o->second;
        value = tokens > 0 ? 1e6 * static_cast<double>(occurrences) / tokens : 0.0;
        out["occurrences"] = occurrences;
        out["tokens"] = std::llround(tokens);
        out["value"] = std::round(value * 100) / 100;
        return out;
    }
    out["value"] = std::round(value * 10000) / 10000;
    return out;
}

nlohmann::json cell_json(const CompareRun& run, const std::string& r, const std::string& c) {
    auto m = run.matched.cells.find({r, c});
    const std::size_t passages = m == run.matched.cells.end() ? 0 : m->second.passages;
    const std::size_t documents = m == run.matched.cells.end() ? 0 : m->second.documents;
    // Themes overlap, so a theme cell is a share of the row's passages. Years and
    // languages partition a row: with a query, a cell is the share of that slice that
    // matches; without one, the slice's share of the row.
    std::size_t denominator = row_cell(run.universe, r).passages;
    if (run.col != kThemeField && run.pq.has_text) {
        auto u = run.universe.cells.find({r, c});
        denominator = u == run.universe.cells.end() ? 0 : u->second.passages;
    }
    const double share = denominator ? static_cast<double>(passages) / static_cast<double>(denominator) : 0.0;
    nlohmann::json cell = {{"row", r}, {"column", c}, {"passages", passages}, {"documents", documents},
                           {"share", std::round(share * 10000) / 10000}, {"share_of", denominator}, {"best", nullptr}};
    cell.update(measure_json(run, r, c, share, documents));
    if (run.req.best && passages > 0) cell["best"] = best_passage(run, r, c);
    return cell;
}

PerMillionCounts per_million(const CompareRun& run, const Xapian::Query& filter, const std::vector<std::string>& rows,
                             const std::vector<std::string>& cols) {
    if (!run.pq.has_text && run.col != kThemeField)
        throw InvalidRequest("invalid_parameter", "measure=per_million counts a query's occurrences, or with no query a "
                                                  "theme's lexicon hits: give q, or compare by a theme column");
    PerMillionInput in{run.searcher.analyzer(), filter};
    for (const std::string& r : rows) in.rows.emplace_back(r, row_query(run, r));
    in.column = run.col == kThemeField ? PerMillionInput::Column::kTheme
                : run.col == kYearField ? PerMillionInput::Column::kYear : PerMillionInput::Column::kLang;
    in.columns = cols;
    if (run.pq.has_text) {
        in.match = &run.match.passages;
        in.highlight = &run.pq.highlight;
    }
    return count_per_million(run.db, in);
}

nlohmann::json rows_json(const CompareRun& run, const std::vector<std::string>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const std::string& r : rows) {
        const Cell& u = row_cell(run.universe, r);
        const Cell& m = row_cell(run.matched, r);
        out.push_back({{"value", r}, {"label", facet_label(run.searcher.reference(), run.req.rows, r)}, {"passages", u.passages},
                       {"documents", u.documents}, {"matching_passages", m.passages}, {"matching_documents", m.documents}});
        if (auto t = run.per_million.row_tokens.find(r); t != run.per_million.row_tokens.end())
            out.back()["tokens"] = std::llround(t->second);
    }
    return out;
}

}  // namespace

// Every cell's best passage in one pass (cell_best.h), over one index with a facet column.
void find_best(CompareRun& run, const Xapian::Query& filter, const FacetColumn& column) {
    if (run.pq.has_text && run.match.has_ids) {
        run.best = best_by_cell(run.db, filtered(run.pq.query, filter), column, &run.match.passage_ids, run.row, run.col);
    } else {
        // No text, or exclusions alone: the match set is a query of its own, weighed as a
        // cell's own match weighs it; with no text, theme cells order by the theme's score.
        const bool by_score = !run.pq.has_text && run.col == kThemeField;
        run.best = best_by_cell(run.db, run.match.passages, column, nullptr, run.row, run.col,
                                by_score ? theme_score_slots(column, run.searcher.reference()) : std::vector<Xapian::valueno>{});
    }
    if (is_country_group(run.req.rows)) run.best = group_best(run.best, run.searcher.reference(), run.req.rows);
    run.has_best = true;
}

// The best passages of the cells shown, when best_by_cell() has found them all.
std::vector<Xapian::docid> shown_best(const CompareRun& run, const std::vector<std::string>& rows,
                                      const std::vector<std::string>& cols) {
    std::vector<Xapian::docid> ids;
    for (const std::string& r : rows)
        for (const std::string& c : cols)
            if (auto b = run.best.find({r, c}); b != run.best.end()) ids.push_back(b->second.id);
    return ids;
}

// Step 1 of a comparison: parse q, join its filters, and narrow to the selected rows.
CompareRun Searcher::prepare_compare(Xapian::Database& db, const CompareRequest& req) const {
    SearchRequest sr;
    sr.q = req.q;
    sr.filters = req.filters;
    sr.crosslingual = req.crosslingual;
    CompareRun run{*this, db, req, parse(db, req.q, sr), req.filters};
    run.filters.intersect(run.pq.filters);
    if (run.filters.year_from && run.filters.year_to && *run.filters.year_from > *run.filters.year_to)
        throw InvalidRequest("invalid_filter", "the year filters exclude every year");
    // Selected rows narrow the search; selected columns only choose what is shown.
    for (const std::string& v : req.row_values) run.filters.add(req.rows, v);
    check_filters(run.filters, ref_, db);
    run.row = req.rows == "region" ? kRegionField : kCountryField;  // country groups are summed from countries
    if (run.row == kRegionField) {
        // Each region asked for is a row under its own name, a sub-region too.
        Filters asked;
        for (const std::string& v : req.row_values) asked.add("region", v);
        check_filters(asked, ref_, db);
        const Filters& rows = req.row_values.empty() ? run.filters : asked;
        if (auto it = rows.values.find("region"); it != rows.values.end()) run.regions = it->second;
    }
    run.col = req.columns == "theme" ? kThemeField : req.columns == "year" ? kYearField : kLangField;
    return run;
}

nlohmann::json Searcher::compare(const CompareRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        CompareRequest checked = req;
        if (checked.columns == "theme") check_themes(checked.column_values, ref_, "themes");
        if (checked.columns == "lang") check_language_columns(checked.column_values, db);
        CompareRun run = prepare_compare(db, checked);
        run.marks = std::make_unique<const MarkRules>(run.pq.highlight);
        run.passages = std::make_unique<CellPassages>(*this, db, *run.marks);
        const Xapian::Query filter = run.filters.to_query();
        // The one match set: documents match as wholes, as in search.
        const auto column = facet_column(db);
        run.match = match_documents(db, run.pq, filter, column, options_.limits.max_seconds);
        run.matched = count(run, run.match, column);
        run.universe = run.pq.has_text ? count_universe(run, filter, column) : run.matched;
        if (checked.best && column) find_best(run, filter, *column);
        const auto [rows, cols] = rows_and_columns(run);
        if (run.has_best) run.passages->read(shown_best(run, rows, cols));
        if (req.measure == "per_million") run.per_million = per_million(run, filter, rows, cols);
        nlohmann::json cols_json = nlohmann::json::array(), cells = nlohmann::json::array();
        for (const std::string& c : cols) cols_json.push_back({{"value", c}, {"label", facet_label(ref_, req.columns, c)}});
        for (const std::string& r : rows)
            for (const std::string& c : cols) cells.push_back(cell_json(run, r, c));
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        nlohmann::json query = {{"q", req.q},           {"by", {req.rows, req.columns}}, {"crosslingual", req.crosslingual},
                                {"measure", req.measure}, {"best", req.best},            {"filters", filters_json(run.filters)}};
        if (!req.row_values.empty()) query[selector_of(req.rows)] = req.row_values;
        if (!req.column_values.empty()) query[selector_of(req.columns)] = req.column_values;
        return nlohmann::json{{"query", query},
                              {"measure", req.measure},
                              {"mode", run.pq.has_text ? "query" : "coverage"},
                              {"rows", rows_json(run, rows)},
                              {"columns", cols_json},
                              {"cells", cells},
                              {"expansions", expansions_json(run.pq.expansions)},
                              {"warnings", run.pq.warnings},
                              {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
                              {"retrieved_at", retrieved_at()},
                              {"took_ms", std::round(took * 100) / 100}};
    });
}

}  // namespace strata
