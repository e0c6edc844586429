// strata-searchd: serves an index over HTTP. Exit codes: 0 after a clean shutdown,
// 2 for a usage or configuration error.
#include "config.h"
#include "server.h"

#include "strata/errors.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <malloc.h>

namespace {

// glibc gives threads up to 8 malloc arenas per core, and each arena keeps the high-water
// mark of the requests its threads served: at 1 GB of corpus, bench-search's load left the
// daemon at 369 MB with the default and at 290 MB with one arena per core, with the same
// throughput. MALLOC_ARENA_MAX, when set, still decides.
void limit_malloc_arenas() {
    if (std::getenv("MALLOC_ARENA_MAX")) return;
    const unsigned cores = std::thread::hardware_concurrency();
    mallopt(M_ARENA_MAX, static_cast<int>(cores > 0 ? cores : 1));
}

}  // namespace

int main(int argc, char** argv) {
    limit_malloc_arenas();  // before any thread starts
    CLI::App app{"strata-searchd: the Strata search daemon"};
    std::string config_file, listen, corpus, token;
    std::vector<std::string> index;
    int threads = 0;
    app.add_option("--config", config_file, "YAML configuration file (schemas/config.schema.json)");
    app.add_option("--index", index, "index directory, or host:port of a xapian-tcpsrv shard (repeatable)");
    app.add_option("--listen", listen, "address to listen on (default 127.0.0.1:8765)");
    app.add_option("--corpus", corpus, "directory with themes.yaml, concepts.yaml and countries.yaml");
    app.add_option("--threads", threads, "worker threads");
    app.add_option("--token", token, "require this bearer token on every route but /healthz");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    // SIGTERM and SIGINT are taken synchronously below; block them in every thread.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        strata::searchd::ServerConfig config = strata::searchd::load_config(config_file);
        if (!index.empty()) config.index = index;
        if (!listen.empty()) config.listen = listen;
        if (!corpus.empty()) config.corpus = corpus;
        if (!token.empty()) config.token = token;
        if (threads) config.threads = threads;
        strata::searchd::Server server(std::move(config));
        server.start();
        std::cerr << "strata-searchd: listening on http://" << server.config().listen.substr(0, server.config().listen.rfind(':'))
                  << ":" << server.port() << "\n";
        int sig = 0;
        sigwait(&signals, &sig);
        std::cerr << "strata-searchd: shutting down\n";
        server.stop();
        return 0;
    } catch (const strata::ConfigError& e) {
        std::cerr << "strata-searchd: configuration error: " << e.what() << "\n";
        return 2;
    } catch (const strata::Error& e) {
        std::cerr << "strata-searchd: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "strata-searchd: " << e.what() << "\n";
        return 2;
    }
}
