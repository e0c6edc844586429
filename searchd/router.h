/** @file router.h
 *  @brief The daemon's request/response model and its single flat route table.
 *
 *  Routes are matched by method and path segments; "{name}" matches one segment. A path
 *  matches at most one route by construction, so the table's order does not matter.
 */
#pragma once

#include "strata/search.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace strata::searchd {

/// A parsed HTTP request, independent of Poco.
struct Request {
    std::string method;
    std::string path;                               ///< decoded path without the query
    ParamMap params;                                ///< decoded query parameters
    std::map<std::string, std::string> path_params; ///< values of {name} segments
    std::map<std::string, std::string> headers;     ///< lower-case names
    std::string body;

    [[nodiscard]] std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    [[nodiscard]] std::string param(const std::string& name) const {
        auto it = params.find(name);
        return it == params.end() || it->second.empty() ? std::string() : it->second.front();
    }
};

/// What a handler answers.
struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::map<std::string, std::string> headers;
    /// Streams the body instead of @c body when set (NDJSON batch output).
    std::function<void(std::ostream&)> stream;

    static Response json(const nlohmann::json& j, int status = 200);
    static Response error(int status, const std::string& code, const std::string& message);
};

/// JSON text with <, > and & escaped as \u003c, \u003e, \u0026 (see Response::json).
[[nodiscard]] std::string json_text(const nlohmann::json& j);

using Handler = std::function<Response(const Request&)>;

/// One row of the route table.
struct Route {
    std::string method;
    std::string pattern;  ///< e.g. "/v1/documents/{id}/similar"
    std::string name;     ///< metrics label
    Handler handler;
    bool gated = false;   ///< runs on the WorkQueue's workers (the routes that read the index)
};

/// Finds the route for a request.
class Router {
public:
    explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

    /// The matching route, filling @p req.path_params; nullptr if none. @p method_allowed
    /// tells whether the path exists for another method (for 405).
    const Route* match(Request& req, bool& path_exists) const;

    [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace strata::searchd
