// GET /v1/compare: country (or region) × theme (or year, or language) matrices.
#include "search/facet_table.h"
#include "search/filter_check.h"
#include "search/response_json.h"
#include "search/search_steps.h"
#include "search/snippet.h"
#include "strata/errors.h"
#include "strata/schema.h"
#include "strata/search.h"
#include "strata/text.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace strata {

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

Matrix tally(FacetCounter& counter, FacetField row, FacetField col) {
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    // Accumulate by dictionary id (the last row id stands for an empty value), name at the end.
    const std::size_t nr = table.values(row) + 1, nc = table.values(col);
    std::vector<Cell> rows(nr), cells(nr * nc);
    for (std::size_t i = 0; i < table.rows().size(); ++i) {
        const std::uint32_t n = counts[i];
        if (n == 0) continue;
        const FacetTable::Row& x = table.rows()[i];
        const std::size_t r = x.value[row] == FacetTable::kNone ? nr - 1 : x.value[row];
        rows[r].add(x.doc, n);
        table.for_each_value(x, col, [&](std::uint32_t c) { cells[r * nc + c].add(x.doc, n); });
    }
    Matrix m;
    auto name = [&](std::size_t r) { return r == nr - 1 ? std::string() : table.value(row, static_cast<std::uint32_t>(r)); };
    for (std::size_t r = 0; r < nr; ++r) {
        if (rows[r].passages == 0) continue;
        m.rows[name(r)] = rows[r];
        for (std::size_t c = 0; c < nc; ++c)
            if (cells[r * nc + c].passages) m.cells[{name(r), table.value(col, static_cast<std::uint32_t>(c))}] = cells[r * nc + c];
    }
    return m;
}

std::string csv_field(const std::string& s) {
    std::string v = s;
    // A leading =, +, - or @ makes a spreadsheet evaluate the cell.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string plain(const std::string& html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, 6, "<mark>") == 0) i += 6;
        else if (html.compare(i, 7, "</mark>") == 0) i += 7;
        else if (html.compare(i, 5, "&amp;") == 0) out += '&', i += 5;
        else if (html.compare(i, 4, "&lt;") == 0) out += '<', i += 4;
        else if (html.compare(i, 4, "&gt;") == 0) out += '>', i += 4;
        else if (html.compare(i, 6, "&quot;") == 0) out += '"', i += 6;
        else if (html.compare(i, 5, "&#39;") == 0) out += '\'', i += 5;
        else out += html[i] == '\n' ? ' ' : html[i], ++i;
    }
    return out;
}

}  // namespace

CompareRequest CompareRequest::from_params(const ParamMap& params) {
    static const std::set<std::string> known = {"q",   "country", "region", "theme",  "year",   "lang",         "type",
                                                "doc", "by",      "countries", "regions", "themes", "years", "langs",
                                                "crosslingual", "best", "format"};
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
    if (r.rows != "country" && r.rows != "region")
        throw InvalidRequest("invalid_parameter", "rows of 'by' must be country or region");
    if (r.columns != "theme" && r.columns != "year" && r.columns != "lang")
        throw InvalidRequest("invalid_parameter", "columns of 'by' must be theme, year or lang");
    r.row_values = list_param(params, r.rows == "country" ? "countries" : "regions");
    if (r.rows == "country")
        for (std::string& c : r.row_values) std::transform(c.begin(), c.end(), c.begin(), ::toupper);
    r.column_values = list_param(params, r.columns == "theme" ? "themes" : r.columns == "year" ? "years" : "langs");
    if (r.columns == "lang")
        for (std::string& c : r.column_values) c = text::ascii_lower(c);
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
    return r;
}

void CompareRequest::validate(const SearchLimits& limits) const {
    if (q.size() > limits.max_query_bytes)
        throw TooLarge("query is " + std::to_string(q.size()) + " bytes; the limit is " + std::to_string(limits.max_query_bytes));
    if (row_values.size() > 500 || column_values.size() > 500)
        throw InvalidRequest("invalid_parameter", "at most 500 rows and 500 columns can be selected");
}

/// One comparison as it moves through its steps.
struct CompareRun {
    const Searcher& searcher;
    Xapian::Database& db;
    const CompareRequest& req;
    ParsedQuery pq;
    Filters filters;
    FacetField row = kCountryField, col = kThemeField;
    DocumentMatch match;
    Matrix matched, universe;
};

