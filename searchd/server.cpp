#include "server.h"

#include "strata/errors.h"
#include "strata/reference.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

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

// Reads at most @p limit bytes of body; throws TooLarge past it.
std::string read_body(std::istream& in, std::size_t limit) {
    std::string body;
    char buf[16384];
    while (in) {
        in.read(buf, sizeof buf);
        const auto n = static_cast<std::size_t>(in.gcount());
        if (body.size() + n > limit) throw TooLarge("request body is larger than " + std::to_string(limit) + " bytes");
        body.append(buf, n);
    }
    return body;
}

// Reads and drops what is left of a refused body (up to @p cap bytes), so that closing the
// connection does not reset it before the client has read the 413.
void discard_body(std::istream& in, std::size_t cap) {
    char buf[16384];
    std::size_t total = 0;
    while (in && total < cap) {
        in.read(buf, sizeof buf);
        total += static_cast<std::size_t>(in.gcount());
    }
}

constexpr std::size_t kMaxDiscard = 64 * 1024 * 1024;

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

namespace {

// Fills @p req from the Poco request: method, lower-case header names, decoded path and
// query. What is filled stays filled when the URI turns out to be malformed.
void fill_request(const Poco::Net::HTTPRequest& in, Request& req) {
    req.method = in.getMethod();
    for (const auto& [k, v] : in) {
        std::string name = k;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers[name] = v;
    }
    try {
        const Poco::URI uri(in.getURI());
        req.path = uri.getPath();
        for (const auto& [k, v] : uri.getQueryParameters()) req.params[k].push_back(v);
    } catch (const Poco::Exception& e) {
        throw InvalidRequest("invalid_uri", "the request URI is malformed: " + e.message());
    }
}

// Reads the body of a POST or PUT into @p req; TooLarge past @p limit, announced or not.
void read_request_body(Poco::Net::HTTPServerRequest& in, Request& req, std::size_t limit) {
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit))
        throw TooLarge("request body is larger than " + std::to_string(limit) + " bytes");
    if (req.method == "POST" || req.method == "PUT") req.body = read_body(in.stream(), limit);
}

// Sends @p resp (headers only for HEAD). Returns the body's size, 0 when streamed. A client
// that went away is nothing to report.
std::size_t send_response(Poco::Net::HTTPServerResponse& out, const Response& resp, const std::string& method) {
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(resp.status));
    out.setContentType(resp.content_type);
    out.set("X-Content-Type-Options", "nosniff");
    for (const auto& [k, v] : resp.headers) out.set(k, v);
    const std::size_t bytes = resp.stream ? 0 : resp.body.size();
    try {
        if (resp.stream) {
            out.setChunkedTransferEncoding(true);
            resp.stream(out.send());
        } else {
            out.setContentLength64(static_cast<Poco::Int64>(bytes));
            std::ostream& os = out.send();
            if (method != "HEAD") os << resp.body;
        }
    } catch (const std::exception&) {
    }
    return bytes;
}

}  // namespace

class PocoHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit PocoHandler(Server& server) : server_(server) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        const auto t0 = std::chrono::steady_clock::now();
        Request req;
        Exchange done;
        done.route = "unmatched";
        const Response resp = answer(in, out, req, done.route);
        done.bytes = send_response(out, resp, req.method);
        done.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        done.method = req.method;
        done.path = req.path;
        done.status = resp.status;
        done.remote = in.clientAddress().host().toString();
        server_.record(done);
    }

private:
    // The request through the router; errors in reading it become their JSON answers.
    Response answer(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out, Request& req, std::string& route) {
        try {
            fill_request(in, req);
            read_request_body(in, req, server_.config().max_body_bytes);
            return server_.dispatch(req, route);
        } catch (const TooLarge& e) {
            out.setKeepAlive(false);
            discard_body(in.stream(), kMaxDiscard);
            return Response::error(413, "too_large", e.what());
        } catch (const InvalidRequest& e) {
            return Response::error(400, e.code(), e.what());
        } catch (const std::exception& e) {
            return Response::error(400, "bad_request", e.what());
        }
    }

    Server& server_;
};

class PocoFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit PocoFactory(Server& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new PocoHandler(server_);
    }

private:
    Server& server_;
};

Server::Server(ServerConfig config) : config_(std::move(config)), router_({}) {
    config_.validate();
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
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config_.threads);
    params->setMaxQueued(config_.max_queued);
    params->setTimeout(Poco::Timespan(0, config_.request_timeout_ms * 1000));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(1000);
    pool_ = std::make_unique<Poco::ThreadPool>(2, config_.threads + 2);
    http_ = std::make_unique<Poco::Net::HTTPServer>(new PocoFactory(*this), *pool_, socket, params);
    http_->start();
}

void Server::stop() {
    if (!http_) return;
    http_->stopAll(false);  // stop accepting; in-flight requests finish
    pool_->joinAll();
    http_.reset();
    pool_.reset();
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
        resp.headers["Retry-After"] = "1";
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
    return matched->handler(req);
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
