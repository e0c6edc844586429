#include "server.h"

#include "http_connection.h"

#include "strata/errors.h"
#include "strata/reference.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>

namespace strata::searchd {

namespace {

std::mutex log_mu;

std::string iso_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Compares a presented credential with the expected one in time that depends only on the
// expected length, so response timing does not reveal how much of a guess was right.
bool constant_time_equal(const std::string& presented, const std::string& expected) {
    volatile unsigned char diff = presented.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
        diff = diff | static_cast<unsigned char>(p ^ static_cast<unsigned char>(expected[i]));
    }
    return diff == 0;
}

}  // namespace

Server::Server(ServerConfig config)
    : config_((config.validate(), std::move(config))), router_({}), work_(config_.running_limit()) {
    // Labels and concepts come from the index itself unless a corpus directory is named.
    ReferenceData ref = config_.corpus.empty() ? reference_for_index(config_.index.front(), bundled_corpus_dir())
                                               : load_reference(config_.corpus);
    searcher_ = std::make_unique<Searcher>(SearcherOptions{config_.index, config_.search}, std::move(ref));
    batch_pool_ = std::make_unique<WorkerPool>(std::max(2u, std::thread::hardware_concurrency()));
    router_ = Router(routes());
}

Server::~Server() { stop(); }

std::string Server::web_root() const {
    if (!config_.web_root.empty()) return config_.web_root;
    if (const char* env = std::getenv("STRATA_WEB_ROOT"); env && *env) return env;
    return STRATA_WEB_ROOT;
}

void Server::start() {
    const auto [host, port] = split_listen(config_.listen);
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(host, port), true);
        socket.listen(config_.max_queued);
    } catch (const Poco::Exception& e) {
        throw ConfigError("key 'listen': cannot listen on " + config_.listen + ": " + e.displayText());
    }
    port_ = socket.address().port();
    // Shared by the TCPServer and every connection: reference-counted, so never a raw pointer.
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.threads);
    params->setMaxQueued(config_.max_queued);
    params->setTimeout(Poco::Timespan(0, config_.request_timeout_ms * 1000));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(1000);
    pool_ = std::make_unique<Poco::ThreadPool>(2, config_.threads + 2);
    connections_ = std::make_unique<Connections>(*this);
    tcp_ = std::make_unique<Poco::Net::TCPServer>(connections_->factory(params), *pool_, socket, params);
    tcp_->start();
}

void Server::stop() {
    if (!tcp_) return;
    tcp_->stop();                // stop accepting
    connections_->close_all();  // in-flight requests finish; idle keep-alive connections close
    pool_->joinAll();
    tcp_.reset();
    pool_.reset();
    connections_.reset();
}

void Server::record(const Exchange& e) {
    metrics_.observe(e.route, e.status, e.seconds);
    if (!config_.access_log) return;
    const nlohmann::json line = {{"ts", iso_now()},        {"method", e.method}, {"path", e.path},
                                 {"route", e.route},       {"status", e.status},
                                 {"ms", std::round(e.seconds * 100000) / 100}, {"bytes", e.bytes},
                                 {"remote", e.remote}};
    std::lock_guard lock(log_mu);
    std::cerr << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

Response Server::dispatch(Request& req, std::string& route_name) {
    struct Inflight {
        std::atomic<int>& n;
        explicit Inflight(std::atomic<int>& c) : n(c) { ++n; }
        ~Inflight() { --n; }
    } inflight(inflight_);

    Response resp = answer(req, route_name);
    allow_origin(req, resp);
    return resp;
}

Response Server::answer(Request& req, std::string& route_name) {
    try {
        return route(req, route_name);
    } catch (const InvalidRequest& e) {
        return Response::error(400, e.code(), e.what());
    } catch (const NotFound& e) {
        return Response::error(404, "not_found", e.what());
    } catch (const TooLarge& e) {
        return Response::error(413, "too_large", e.what());
    } catch (const Unavailable& e) {
        Response resp = Response::error(503, "unavailable", e.what());
        resp.headers.emplace("Retry-After", "1");
        return resp;
    } catch (const Xapian::Error& e) {
        return Response::error(503, "index_error", e.get_msg());
    } catch (const std::bad_alloc&) {
        return Response::error(503, "out_of_memory", "the request needed more memory than is available");
    } catch (const std::exception& e) {
        std::lock_guard lock(log_mu);
        std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << "\n";
        return Response::error(500, "internal", "internal error");
    }
}

Response Server::route(Request& req, std::string& route_name) {
    bool path_exists = false;
    const Route* matched = router_.match(req, path_exists);
    if (req.method == "OPTIONS" && path_exists) {
        route_name = "options";
        Response resp;
        resp.status = 204;
        resp.content_type = "text/plain";
        resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS";
        resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Accept";
        return resp;
    }
    if (!matched)
        return path_exists ? Response::error(405, "method_not_allowed", "method " + req.method + " is not allowed here")
                           : Response::error(404, "not_found", "no route for " + req.path.substr(0, 200));
    route_name = matched->name;
    if (std::optional<Response> refused = refuse(req)) return std::move(*refused);
    if (!matched->gated) return matched->handler(req);
    const auto wait = std::chrono::milliseconds(static_cast<long long>(config_.search.max_seconds * 1000));
    std::optional<Response> resp = work_.run([&] { return matched->handler(req); }, wait);
    if (!resp) {
        resp = Response::error(429, "overloaded", "no worker was free within the query time limit; retry shortly");
        resp->headers["Retry-After"] = "1";
    }
    return std::move(*resp);
}

std::optional<Response> Server::refuse(const Request& req) const {
    // With a token configured, every route but the liveness probe needs it.
    const bool needs_token = !config_.token.empty() && req.path != "/healthz";
    if (needs_token && !constant_time_equal(req.header("authorization"), "Bearer " + config_.token)) {
        Response resp = Response::error(401, "unauthorized", "a valid bearer token is required");
        resp.headers["WWW-Authenticate"] = "Bearer";
        return resp;
    }
    if (inflight_ > config_.inflight_limit()) {
        Response resp = Response::error(429, "overloaded", "too many requests in flight; retry shortly");
        resp.headers["Retry-After"] = "1";
        return resp;
    }
    return std::nullopt;
}

void Server::allow_origin(const Request& req, Response& resp) const {
    const std::string origin = req.header("origin");
    if (origin.empty()) return;
    for (const std::string& allowed : config_.cors_origins) {
        if (allowed == "*" || allowed == origin) {
            resp.headers["Access-Control-Allow-Origin"] = allowed == "*" ? "*" : origin;
            resp.headers["Vary"] = "Origin";
        }
    }
}

}  // namespace strata::searchd