namespace {

Matrix count(const CompareRun& run, const Xapian::Query& q, const std::shared_ptr<const FacetColumn>& column) {
    FacetCounter counter(column);
    counter.count(run.db, q, run.searcher.limits().max_seconds);
    return tally(counter, run.row, run.col);
}

// Rows: every row with text under the filters. Columns: those asked for, all themes, or
// the years or languages present.
std::pair<std::vector<std::string>, std::vector<std::string>> rows_and_columns(const CompareRun& run) {
    std::vector<std::string> rows, cols;
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

Xapian::Query cell_query(const CompareRun& run, const std::string& r, const std::string& c) {
    const Xapian::Query row = run.row == kCountryField ? Xapian::Query(std::string(schema::kCountry) + r)
                                                       : Xapian::Query(schema::term(schema::kRegion, r));
    Xapian::Query col;
    if (run.col == kThemeField) col = Xapian::Query(schema::term(schema::kTheme, c));
    else if (run.col == kYearField) col = Xapian::Query(std::string(schema::kYear) + c);
    else col = Xapian::Query(std::string(schema::kLanguage) + c);
    return Xapian::Query(Xapian::Query::OP_AND, row, col);
}

// The cell's best passage: by relevance, or with no query by the theme's own score.
nlohmann::json best_passage(const CompareRun& run, const std::string& r, const std::string& c) {
    Xapian::Enquire enq(run.db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, run.match.passages, cell_query(run, r, c)));
    const std::vector<Theme>& themes = run.searcher.reference().themes;
    if (!run.pq.has_text && run.col == kThemeField) {
        const auto ti = std::find_if(themes.begin(), themes.end(), [&](const Theme& t) { return t.id == c; });
        if (ti != themes.end())
            enq.set_sort_by_value(schema::kSlotThemeScoreBase + static_cast<Xapian::valueno>(ti - themes.begin()), true);
    }
    const Xapian::MSet m = enq.get_mset(0, 1);
    if (m.empty()) return nullptr;
    const nlohmann::json d = nlohmann::json::parse(m.begin().get_document().get_data(), nullptr, false);
    if (d.is_discarded()) return nullptr;
    const nlohmann::json rec = run.searcher.record(run.db, d.value("doc", ""));
    return {{"doc", d.value("doc", "")},
            {"title", rec.is_null() ? "" : rec.value("title", "")},
            {"year", rec.is_null() ? 0 : rec.value("year", 0)},
            {"n", d.value("n", 0)},
            {"section", d.value("section", "")},
            {"page", d.value("page", 0)},
            {"score", std::round(m.begin().get_weight() * 1000) / 1000},
            {"snippet", make_snippet(run.searcher.analyzer(), d.value("text", ""), d.value("lang", ""), run.pq.highlight)}};
}

nlohmann::json cell_json(const CompareRun& run, const std::string& r, const std::string& c) {
    auto m = run.matched.cells.find({r, c});
    const std::size_t passages = m == run.matched.cells.end() ? 0 : m->second.passages;
    const std::size_t documents = m == run.matched.cells.end() ? 0 : m->second.documents;
    // Themes overlap, so a theme cell is a share of the row's passages. Years and
    // languages partition a row: with a query, a cell is the share of that slice that
    // matches; without one, the slice's share of the row.
    std::size_t denominator = run.universe.rows.at(r).passages;
    if (run.col != kThemeField && run.pq.has_text) {
        auto u = run.universe.cells.find({r, c});
        denominator = u == run.universe.cells.end() ? 0 : u->second.passages;
    }
    const double share = denominator ? static_cast<double>(passages) / static_cast<double>(denominator) : 0.0;
    nlohmann::json cell = {{"row", r}, {"column", c}, {"passages", passages}, {"documents", documents},
                           {"share", std::round(share * 10000) / 10000}, {"best", nullptr}};
    if (run.req.best && passages > 0) cell["best"] = best_passage(run, r, c);
    return cell;
}

nlohmann::json rows_json(const CompareRun& run, const std::vector<std::string>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const std::string& r : rows) {
        const Cell& u = run.universe.rows.at(r);
        auto m = run.matched.rows.find(r);
        out.push_back({{"value", r}, {"label", facet_label(run.searcher.reference(), run.req.rows, r)}, {"passages", u.passages},
                       {"documents", u.documents},
                       {"matching_passages", m == run.matched.rows.end() ? 0 : m->second.passages},
                       {"matching_documents", m == run.matched.rows.end() ? 0 : m->second.documents}});
    }
    return out;
}

}  // namespace

