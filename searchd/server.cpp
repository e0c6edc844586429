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

class PocoHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit PocoHandler(Server& server) : server_(server) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        const auto t0 = std::chrono::steady_clock::now();
        Request req;
        Response resp;
        std::string route = "unmatched";
        try {
            req.method = in.getMethod();
            for (const auto& [k, v] : in) {
                std::string name = k;
                for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                req.headers[name] = v;
            }
            Poco::URI uri;
            try {
                uri = Poco::URI(in.getURI());
                req.path = uri.getPath();
                for (const auto& [k, v] : uri.getQueryParameters()) req.params[k].push_back(v);
            } catch (const Poco::Exception& e) {
                throw InvalidRequest("invalid_uri", "the request URI is malformed: " + e.message());
            }
            if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(server_.config().max_body_bytes))
                throw TooLarge("request body is larger than " + std::to_string(server_.config().max_body_bytes) + " bytes");
            if (req.method == "POST" || req.method == "PUT") req.body = read_body(in.stream(), server_.config().max_body_bytes);
            resp = server_.dispatch(req, route);
        } catch (const TooLarge& e) {
            resp = Response::error(413, "too_large", e.what());
            out.setKeepAlive(false);
            discard_body(in.stream(), kMaxDiscard);
        } catch (const InvalidRequest& e) {
            resp = Response::error(400, e.code(), e.what());
        } catch (const std::exception& e) {
            resp = Response::error(400, "bad_request", e.what());
        }
        out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(resp.status));
        out.setContentType(resp.content_type);
        out.set("X-Content-Type-Options", "nosniff");
        for (const auto& [k, v] : resp.headers) out.set(k, v);
        std::size_t bytes = 0;
        try {
            if (resp.stream) {
                out.setChunkedTransferEncoding(true);
                std::ostream& os = out.send();
                resp.stream(os);
            } else {
                bytes = resp.body.size();
                out.setContentLength64(static_cast<Poco::Int64>(bytes));
                std::ostream& os = out.send();
                if (req.method != "HEAD") os << resp.body;
            }
        } catch (const std::exception&) {
            // The client went away; nothing left to tell it.
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        server_.metrics_.observe(route, resp.status, seconds);
        if (server_.config().access_log) {
            const nlohmann::json line = {{"ts", iso_now()},        {"method", req.method}, {"path", req.path},
                                         {"route", route},         {"status", resp.status},
                                         {"ms", std::round(seconds * 100000) / 100}, {"bytes", bytes},
                                         {"remote", in.clientAddress().host().toString()}};
            std::lock_guard lock(log_mu);
            std::cerr << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
    }

private:
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

Response Server::dispatch(Request& req, std::string& route_name) {
    struct Inflight {
        std::atomic<int>& n;
        explicit Inflight(std::atomic<int>& c) : n(c) { ++n; }
        ~Inflight() { --n; }
    } inflight(inflight_);

    Response resp;
    try {
        bool path_exists = false;
        const Route* route = router_.match(req, path_exists);
        if (req.method == "OPTIONS" && path_exists) {
            resp.status = 204;
            resp.content_type = "text/plain";
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS";
            resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Accept";
            route_name = "options";
        } else if (!route) {
            resp = path_exists ? Response::error(405, "method_not_allowed", "method " + req.method + " is not allowed here")
                               : Response::error(404, "not_found", "no route for " + req.path.substr(0, 200));
        } else {
            route_name = route->name;
            // With a token configured, every route but the liveness probe needs it.
            const bool needs_token = !config_.token.empty() && req.path != "/healthz";
            if (needs_token && !constant_time_equal(req.header("authorization"), "Bearer " + config_.token)) {
                resp = Response::error(401, "unauthorized", "a valid bearer token is required");
                resp.headers["WWW-Authenticate"] = "Bearer";
            } else if (inflight_ > config_.inflight_limit()) {
                resp = Response::error(429, "overloaded", "too many requests in flight; retry shortly");
                resp.headers["Retry-After"] = "1";
            } else {
                resp = route->handler(req);
            }
        }
    } catch (const InvalidRequest& e) {
        resp = Response::error(400, e.code(), e.what());
    } catch (const NotFound& e) {
        resp = Response::error(404, "not_found", e.what());
    } catch (const TooLarge& e) {
        resp = Response::error(413, "too_large", e.what());
    } catch (const Unavailable& e) {
        resp = Response::error(503, "unavailable", e.what());
        resp.headers["Retry-After"] = "1";
    } catch (const Xapian::Error& e) {
        resp = Response::error(503, "index_error", e.get_msg());
    } catch (const std::bad_alloc&) {
        resp = Response::error(503, "out_of_memory", "the request needed more memory than is available");
    } catch (const std::exception& e) {
        resp = Response::error(500, "internal", "internal error");
        std::lock_guard lock(log_mu);
        std::cerr << "error: " << req.method << " " << req.path << ": " << e.what() << "\n";
    }
    const std::string origin = req.header("origin");
    if (!origin.empty()) {
        for (const std::string& allowed : config_.cors_origins) {
            if (allowed == "*" || allowed == origin) {
                resp.headers["Access-Control-Allow-Origin"] = allowed == "*" ? "*" : origin;
                resp.headers["Vary"] = "Origin";
            }
        }
    }
    return resp;
}

}  // namespace strata::searchd
