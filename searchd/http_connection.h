/** @file http_connection.h
 *  @brief The daemon's HTTP/1.1 connections: Poco's TCPServer accepts them, and each reads
 *         its request heads with read_head() (http_head.h), so that every refusal, the
 *         HTTP layer's as well as the route table's, is the API's JSON error.
 *
 *  This takes the place of Poco's HTTPServer and HTTPServerConnection, whose parser answers
 *  a head it cannot read with a bare 400 that no handler sees. Bodies, responses and
 *  keep-alive still go through Poco's HTTPServerSession and its streams.
 *
 *  Call order: factory() for the TCPServer; after TCPServer::stop(), close_all(); destroy
 *  this once the TCPServer's threads have finished.
 */
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <mutex>
#include <set>

namespace strata::searchd {

class Server;
class Connection;

/// The open connections of a daemon, so that stopping it can close them.
class Connections {
public:
    explicit Connections(Server& server) : server_(server) {}
    Connections(const Connections&) = delete;
    Connections& operator=(const Connections&) = delete;

    /// A factory for Poco's TCPServer: each accepted socket becomes a Connection that runs
    /// its requests through Server::dispatch.
    [[nodiscard]] Poco::Net::TCPServerConnectionFactory::Ptr factory(Poco::Net::HTTPServerParams::Ptr params);

    /// Lets each connection finish the request it is serving, then shuts its socket, so
    /// that idle keep-alive connections end too. Connections opened later end at once.
    void close_all();

private:
    friend class Connection;
    /// Registers @p c; false once close_all() has run (the connection is to end at once).
    [[nodiscard]] bool add(Connection* c);
    void remove(Connection* c);

    Server& server_;
    std::mutex mu_;
    std::set<Connection*> open_;
    bool closing_ = false;
};

}  // namespace strata::searchd
