#include "served.h"

namespace strata::test {

IndexedServer::IndexedServer(const std::filesystem::path& index,
                             const std::function<void(searchd::ServerConfig&)>& configure)
    : index_(index) {
    searchd::ServerConfig c;
    c.listen = "127.0.0.1:0";
    c.index = {index.string()};
    c.access_log = false;
    if (configure) configure(c);
    server_ = std::make_unique<searchd::Server>(c);
    server_->start();
}

IndexedServer::~IndexedServer() { server_->stop(); }

std::string IndexedServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

HttpResult IndexedServer::get(const std::string& path_and_query) const { return http(port(), "GET", path_and_query); }

}  // namespace strata::test
