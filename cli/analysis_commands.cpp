// strata kwic and strata trends: the corpus analyses, embedded or through the daemon.
#include "commands.h"

#include "strata/concordance.h"
#include "strata/trends.h"

#include <iostream>
#include <stdexcept>

namespace strata::cli {

namespace {

constexpr std::size_t kSideWidth = 40;  // terminal columns of each context side

std::string str(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return "";
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

// The last @p width columns of @p s, right-aligned (left context ends at the match).
std::string tail(const std::string& s, std::size_t width) {
    std::size_t from = 0;
    while (from < s.size() && display_width(s.substr(from)) > width) {
        ++from;
        while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
    }
    const std::string t = s.substr(from);
    return std::string(width - display_width(t), ' ') + t;
}

// The first @p width columns of @p s.
std::string head(const std::string& s, std::size_t width) {
    std::size_t to = s.size();
    while (to > 0 && display_width(s.substr(0, to)) > width) {
        --to;
        while (to > 0 && (static_cast<unsigned char>(s[to]) & 0xC0) == 0x80) --to;
    }
    return s.substr(0, to);
}

void print_kwic_table(std::ostream& out, const nlohmann::json& r, bool ansi) {
    out << r.value("total", 0) << " occurrences in " << r.value("documents", 0) << " documents\n";
    std::size_t id_width = 0;
    for (const auto& l : r["lines"]) id_width = std::max(id_width, display_width(str(l, "id")));
    for (const auto& l : r["lines"]) {
        const std::string id = str(l, "id");
        out << id << std::string(id_width - display_width(id), ' ') << "  " << str(l, "year") << "  "
            << tail(str(l, "left"), kSideWidth) << ' ' << (ansi ? "\x1b[1m" : "") << str(l, "match")
            << (ansi ? "\x1b[0m" : "") << ' ' << head(str(l, "right"), kSideWidth) << '\n';
    }
}

void print_trends_table(std::ostream& out, const nlohmann::json& r) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : r["series"])
        for (const auto& p : s["points"])
            rows.push_back({str(s, "key"), str(s, "label"), str(p, "year"), str(p, "occurrences"), str(p, "tokens"),
                            str(p, "per_million"), str(p, "documents"), str(p, "documents_total")});
    write_table(out, {"key", "label", "year", "occurrences", "tokens", "per_million", "documents", "documents_total"}, rows);
}

// Formats only strata doc writes.
[[noreturn]] void citation_only() { throw std::invalid_argument("--format bibtex and ris are for strata doc"); }

}  // namespace

ParamMap KwicArgs::params() const {
    ParamMap p{{"q", {query}},
               {"sort", {sort}},
               {"context", {std::to_string(context)}},
               {"page", {std::to_string(page)}},
               {"per_page", {std::to_string(per_page)}}};
    p["crosslingual"] = {crosslingual ? "true" : "false"};
    filters.put(p);
    return p;
}

CLI::App* add_kwic(CLI::App& app, KwicArgs& args) {
    CLI::App* kwic = app.add_subcommand("kwic", "every occurrence of a query in context (concordance)");
    kwic->add_option("QUERY", args.query, "query text, as in search")->required();
    args.filters.add_to(*kwic);
    kwic->add_option("--context", args.context, "words each side (at most 50)")->capture_default_str();
    kwic->add_option("--sort", args.sort, "doc, year, -year, L1, L2, R1 or R2")->capture_default_str();
    kwic->add_option("--page", args.page, "page number")->capture_default_str();
    kwic->add_option("--per-page", args.per_page, "lines per page (at most 500)")->capture_default_str();
    kwic->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "also the query's translations (the default)");
    return kwic;
}

// CSV and JSON Lines are the API's tidy records (core), with their provenance, in both modes.
int run_kwic(const KwicArgs& args, const Context& ctx) {
    const nlohmann::json r = ctx.backend.get("/v1/concordance", args.params());
    switch (ctx.format) {
        case Format::kJson: std::cout << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'; break;
        case Format::kJsonl: write_jsonl(std::cout, concordance_records(r)); break;
        case Format::kCsv: std::cout << concordance_csv(r); break;
        case Format::kTable: print_kwic_table(std::cout, r, ctx.ansi); break;
        case Format::kBibtex:
        case Format::kRis: citation_only();
    }
    return 0;
}

ParamMap TrendsArgs::params() const {
    ParamMap p{{"q", {query}}, {"split", {split}}};
    p["crosslingual"] = {crosslingual ? "true" : "false"};
    filters.put(p);
    return p;
}

CLI::App* add_trends(CLI::App& app, TrendsArgs& args) {
    CLI::App* trends = app.add_subcommand("trends", "a query's occurrences per million words by year");
    trends->add_option("QUERY", args.query, "query text, as in search")->required();
    args.filters.add_to(*trends);
    trends->add_option("--split", args.split, "none, country, region or lang")->capture_default_str();
    trends->add_flag("--crosslingual,!--no-crosslingual", args.crosslingual, "also the query's translations (the default)");
    return trends;
}

int run_trends(const TrendsArgs& args, const Context& ctx) {
    const nlohmann::json r = ctx.backend.get("/v1/trends", args.params());
    switch (ctx.format) {
        case Format::kJson: std::cout << r.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'; break;
        case Format::kJsonl: write_jsonl(std::cout, trends_records(r)); break;
        case Format::kCsv: std::cout << trends_csv(r); break;
        case Format::kTable: print_trends_table(std::cout, r); break;
        case Format::kBibtex:
        case Format::kRis: citation_only();
    }
    return 0;
}

}  // namespace strata::cli
