#include "output.h"

#include <map>
#include <stdexcept>

namespace strata::cli {

std::size_t display_width(const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = 0;
        if (len == 3 && i + 2 < s.size())
            cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) | (static_cast<unsigned char>(s[i + 2]) & 0x3F);
        // East Asian wide characters take two columns.
        w += (cp >= 0x1100 && ((cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                               (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60))) ? 2 : 1;
        i += len;
    }
    return w;
}

namespace {

std::string cut(const std::string& s, std::size_t max_width) {
    if (display_width(s) <= max_width) return s;
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        std::string next = out + s.substr(i, len);
        if (display_width(next) > max_width - 1) break;
        out = std::move(next);
        i += len;
    }
    return out + "\xE2\x80\xA6";
}

std::string str(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return "";
    if (j[key].is_string()) return j[key].get<std::string>();
    return j[key].dump();
}

}  // namespace

Format parse_format(const std::string& s) {
    if (s == "table") return Format::kTable;
    if (s == "json") return Format::kJson;
    if (s == "jsonl") return Format::kJsonl;
    if (s == "csv") return Format::kCsv;
    throw std::invalid_argument("--format must be table, json, jsonl or csv");
}

std::string plain_text(const std::string& html, bool ansi) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, 6, "<mark>") == 0) {
            if (ansi) out += "\x1b[1m";
            i += 6;
        } else if (html.compare(i, 7, "</mark>") == 0) {
            if (ansi) out += "\x1b[0m";
            i += 7;
        } else if (html[i] == '&') {
            static const std::pair<const char*, const char*> entities[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
            bool done = false;
            for (const auto& [e, c] : entities) {
                if (html.compare(i, std::char_traits<char>::length(e), e) == 0) {
                    out += c;
                    i += std::char_traits<char>::length(e);
                    done = true;
                    break;
                }
            }
            if (!done) out += html[i++];
        } else {
            out += html[i] == '\n' ? ' ' : html[i];
            ++i;
        }
    }
    return out;
}

const std::vector<std::string>& search_columns() {
    static const std::vector<std::string> cols = {"query_id", "rank",  "doc_id", "country", "year",  "type", "language",
                                                  "title",    "passage", "section", "page", "score", "snippet"};
    return cols;
}

std::vector<std::vector<std::string>> search_rows(const nlohmann::json& r, const std::string& query_id) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& hit : r.value("hits", nlohmann::json::array())) {
        const nlohmann::json p = hit.contains("passages") && !hit["passages"].empty() ? hit["passages"][0] : nlohmann::json::object();
        rows.push_back({query_id, str(hit, "rank"), str(hit, "id"), str(hit, "country"), str(hit, "year"), str(hit, "type"),
                        str(hit, "language"), str(hit, "title"), str(p, "n"), str(p, "section"), str(p, "page"),
                        str(p, "score"), plain_text(str(p, "snippet"))});
    }
    return rows;
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out << ',';
        const std::string& f = fields[i];
        if (f.find_first_of(",\"\n\r") == std::string::npos) {
            out << f;
        } else {
            out << '"';
            for (char c : f) out << (c == '"' ? "\"\"" : std::string(1, c));
            out << '"';
        }
    }
    out << "\r\n";
}

void write_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                 std::size_t max_width) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], std::min(max_width, display_width(row[c])));
    auto line = [&](const std::vector<std::string>& row) {
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string cell = c < row.size() ? cut(row[c], max_width) : "";
            out << cell;
            if (c + 1 < header.size()) out << std::string(widths[c] - display_width(cell) + 2, ' ');
        }
        out << '\n';
    };
    line(header);
    std::vector<std::string> rule;
    for (std::size_t w : widths) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : rows) line(row);
}