// Step 1 of a comparison: parse q, join its filters, and narrow to the selected rows.
CompareRun Searcher::prepare_compare(Xapian::Database& db, const CompareRequest& req) const {
    SearchRequest sr;
    sr.q = req.q;
    sr.filters = req.filters;
    sr.crosslingual = req.crosslingual;
    CompareRun run{*this, db, req, parse_query(req.q, query_context(db, sr)), req.filters};
    run.filters.intersect(run.pq.filters);
    if (run.filters.year_from && run.filters.year_to && *run.filters.year_from > *run.filters.year_to)
        throw InvalidRequest("invalid_filter", "the year filters exclude every year");
    // Selected rows narrow the search; selected columns only choose what is shown.
    for (const std::string& v : req.row_values) run.filters.add(req.rows, v);
    check_filters(run.filters, ref_, db);
    run.row = req.rows == "country" ? kCountryField : kRegionField;
    run.col = req.columns == "theme" ? kThemeField : req.columns == "year" ? kYearField : kLangField;
    return run;
}

nlohmann::json Searcher::compare(const CompareRequest& req) const {
    const auto t0 = std::chrono::steady_clock::now();
    req.validate(options_.limits);
    return index_.with_db([&](Xapian::Database& db) {
        CompareRequest checked = req;
        if (checked.columns == "theme") check_themes(checked.column_values, ref_, "themes");
        CompareRun run = prepare_compare(db, checked);
        const Xapian::Query filter = run.filters.to_query();
        // The one match set: documents match as wholes, as in search.
        const auto column = facet_column(db);
        run.match = match_documents(db, run.pq, filter, column, options_.limits.max_seconds);
        run.matched = count(run, run.match.passages, column);
        run.universe = run.pq.has_text ? count(run, filter.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_FILTER, match_all(), filter), column)
                                       : run.matched;
        const auto [rows, cols] = rows_and_columns(run);
        nlohmann::json cols_json = nlohmann::json::array(), cells = nlohmann::json::array();
        for (const std::string& c : cols) cols_json.push_back({{"value", c}, {"label", facet_label(ref_, req.columns, c)}});
        for (const std::string& r : rows)
            for (const std::string& c : cols) cells.push_back(cell_json(run, r, c));
        const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return nlohmann::json{{"query", {{"q", req.q}, {"by", {req.rows, req.columns}}, {"crosslingual", req.crosslingual},
                                         {"filters", filters_json(run.filters)}}},
                              {"mode", run.pq.has_text ? "query" : "coverage"},
                              {"rows", rows_json(run, rows)},
                              {"columns", cols_json},
                              {"cells", cells},
                              {"expansions", expansions_json(run.pq.expansions)},
                              {"warnings", run.pq.warnings},
                              {"generation", std::atoll(db.get_metadata("strata:generation").c_str())},
                              {"took_ms", std::round(took * 100) / 100}};
    });
}

std::string compare_csv(const nlohmann::json& c) {
    std::map<std::string, std::string> row_labels, col_labels;
    for (const auto& r : c["rows"]) row_labels[r["value"]] = r["label"];
    for (const auto& k : c["columns"]) col_labels[k["value"]] = k["label"];
    std::string out = "\xEF\xBB\xBF";  // BOM: spreadsheets then read UTF-8
    out += "row,row_label,column,column_label,passages,documents,share,best_doc,best_section,best_page,best_snippet,generation\r\n";
    const std::string generation = std::to_string(c.value("generation", 0));
    for (const auto& cell : c["cells"]) {
        const nlohmann::json& b = cell["best"];
        const std::vector<std::string> fields = {
            cell["row"], row_labels[cell["row"]], cell["column"], col_labels[cell["column"]],
            std::to_string(cell["passages"].get<std::size_t>()), std::to_string(cell["documents"].get<std::size_t>()),
            cell["share"].dump(), b.is_null() ? "" : b.value("doc", ""), b.is_null() ? "" : b.value("section", ""),
            b.is_null() ? "" : std::to_string(b.value("page", 0)), b.is_null() ? "" : plain(b.value("snippet", "")), generation};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += csv_field(fields[i]);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace strata
