// GET /v1/compare?format=csv: one tidy row per cell, with its row's totals and the
// provenance of the comparison.
#include "strata/export.h"
#include "strata/search.h"

#include <map>

namespace strata {

namespace {

// A snippet's HTML as plain text for a spreadsheet cell.
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

std::string compare_csv(const nlohmann::json& c) {
    std::map<std::string, std::string> col_labels;
    std::map<std::string, const nlohmann::json*> rows;
    for (const auto& r : c["rows"]) rows[r["value"]] = &r;
    for (const auto& k : c["columns"]) col_labels[k["value"]] = k["label"];
    std::vector<std::string> header = {"row", "row_label", "column", "column_label", "passages", "documents", "share", "share_of",
                                       "measure", "value", "occurrences", "tokens", "row_passages", "row_documents",
                                       "row_matching_passages", "row_matching_documents", "row_tokens",
                                       "best_doc", "best_section", "best_page", "best_snippet"};
    header.insert(header.end(), provenance_columns().begin(), provenance_columns().end());
    std::string out = kCsvByteOrderMark + csv_row(header);
    const std::vector<std::string> tail = provenance(c);
    const std::string measure = c.value("measure", "passages");
    auto num = [](const nlohmann::json& j, const char* key) { return j.contains(key) && !j[key].is_null() ? j[key].dump() : ""; };
    for (const auto& cell : c["cells"]) {
        const nlohmann::json& b = cell["best"];
        const nlohmann::json& row = *rows.at(cell["row"]);
        std::vector<std::string> fields = {
            cell["row"], row.value("label", ""), cell["column"], col_labels[cell["column"]], num(cell, "passages"),
            num(cell, "documents"), num(cell, "share"), num(cell, "share_of"), measure, num(cell, "value"),
            num(cell, "occurrences"), num(cell, "tokens"), num(row, "passages"), num(row, "documents"),
            num(row, "matching_passages"), num(row, "matching_documents"), num(row, "tokens"),
            b.is_null() ? "" : b.value("doc", ""), b.is_null() ? "" : b.value("section", ""), b.is_null() ? "" : num(b, "page"),
            b.is_null() ? "" : plain(b.value("snippet", ""))};
        fields.insert(fields.end(), tail.begin(), tail.end());
        out += csv_row(fields);
    }
    return out;
}

}  // namespace strata
