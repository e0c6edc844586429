// strata: the command-line client. Exit codes: 0 success, 1 some queries failed,
// 2 usage errors (and unreachable index or server).
#include "backend.h"
#include "batch_input.h"
#include "output.h"

#include "strata/errors.h"
#include "strata/text.h"

#include <CLI/CLI.hpp>
#include <xapian.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace {

std::string default_index() {
    if (const char* env = std::getenv("STRATA_INDEX"); env && *env) return env;
    return STRATA_DEFAULT_INDEX;
}

struct Common {
    std::string index = default_index();
    std::string server;
    std::string token;
    std::string format = "table";
};

struct Filters {
    std::string country, region, theme, year, lang, type;
    void add_to(CLI::App* app) {
        app->add_option("--country", country, "ISO codes, comma-separated (OR)");
        app->add_option("--region", region, "UN M49 region or sub-region slug, e.g. europe");
        app->add_option("--theme", theme, "theme ids, comma-separated");
        app->add_option("--year", year, "a year or a range: 2018..2021, 2019..");
        app->add_option("--lang", lang, "languages, comma-separated (BCP 47)");
        app->add_option("--type", type, "document types, comma-separated");
    }
    void put(strata::ParamMap& p) const {
        const std::pair<const char*, const std::string*> all[] = {{"country", &country}, {"region", &region}, {"theme", &theme},
                                                                  {"year", &year},       {"lang", &lang},     {"type", &type}};
        for (const auto& [k, v] : all)
            if (!v->empty()) p[k].push_back(*v);
    }
};

