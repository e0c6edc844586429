/** @file served.h
 *  @brief Test helpers over a real strata-searchd: a server on loopback over a shared
 *         index, and a suite base that starts one for each suite.
 */
#pragma once

#include "server.h"
#include "support.h"

#include <functional>

namespace strata::test {

/// strata-searchd in-process on 127.0.0.1 at a free port, over @p index, without an access
/// log; @p configure may set more of its options. Started on construction, stopped (its
/// in-flight requests finished) on destruction.
class IndexedServer {
public:
    explicit IndexedServer(const std::filesystem::path& index,
                           const std::function<void(searchd::ServerConfig&)>& configure = {});
    ~IndexedServer();
    IndexedServer(const IndexedServer&) = delete;
    IndexedServer& operator=(const IndexedServer&) = delete;

    [[nodiscard]] unsigned short port() const { return server_->port(); }
    /// http://127.0.0.1:<port>
    [[nodiscard]] std::string base_url() const;
    [[nodiscard]] const std::filesystem::path& index() const { return index_; }
    /// One GET of @p path_and_query.
    [[nodiscard]] HttpResult get(const std::string& path_and_query) const;

private:
    std::filesystem::path index_;
    std::unique_ptr<searchd::Server> server_;
};

/// A suite over a real server: its SetUpTestSuite calls serve() with the suite's corpus,
/// which is indexed once per test binary (shared_index); the server is stopped after the
/// suite's last test.
class ServedSuite : public ::testing::Test {
protected:
    static void serve(const std::filesystem::path& corpus) {
        server_ = std::make_unique<IndexedServer>(shared_index(corpus));
    }
    static void TearDownTestSuite() { server_.reset(); }

    static inline std::unique_ptr<IndexedServer> server_;
};

}  // namespace strata::test
