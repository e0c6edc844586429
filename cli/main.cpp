// strata: the command-line client. Exit codes: 0 success, 1 some queries failed,
// 2 usage errors (and unreachable index or server).
#include "commands.h"

#include "strata/errors.h"

#include <xapian.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>

namespace {

using namespace strata::cli;

std::string default_index() {
    if (const char* env = std::getenv("STRATA_INDEX"); env && *env) return env;
    return STRATA_DEFAULT_INDEX;
}

// The options that come before (or after) any subcommand.
struct Common {
    std::string index = default_index();
    std::string server;
    std::string token;
    std::string format = "table";
};

// Every subcommand's arguments, and its node in the app (which tells whether it was chosen).
struct Subcommands {
    SearchArgs search;
    CompareArgs compare;
    KwicArgs kwic;
    TrendsArgs trends;
    KeynessArgs keyness;
    BatchArgs batch;
    DocArgs doc;
    CLI::App* search_app = nullptr;
    CLI::App* compare_app = nullptr;
    CLI::App* kwic_app = nullptr;
    CLI::App* trends_app = nullptr;
    CLI::App* keyness_app = nullptr;
    CLI::App* batch_app = nullptr;
    CLI::App* doc_app = nullptr;
    CLI::App* themes_app = nullptr;
    CLI::App* countries_app = nullptr;
    CLI::App* stats_app = nullptr;
};

void add_common_options(CLI::App& app, Common& common) {
    app.add_option("--index", common.index, "index directory (embedded mode)")->capture_default_str();
    app.add_option("--server", common.server, "strata-searchd URL, e.g. http://127.0.0.1:8765 (remote mode)");
    app.add_option("--token", common.token, "bearer token for the server")->envname("STRATA_TOKEN");
    app.add_option("--format", common.format, "table, json, jsonl or csv")->capture_default_str();
}

// In the order `strata --help` lists them.
void add_subcommands(CLI::App& app, Subcommands& s) {
    s.search_app = add_search(app, s.search);
    s.compare_app = add_compare(app, s.compare);
    s.kwic_app = add_kwic(app, s.kwic);
    s.trends_app = add_trends(app, s.trends);
    s.keyness_app = add_keyness(app, s.keyness);
    s.batch_app = add_batch(app, s.batch);
    s.doc_app = add_doc(app, s.doc);
    s.themes_app = add_themes(app);
    s.countries_app = add_countries(app);
    s.stats_app = add_stats(app);
}

std::unique_ptr<Backend> backend(const Common& c) {
    if (!c.server.empty()) return http_backend(c.server, c.token);
    return embedded_backend(c.index);
}

// A query that starts with '-' ('-ethics', "-military ai") reads as an option to CLI11,
// which leaves it among the extra arguments: it is the query of search or compare when
// that has none. The end-of-options marker "--" (`strata search -- -ethics`) stays among
// them too, and is no argument. Any other extra argument is a usage error.
void take_dash_query(CLI::App& app, Subcommands& s) {
    std::vector<std::string> extra = app.remaining(true);
    std::erase(extra, std::string("--"));
    CLI::App* chosen = *s.search_app ? s.search_app : *s.compare_app ? s.compare_app : nullptr;
    std::string* query = *s.search_app ? &s.search.query : &s.compare.query;
    const bool has_query = chosen && chosen->count("QUERY") > 0;
    if (chosen && !has_query && extra.size() == 1 && extra[0].size() > 1 && extra[0][0] == '-' && extra[0][1] != '-') {
        *query = extra[0];
        return;
    }
    if (!extra.empty()) throw CLI::ExtrasError(extra);
    if (*s.search_app && !has_query) throw CLI::RequiredError("QUERY");
}

// Runs the one subcommand that was parsed (CLI11 requires exactly one).
int run_chosen(const Subcommands& s, const Context& ctx) {
    if ((ctx.format == Format::kBibtex || ctx.format == Format::kRis) && !*s.doc_app)
        throw std::invalid_argument("--format bibtex and ris are for strata doc");
    if (*s.search_app) return run_search(s.search, ctx);
    if (*s.compare_app) return run_compare(s.compare, ctx);
    if (*s.kwic_app) return run_kwic(s.kwic, ctx);
    if (*s.trends_app) return run_trends(s.trends, ctx);
    if (*s.keyness_app) return run_keyness(s.keyness, ctx);
    if (*s.batch_app) return run_batch(s.batch, ctx);
    if (*s.doc_app) return run_doc(s.doc, ctx);
    if (*s.themes_app) return run_themes(ctx);
    if (*s.countries_app) return run_countries(ctx);
    if (*s.stats_app) return run_stats(ctx);
    return 0;
}

// Runs @p command; an error becomes one line on stderr and its exit code: 1 for a missing
// document, 2 for bad usage, a bad index or an unreachable server.
int reporting_errors(const std::function<int()>& command) {
    try {
        return command();
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

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"strata: search and compare national AI strategies"};
    app.require_subcommand(1);
    app.fallthrough();  // global options may also follow the subcommand
    app.allow_extras();  // a query such as '-ethics' (see take_dash_query)
    Common common;
    add_common_options(app, common);
    Subcommands subcommands;
    add_subcommands(app, subcommands);
    try {
        app.parse(argc, argv);
        take_dash_query(app, subcommands);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe or shard connection is an error to report, not a kill
    const bool ansi = ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    return reporting_errors([&] {
        const Format format = parse_format(common.format);
        const auto b = backend(common);
        return run_chosen(subcommands, Context{*b, format, ansi});
    });
}
