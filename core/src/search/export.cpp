// Tidy CSV exports shared by the daemon and the CLI.
#include "strata/export.h"

#include <string_view>
#include <utility>

namespace strata {

std::string csv_field(const std::string& s) {
    std::string v = s;
    // A leading =, +, - or @ makes a spreadsheet evaluate the cell.
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string csv_row(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    return out + "\r\n";
}

namespace {

std::string encoded(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '&' || c == '=' || c == '%' || c == '#' || u < 0x20 || u == 0x7F) {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

std::string value_text(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (!v.is_array()) return v.dump();
    std::string out;
    for (const auto& x : v) {
        if (!out.empty()) out += ',';
        out += value_text(x);
    }
    return out;
}

}  // namespace

std::string request_text(const nlohmann::json& query) {
    std::string out;
    auto add = [&](const std::string& name, const std::string& value) {
        if (!out.empty()) out += '&';
        out += name + "=" + encoded(value);
    };
    if (!query.is_object()) return out;
    for (const auto& [k, v] : query.items()) {
        if (k == "filters") continue;
        add(k, value_text(v));
    }
    const nlohmann::json& f = query.contains("filters") ? query["filters"] : nlohmann::json::object();
    for (const auto& [k, v] : f.items())
        if (k != "year_from" && k != "year_to") add(k, value_text(v));
    if (f.contains("year_from") || f.contains("year_to"))
        add("year", (f.contains("year_from") ? f["year_from"].dump() : "") + ".." + (f.contains("year_to") ? f["year_to"].dump() : ""));
    return out;
}

const std::vector<std::string>& provenance_columns() {
    static const std::vector<std::string> cols = {"request", "generation", "retrieved_at"};
    return cols;
}

std::vector<std::string> provenance(const nlohmann::json& r) {
    auto str = [&](const char* key) {
        if (!r.contains(key) || r[key].is_null()) return std::string();
        return r[key].is_string() ? r[key].get<std::string>() : r[key].dump();
    };
    return {request_text(r.contains("query") ? r["query"] : nlohmann::json()), str("generation"), str("retrieved_at")};
}

nlohmann::json provenance_record(const nlohmann::json& r) {
    return {{"request", provenance(r)[0]},
            {"generation", r.contains("generation") ? r["generation"] : nlohmann::json()},
            {"retrieved_at", r.contains("retrieved_at") ? r["retrieved_at"] : nlohmann::json()}};
}

std::string csv_text(const nlohmann::json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (!v.is_array()) return v.dump();
    std::string out;
    for (const auto& x : v) {
        if (!out.empty()) out += "; ";
        out += csv_text(x);
    }
    return out;
}

std::string records_csv(const std::vector<std::string>& columns, const std::vector<nlohmann::json>& records) {
    std::string out = kCsvByteOrderMark + csv_row(columns);
    std::vector<std::string> fields(columns.size());
    for (const nlohmann::json& rec : records) {
        for (std::size_t i = 0; i < columns.size(); ++i)
            fields[i] = rec.contains(columns[i]) ? csv_text(rec[columns[i]]) : std::string();
        out += csv_row(fields);
    }
    return out;
}

std::string snippet_text(const std::string& html, const char* mark_on, const char* mark_off) {
    static const std::pair<std::string_view, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    std::string out;
    const std::string_view h(html);
    for (std::size_t i = 0; i < h.size();) {
        if (h.substr(i, 6) == "<mark>") {
            out += mark_on;
            i += 6;
            continue;
        }
        if (h.substr(i, 7) == "</mark>") {
            out += mark_off;
            i += 7;
            continue;
        }
        bool entity = false;
        for (const auto& [e, c] : entities) {
            if (h[i] == '&' && h.substr(i, e.size()) == e) {
                out += c;
                i += e.size();
                entity = true;
                break;
            }
        }
        if (!entity) {
            out += h[i] == '\n' ? ' ' : h[i];
            ++i;
        }
    }
    return out;
}

std::vector<std::string> search_hit_columns(bool full_text) {
    std::vector<std::string> cols = {"rank",   "doc_id",     "country", "year",    "type", "language", "title", "title_en",
                                     "issuer", "source_url", "passage", "section", "page", "page_end", "score", "snippet"};
    if (full_text) cols.push_back("text");
    cols.insert(cols.end(), provenance_columns().begin(), provenance_columns().end());
    return cols;
}

std::vector<nlohmann::json> search_hit_records(const nlohmann::json& r, bool full_text) {
    auto get = [](const nlohmann::json& j, const char* key) { return j.contains(key) ? j[key] : nlohmann::json(nullptr); };
    const nlohmann::json prov = provenance_record(r);
    std::vector<nlohmann::json> out;
    for (const auto& hit : r.value("hits", nlohmann::json::array())) {
        const nlohmann::json p = hit.contains("passages") && !hit["passages"].empty() ? hit["passages"][0] : nlohmann::json::object();
        const nlohmann::json snippet = p.contains("snippet") && p["snippet"].is_string() ? nlohmann::json(snippet_text(p["snippet"].get<std::string>())) : nlohmann::json();
        nlohmann::json rec = {{"rank", get(hit, "rank")},         {"doc_id", get(hit, "id")},         {"country", get(hit, "country")},
                              {"year", get(hit, "year")},         {"type", get(hit, "type")},         {"language", get(hit, "language")},
                              {"title", get(hit, "title")},       {"title_en", get(hit, "title_en")}, {"issuer", get(hit, "issuer")},
                              {"source_url", get(hit, "source_url")}, {"passage", get(p, "n")},       {"section", get(p, "section")},
                              {"page", get(p, "page")},           {"page_end", get(p, "page_end")},   {"score", get(p, "score")},
                              {"snippet", snippet}};
        if (full_text) rec["text"] = get(p, "text");
        rec.update(prov);
        out.push_back(std::move(rec));
    }
    return out;
}

std::string search_csv(const nlohmann::json& r) {
    const bool full_text = r.contains("query") && r["query"].value("passage_text", false);
    return records_csv(search_hit_columns(full_text), search_hit_records(r, full_text));
}

}  // namespace strata
