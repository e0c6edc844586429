// strata themes, strata countries and strata stats: what the index holds.
#include "commands.h"

#include "strata/export.h"

#include <iostream>

namespace strata::cli {

namespace {

using Rows = std::vector<std::vector<std::string>>;

// A listing as a table, CSV, or one JSON line per entry of its list (JSON is printed whole
// before the rows are built).
void print_listing(const nlohmann::json& j, const std::vector<std::string>& header, const Rows& rows, Format format) {
    if (format == Format::kBibtex || format == Format::kRis) throw std::invalid_argument("--format bibtex and ris are for strata doc");
    if (format == Format::kCsv) {
        std::cout << kCsvByteOrderMark;
        write_csv_row(std::cout, header);
        for (const auto& r : rows) write_csv_row(std::cout, r);
    } else if (format == Format::kJsonl) {
        for (const auto& x : j.begin().value()) std::cout << x.dump() << "\n";
    } else {
        write_table(std::cout, header, rows);
    }
}

}  // namespace

CLI::App* add_themes(CLI::App& app) { return app.add_subcommand("themes", "list the comparative themes"); }

CLI::App* add_countries(CLI::App& app) {
    return app.add_subcommand("countries", "list the countries with their document counts");
}

CLI::App* add_stats(CLI::App& app) { return app.add_subcommand("stats", "describe the index"); }

int run_themes(const Context& ctx) {
    const nlohmann::json j = ctx.backend.get("/v1/themes", {});
    if (ctx.format == Format::kJson) {
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    Rows rows;
    for (const auto& t : j["themes"])
        rows.push_back({t["id"], t["label"], t["documents"].dump(), t["passages"].dump(), std::to_string(t["languages"].size())});
    print_listing(j, {"id", "label", "documents", "passages", "languages"}, rows, ctx.format);
    return 0;
}

int run_countries(const Context& ctx) {
    const nlohmann::json j = ctx.backend.get("/v1/countries", {});
    if (ctx.format == Format::kJson) {
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    Rows rows;
    for (const auto& c : j["countries"]) {
        std::string blocs;
        for (const auto& b : c.value("blocs", nlohmann::json::array())) blocs += (blocs.empty() ? "" : ",") + b.get<std::string>();
        rows.push_back({c["code"], c["name"], c["region"], c.value("subregion", ""),
                        c["income"].is_string() ? c["income"].get<std::string>() : "", blocs, c["documents"].dump()});
    }
    print_listing(j, {"code", "name", "region", "subregion", "income", "blocs", "documents"}, rows, ctx.format);
    return 0;
}

int run_stats(const Context& ctx) {
    const nlohmann::json j = ctx.backend.get("/v1/stats", {});
    if (ctx.format == Format::kJson || ctx.format == Format::kJsonl) {
        std::cout << j.dump(ctx.format == Format::kJson ? 2 : -1) << "\n";
        return 0;
    }
    // One row per figure, one per language's passages.
    Rows rows;
    for (const auto& [key, value] : j.items()) {
        if (key == "passages_by_language") continue;
        rows.push_back({key, csv_text(value)});
    }
    const nlohmann::json by_language = j.value("passages_by_language", nlohmann::json::object());
    for (const auto& [lang, n] : by_language.items()) rows.push_back({"passages_by_language." + lang, n.dump()});
    if (ctx.format == Format::kCsv) {
        std::cout << kCsvByteOrderMark;
        write_csv_row(std::cout, {"name", "value"});
        for (const auto& r : rows) write_csv_row(std::cout, r);
    } else {
        write_table(std::cout, {"name", "value"}, rows);
    }
    return 0;
}

}  // namespace strata::cli
