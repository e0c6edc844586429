#include "http_connection.h"

#include "http_head.h"
#include "server.h"

#include "strata/errors.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPChunkedStream.h>
#include <Poco/Net/HTTPFixedLengthStream.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/HTTPStream.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/NumberParser.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <sstream>

namespace strata::searchd {

namespace {

using Clock = std::chrono::steady_clock;

// What is read and dropped, at most, of a refused request's body or head.
constexpr std::size_t kMaxDiscard = 64 * 1024 * 1024;

// Poco's server session with its byte reader opened to read_head(). get() returns a char
// value, so a 0xFF byte reads as the end of input: that head is cut short (400), as in Poco.
class Session : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;
    int next_byte() { return get(); }
};

// The body as Poco's HTTPServerRequestImpl frames it: chunked, Content-Length, empty for
// GET, HEAD and DELETE, else up to the end of the connection.
std::unique_ptr<std::istream> body_stream(Session& session, const Poco::Net::HTTPRequest& request) {
    using namespace Poco::Net;
    if (request.getChunkedTransferEncoding()) return std::make_unique<HTTPChunkedInputStream>(session);
    if (request.hasContentLength()) {
        Poco::Int64 length = 0;
        if (!Poco::NumberParser::tryParse64(request.get(HTTPMessage::CONTENT_LENGTH), length) || length < 0)
            throw HeadError(400, "bad_header", "Content-Length is not a byte count");
        return std::make_unique<HTTPFixedLengthInputStream>(session, length);
    }
    const std::string& m = request.getMethod();
    if (m == HTTPRequest::HTTP_GET || m == HTTPRequest::HTTP_HEAD || m == HTTPRequest::HTTP_DELETE)
        return std::make_unique<HTTPFixedLengthInputStream>(session, 0);
    return std::make_unique<HTTPInputStream>(session);
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

// After an answer to a refused head: sends FIN, then reads and drops what the client still
// sends (the rest of a 2 MB URI) until it closes, within @p cap bytes and @p timeout.
// Closing with unread input would reset the connection, which can destroy the answer
// before the client has read it.
void linger(Poco::Net::StreamSocket& socket, std::size_t cap, Poco::Timespan timeout) {
    const auto deadline = Clock::now() + std::chrono::microseconds(timeout.totalMicroseconds());
    try {
        socket.shutdownSend();
        char buf[16384];
        std::size_t total = 0;
        for (int n; total < cap && Clock::now() < deadline && (n = socket.receiveBytes(buf, sizeof buf)) > 0;)
            total += static_cast<std::size_t>(n);
    } catch (const Poco::Exception&) {
        // A timeout or a reset: the client has what it was sent, or is gone.
    }
}

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
void read_request_body(const Poco::Net::HTTPRequest& in, std::istream& body, Request& req, std::size_t limit) {
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit))
        throw TooLarge("request body is larger than " + std::to_string(limit) + " bytes");
    if (req.method == "POST" || req.method == "PUT") req.body = read_body(body, limit);
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

/// One client connection: its requests one after another, while keep-alive lasts.
class Connection : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& socket, Connections& open, Poco::Net::HTTPServerParams::Ptr params)
        : TCPServerConnection(socket), open_(open), server_(open.server_), params_(std::move(params)) {
        if (!open_.add(this)) closed_ = true;
    }
    ~Connection() override { open_.remove(this); }

    void run() override {
        Session session(socket(), params_);
        try {
            remote_ = session.clientAddress().host().toString();
            while (!closed_ && session.hasMoreRequests()) {
                std::lock_guard lock(serving_);
                if (closed_ || !serve(session)) break;
            }
        } catch (const Poco::Exception&) {
            // A timeout or a reset: the client is gone, or too slow to wait for.
        }
    }

    /// Waits for the request being served, then shuts the socket.
    void close() {
        closed_ = true;
        std::lock_guard lock(serving_);
        try {
            socket().shutdown();
        } catch (const Poco::Exception&) {
        }
    }