std::unique_ptr<strata::cli::Backend> backend(const Common& c) {
    if (!c.server.empty()) return strata::cli::http_backend(c.server, c.token);
    return strata::cli::embedded_backend(c.index);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"strata: search and compare national AI strategies"};
    app.require_subcommand(1);
    app.fallthrough();  // global options may also follow the subcommand
    Common common;
    app.add_option("--index", common.index, "index directory (embedded mode)")->capture_default_str();
    app.add_option("--server", common.server, "strata-searchd URL, e.g. http://127.0.0.1:8765 (remote mode)");
    app.add_option("--token", common.token, "bearer token for the server")->envname("STRATA_TOKEN");
    app.add_option("--format", common.format, "table, json, jsonl or csv")->capture_default_str();

    CLI::App* search = app.add_subcommand("search", "search passages and documents");
    std::string query, group = "document", sort = "relevance";
    int page = 1, per_page = 10;
    bool crosslingual = false;
    Filters filters;
    search->add_option("QUERY", query, "query text (words, \"phrases\", AND/OR/NOT, field:value)")->required();
    filters.add_to(search);
    search->add_option("--group", group, "document or passage")->capture_default_str();
    search->add_option("--sort", sort, "relevance, year or -year")->capture_default_str();
    search->add_option("--page", page, "page number")->capture_default_str();
    search->add_option("--per-page", per_page, "hits per page (at most 100)")->capture_default_str();
    search->add_flag("--crosslingual", crosslingual, "expand the query through the concept thesaurus");

    CLI::App* compare = app.add_subcommand("compare", "compare themes (or years, languages) across countries or regions");
    std::string cmp_q, by = "country,theme", countries_sel, regions, themes_sel, years_sel, langs_sel;
    bool cmp_cross = false, no_best = false;
    Filters cmp_filters;
    compare->add_option("QUERY", cmp_q, "optional query; without one, the cells are theme coverage");
    compare->add_option("--by", by, "ROW,COLUMN: country|region , theme|year|lang")->capture_default_str();
    cmp_filters.add_to(compare);
    compare->add_option("--countries", countries_sel, "rows to show (country codes)");
    compare->add_option("--regions", regions, "rows to show (region slugs)");
    compare->add_option("--themes", themes_sel, "columns to show (theme ids)");
    compare->add_option("--years", years_sel, "columns to show (years)");
    compare->add_option("--langs", langs_sel, "columns to show (languages)");
    compare->add_flag("--crosslingual", cmp_cross, "expand the query through the concept thesaurus");
    compare->add_flag("--no-best", no_best, "leave out each cell's best passage (faster)");

    CLI::App* batch = app.add_subcommand("batch", "run many queries from a file (YAML, CSV with a q column, or one query per line)");
    std::string batch_file, batch_input = "auto";
    batch->add_option("FILE", batch_file, "the batch file")->required()->check(CLI::ExistingFile);
    batch->add_option("--input", batch_input, "yaml, csv, text or auto (by extension)")->capture_default_str();

    CLI::App* doc = app.add_subcommand("doc", "show a document with its passages");
    std::string doc_id, doc_q;
    doc->add_option("ID", doc_id, "document id")->required();
    doc->add_option("--highlight", doc_q, "mark the passages matching this query");

    CLI::App* themes = app.add_subcommand("themes", "list the comparative themes");
    CLI::App* countries = app.add_subcommand("countries", "list the countries with their document counts");
    CLI::App* stats = app.add_subcommand("stats", "describe the index");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe or shard connection is an error to report, not a kill
    const bool ansi = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    try {
        const strata::cli::Format format = strata::cli::parse_format(common.format);
        auto b = backend(common);
        if (*search) {
            strata::ParamMap p{{"q", {query}}, {"group", {group}}, {"sort", {sort}},
                               {"page", {std::to_string(page)}}, {"per_page", {std::to_string(per_page)}}};
            if (crosslingual) p["crosslingual"] = {"true"};
            filters.put(p);
            strata::cli::print_search(std::cout, b->get("/v1/search", p), format, ansi && format == strata::cli::Format::kTable);
        } else if (*compare) {
            strata::ParamMap p{{"by", {by}}};
            if (!cmp_q.empty()) p["q"] = {cmp_q};
            if (cmp_cross) p["crosslingual"] = {"true"};
            if (no_best) p["best"] = {"false"};
            const std::pair<const char*, const std::string*> sel[] = {{"countries", &countries_sel}, {"regions", &regions},
                                                                      {"themes", &themes_sel}, {"years", &years_sel},
                                                                      {"langs", &langs_sel}};
            for (const auto& [k, v] : sel)
                if (!v->empty()) p[k] = {*v};
            cmp_filters.put(p);
            strata::cli::print_compare(std::cout, b->get("/v1/compare", p), format);
        } else if (*batch) {
            const nlohmann::json body = strata::cli::read_batch_file(batch_file, batch_input);
            const std::size_t total = body["queries"].size();
            const bool progress = ::isatty(STDERR_FILENO);
            std::size_t done = 0;
            bool first = true;
            if (format == strata::cli::Format::kJson) std::cout << "[\n";
            const std::size_t failed = b->batch(body, [&](const nlohmann::json& line) {
                if (format == strata::cli::Format::kJson && !first) std::cout << ",\n";
                strata::cli::print_batch_line(std::cout, std::cerr, line, format, first);
                first = false;
                ++done;
                if (progress) std::cerr << "\r" << done << "/" << total << " queries" << (done == total ? "\n" : "") << std::flush;
            });
            if (format == strata::cli::Format::kJson) std::cout << "]\n";
            if (failed) {
                std::cerr << "strata: " << failed << " of " << total << " queries failed\n";
                return 1;
            }
        } else if (*doc) {
            strata::ParamMap p;
            if (!doc_q.empty()) p["q"] = {doc_q};
            const nlohmann::json d = b->get("/v1/documents/" + doc_id, p);
            if (format == strata::cli::Format::kJson) {
                std::cout << d.dump(2) << "\n";
            } else {
                std::vector<std::vector<std::string>> rows;
                for (const auto& ps : d["passages"])
                    rows.push_back({d["id"], std::to_string(ps.value("n", 0)), ps.value("section", ""),
                                    std::to_string(ps.value("page", 0)), strata::cli::plain_text(ps.value("text", ""))});
                const std::vector<std::string> header = {"doc_id", "passage", "section", "page", "text"};
                if (format == strata::cli::Format::kCsv) {
                    strata::cli::write_csv_row(std::cout, header);
                    for (const auto& r : rows) strata::cli::write_csv_row(std::cout, r);
                } else if (format == strata::cli::Format::kJsonl) {
                    for (const auto& ps : d["passages"]) std::cout << ps.dump() << "\n";
                } else {
                    std::cout << d.value("title", "") << "\n" << d.value("title_en", "") << "\n" << d.value("country_name", "")
                              << " · " << d.value("year", 0) << " · " << d.value("type", "") << " · " << d.value("issuer", "") << "\n\n";
                    for (const auto& ps : d["passages"]) {
                        std::cout << "§ " << ps.value("section", "") << "\n"
                                  << strata::cli::plain_text(ps.contains("highlight") ? ps["highlight"].get<std::string>()
                                                                                      : strata::text::html_escape(ps.value("text", "")), ansi)
                                  << "\n\n";
                    }
                }
            }
        } else if (*themes || *countries || *stats) {
            const std::string path = *themes ? "/v1/themes" : *countries ? "/v1/countries" : "/v1/stats";
            const nlohmann::json j = b->get(path, {});
            if (format == strata::cli::Format::kJson || *stats) {
                std::cout << j.dump(2) << "\n";
                return 0;
            }
            std::vector<std::string> header;
            std::vector<std::vector<std::string>> rows;
            if (*themes) {
                header = {"id", "label", "documents", "passages", "languages"};
                for (const auto& t : j["themes"])
                    rows.push_back({t["id"], t["label"], t["documents"].dump(), t["passages"].dump(), std::to_string(t["languages"].size())});
            } else {
                header = {"code", "name", "region", "subregion", "income", "documents"};
                for (const auto& c : j["countries"])
                    rows.push_back({c["code"], c["name"], c["region"], c.value("subregion", ""),
                                    c["income"].is_string() ? c["income"].get<std::string>() : "", c["documents"].dump()});
            }
            if (format == strata::cli::Format::kCsv) {
                strata::cli::write_csv_row(std::cout, header);
                for (const auto& r : rows) strata::cli::write_csv_row(std::cout, r);
            } else if (format == strata::cli::Format::kJsonl) {
                for (const auto& x : j.begin().value()) std::cout << x.dump() << "\n";
            } else {
                strata::cli::write_table(std::cout, header, rows);
            }
        }
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return 2;
    } catch (const strata::InvalidRequest& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return 2;
    } catch (const strata::NotFound& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return 1;
    } catch (const strata::Error& e) {
        std::cerr << "strata: " << e.what() << "\n";
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "strata: " << e.get_description() << "\n";
        return 2;
    }
}
