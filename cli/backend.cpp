#include "backend.h"

#include "strata/errors.h"
#include "strata/reference.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

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
        if (path == "/v1/themes") return searcher_.themes();
        if (path == "/v1/countries") return searcher_.countries();
        if (path == "/v1/stats") return searcher_.stats();
        const std::string docs = "/v1/documents/";
        if (path.rfind(docs, 0) == 0) {
            const std::string rest = path.substr(docs.size());
            const auto slash = rest.find('/');
            if (slash == std::string::npos) return searcher_.document(rest, one("q"));
            const std::string count = one("count");
            return searcher_.similar(rest.substr(0, slash), count.empty() ? 10 : std::stoi(count));
        }
        throw NotFound("no route for " + path);
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

private:
    Poco::URI uri_;
    std::string token_;
};

}  // namespace

std::unique_ptr<Backend> embedded_backend(const std::string& index_dir) { return std::make_unique<Embedded>(index_dir); }
std::unique_ptr<Backend> http_backend(const std::string& url, const std::string& token) {
    return std::make_unique<Http>(url, token);
}

}  // namespace strata::cli
