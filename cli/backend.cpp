#include "backend.h"

#include "strata/batch.h"
#include "strata/concordance.h"
#include "strata/errors.h"
#include "strata/trends.h"
#include "strata/keyness.h"
#include "strata/reference.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <thread>

namespace strata::cli {

namespace {

class Embedded : public Backend {
public:
    explicit Embedded(const std::string& index)
        : searcher_(SearcherOptions{{index}, SearchLimits{}}, reference_for_index(index, bundled_corpus_dir())) {}

    nlohmann::json get(const std::string& path, const ParamMap& params) override {
        auto one = [&](const char* name) {
            auto it = params.find(name);
            return it == params.end() || it->second.empty() ? std::string() : it->second.front();
        };
        if (path == "/v1/search") return searcher_.search(SearchRequest::from_params(params));
        if (path == "/v1/compare") return searcher_.compare(CompareRequest::from_params(params));
        if (path == "/v1/concordance") return searcher_.concordance(ConcordanceRequest::from_params(params));
        if (path == "/v1/trends") return searcher_.trends(TrendsRequest::from_params(params));
        if (path == "/v1/keyness") return keyness(searcher_, KeynessRequest::from_params(params));
        if (path == "/v1/themes") return searcher_.themes();
        if (path == "/v1/countries") return searcher_.countries();
        if (path == "/v1/stats") return searcher_.stats();
        const std::string docs = "/v1/documents/";
        if (path.rfind(docs, 0) == 0) {
            const std::string rest = path.substr(docs.size());
            const auto slash = rest.find('/');
            if (slash == std::string::npos) return searcher_.document(DocumentRequest::from_params(rest, params));
            const std::string count = one("count");
            return searcher_.similar(rest.substr(0, slash), count.empty() ? 10 : std::stoi(count));
        }
        throw NotFound("no route for " + path);
    }

    std::size_t batch(const nlohmann::json& body, const std::function<void(const nlohmann::json&)>& emit) override {
        const std::vector<BatchItem> items = parse_batch(body, SIZE_MAX);
        WorkerPool pool(std::max(2u, std::thread::hardware_concurrency()));
        return run_batch(searcher_, pool, items, emit);
    }

private:
    Searcher searcher_;
};

class Http : public Backend {
public:
    Http(const std::string& url, std::string token) : uri_(url), token_(std::move(token)) {
        if (uri_.getScheme() != "http") throw ConfigError("--server must be an http:// URL");
    }

    nlohmann::json get(const std::string& path, const ParamMap& params) override {
        Poco::URI uri(uri_);
        uri.setPath(path);
        for (const auto& [k, vs] : params)
            for (const std::string& v : vs) uri.addQueryParameter(k, v);
        try {
            Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
            session.setTimeout(Poco::Timespan(60, 0));
            Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
            if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
            session.sendRequest(req);
            Poco::Net::HTTPResponse resp;
            std::istream& in = session.receiveResponse(resp);
            std::string body;
            Poco::StreamCopier::copyToString(in, body);
            nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
            const int status = resp.getStatus();
            if (status >= 400) {
                const std::string msg = !j.is_discarded() && j.contains("error") ? j["error"].value("message", body) : body;
                if (status == 404) throw NotFound(msg);
                if (status == 400) throw InvalidRequest(j.is_discarded() ? "bad_request" : j["error"].value("code", "bad_request"), msg);
                if (status == 413) throw TooLarge(msg);
                throw Unavailable("server answered " + std::to_string(status) + ": " + msg);
            }
            if (j.is_discarded()) throw Unavailable("server answered with something other than JSON");
            return j;
        } catch (const Poco::Exception& e) {
            throw Unavailable("cannot reach " + uri_.toString() + ": " + e.displayText());
        }
    }

    std::size_t batch(const nlohmann::json& body, const std::function<void(const nlohmann::json&)>& emit) override {
        // The daemon takes at most 1,000 queries a request: send larger batches in chunks.
        constexpr std::size_t kChunk = 1000;
        const nlohmann::json& queries = body.at("queries");
        std::size_t failed = 0;
        for (std::size_t start = 0; start < queries.size() || start == 0; start += kChunk) {
            nlohmann::json chunk = {{"queries", nlohmann::json::array()}};
            if (body.contains("defaults")) chunk["defaults"] = body["defaults"];
            for (std::size_t i = start; i < std::min(queries.size(), start + kChunk); ++i) chunk["queries"].push_back(queries[i]);
            failed += post_batch(chunk, emit);
            if (queries.empty()) break;
        }
        return failed;
    }

private:
    std::size_t post_batch(const nlohmann::json& chunk, const std::function<void(const nlohmann::json&)>& emit) {
        Poco::URI uri(uri_);
        uri.setPath("/v1/batch");
        try {
            Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
            session.setTimeout(Poco::Timespan(600, 0));
            Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
            if (!token_.empty()) req.set("Authorization", "Bearer " + token_);
            req.set("Accept", "application/x-ndjson");
            req.setContentType("application/json");
            const std::string body = chunk.dump();
            req.setContentLength64(static_cast<Poco::Int64>(body.size()));
            session.sendRequest(req) << body;
            Poco::Net::HTTPResponse resp;
            std::istream& in = session.receiveResponse(resp);
            if (resp.getStatus() >= 400) {
                std::string text;
                Poco::StreamCopier::copyToString(in, text);
                const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
                const std::string msg = !j.is_discarded() && j.contains("error") ? j["error"].value("message", text) : text;
                if (resp.getStatus() == 400) throw InvalidRequest("bad_request", msg);
                if (resp.getStatus() == 413) throw TooLarge(msg);
                throw Unavailable("server answered " + std::to_string(resp.getStatus()) + ": " + msg);
            }
            std::size_t failed = 0;
            std::string line;
            while (std::getline(in, line)) {
                if (line.empty()) continue;
                const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
                if (j.is_discarded()) throw Unavailable("server sent a line that is not JSON");
                if (j.contains("error")) ++failed;
                emit(j);
            }
            return failed;
        } catch (const Poco::Exception& e) {
            throw Unavailable("cannot reach " + uri_.toString() + ": " + e.displayText());
        }
    }

    Poco::URI uri_;
    std::string token_;
};

}  // namespace

std::unique_ptr<Backend> embedded_backend(const std::string& index_dir) { return std::make_unique<Embedded>(index_dir); }
std::unique_ptr<Backend> http_backend(const std::string& url, const std::string& token) {
    return std::make_unique<Http>(url, token);
}

}  // namespace strata::cli
