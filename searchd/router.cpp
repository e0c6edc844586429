#include "router.h"

namespace strata::searchd {

namespace {

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return out;
}

}  // namespace

std::string json_text(const nlohmann::json& j) {
    // <, > and & only ever occur inside JSON strings; escaping them keeps an echoed query
    // inert even where a careless client drops the JSON into HTML.
    const std::string raw = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(raw.size() + 64);
    // Copy the stretches between those characters whole, not one character at a time.
    std::size_t from = 0;
    for (std::size_t at = 0; at < raw.size(); ++at) {
        const char c = raw[at];
        if (c != '<' && c != '>' && c != '&') continue;
        out.append(raw, from, at - from);
        out += c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : "\\u0026";
        from = at + 1;
    }
    out.append(raw, from, std::string::npos);
    return out;
}

Response Response::json(const nlohmann::json& j, int status) {
    Response r;
    r.status = status;
    r.body = json_text(j);
    return r;
}

Response Response::error(int status, const std::string& code, const std::string& message) {
    return json({{"error", {{"code", code}, {"message", message}}}}, status);
}

const Route* Router::match(Request& req, bool& path_exists) const {
    path_exists = false;
    const std::vector<std::string> have = segments(req.path);
    for (const Route& r : routes_) {
        const std::vector<std::string> want = segments(r.pattern);
        if (want.size() != have.size()) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < want.size() && ok; ++i) {
            if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
                if (have[i].empty()) ok = false;
                else params[want[i].substr(1, want[i].size() - 2)] = have[i];
            } else {
                ok = want[i] == have[i];
            }
        }
        if (!ok) continue;
        path_exists = true;
        if (r.method != req.method && !(r.method == "GET" && req.method == "HEAD")) continue;
        req.path_params = std::move(params);
        return &r;
    }
    return nullptr;
}

}  // namespace strata::searchd
