// strata doc: one document with its passages.
#include "commands.h"

#include "strata/text.h"

#include <iostream>

namespace strata::cli {

namespace {

// One tidy row per passage, for CSV.
void print_passages_csv(const nlohmann::json& d) {
    write_csv_row(std::cout, {"doc_id", "passage", "section", "page", "text"});
    for (const auto& ps : d["passages"])
        write_csv_row(std::cout, {d["id"], std::to_string(ps.value("n", 0)), ps.value("section", ""),
                                  std::to_string(ps.value("page", 0)), plain_text(ps.value("text", ""))});
}

// The title block, then each passage under its section; highlights in bold with @p ansi.
void print_document_text(const nlohmann::json& d, bool ansi) {
    std::cout << d.value("title", "") << "\n" << d.value("title_en", "") << "\n" << d.value("country_name", "") << " · "
              << d.value("year", 0) << " · " << d.value("type", "") << " · " << d.value("issuer", "") << "\n\n";
    for (const auto& ps : d["passages"]) {
        // plain_text() reads HTML: a highlight is HTML already, the raw text is escaped first.
        const std::string html =
            ps.contains("highlight") ? ps["highlight"].get<std::string>() : text::html_escape(ps.value("text", ""));
        std::cout << "§ " << ps.value("section", "") << "\n" << plain_text(html, ansi) << "\n\n";
    }
}

}  // namespace

CLI::App* add_doc(CLI::App& app, DocArgs& args) {
    CLI::App* doc = app.add_subcommand("doc", "show a document with its passages");
    doc->add_option("ID", args.id, "document id")->required();
    doc->add_option("--highlight", args.highlight, "mark the passages matching this query");
    return doc;
}

int run_doc(const DocArgs& args, const Context& ctx) {
    ParamMap p;
    if (!args.highlight.empty()) p["q"] = {args.highlight};
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
