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

#include "strata/batch.h"
#include "strata/search.h"

#include <atomic>
#include <memory>

namespace Poco::Net {
class HTTPServer;
}
namespace Poco {
class ThreadPool;
}

namespace strata::searchd {

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
    /// The Poco layer and nothing else calls this.
    Response dispatch(Request& req, std::string& route_name);

private:
    std::vector<Route> routes();
    /// The web UI's directory: the configured web_root, or the one built in.
    [[nodiscard]] std::string web_root() const;

    ServerConfig config_;
    std::unique_ptr<Searcher> searcher_;
    std::unique_ptr<WorkerPool> batch_pool_;  ///< after searcher_: its tasks use the searcher
    Router router_;
    Metrics metrics_;
    std::atomic<int> inflight_{0};
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> http_;
    unsigned short port_ = 0;
    friend class PocoHandler;
};

}  // namespace strata::searchd
