/** @file commands.h
 *  @brief The strata subcommands: for each, a struct of its arguments, a function that adds
 *         the subcommand and its options to the CLI11 app, and one that runs it.
 *
 *  Call order: add_*() before CLI::App::parse(), then run_*() for the subcommand that was
 *  chosen. run_*() return the exit code (0; 1 when a search found nothing or some batch
 *  queries failed) and let
 *  strata::Error, Xapian::Error and std::invalid_argument through to main, which reports
 *  them.
 */
#pragma once

#include "backend.h"
#include "output.h"

#include <CLI/CLI.hpp>

#include <string>

namespace strata::cli {

/// What every command runs with, once the global options are parsed.
struct Context {
    Backend& backend;
    Format format;
    bool ansi;  ///< stdout is a terminal that takes bold and colour
};

/// The filters that search and compare share: comma-separated values, ORed.
struct Filters {
    std::string country, region, income, bloc, theme, year, lang, type;

    void add_to(CLI::App& command);
    /// Adds the filters that were given to @p params.
    void put(ParamMap& params) const;
};

/// `strata search QUERY`
struct SearchArgs {
    std::string query, group = "document", sort = "relevance";
    int page = 1, per_page = 10;
    bool crosslingual = true;
    bool full_text = false;  ///< CSV and JSON Lines carry each passage's whole text
    Filters filters;

    /// The parameters of GET /v1/search.
    [[nodiscard]] ParamMap params() const;
};
CLI::App* add_search(CLI::App& app, SearchArgs& args);
/// 0 with hits, 1 when the search found nothing (the output is printed either way).
[[nodiscard]] int run_search(const SearchArgs& args, const Context& ctx);

/// `strata compare [QUERY]`
struct CompareArgs {
    std::string query, by = "country,theme", measure = "passages";
    std::string countries, regions, incomes, blocs, themes, years, langs;  ///< the rows and columns to show
    bool crosslingual = true, no_best = false;
    Filters filters;

    /// The parameters of GET /v1/compare.
    [[nodiscard]] ParamMap params() const;
};
CLI::App* add_compare(CLI::App& app, CompareArgs& args);
[[nodiscard]] int run_compare(const CompareArgs& args, const Context& ctx);

/// `strata kwic QUERY`: every occurrence in context (GET /v1/concordance)
struct KwicArgs {
    std::string query, sort = "doc";
    int context = 10, page = 1, per_page = 50;
    bool crosslingual = true;
    Filters filters;

    /// The parameters of GET /v1/concordance.
    [[nodiscard]] ParamMap params() const;
};
CLI::App* add_kwic(CLI::App& app, KwicArgs& args);
[[nodiscard]] int run_kwic(const KwicArgs& args, const Context& ctx);

/// `strata trends QUERY`: occurrences per million tokens by year (GET /v1/trends)
struct TrendsArgs {
    std::string query, split = "none";
    bool crosslingual = true;
    Filters filters;

    /// The parameters of GET /v1/trends.
    [[nodiscard]] ParamMap params() const;
};
CLI::App* add_trends(CLI::App& app, TrendsArgs& args);
[[nodiscard]] int run_trends(const TrendsArgs& args, const Context& ctx);

/// `strata keyness --target FILTERS`
struct KeynessArgs {
    std::string target, reference, unit = "word", side = "both";
    int min_count = 3, per_page = 50;
    Filters filters;

    /// The parameters of GET /v1/keyness.
    [[nodiscard]] ParamMap params() const;
};
CLI::App* add_keyness(CLI::App& app, KeynessArgs& args);
[[nodiscard]] int run_keyness(const KeynessArgs& args, const Context& ctx);

/// `strata batch FILE`
struct BatchArgs {
    std::string file, input = "auto";
    bool full_text = false;
};
CLI::App* add_batch(CLI::App& app, BatchArgs& args);
/// Prints each query's rows as they come (every query at least one row in CSV and JSON
/// Lines), progress on a terminal's stderr; 1 if any failed.
[[nodiscard]] int run_batch(const BatchArgs& args, const Context& ctx);

/// `strata doc ID`
struct DocArgs {
    std::string id, highlight;
    bool crosslingual = true;
    Filters filters;  ///< with --highlight, the passages match as in a search with them
    int passage = -1;  ///< with --format bibtex or ris: cite this passage (-1: the document)
};
CLI::App* add_doc(CLI::App& app, DocArgs& args);
[[nodiscard]] int run_doc(const DocArgs& args, const Context& ctx);

/// `strata themes`, `strata countries` and `strata stats`: listings without options.
CLI::App* add_themes(CLI::App& app);
CLI::App* add_countries(CLI::App& app);
CLI::App* add_stats(CLI::App& app);
[[nodiscard]] int run_themes(const Context& ctx);
[[nodiscard]] int run_countries(const Context& ctx);
[[nodiscard]] int run_stats(const Context& ctx);

}  // namespace strata::cli
