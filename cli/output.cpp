#include "output.h"

#include "strata/export.h"
#include "strata/search.h"

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
    if (s == "bibtex") return Format::kBibtex;
    if (s == "ris") return Format::kRis;
    throw std::invalid_argument("--format must be table, json, jsonl, csv, bibtex or ris (bibtex and ris: strata doc)");
}

std::string plain_text(const std::string& html, bool ansi) {
    return ansi ? snippet_text(html, "\x1b[1m", "\x1b[0m") : snippet_text(html);
}

std::string counted(long long n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

nlohmann::json provenance_fields(const nlohmann::json& r) { return provenance_record(r); }

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) { out << csv_row(fields); }

void write_csv_records(std::ostream& out, const std::vector<std::string>& columns, const std::vector<nlohmann::json>& records) {
    for (const auto& rec : records) {
        std::vector<std::string> fields;
        for (const std::string& c : columns) fields.push_back(csv_text(rec.contains(c) ? rec[c] : nlohmann::json()));
        write_csv_row(out, fields);
    }
}

void write_jsonl(std::ostream& out, const std::vector<nlohmann::json>& records) {
    for (const auto& rec : records) out << rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
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

namespace {

void print_search_table(std::ostream& out, const nlohmann::json& r, bool ansi) {
    const bool documents = r.contains("query") && r["query"].value("group", "document") == "document";
    out << counted(r.value("total_documents", r.value("total", 0)), "document") << ", "
        << counted(r.value("total_passages", 0), "passage") << (documents ? "" : " (by passage)");
    if (r.contains("did_you_mean") && r["did_you_mean"].is_string()) out << " — did you mean: " << r["did_you_mean"].get<std::string>();
    out << "\n";
    for (const auto& w : r.value("warnings", nlohmann::json::array())) out << "warning: " << w.get<std::string>() << "\n";
    for (const auto& hit : r.value("hits", nlohmann::json::array())) {
        out << "\n" << str(hit, "rank") << ". " << (ansi ? "\x1b[1m" : "") << str(hit, "title") << (ansi ? "\x1b[0m" : "") << "\n   "
            << str(hit, "id") << " · " << str(hit, "country") << " · " << str(hit, "year") << " · " << str(hit, "type") << " · "
            << str(hit, "language") << " · score " << str(hit, "score") << "\n";
        for (const auto& p : hit.value("passages", nlohmann::json::array())) {
            out << "   § " << str(p, "section");
            if (p.contains("page") && p["page"].is_number()) out << ", p. " << str(p, "page");
            out << "\n     " << plain_text(str(p, "snippet"), ansi) << "\n";
        }
    }
}

}  // namespace

void print_search(std::ostream& out, const nlohmann::json& r, Format format, bool ansi, bool full_text) {
    switch (format) {
        case Format::kJson:
            out << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        case Format::kJsonl: write_jsonl(out, search_hit_records(r, full_text)); return;
        case Format::kCsv:
            out << kCsvByteOrderMark;
            write_csv_row(out, search_hit_columns(full_text));
            write_csv_records(out, search_hit_columns(full_text), search_hit_records(r, full_text));
            return;
        case Format::kTable: print_search_table(out, r, ansi); return;
        case Format::kBibtex:
        case Format::kRis: throw std::invalid_argument("--format bibtex and ris are for strata doc");
    }
}

namespace {

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
    // Labels are printed whole: a cut label ("Ethics and tr…") can name the wrong column.
    for (const auto& c : r["columns"]) header.push_back(c.value("label", ""));
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
    write_table(out, header, rows, std::string::npos / 2);
}

}  // namespace

void print_compare(std::ostream& out, const nlohmann::json& r, Format format) {
    switch (format) {
        case Format::kJson:
            out << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return;
        case Format::kJsonl: {
            const nlohmann::json prov = provenance_fields(r);
            for (const auto& cell : r["cells"]) {
                nlohmann::json c = cell;
                c["measure"] = r.value("measure", "passages");
                if (!c["best"].is_null()) c["best"]["snippet"] = plain_text(c["best"].value("snippet", ""));
                c.update(prov);
                out << c.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            }
            return;
        }
        case Format::kCsv: out << compare_csv(r); return;
        case Format::kTable: print_compare_table(out, r); return;
        case Format::kBibtex:
        case Format::kRis: throw std::invalid_argument("--format bibtex and ris are for strata doc");
    }
}

}  // namespace strata::cli
