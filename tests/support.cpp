#include "support.h"

#include "strata/indexer.h"
#include "strata/reference.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace strata::test {

TempDir::TempDir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        path_ = fs::temp_directory_path() / ("strata-test-" + std::to_string(rd()));
        if (fs::create_directory(path_)) return;
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path data_dir() { return fs::path(STRATA_TEST_DATA); }
fs::path test_corpus() { return data_dir() / "corpus"; }

fs::path copy_test_corpus(const fs::path& dir) {
    const fs::path dst = dir / "corpus";
    fs::copy(test_corpus(), dst, fs::copy_options::recursive);
    return dst;
}

void build_index(const fs::path& corpus, const fs::path& index) {
    IndexOptions opt;
    opt.corpus_dir = corpus;
    opt.index_dir = index;
    opt.threads = 2;
    const IndexSummary s = run_indexer(opt);
    ASSERT_EQ(s.failures.size(), 0u) << (s.failures.empty() ? "" : s.failures.front().to_string());
}

const fs::path& shared_index(const fs::path& corpus) {
    // One index per corpus for the binary's life: its directory goes at exit, after every
    // suite has closed its Searcher or server.
    struct Shared {
        TempDir dir;
        fs::path index = dir / "idx";
    };
    static std::map<fs::path, Shared> shared;
    const auto [at, added] = shared.try_emplace(corpus);
    if (added) build_index(corpus, at->second.index);
    return at->second.index;
}

std::unique_ptr<Searcher> open_searcher(const fs::path& corpus) {
    const std::string index = shared_index(corpus).string();
    return std::make_unique<Searcher>(SearcherOptions{{index}, {}}, reference_for_index(index, corpus));
}

void add_document(const fs::path& corpus, const std::string& id, const std::string& text, const DocumentFields& f) {
    const std::string file = f.file.empty() ? id + ".md" : f.file;
    const auto field = [](const std::string& key, const std::string& value) {
        return value.empty() ? std::string() : key + ": \"" + value + "\"\n";
    };
    const std::string yaml = field("id", id) + field("country", f.country) + field("title", f.title) +
                             field("title_en", f.title_en) + "year: " + std::to_string(f.year) + "\n" +
                             field("language", f.language) + field("type", f.type) + field("issuer", f.issuer) +
                             field("file", file) + (f.digest ? "digest: true\n" : "");
    fs::create_directories(corpus / "docs");
    write_file(corpus / "docs" / (fs::path(file).stem().string() + ".yaml"), yaml);
    write_file(corpus / "docs" / file, text);
}

HttpResult http(unsigned short port, const std::string& method, const std::string& path, const std::string& body,
                const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST") {
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
        if (!req.has("Content-Type")) req.setContentType("application/json");
    }
    std::ostream& os = session.sendRequest(req);
    os << body;
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    HttpResult r;
    r.status = resp.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    for (const auto& [k, v] : resp) r.headers[k] = v;
    return r;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& content) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
}

std::string url_encode(const std::string& s) {
    std::string out;
    const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int run(const std::string& command, std::string* out) {
    FILE* p = popen(command.c_str(), "r");
    if (!p) return -1;
    std::array<char, 4096> buf;
    std::string captured;
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) captured.append(buf.data(), n);
    const int status = pclose(p);
    if (out) *out = std::move(captured);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace strata::test
