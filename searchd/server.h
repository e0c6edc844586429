/** @file server.h
 *  @brief strata-searchd as a library: the Poco HTTP server around the route table, so
 *         that tests can start a real daemon in-process on port 0.
 *
 *  Call order: construct with a validated ServerConfig (opens reference data), start(),
 *  port(), then stop() (finishes in-flight requests).
 */
#pragma once

#include "config.h"
#include "metrics.h"
#include "router.h"
#include "work_queue.h"

#include "strata/batch.h"
#include "strata/search.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace Poco::Net {
class TCPServer;
}
namespace Poco {
class ThreadPool;
}

namespace strata::searchd {

class Connections;

/// One finished request, as the metrics and the access log see it.
struct Exchange {
    std::string method, path;
    std::string route;  ///< the route's metrics label, or "unmatched"
    int status = 0;
    double seconds = 0;
    std::size_t bytes = 0;  ///< body bytes sent; 0 when streamed
    std::string remote;     ///< the client's address
};

class Server {
public:
    explicit Server(ServerConfig config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start();
    /// Stops accepting, lets in-flight requests finish, then returns.
    void stop();
    /// The bound port (useful with port 0).
    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] const ServerConfig& config() const { return config_; }

    /// Runs one request through auth, limits, the route table and error conversion.
    /// The HTTP layer (http_connection.cpp) and nothing else calls this.
    Response dispatch(Request& req, std::string& route_name);
    /// Counts a finished request in the metrics and writes its access-log line (if enabled).
    void record(const Exchange& e);

private:
    std::vector<Route> routes();
    /// The route's answer, or the error it threw as the API's JSON error.
    Response answer(Request& req, std::string& route_name);
    /// Preflight, 404 and 405, then the route's handler unless refuse() answers first; a
    /// gated route's handler runs on work_, or is refused with 429 after waiting the query
    /// time limit for a worker.
    Response route(Request& req, std::string& route_name);
    /// 401 without the configured token, 429 past the in-flight limit; nothing otherwise.
    [[nodiscard]] std::optional<Response> refuse(const Request& req) const;
    /// CORS: allows the request's Origin if it is configured.
    void allow_origin(const Request& req, Response& resp) const;
    /// The web UI's directory: the configured web_root, or the one built in.
    [[nodiscard]] std::string web_root() const;

    ServerConfig config_;
    std::unique_ptr<Searcher> searcher_;
    std::unique_ptr<WorkerPool> batch_pool_;  ///< after searcher_: its tasks use the searcher
    Router router_;
    Metrics metrics_;
    std::atomic<int> inflight_{0};
    WorkQueue work_;  ///< after searcher_: its workers use the searcher
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Connections> connections_;  ///< the HTTP layer (http_connection.h)
    std::unique_ptr<Poco::Net::TCPServer> tcp_;
    unsigned short port_ = 0;
};

}  // namespace strata::searchd
