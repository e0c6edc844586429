// The route table: every route of the daemon in one flat list. Handlers parse the request,
// call core, and write the result.
#include "server.h"

#include "strata/citation.h"
#include "strata/concordance.h"
#include "strata/errors.h"
#include "strata/export.h"
#include "strata/index_store.h"
#include "strata/trends.h"
#include "strata/keyness.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>

namespace strata::searchd {

namespace {

int int_param(const Request& req, const std::string& name, int fallback) {
    const std::string v = req.param(name);
    if (v.empty()) return fallback;
    int n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size())
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be a whole number");
    return n;
}

void only_params(const Request& req, std::initializer_list<const char*> allowed) {
    for (const auto& [name, values] : req.params) {
        bool ok = name.rfind('_', 0) == 0;
        for (const char* a : allowed) ok = ok || name == a;
        if (!ok) throw InvalidRequest("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'");
    }
}

// A static file of the web UI: a plain name (letters, digits, '.', '-', '_'; no leading
// dot), served from the web root with its content type.
Response static_file(const std::string& root, const std::string& name) {
    const bool plain = !name.empty() && name[0] != '.' &&
                       name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
                           std::string::npos;
    if (!plain) throw NotFound("no such file");
    const std::filesystem::path path = std::filesystem::path(root) / name;
    std::ifstream in(path, std::ios::binary);
    std::error_code ec;
    if (!in || !std::filesystem::is_regular_file(path, ec)) throw NotFound("no such file: " + name);
    std::stringstream body;
    body << in.rdbuf();
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".json", "application/json"},        {".ico", "image/x-icon"}, {".png", "image/png"}};
    const auto t = types.find(path.extension().string());
    Response r;
    r.content_type = t == types.end() ? "application/octet-stream" : t->second;
    r.body = body.str();
    r.headers["Cache-Control"] = name == "index.html" ? "no-cache" : "max-age=300";
    r.headers["Content-Security-Policy"] =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    r.headers["Referrer-Policy"] = "no-referrer";
    return r;
}

// An answer as JSON, or with format=csv as a CSV download named @p name.
Response json_or_csv(const Request& req, const nlohmann::json& result, std::string (*to_csv)(const nlohmann::json&),
                     const std::string& name) {
    if (req.param("format") != "csv") return Response::json(result);
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.headers["Content-Disposition"] = "attachment; filename=\"" + name + "\"";
    r.body = to_csv(result);
    return r;
}

// Throws unless format= is absent, json or csv (the routes whose request parsing does not
// check it).
void check_format(const Request& req) {
    const std::string format = req.param("format");
    if (!format.empty() && format != "json" && format != "csv")
        throw InvalidRequest("invalid_parameter", "parameter 'format' must be json or csv");
}

// GET /v1/compare: JSON, or with format=csv the tidy CSV as a download.
Response compare(const Searcher& s, const Request& req) {
    check_format(req);
    return json_or_csv(req, s.compare(CompareRequest::from_params(req.params)), compare_csv, "strata-compare.csv");
}

// GET /v1/search: JSON, or with format=csv one row per hit (its best passage) as a download.
// format= is the route's, not the search request's: it is checked and taken out here.
Response search(const Searcher& s, const Request& req) {
    check_format(req);
    ParamMap params = req.params;
    if (const auto format = params.find("format"); format != params.end()) {
        if (format->second.size() > 1) throw InvalidRequest("invalid_parameter", "parameter 'format' must be json or csv, given once");
        params.erase(format);
    }
    return json_or_csv(req, s.search(SearchRequest::from_params(params)), search_csv, "strata-search.csv");
}

// GET /v1/keyness: JSON, or with format=csv the rows as a download.
Response keyness(const Searcher& s, const Request& req) {
    check_format(req);
    return json_or_csv(req, strata::keyness(s, KeynessRequest::from_params(req.params)), keyness_csv, "strata-keyness.csv");
}

// GET /v1/documents/{id}: JSON, or with format=bibtex|ris its citation (of one passage
// with passage=N).
Response document(const Searcher& s, const Request& req) {
    const std::string id = req.path_params.at("id");
    const std::string format = req.param("format");
    ParamMap matching = req.params;  // the options that mark passages, as search matches them
    matching.erase("format");
    matching.erase("passage");
    const DocumentRequest doc = DocumentRequest::from_params(id, matching);
    if (format.empty() || format == "json") {
        if (!req.param("passage").empty())
            throw InvalidRequest("invalid_parameter", "parameter 'passage' chooses the passage to cite: use it with format=bibtex or ris");
        return Response::json(s.document(doc));
    }
    const std::optional<CitationFormat> f = citation_format(format);
    if (!f) throw InvalidRequest("invalid_parameter", "parameter 'format' must be json, bibtex or ris");
    std::optional<int> passage;
    if (!req.param("passage").empty()) passage = int_param(req, "passage", 0);
    const auto [type, ext] = citation_media(*f);
    Response r;
    r.content_type = type;
    r.headers["Content-Disposition"] = "attachment; filename=\"" + id + (passage ? "-p" + std::to_string(*passage) : "") + "." + ext + "\"";
    r.body = cite(s.document(doc), *f, passage);
    return r;
}