void print_search(std::ostream& out, const nlohmann::json& r, Format format, bool ansi) {
    switch (format) {
        case Format::kJson:
            out << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        case Format::kJsonl:
            for (const auto& row : search_rows(r, "")) {
                nlohmann::json j = nlohmann::json::object();
                for (std::size_t c = 1; c < row.size(); ++c) j[search_columns()[c]] = row[c];
                out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            return;
        case Format::kCsv: {
            std::vector<std::string> header(search_columns().begin() + 1, search_columns().end());
            write_csv_row(out, header);
            for (auto row : search_rows(r, "")) {
                row.erase(row.begin());
                write_csv_row(out, row);
            }
            return;
        }
        case Format::kTable: {
            out << r.value("total", 0) << " documents, " << r.value("total_passages", 0) << " passages";
            if (r.contains("did_you_mean") && r["did_you_mean"].is_string())
                out << " — did you mean: " << r["did_you_mean"].get<std::string>();
            out << "\n";
            for (const auto& w : r.value("warnings", nlohmann::json::array())) out << "warning: " << w.get<std::string>() << "\n";
            for (const auto& hit : r.value("hits", nlohmann::json::array())) {
                out << "\n" << str(hit, "rank") << ". " << (ansi ? "\x1b[1m" : "") << str(hit, "title")
                    << (ansi ? "\x1b[0m" : "") << "\n   " << str(hit, "id") << " · " << str(hit, "country") << " · "
                    << str(hit, "year") << " · " << str(hit, "type") << " · " << str(hit, "language") << " · score "
                    << str(hit, "score") << "\n";
                for (const auto& p : hit.value("passages", nlohmann::json::array())) {
                    out << "   § " << str(p, "section");
                    if (p.value("page", 0) > 0) out << ", p. " << str(p, "page");
                    out << "\n     " << plain_text(str(p, "snippet"), ansi) << "\n";
                }
            }
            return;
        }
    }
}

namespace {

// One tidy row per cell, with the row and column labels and the best passage.
void print_compare_csv(std::ostream& out, const nlohmann::json& r) {
    write_csv_row(out, {"row", "row_label", "column", "column_label", "passages", "documents", "share", "best_doc",
                        "best_section", "best_page", "best_snippet", "generation", "measure", "value", "occurrences", "tokens"});
    std::map<std::string, std::string> rl, cl;
    for (const auto& x : r["rows"]) rl[x["value"]] = x["label"];
    for (const auto& x : r["columns"]) cl[x["value"]] = x["label"];
    for (const auto& c : r["cells"]) {
        const auto& b = c["best"];
        write_csv_row(out, {c["row"], rl[c["row"]], c["column"], cl[c["column"]], str(c, "passages"), str(c, "documents"),
                            str(c, "share"), b.is_null() ? "" : str(b, "doc"), b.is_null() ? "" : str(b, "section"),
                            b.is_null() ? "" : str(b, "page"), b.is_null() ? "" : plain_text(str(b, "snippet")),
                            str(r, "generation"), str(r, "measure"), str(c, "value"), str(c, "occurrences"), str(c, "tokens")});
    }
}

// A cell under the response's measure, with the documents its count comes from.
std::string cell_text(const nlohmann::json& c, const std::string& measure) {
    char buf[64];
    if (measure == "per_million")
        std::snprintf(buf, sizeof buf, "%.1f (%dd)", c.value("value", 0.0), c.value("documents", 0));
    else if (measure == "documents")
        std::snprintf(buf, sizeof buf, "%.0f%% (%d/%dd)", c.value("value", 0.0) * 100, c.value("documents", 0),
                      c.value("documents_total", 0));
    else
        std::snprintf(buf, sizeof buf, "%.0f%% (%d)", c.value("share", 0.0) * 100, c.value("passages", 0));
    return buf;
}

// The matrix: one line per row, each cell its value and count ("·" when empty).
void print_compare_table(std::ostream& out, const nlohmann::json& r) {
    std::vector<std::string> header = {""};
    for (const auto& c : r["columns"]) header.push_back(cut(c.value("label", ""), 14));
    std::map<std::pair<std::string, std::string>, nlohmann::json> cells;
    for (const auto& c : r["cells"]) cells[{c["row"], c["column"]}] = c;
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r["rows"]) {
        std::vector<std::string> line = {row.value("label", "")};
        for (const auto& col : r["columns"]) {
            const auto& c = cells[{row["value"], col["value"]}];
            if (c.is_null() || c.value("passages", 0) == 0) {
                line.push_back("·");
                continue;
            }
            line.push_back(cell_text(c, r.value("measure", "passages")));
        }
        rows.push_back(std::move(line));
    }
    const std::string measure = r.value("measure", "passages");
    const std::string what = measure == "per_million" ? "occurrences per million tokens of each row's text (documents)"
                             : measure == "documents" ? "share of each row's documents (documents/of the row)"
                                                      : "share of each row's passages (passages)";
    out << (r.value("mode", "") == "coverage" ? "Coverage: " : "Matches: ") << what << '\n';
    write_table(out, header, rows, 24);
}

}  // namespace

void print_compare(std::ostream& out, const nlohmann::json& r, Format format) {
    switch (format) {
        case Format::kJson:
            out << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        case Format::kJsonl:
            for (const auto& cell : r["cells"]) {
                nlohmann::json c = cell;
                if (!c["best"].is_null()) c["best"]["snippet"] = plain_text(c["best"].value("snippet", ""));
                out << c.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            return;
        case Format::kCsv: print_compare_csv(out, r); return;
        case Format::kTable: print_compare_table(out, r); return;
    }
}

void print_batch_line(std::ostream& out, std::ostream& err, const nlohmann::json& line, Format format, bool first) {
    const std::string id = line["id"].is_string() ? line["id"].get<std::string>() : line["id"].dump();
    if (line.contains("error")) {
        err << "query " << id << ": " << line["error"].value("message", "") << '\n';
        if (format == Format::kJsonl || format == Format::kJson) out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return;
    }
    const nlohmann::json& res = line["result"];
    switch (format) {
        case Format::kJson:
            out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        case Format::kJsonl:
            for (const auto& row : search_rows(res, id)) {
                nlohmann::json j = nlohmann::json::object();
                for (std::size_t c = 0; c < row.size(); ++c) j[search_columns()[c]] = row[c];
                out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            return;
        case Format::kCsv:
            if (first) write_csv_row(out, search_columns());
            for (const auto& row : search_rows(res, id)) write_csv_row(out, row);
            return;
        case Format::kTable:
            out << "== query " << id << ": " << res["query"].value("q", "") << '\n';
            print_search(out, res, Format::kTable, false);
            out << '\n';
            return;
    }
}

}  // namespace strata::cli
