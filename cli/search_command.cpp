// strata search and strata compare, with the filters they share.
#include "commands.h"

#include <iostream>
#include <utility>

namespace strata::cli {

void Filters::add_to(CLI::App& command) {
    command.add_option("--country", country, "ISO codes, comma-separated (OR)");
    command.add_option("--region", region, "UN M49 region or sub-region slug, e.g. europe");
    command.add_option("--income", income, "World Bank income groups: high, upper-middle, lower-middle, low");
    command.add_option("--bloc", bloc, "country groups from countries.yaml, e.g. eu, oecd");
    command.add_option("--theme", theme, "theme ids, comma-separated");
    command.add_option("--year", year, "a year or a range: 2018..2021, 2019..");
    command.add_option("--lang", lang, "languages, comma-separated (BCP 47)");
    command.add_option("--type", type, "document types, comma-separated");
}

void Filters::put(ParamMap& params) const {
    const std::pair<const char*, const std::string*> all[] = {{"country", &country}, {"region", &region}, {"income", &income},
                                                              {"bloc", &bloc},       {"theme", &theme},   {"year", &year},
                                                              {"lang", &lang},       {"type", &type}};
    for (const auto& [name, value] : all)
        if (!value->empty()) params[name].push_back(*value);
}

ParamMap SearchArgs::params() const {
    ParamMap p{{"q", {query}},
               {"group", {group}},
               {"sort", {sort}},
               {"page", {std::to_string(page)}},
               {"per_page", {std::to_string(per_page)}}};
    p["crosslingual"] = {crosslingual ? "true" : "false"};
    if (full_text) p["passage_text"] = {"true"};
    filters.put(p);
    return p;
}

CLI::App* add_search(CLI::App& app, SearchArgs& args) {
    CLI::App* search = app.add_subcommand("search", "search passages and documents");
    // Not required() here: a query that starts with '-' ('-ethics') reaches main as an extra
    // argument, and main checks that there is one query.
    search->add_option("QUERY", args.query, "query text (words, \"phrases\", AND/OR/NOT, field:value; '-word' too)");
    args.filters.add_to(*search);
    search->add_option("--group", args.group, "document or passage")->capture_default_str();
    search->add_option("--sort", args.sort, "relevance, year or -year")->capture_default_str();
    search->add_option("--page", args.page, "page number")->capture_default_str();
    search->add_option("--per-page", args.per_page, "hits per page (at most 100)")->capture_default_str();
    search->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "match words through their translations too (the default; --no-crosslingual or --crosslingual=false: as typed)");
    search->add_flag("--full-text", args.full_text, "CSV and JSON Lines also carry each passage's whole text");
    return search;
}

int run_search(const SearchArgs& args, const Context& ctx) {
    const nlohmann::json r = ctx.backend.get("/v1/search", args.params());
    print_search(std::cout, r, ctx.format, ctx.ansi && ctx.format == Format::kTable, args.full_text);
    return r.value("total", 0) > 0 ? 0 : 1;
}

ParamMap CompareArgs::params() const {
    ParamMap p{{"by", {by}}, {"measure", {measure}}};
    if (!query.empty()) p["q"] = {query};
    p["crosslingual"] = {crosslingual ? "true" : "false"};
    if (no_best) p["best"] = {"false"};
    const std::pair<const char*, const std::string*> shown[] = {
        {"countries", &countries}, {"regions", &regions}, {"incomes", &incomes}, {"blocs", &blocs},
        {"themes", &themes},       {"years", &years},     {"langs", &langs}};
    for (const auto& [name, value] : shown)
        if (!value->empty()) p[name] = {*value};
    filters.put(p);
    return p;
}

CLI::App* add_compare(CLI::App& app, CompareArgs& args) {
    CLI::App* compare = app.add_subcommand("compare", "compare themes (or years, languages) across countries or regions");
    compare->add_option("QUERY", args.query, "optional query; without one, the cells are theme coverage");
    compare->add_option("--by", args.by, "ROW,COLUMN: country|region|income|bloc , theme|year|lang")->capture_default_str();
    args.filters.add_to(*compare);
    compare->add_option("--countries", args.countries, "rows to show (country codes)");
    compare->add_option("--regions", args.regions, "rows to show (region slugs)");
    compare->add_option("--incomes", args.incomes, "rows to show (income groups)");
    compare->add_option("--blocs", args.blocs, "rows to show (bloc ids)");
    compare->add_option("--themes", args.themes, "columns to show (theme ids)");
    compare->add_option("--years", args.years, "columns to show (years)");
    compare->add_option("--langs", args.langs, "columns to show (languages)");
    compare->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "match words through their translations too (the default; --no-crosslingual or --crosslingual=false: as typed)");
    compare->add_flag("--no-best", args.no_best, "leave out each cell's best passage (faster)");
    compare->add_option("--measure", args.measure, "passages (share of passages), per_million (occurrences per million tokens) or documents (share of documents)")
        ->capture_default_str();
    return compare;
}

int run_compare(const CompareArgs& args, const Context& ctx) {
    print_compare(std::cout, ctx.backend.get("/v1/compare", args.params()), ctx.format);
    return 0;
}

}  // namespace strata::cli
