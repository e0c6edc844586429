// strata doc: one document with its passages.
#include "commands.h"

#include "strata/text.h"

#include <iostream>
#include <utility>

namespace strata::cli {

namespace {

// One tidy row per passage, for CSV.
void print_passages_csv(const nlohmann::json& d) {
    write_csv_row(std::cout, {"doc_id", "passage", "section", "page", "text"});
    for (const auto& ps : d["passages"])
        write_csv_row(std::cout, {d["id"], std::to_string(ps.value("n", 0)), ps.value("section", ""),
                                  std::to_string(ps.value("page", 0)), plain_text(ps.value("text", ""))});
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
    CLI::App* doc = app.add_subcommand("doc", "show a document with its passages");
    doc->add_option("ID", args.id, "document id")->required();
    doc->add_option("--highlight", args.highlight, "mark the passages matching this query, as search matches them");
    args.filters.add_to(*doc);
    doc->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "match words through their translations too (the default)");
    return doc;
}

int run_doc(const DocArgs& args, const Context& ctx) {
    ParamMap p;
    if (!args.highlight.empty()) p["q"] = {args.highlight};
    p["crosslingual"] = {args.crosslingual ? "true" : "false"};
    args.filters.put(p);
    const nlohmann::json d = ctx.backend.get("/v1/documents/" + args.id, p);
    switch (ctx.format) {
        case Format::kJson: std::cout << d.dump(2) << "\n"; break;
        case Format::kJsonl:
            for (const auto& ps : d["passages"]) std::cout << ps.dump() << "\n";
            break;
        case Format::kCsv: print_passages_csv(d); break;
        case Format::kTable: print_document_text(d, ctx.ansi); break;
    }
    return 0;
}

}  // namespace strata::cli
