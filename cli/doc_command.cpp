// strata doc: one document with its passages, or its citation.
#include "commands.h"

#include "strata/citation.h"
#include "strata/export.h"
#include "strata/text.h"

#include <iostream>
#include <utility>

namespace strata::cli {

namespace {

// One tidy record per passage, with what a citation needs and the document view's
// provenance (the request is the document's id and the query that marks its passages).
std::vector<nlohmann::json> passage_records(const nlohmann::json& d) {
    nlohmann::json query = d.contains("query") ? d["query"] : nlohmann::json::object();
    query["id"] = d["id"];
    const nlohmann::json prov = provenance_fields({{"query", query}, {"generation", d["generation"]}, {"retrieved_at", d["retrieved_at"]}});
    auto get = [](const nlohmann::json& j, const char* key) { return j.contains(key) ? j[key] : nlohmann::json(nullptr); };
    std::vector<nlohmann::json> out;
    for (const auto& ps : d["passages"]) {
        nlohmann::json rec = {{"doc_id", get(d, "id")},     {"title", get(d, "title")},       {"title_en", get(d, "title_en")},
                              {"issuer", get(d, "issuer")}, {"source_url", get(d, "source_url")}, {"year", get(d, "year")},
                              {"passage", get(ps, "n")},    {"section", get(ps, "section")},  {"page", get(ps, "page")},
                              {"page_end", get(ps, "page_end")}, {"matched", get(ps, "matched")}, {"text", get(ps, "text")}};
        rec.update(prov);
        out.push_back(std::move(rec));
    }
    return out;
}

std::vector<std::string> passage_columns() {
    std::vector<std::string> cols = {"doc_id", "title",   "title_en", "issuer",   "source_url", "year",
                                     "passage", "section", "page",    "page_end", "matched",    "text"};
    cols.insert(cols.end(), provenance_columns().begin(), provenance_columns().end());
    return cols;
}

// A highlight as text: matches in bold on a terminal, else between [[ and ]], so that
// output to a file or a pipe still shows them.
std::string highlighted(std::string html, bool ansi) {
    if (!ansi) {
        for (const auto& [tag, mark] : {std::pair<std::string, std::string>{"<mark>", "[["}, {"</mark>", "]]"}})
            for (std::size_t at = 0; (at = html.find(tag, at)) != std::string::npos; at += mark.size()) html.replace(at, tag.size(), mark);
    }
    return plain_text(html, ansi);
}

// The title block, then each passage under its section, the matching ones marked.
void print_document_text(const nlohmann::json& d, bool ansi) {
    std::cout << d.value("title", "") << "\n" << d.value("title_en", "") << "\n" << d.value("country_name", "") << " · "
              << d.value("year", 0) << " · " << d.value("type", "") << " · " << d.value("issuer", "") << "\n\n";
    if (d.contains("query")) {
        const std::size_t n = d.value("matching_passages", 0);
        const std::string q = d["query"].value("q", "");
        std::cout << n << (n == 1 ? " passage of " : " passages of ") << d["passages"].size() << (n == 1 ? " matches " : " match ")
                  << (q.empty() ? "the filters" : "\u201C" + q + "\u201D") << "\n\n";
    }
    for (const auto& ps : d["passages"]) {
        // plain_text() reads HTML: a highlight is HTML already, the raw text is escaped first.
        const std::string html =
            ps.contains("highlight") ? ps["highlight"].get<std::string>() : text::html_escape(ps.value("text", ""));
        std::cout << "§ " << ps.value("section", "") << (ps.value("matched", false) ? "  [match]" : "") << "\n"
                  << highlighted(html, ansi) << "\n\n";
    }
}

}  // namespace

CLI::App* add_doc(CLI::App& app, DocArgs& args) {
    CLI::App* doc = app.add_subcommand("doc", "show a document with its passages, or cite it (--format bibtex|ris)");
    doc->add_option("ID", args.id, "document id")->required();
    doc->add_option("--highlight", args.highlight, "mark the passages matching this query, as search matches them");
    args.filters.add_to(*doc);
    doc->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "match words through their translations too (the default)");
    doc->add_option("--passage", args.passage, "with --format bibtex or ris: cite this passage (its number)");
    return doc;
}

int run_doc(const DocArgs& args, const Context& ctx) {
    const bool citation = ctx.format == Format::kBibtex || ctx.format == Format::kRis;
    if (args.passage >= 0 && !citation) throw std::invalid_argument("--passage chooses the passage to cite: use it with --format bibtex or ris");
    ParamMap p;
    if (!args.highlight.empty() && !citation) p["q"] = {args.highlight};
    p["crosslingual"] = {args.crosslingual ? "true" : "false"};
    args.filters.put(p);
    const nlohmann::json d = ctx.backend.get("/v1/documents/" + args.id, p);
    const std::optional<int> passage = args.passage >= 0 ? std::optional<int>(args.passage) : std::nullopt;
    switch (ctx.format) {
        case Format::kJson: std::cout << d.dump(2) << "\n"; break;
        case Format::kJsonl: write_jsonl(std::cout, passage_records(d)); break;
        case Format::kCsv:
            std::cout << kCsvByteOrderMark << csv_row(passage_columns());
            write_csv_records(std::cout, passage_columns(), passage_records(d));
            break;
        case Format::kTable: print_document_text(d, ctx.ansi); break;
        case Format::kBibtex: std::cout << cite(d, CitationFormat::kBibtex, passage); break;
        case Format::kRis: std::cout << cite(d, CitationFormat::kRis, passage); break;
    }
    return 0;
}

}  // namespace strata::cli
