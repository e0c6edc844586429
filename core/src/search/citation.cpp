// Citations of documents and passages: BibTeX and RIS, from a document view's JSON.
#include "strata/citation.h"

#include "strata/errors.h"

namespace strata {

namespace {

std::string field(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return "";
    if (j[key].is_string()) return j[key].get<std::string>();
    return j[key].dump();
}

// One line: control characters (newlines included) become spaces.
std::string one_line(const std::string& s) {
    std::string out;
    for (char c : s) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
    return out;
}

// A BibTeX value: TeX's special characters escaped, so the braces that delimit it stay
// balanced and nothing in it is read as a command, a comment or math.
std::string tex(const std::string& s) {
    std::string out;
    for (char c : one_line(s)) {
        switch (c) {
            case '\\': out += "\\textbackslash{}"; break;
            case '{': out += "\\{"; break;
            case '}': out += "\\}"; break;
            case '~': out += "\\textasciitilde{}"; break;
            case '^': out += "\\textasciicircum{}"; break;
            case '#': case '$': case '%': case '&': case '_': out += '\\'; out += c; break;
            default: out += c;
        }
    }
    return out;
}

// A URL for BibTeX's verbatim url field, where escapes are not read: the characters that
// could unbalance the entry are percent-encoded instead (the URL means the same).
std::string url_value(const std::string& s) {
    std::string out;
    static const char* hex = "0123456789ABCDEF";
    for (char c : one_line(s)) {
        if (c == '{' || c == '}' || c == '\\' || c == ' ') {
            out += '%';
            out += hex[static_cast<unsigned char>(c) >> 4];
            out += hex[static_cast<unsigned char>(c) & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

const nlohmann::json& find_passage(const nlohmann::json& doc, int n) {
    static const nlohmann::json none = nlohmann::json::array();
    const nlohmann::json& all = doc.contains("passages") && doc["passages"].is_array() ? doc["passages"] : none;
    for (const auto& p : all)
        if (p.value("n", -1) == n) return p;
    throw NotFound("document '" + field(doc, "id") + "' has no passage " + std::to_string(n) + " (its passages are 0 to " +
                   std::to_string(static_cast<long>(all.size()) - 1) + ")");
}

// "12" or "12--14"; empty for a document without pages.
std::string page_range(const nlohmann::json& p, const char* dash) {
    const int from = p.contains("page") && p["page"].is_number() ? p["page"].get<int>() : 0;
    const int to = p.contains("page_end") && p["page_end"].is_number() ? p["page_end"].get<int>() : 0;
    if (from <= 0) return "";
    return to > from ? std::to_string(from) + dash + std::to_string(to) : std::to_string(from);
}

// What a reader must know besides the fields: the English title, that a digest is not the
// official text, and which passage is meant.
std::string note(const nlohmann::json& doc, const nlohmann::json* passage) {
    std::string n;
    auto add = [&](const std::string& s) {
        if (s.empty()) return;
        if (!n.empty()) n += ". ";
        n += s;
    };
    if (!field(doc, "title_en").empty() && field(doc, "title_en") != field(doc, "title")) add("English title: " + field(doc, "title_en"));
    if (doc.value("digest", false)) add("Quoted from a digest of the official document written for the Strata corpus");
    if (passage) {
        std::string where = "Passage " + field(*passage, "n");
        if (!field(*passage, "section").empty()) where += ", section \"" + field(*passage, "section") + "\"";
        add(where);
    }
    return n;
}

std::string bibtex(const nlohmann::json& doc, const nlohmann::json* passage) {
    std::string key = field(doc, "id");
    if (passage) key += "-p" + field(*passage, "n");
    std::string out = "@misc{" + key + ",\n";
    auto put = [&](const char* name, const std::string& value, bool url = false) {
        if (value.empty()) return;
        out += std::string("  ") + name + " = {" + (url ? url_value(value) : tex(value)) + "},\n";
    };
    // Double braces: an organisation is one name, never "Last, First".
    if (!field(doc, "issuer").empty()) out += "  author = {{" + tex(field(doc, "issuer")) + "}},\n";
    put("title", field(doc, "title"));
    put("year", field(doc, "year"));
    put("institution", field(doc, "issuer"));
    put("address", field(doc, "country_name"));
    put("type", field(doc, "type"));
    put("language", field(doc, "language"));
    if (passage) put("pages", page_range(*passage, "--"));
    put("url", field(doc, "source_url"), true);
    put("note", note(doc, passage));
    out += "}\n";
    return out;
}

std::string ris(const nlohmann::json& doc, const nlohmann::json* passage) {
    std::string out;
    auto put = [&](const char* tag, const std::string& value) {
        if (!value.empty()) out += std::string(tag) + "  - " + one_line(value) + "\r\n";
    };
    out += "TY  - GOVDOC\r\n";
    put("ID", field(doc, "id") + (passage ? "-p" + field(*passage, "n") : ""));
    put("AU", field(doc, "issuer"));
    put("TI", field(doc, "title"));
    if (field(doc, "title_en") != field(doc, "title")) put("TT", field(doc, "title_en"));
    put("PY", field(doc, "year"));
    put("PB", field(doc, "issuer"));
    put("CY", field(doc, "country_name"));
    put("M3", field(doc, "type"));
    put("LA", field(doc, "language"));
    if (passage) {
        const std::string pages = page_range(*passage, "-");
        const auto dash = pages.find('-');
        put("SP", pages.substr(0, dash));
        if (dash != std::string::npos) put("EP", pages.substr(dash + 1));
    }
    put("UR", field(doc, "source_url"));
    put("N1", note(doc, passage));
    out += "ER  - \r\n";
    return out;
}

}  // namespace

std::optional<CitationFormat> citation_format(const std::string& name) {
    if (name == "bibtex") return CitationFormat::kBibtex;
    if (name == "ris") return CitationFormat::kRis;
    return std::nullopt;
}

std::pair<std::string, std::string> citation_media(CitationFormat format) {
    if (format == CitationFormat::kBibtex) return {"application/x-bibtex; charset=utf-8", "bib"};
    return {"application/x-research-info-systems; charset=utf-8", "ris"};
}

std::string cite(const nlohmann::json& document, CitationFormat format, std::optional<int> passage) {
    const nlohmann::json* p = passage ? &find_passage(document, *passage) : nullptr;
    return format == CitationFormat::kBibtex ? bibtex(document, p) : ris(document, p);
}

}  // namespace strata
