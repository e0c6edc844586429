#include "batch_input.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace strata::cli {

namespace {

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read batch file " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

nlohmann::json yaml_to_json(const YAML::Node& n, int depth = 0) {
    if (depth > 32) throw std::invalid_argument("batch YAML is nested too deeply");
    if (n.IsSequence()) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& x : n) a.push_back(yaml_to_json(x, depth + 1));
        return a;
    }
    if (n.IsMap()) {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& kv : n) o[kv.first.Scalar()] = yaml_to_json(kv.second, depth + 1);
        return o;
    }
    if (n.IsNull()) return nullptr;
    const std::string s = n.Scalar();
    if (n.Tag() == "!") return s;  // quoted: keep as text
    if (s == "true" || s == "false") return s == "true";
    try {
        std::size_t used = 0;
        const long long v = std::stoll(s, &used);
        if (used == s.size()) return v;
    } catch (...) {
    }
    return s;
}

std::string ext_of(const std::string& path) {
    const auto dot = path.rfind('.');
    if (dot == std::string::npos) return "";
    std::string e = path.substr(dot + 1);
    for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

}  // namespace

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // byte-order mark
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
            continue;
        }
        if (c == '"') {
            quoted = true;
            any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (quoted) throw std::invalid_argument("CSV has an unterminated quoted field");
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json read_batch_file(const std::string& path, const std::string& kind_in) {
    const std::string content = read_all(path);
    std::string kind = kind_in;
    if (kind == "auto") {
        const std::string e = ext_of(path);
        kind = e == "yaml" || e == "yml" ? "yaml" : e == "csv" ? "csv" : "text";
    }
    nlohmann::json queries = nlohmann::json::array();
    if (kind == "yaml") {
        YAML::Node root;
        try {
            root = YAML::Load(content);
        } catch (const YAML::Exception& e) {
            throw std::invalid_argument(path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
        }
        nlohmann::json j = yaml_to_json(root);
        if (j.is_array()) return {{"queries", j}};
        if (j.is_object() && j.contains("queries")) return j;
        throw std::invalid_argument(path + ": expected a list of queries or {queries: [...], defaults: {...}}");
    }
    if (kind == "csv") {
        const auto rows = parse_csv(content);
        if (rows.empty()) return {{"queries", queries}};
        const std::vector<std::string>& header = rows.front();
        bool has_q = false;
        for (const std::string& h : header) has_q = has_q || h == "q";
        if (!has_q) throw std::invalid_argument(path + ": the CSV needs a column named q");
        for (std::size_t r = 1; r < rows.size(); ++r) {
            nlohmann::json q = nlohmann::json::object();
            for (std::size_t c = 0; c < header.size() && c < rows[r].size(); ++c)
                if (!rows[r][c].empty() || header[c] == "q") q[header[c]] = rows[r][c];
            if (!q.contains("id")) q["id"] = std::to_string(r);
            queries.push_back(std::move(q));
        }
        return {{"queries", queries}};
    }
    if (kind != "text") throw std::invalid_argument("--input must be yaml, csv, text or auto");
    std::istringstream lines(content);
    std::string line;
    std::size_t n = 0;
    while (std::getline(lines, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        queries.push_back({{"id", std::to_string(n)}, {"q", line}});
    }
    return {{"queries", queries}};
}

}  // namespace strata::cli