private:
    // Serves one request; false when the connection is to end.
    bool serve(Session& session) {
        const auto started = Clock::now();
        Poco::Net::HTTPRequest request;
        std::unique_ptr<std::istream> body;
        try {
            const std::string head = read_head([&session] { return session.next_byte(); });
            if (head.empty()) return false;  // closed between requests
            std::istringstream in(head);
            request.read(in);
            body = body_stream(session, request);
        } catch (const HeadError& e) {
            refuse(session, Response::error(e.status(), e.code(), e.what()), started);
            return false;
        } catch (const Poco::Net::MessageException& e) {
            // read_head() let through a head that Poco refuses: still an answer in JSON.
            refuse(session, Response::error(400, "bad_request", e.displayText()), started);
            return false;
        }
        Poco::Net::HTTPServerResponseImpl response(session);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
        if (request.getExpectContinue()) response.sendContinue();
        exchange(request, *body, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
        return true;
    }

    // The request through the route table, its answer sent and recorded.
    void exchange(const Poco::Net::HTTPRequest& in, std::istream& body, Poco::Net::HTTPServerResponse& out) {
        const auto t0 = Clock::now();
        Request req;
        Exchange done;
        done.route = "unmatched";
        const Response resp = answer(in, body, out, req, done.route);
        done.bytes = send_response(out, resp, req.method);
        record(done, req, resp.status, t0);
    }

    // The router's answer; errors in reading the request become their JSON answers.
    Response answer(const Poco::Net::HTTPRequest& in, std::istream& body, Poco::Net::HTTPServerResponse& out, Request& req,
                    std::string& route) {
        try {
            fill_request(in, req);
            read_request_body(in, body, req, server_.config().max_body_bytes);
            return server_.dispatch(req, route);
        } catch (const TooLarge& e) {
            out.setKeepAlive(false);
            discard_body(body, kMaxDiscard);
            return Response::error(413, "too_large", e.what());
        } catch (const InvalidRequest& e) {
            return Response::error(400, e.code(), e.what());
        } catch (const std::exception& e) {
            return Response::error(400, "bad_request", e.what());
        }
    }

    // Answers a request that never reached the router, and ends the connection.
    void refuse(Session& session, const Response& resp, Clock::time_point t0) {
        Exchange done;
        done.route = "unmatched";
        {
            Poco::Net::HTTPServerResponseImpl response(session);
            response.setDate(Poco::Timestamp());
            response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
            response.setKeepAlive(false);
            done.bytes = send_response(response, resp, "");
        }  // the response is flushed here, before the FIN
        record(done, Request{}, resp.status, t0);
        session.setKeepAlive(false);
        linger(session.socket(), kMaxDiscard, params_->getTimeout());
    }

    void record(Exchange& done, const Request& req, int status, Clock::time_point t0) {
        done.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        done.method = req.method;
        done.path = req.path;
        done.status = status;
        done.remote = remote_;
        server_.record(done);
    }

    Connections& open_;
    Server& server_;
    Poco::Net::HTTPServerParams::Ptr params_;
    std::string remote_;
    std::mutex serving_;  ///< held while a request is served, so that close() waits for it
    std::atomic<bool> closed_{false};
};

namespace {

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Connections& open, Poco::Net::HTTPServerParams::Ptr params) : open_(open), params_(std::move(params)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new Connection(socket, open_, params_);
    }

private:
    Connections& open_;
    Poco::Net::HTTPServerParams::Ptr params_;
};

}  // namespace

Poco::Net::TCPServerConnectionFactory::Ptr Connections::factory(Poco::Net::HTTPServerParams::Ptr params) {
    return new ConnectionFactory(*this, std::move(params));
}

bool Connections::add(Connection* c) {
    std::lock_guard lock(mu_);
    open_.insert(c);
    return !closing_;
}

void Connections::remove(Connection* c) {
    std::lock_guard lock(mu_);
    open_.erase(c);
}

void Connections::close_all() {
    std::lock_guard lock(mu_);
    closing_ = true;
    for (Connection* c : open_) c->close();
}

}  // namespace strata::searchd