// POST /v1/batch: one JSON object with every result, or with Accept: application/x-ndjson
// one line per query streamed as each finishes (the stream runs after this returns, so it
// shares the parsed items).
Response batch(const Searcher& s, WorkerPool& pool, int max_batch, const Request& req) {
    only_params(req, {});
    const auto t0 = std::chrono::steady_clock::now();
    auto items = std::make_shared<std::vector<BatchItem>>(parse_batch(parse_json_body(req.body), static_cast<std::size_t>(max_batch)));
    if (req.header("accept").find("application/x-ndjson") != std::string::npos) {
        Response r;
        r.content_type = "application/x-ndjson; charset=utf-8";
        r.stream = [&s, &pool, items](std::ostream& os) {
            (void)run_batch(s, pool, *items, [&](const nlohmann::json& line) {
                os << json_text(line) << '\n';
                os.flush();
                if (!os) throw std::runtime_error("client went away");
            });
        };
        return r;
    }
    nlohmann::json results = nlohmann::json::array();
    const std::size_t failed = run_batch(s, pool, *items, [&](const nlohmann::json& line) { results.push_back(line); });
    const double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return Response::json({{"results", std::move(results)}, {"queries", items->size()}, {"failed", failed},
                           {"took_ms", std::round(took * 100) / 100}});
}

// GET /metrics: the request counters and latencies, with the index and in-flight gauges.
Response metrics(const Searcher& s, const Metrics& m, int inflight, const WorkQueue& work) {
    std::vector<std::pair<std::string, double>> gauges;
    try {
        const nlohmann::json st = s.stats();
        gauges = {{"strata_index_generation", st["generation"].get<double>()},
                  {"strata_index_documents", st["documents"].get<double>()},
                  {"strata_index_passages", st["passages"].get<double>()}};
    } catch (const std::exception&) {
        gauges = {{"strata_index_up", 0}};
    }
    gauges.emplace_back("strata_http_inflight_requests", inflight);
    gauges.emplace_back("strata_running_requests", work.running());
    gauges.emplace_back("strata_waiting_requests", work.waiting());
    gauges.emplace_back("strata_running_requests_max", work.most_running());
    gauges.emplace_back("strata_workers", work.workers());
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = m.render(gauges);
    return r;
}

}  // namespace

std::vector<Route> Server::routes() {
    Searcher& s = *searcher_;
    return {
        {"GET", "/v1/search", "search", [&s](const Request& req) { return search(s, req); }, true},
        {"GET", "/v1/compare", "compare", [&s](const Request& req) { return compare(s, req); }, true},
        {"GET", "/v1/concordance", "concordance",
         [&s](const Request& req) {
             return json_or_csv(req, s.concordance(ConcordanceRequest::from_params(req.params)), concordance_csv,
                                "strata-concordance.csv");
         },
         true},
        {"GET", "/v1/trends", "trends",
         [&s](const Request& req) {
             return json_or_csv(req, s.trends(TrendsRequest::from_params(req.params)), trends_csv, "strata-trends.csv");
         },
         true},
        {"GET", "/v1/keyness", "keyness", [&s](const Request& req) { return keyness(s, req); }, true},
        {"POST", "/v1/batch", "batch", [this, &s](const Request& req) { return batch(s, *batch_pool_, config_.max_batch, req); }, true},
        {"GET", "/v1/documents/{id}", "document", [&s](const Request& req) { return document(s, req); }, true},
        {"GET", "/v1/documents/{id}/similar", "similar",
         [&s](const Request& req) {
             only_params(req, {"count"});
             return Response::json(s.similar(req.path_params.at("id"), int_param(req, "count", 10)));
         },
         true},
        {"GET", "/v1/themes", "themes", [&s](const Request&) { return Response::json(s.themes()); }},
        {"GET", "/v1/countries", "countries", [&s](const Request&) { return Response::json(s.countries()); }},
        {"GET", "/v1/stats", "stats", [&s](const Request&) { return Response::json(s.stats()); }},
        {"GET", "/", "ui", [this](const Request&) { return static_file(web_root(), "index.html"); }},
        {"GET", "/static/{file}", "static",
         [this](const Request& req) { return static_file(web_root(), req.path_params.at("file")); }},
        {"GET", "/healthz", "healthz", [](const Request&) { return Response::json({{"status", "ok"}}); }},
        {"GET", "/readyz", "readyz",
         [&s](const Request&) {
             s.check_ready();
             return Response::json({{"status", "ready"}});
         }},
        {"GET", "/metrics", "metrics", [this, &s](const Request&) { return metrics(s, metrics_, inflight_.load(), work_); }},
    };
}

}  // namespace strata::searchd
