// strata-index: builds or updates an index from a corpus directory; validates a corpus;
// describes an index. Exit codes: 0 all good, 1 some documents failed, 2 usage/configuration.
#include "strata/corpus.h"
#include "strata/errors.h"
#include "strata/indexer.h"
#include "strata/check.h"

#include <CLI/CLI.hpp>
#include <xapian.h>

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace {

void print_progress(const strata::IndexProgress& p, bool tty) {
    static double last = -1;
    const double mb = static_cast<double>(p.bytes_done) / 1e6;
    const double rate = p.seconds > 0 ? mb / p.seconds : 0;
    const double total_mb = static_cast<double>(p.bytes_total) / 1e6;
    const double eta = rate > 0 ? (total_mb - mb) / rate : 0;
    if (tty) {
        const int width = 30;
        const int filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
        std::fprintf(stderr, "\r[%-*s] %zu/%zu docs  %.1f/%.1f MB  %.2f MB/s  ETA %.0fs ", width,
                     std::string(static_cast<std::size_t>(filled), '#').c_str(), p.done, p.total, mb, total_mb, rate, eta);
        if (p.done == p.total) std::fputc('\n', stderr);
    } else if (p.seconds - last >= 5 || p.done == p.total) {
        last = p.seconds;
        std::fprintf(stderr, "progress: %zu/%zu documents, %.1f/%.1f MB, %.2f MB/s, ETA %.0fs\n", p.done, p.total, mb,
                     total_mb, rate, eta);
    }
}

int run_index(const std::string& corpus, const std::string& index, bool rebuild, unsigned threads, bool quiet,
              const std::string& shard) {
    strata::IndexOptions opt;
    if (!shard.empty()) {
        unsigned i = 0, n = 0;
        char extra = 0;
        if (std::sscanf(shard.c_str(), "%u/%u%c", &i, &n, &extra) != 2 || i < 1 || i > n)
            throw strata::ConfigError("--shard must be i/n with 1 <= i <= n, e.g. 1/2");
        opt.shard = i;
        opt.shards = n;
    }
    opt.corpus_dir = corpus;
    opt.index_dir = index;
    opt.rebuild = rebuild;
    opt.threads = threads;
    const bool tty = ::isatty(STDERR_FILENO);
    if (!quiet) opt.on_progress = [tty](const strata::IndexProgress& p) { print_progress(p, tty); };
    const strata::IndexSummary s = strata::run_indexer(opt);
    for (const std::string& w : s.warnings) std::cerr << "warning: " << w << "\n";
    for (const strata::CorpusIssue& f : s.failures) std::cerr << "error: " << f.to_string() << "\n";
    std::printf("%s generation %llu: %zu added, %zu changed, %zu deleted, %zu unchanged, %zu failed; "
                "%zu passages, %.2f MB in %.2f s (%.2f MB/s)\n",
                s.rebuilt ? "built" : "updated", static_cast<unsigned long long>(s.generation), s.added, s.changed,
                s.deleted, s.unchanged, s.failures.size(), s.passages, static_cast<double>(s.bytes) / 1e6, s.seconds,
                s.mb_per_second());
    return s.failures.empty() ? 0 : 1;
}

int run_stats(const std::string& index) {
    const strata::IndexStats s = strata::read_index_stats(index);
    std::printf("index: %s\ngeneration: %llu\nbuilt_at: %s\ndocuments: %zu\npassages: %zu\ndisk: %.2f MB\n",
                index.c_str(), static_cast<unsigned long long>(s.generation), s.built_at.c_str(), s.documents,
                s.passages, static_cast<double>(s.disk_bytes) / 1e6);
    auto section = [](const char* name, const std::map<std::string, std::size_t>& m) {
        std::printf("%s:", name);
        for (const auto& [k, v] : m) std::printf(" %s=%zu", k.c_str(), v);
        std::printf("\n");
    };
    section("languages", s.languages);
    section("countries", s.countries);
    section("years", s.years);
    section("types", s.types);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"strata-index: build, update, check or describe a Strata index"};
    std::string corpus, index, check_dir, stats_dir, shard;
    bool rebuild = false, quiet = false;
    unsigned threads = 0;
    app.add_option("CORPUS_DIR", corpus, "corpus directory (searched recursively for *.yaml)");
    app.add_option("INDEX_DIR", index, "index directory");
    app.add_flag("--rebuild", rebuild, "write a fresh generation instead of updating");
    app.add_option("--threads", threads, "threads, and on a rebuild sub-indexes written in parallel (default: all cores)")->check(CLI::Range(0u, 256u));
    app.add_option("--shard", shard, "write only shard i of n (1-based, e.g. 1/2), by a stable hash of the id");
    app.add_option("--check", check_dir, "validate a corpus and report its counts, then exit");
    app.add_option("--stats", stats_dir, "describe an index, then exit");
    app.add_flag("-q,--quiet", quiet, "no progress output");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        if (!check_dir.empty()) return strata::print_corpus_check(check_dir, std::cout) ? 0 : 1;
        if (!stats_dir.empty()) return run_stats(stats_dir);
        if (corpus.empty() || index.empty()) {
            std::cerr << "strata-index: CORPUS_DIR and INDEX_DIR are required (see --help)\n";
            return 2;
        }
        return run_index(corpus, index, rebuild, threads, quiet, shard);
    } catch (const strata::InputError& e) {
        std::cerr << "strata-index: " << e.what() << "\n";
        return 2;
    } catch (const strata::Error& e) {
        std::cerr << "strata-index: " << e.what() << "\n";
        return 2;
    } catch (const Xapian::DatabaseError& e) {
        // Typically the disk is full or not writable; the live index was not touched.
        std::cerr << "strata-index: cannot write the index (the previous one stays live): " << e.get_description()
                  << "\n";
        return 2;
    } catch (const Xapian::Error& e) {
        std::cerr << "strata-index: " << e.get_description() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "strata-index: " << e.what() << "\n";
        return 2;
    }
}
