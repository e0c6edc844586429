// strata-searchd over real loopback HTTP: routes, errors, auth, limits and hot reload.
#include "http_head.h"
#include "server.h"
#include "work_queue.h"
#include "strata/errors.h"
#include "strata/indexer.h"
#include "support.h"

#include <gtest/gtest.h>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <csignal>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <thread>

namespace strata {
namespace {

using test::http;

class Server : public ::testing::Test {
protected:
    void SetUp() override {
        corpus_ = test::copy_test_corpus(dir_.path());
        test::build_index(corpus_, dir_ / "idx");
        searchd::ServerConfig c;
        c.listen = "127.0.0.1:0";
        c.index = {(dir_ / "idx").string()};
        c.corpus = corpus_.string();
        c.threads = 4;
        c.access_log = false;
        c.search.max_query_bytes = 2048;
        configure(c);
        server_ = std::make_unique<searchd::Server>(c);
        server_->start();
        port_ = server_->port();
    }
    void TearDown() override { server_->stop(); }
    virtual void configure(searchd::ServerConfig&) {}

    nlohmann::json get_json(const std::string& path, int expect = 200) {
        const auto r = http(port_, "GET", path);
        EXPECT_EQ(r.status, expect) << path << " → " << r.body;
        return nlohmann::json::parse(r.body);
    }

    test::TempDir dir_;
    std::filesystem::path corpus_;
    std::unique_ptr<searchd::Server> server_;
    unsigned short port_ = 0;
};

TEST_F(Server, SearchAnswersJsonWithRealHits) {
    const auto r = http(port_, "GET", "/v1/search?q=ethics&crosslingual=false&facets=country,theme");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.headers.at("Content-Type").find("application/json"), std::string::npos);
    const auto j = nlohmann::json::parse(r.body);
    ASSERT_EQ(j["hits"].size(), 1u);
    EXPECT_EQ(j["hits"][0]["id"], "gb-2021-test-strategy");
    EXPECT_TRUE(j["facets"].contains("country"));
    EXPECT_GE(j["took_ms"].get<double>(), 0.0);
}

TEST_F(Server, ServesEveryReadRoute) {
    EXPECT_EQ(get_json("/healthz")["status"], "ok");
    EXPECT_EQ(get_json("/readyz")["status"], "ready");
    EXPECT_EQ(get_json("/v1/stats")["documents"], 10);
    EXPECT_EQ(get_json("/v1/themes")["themes"].size(), 3u);
    EXPECT_EQ(get_json("/v1/countries")["countries"].size(), 10u);
    EXPECT_EQ(get_json("/v1/documents/es-2020-test-estrategia")["country"], "ES");
    EXPECT_FALSE(get_json("/v1/documents/es-2020-test-estrategia/similar?count=2")["similar"].empty());
    const auto m = http(port_, "GET", "/metrics");
    EXPECT_EQ(m.status, 200);
    EXPECT_NE(m.body.find("strata_http_requests_total{route=\"healthz\",status=\"200\"}"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find("strata_index_generation 1"), std::string::npos);
    EXPECT_NE(m.body.find("strata_http_request_duration_seconds_bucket"), std::string::npos);
}

// The document route takes the matching options of search, and its matching passages are
// those the search counts for that document.
TEST_F(Server, DocumentsMatchTheirPassagesAsTheSearchDoes) {
    for (const char* options : {"q=ethics", "q=ethics&crosslingual=false", "q=ethics&crosslingual=off&country=GB,ES",
                                       "q=ethics&country=ES", "theme=ethics", "q=data&lang=es", "q=trust+AND+theme:ethics"}) {
        const auto found = get_json(std::string("/v1/search?facets=none&per_page=100&") + options);
        ASSERT_FALSE(found["hits"].empty()) << options;
        for (const auto& hit : found["hits"]) {
            const auto d = get_json("/v1/documents/" + hit["id"].get<std::string>() + "?" + options);
            EXPECT_EQ(d["matching_passages"], hit["matching_passages"]) << options << " " << hit["id"];
            std::size_t matched = 0;
            for (const auto& p : d["passages"]) matched += p["matched"].get<bool>() ? 1 : 0;
            EXPECT_EQ(matched, hit["matching_passages"].get<std::size_t>()) << options << " " << hit["id"];
        }
    }
    // The Spanish document matches "ethics" through its translation only.
    EXPECT_GT(get_json("/v1/documents/es-2020-test-estrategia?q=ethics")["matching_passages"], 0);
    EXPECT_EQ(get_json("/v1/documents/es-2020-test-estrategia?q=ethics&crosslingual=false")["matching_passages"], 0);
    EXPECT_EQ(get_json("/v1/documents/es-2020-test-estrategia?q=ethics&country=MX")["matching_passages"], 0);
    const auto bad = get_json("/v1/documents/es-2020-test-estrategia?q=ethics&page=2", 400);
    EXPECT_EQ(bad["error"]["code"], "invalid_parameter");
    EXPECT_EQ(get_json("/v1/documents/es-2020-test-estrategia?q=ethics&country=XX", 400)["error"]["code"], "invalid_filter");
}

TEST_F(Server, UnicodeQueriesTravelPercentEncoded) {
    const auto j = get_json("/v1/search?q=" + test::url_encode("인공지능"));
    ASSERT_EQ(j["hits"].size(), 1u);
    EXPECT_EQ(j["hits"][0]["id"], "kr-2019-test-jeollyak");
}

TEST_F(Server, ErrorsAreJsonWithTheRightStatus) {
    struct Case {
        const char* method;
        std::string path;
        int status;
        const char* code;
    };
    const Case cases[] = {
        {"GET", "/v1/search?per_page=1000000000", 400, "invalid_parameter"},
        {"GET", "/v1/search?page=-3", 400, "invalid_parameter"},
        {"GET", "/v1/search?year=abc", 400, "invalid_filter"},
        {"GET", "/v1/search?bogus=1", 400, "invalid_parameter"},
        {"GET", "/v1/search?q=%ZZ", 400, "invalid_uri"},
        {"GET", "/v1/search?q=" + std::string(3000, 'a'), 413, "too_large"},
        {"GET", "/v1/nothing", 404, "not_found"},
        {"GET", "/v1/documents/..%2F..%2Fetc%2Fpasswd", 404, "not_found"},
        {"GET", "/v1/documents/%2e%2e", 404, "not_found"},
        {"POST", "/v1/search", 405, "method_not_allowed"},
    };
    for (const Case& c : cases) {
        const auto r = http(port_, c.method, c.path);
        EXPECT_EQ(r.status, c.status) << c.path;
        const auto j = nlohmann::json::parse(r.body, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << r.body;
        EXPECT_EQ(j["error"]["code"], c.code) << c.path;
        EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
    }
}

TEST_F(Server, HostileInputGetsASafeAnswerAndTheServerKeepsServing) {
    for (const std::string& q : {std::string("%00%00"), std::string("%C0%AF%FF"), std::string("*"),
                                std::string("%3Cscript%3Ealert(1)%3C%2Fscript%3E"), std::string("((((((((((")}) {
        const auto r = http(port_, "GET", "/v1/search?q=" + q);
        EXPECT_TRUE(r.status == 200 || r.status == 400) << q << " " << r.status;
        EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    }
    EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);
}

TEST_F(Server, ReloadsTheIndexWhileQueriesRun) {
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, served{0};
    std::thread client([&] {
        while (!stop) {
            const auto r = http(port_, "GET", "/v1/search?q=datos");
            if (r.status != 200) ++failures;
            ++served;
        }
    });
    test::add_document(corpus_, "mx-2019-new", "# Nuevo\n\n## Datos\n\nDatos nuevos sobre gobernanza.\n",
                       {.country = "MX", .title = "Nuevo", .year = 2019, .language = "es"});
    IndexOptions opt;
    opt.corpus_dir = corpus_;
    opt.index_dir = dir_ / "idx";
    ASSERT_EQ(run_indexer(opt).added, 1u);
    opt.rebuild = true;
    (void)run_indexer(opt);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    stop = true;
    client.join();
    EXPECT_EQ(failures, 0);
    EXPECT_GT(served, 0);
    const auto j = get_json("/v1/search?q=gobernanza");
    EXPECT_EQ(j["hits"][0]["id"], "mx-2019-new");
    EXPECT_EQ(j["generation"], 3);
}

// Every worker thread keeps its parses of queries (analysis and cross-language expansion)
// until the index changes: once a new generation brings French, "salud" reaches it.
TEST_F(Server, AReloadedIndexGetsFreshQueryExpansions) {
    const std::string path = "/v1/search?q=salud&per_page=50";
    for (int i = 0; i < 16; ++i) {  // more requests than worker threads: each keeps a parse
        const auto j = get_json(path);
        ASSERT_EQ(j["expansions"].dump().find("\"fr\""), std::string::npos) << j["expansions"].dump();
    }
    test::add_document(corpus_, "fr-2019-test-sante", "# Santé\n\n## Données\n\nLes données publiques de santé sont ouvertes.\n",
                       {.country = "FR", .title = "Santé", .year = 2019, .language = "fr", .type = "strategy",
                        .issuer = "Ministère", .digest = true});
    IndexOptions opt;
    opt.corpus_dir = corpus_;
    opt.index_dir = dir_ / "idx";
    opt.rebuild = true;
    (void)run_indexer(opt);
    // Each thread looks for a new generation every 200 ms: wait until every one has it.
    for (int i = 0; i < 500; ++i) {
        bool all = true;
        for (int k = 0; k < 8 && all; ++k) all = get_json("/v1/search?q=publiques&crosslingual=false")["total"] == 1;
        if (all) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (int i = 0; i < 16; ++i) {
        const auto j = get_json(path);
        EXPECT_NE(j["expansions"].dump().find("\"fr\""), std::string::npos) << j["expansions"].dump();
        bool found = false;
        for (const auto& h : j["hits"]) found = found || h["id"] == "fr-2019-test-sante";
        EXPECT_TRUE(found);
    }
}

class ServerWithToken : public Server {
    void configure(searchd::ServerConfig& c) override {
        c.token = "s3cret";
        c.cors_origins = {"https://research.example"};
    }
};

TEST_F(ServerWithToken, RequiresTheBearerToken) {
    EXPECT_EQ(http(port_, "GET", "/v1/search?q=ethics").status, 401);
    EXPECT_EQ(http(port_, "GET", "/v1/search?q=ethics", "", {{"Authorization", "Bearer wrong"}}).status, 401);
    const auto ok = http(port_, "GET", "/v1/search?q=ethics", "",
                         {{"Authorization", "Bearer s3cret"}, {"Origin", "https://research.example"}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.headers.at("Access-Control-Allow-Origin"), "https://research.example");
    EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);
    for (const char* path : {"/readyz", "/metrics", "/", "/static/app.js", "/v1/stats"})
        EXPECT_EQ(http(port_, "GET", path).status, 401) << path;
    EXPECT_EQ(http(port_, "GET", "/v1/stats", "", {{"Authorization", "Bearer s3cre"}}).status, 401);
    EXPECT_EQ(http(port_, "GET", "/v1/stats", "", {{"Authorization", "Bearer s3cret2"}}).status, 401);
}

TEST(ServerConfig, InvalidConfigurationNamesTheKey) {
    test::TempDir dir;
    test::write_file(dir / "c.yaml", "listen: \"127.0.0.1:8765\"\nthreads: 0\n");
    try {
        searchd::load_config((dir / "c.yaml").string()).validate();
        FAIL() << "threads: 0 accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("threads"), std::string::npos);
    }
    test::write_file(dir / "d.yaml", "limits:\n  max_per_pag: 5\n");
    try {
        (void)searchd::load_config((dir / "d.yaml").string());
        FAIL() << "unknown key accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("limits.max_per_pag"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("d.yaml:2"), std::string::npos) << e.what();
    }
}

// The workers that run index-reading requests: as configured; by default one per core (at
// least 2) over local indexes, and as many as the HTTP threads when a shard is remote.
TEST(ServerConfig, WorkersFollowTheCoresOverLocalIndexesAndTheThreadsOverRemoteShards) {
    test::TempDir dir;
    test::write_file(dir / "c.yaml", "threads: 12\nlimits:\n  max_running: 3\n");
    searchd::ServerConfig c = searchd::load_config((dir / "c.yaml").string());
    EXPECT_EQ(c.running_limit(), 3);
    c.max_running = 0;
    c.index = {(dir / "index").string()};
    EXPECT_EQ(c.running_limit(), std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
    c.index = {(dir / "index").string(), "127.0.0.1:33333"};
    EXPECT_EQ(c.running_limit(), 12);
    test::write_file(dir / "d.yaml", "limits:\n  max_running: -1\n");
    EXPECT_THROW(searchd::load_config((dir / "d.yaml").string()).validate(), ConfigError);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST_F(Server, CompareAnswersJsonAndCsv) {
    const auto j = get_json("/v1/compare?q=datos&countries=ES,MX&themes=data");
    EXPECT_EQ(j["cells"].size(), 2u);
    EXPECT_EQ(j["generation"], 1);
    const auto csv = http(port_, "GET", "/v1/compare?q=datos&countries=ES,MX&themes=data&format=csv");
    EXPECT_EQ(csv.status, 200);
    EXPECT_NE(csv.headers.at("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBFrow,", 0), 0u);
    EXPECT_EQ(http(port_, "GET", "/v1/compare?format=xml").status, 400);
}

nlohmann::json without_took(nlohmann::json j) {
    j.erase("took_ms");
    j.erase("retrieved_at");  // the time of the answer
    return j;
}

// 1,000 queries, some malformed: results come in input order, each bad query gets its own
// error, and every good result equals the same query sent alone.
TEST_F(Server, ABatchOfAThousandMatchesOneByOne) {
    const std::vector<std::string> qs = {"ethics", "datos", "伦理", "인공지능", "data OR datos", "\"open data\"", "etik", "ethic*"};
    nlohmann::json queries = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) {
        nlohmann::json q = {{"id", std::string("q").append(std::to_string(i))}, {"q", qs[static_cast<std::size_t>(i) % qs.size()]}};
        if (i % 7 == 3) q["country"] = nlohmann::json::array({"ES", "GB"});
        if (i % 11 == 5) q["per_page"] = 0;          // bad: out of range
        if (i % 13 == 6) q["year"] = "twenty";       // bad: not a year
        if (i % 17 == 8) q["bogus"] = true;          // bad: unknown field
        queries.push_back(q);
    }
    const auto r = http(port_, "POST", "/v1/batch", nlohmann::json{{"queries", queries}, {"defaults", {{"facets", "country"}}}}.dump());
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    const auto j = nlohmann::json::parse(r.body);
    ASSERT_EQ(j["results"].size(), 1000u);
    std::size_t errors = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto& line = j["results"][static_cast<std::size_t>(i)];
        EXPECT_EQ(line["id"].get<std::string>(), std::string("q").append(std::to_string(i)));
        const bool bad = i % 11 == 5 || i % 13 == 6 || i % 17 == 8;
        EXPECT_EQ(line.contains("error"), bad) << i;
        if (bad) {
            ++errors;
            continue;
        }
        if (i % 50 != 0 && i % 7 != 3) continue;  // compare a sample one by one
        std::string path = "/v1/search?facets=country&q=" + test::url_encode(qs[static_cast<std::size_t>(i) % qs.size()]);
        if (i % 7 == 3) path += "&country=ES,GB";
        EXPECT_EQ(without_took(line["result"]), without_took(get_json(path))) << i;
    }
    EXPECT_EQ(j["failed"], errors);
}

TEST_F(Server, ABatchStreamsNdjsonInInputOrder) {
    const std::string body = R"({"queries":[{"id":"a","q":"ethics"},{"id":"b","per_page":-1},{"id":"c","q":"datos"}]})";
    const auto r = http(port_, "POST", "/v1/batch", body, {{"Accept", "application/x-ndjson"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.headers.at("Content-Type").find("application/x-ndjson"), std::string::npos);
    std::vector<nlohmann::json> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = r.body.find('\n', start)) != std::string::npos; start = nl + 1)
        lines.push_back(nlohmann::json::parse(r.body.substr(start, nl - start)));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0]["id"], "a");
    EXPECT_TRUE(lines[1].contains("error"));
    EXPECT_EQ(lines[2]["id"], "c");
}

TEST_F(Server, BatchRejectsMalformedAndOversizedBodies) {
    EXPECT_EQ(http(port_, "POST", "/v1/batch", "{not json").status, 400);
    EXPECT_EQ(http(port_, "POST", "/v1/batch", std::string(100000, '[')).status, 400);
    EXPECT_EQ(http(port_, "POST", "/v1/batch", R"({"queries": 5})").status, 400);
    // A number past a double's range once escaped as a 500 (found by fuzz_request).
    const auto huge = http(port_, "POST", "/v1/batch", R"({"queries":[{"q":"x","per_page":9e99999}]})");
    EXPECT_EQ(huge.status, 400);
    EXPECT_EQ(nlohmann::json::parse(huge.body)["error"]["code"], "invalid_json");
    nlohmann::json many = {{"queries", nlohmann::json::array()}};
    for (int i = 0; i < 1001; ++i) many["queries"].push_back({{"q", "x"}});
    EXPECT_EQ(http(port_, "POST", "/v1/batch", many.dump()).status, 413);
    EXPECT_EQ(http(port_, "POST", "/v1/batch", std::string(5 * 1024 * 1024, ' ')).status, 413);
    EXPECT_EQ(http(port_, "GET", "/v1/batch").status, 405);
}

class ServerWithoutIndex : public ::testing::Test {};

TEST_F(ServerWithoutIndex, AnswersUnavailableUntilAnIndexExists) {
    test::TempDir dir;
    searchd::ServerConfig c;
    c.listen = "127.0.0.1:0";
    c.index = {(dir / "missing").string()};
    c.access_log = false;
    searchd::Server server(c);
    server.start();
    EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
    const auto ready = http(server.port(), "GET", "/readyz");
    EXPECT_EQ(ready.status, 503);
    EXPECT_EQ(nlohmann::json::parse(ready.body)["error"]["code"], "unavailable");
    EXPECT_EQ(http(server.port(), "GET", "/v1/search?q=x").status, 503);
    test::build_index(test::test_corpus(), dir / "missing");
    EXPECT_EQ(http(server.port(), "GET", "/readyz").status, 200);
    server.stop();
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST_F(Server, ServesTheWebUiWithAStrictPolicy) {
    const auto page = http(port_, "GET", "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.headers.at("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(page.body.find("/static/app.js"), std::string::npos);
    EXPECT_NE(page.headers.at("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    const auto js = http(port_, "GET", "/static/app.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_NE(js.headers.at("Content-Type").find("javascript"), std::string::npos);
    for (const char* bad : {"/static/..%2F..%2FCMakeLists.txt", "/static/.hidden", "/static/%2e%2e", "/static/nope.js",
                            "/static/app.js%00.png"})
        EXPECT_EQ(http(port_, "GET", bad).status, 404) << bad;
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// strata-index killed with SIGKILL at random moments, many times, while the daemon serves:
// no request fails, every answer comes from a whole index, and the next run completes.
TEST(ServerUnderIndexerKills, NeverFailsAndNeverServesAPartialIndex) {
    test::TempDir dir;
    const std::filesystem::path corpus = std::filesystem::path(STRATA_SOURCE_DIR) / "corpus";
    const std::filesystem::path idx = dir / "idx";
    test::build_index(corpus, idx);
    searchd::ServerConfig c;
    c.listen = "127.0.0.1:0";
    c.index = {idx.string()};
    c.access_log = false;
    searchd::Server server(c);
    server.start();
    const auto clean = nlohmann::json::parse(http(server.port(), "GET", "/v1/search?per_page=1&group=passage&facets=none").body);
    const int passages = clean["total"];
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0}, failures{0}, partial{0};
    std::thread client([&] {
        while (!stop) {
            const auto r = http(server.port(), "GET", "/v1/search?per_page=1&group=passage&facets=none");
            ++requests;
            if (r.status != 200) { ++failures; continue; }
            if (nlohmann::json::parse(r.body)["total"] != passages) ++partial;
        }
    });
    const std::string exe = std::string(STRATA_BINARY_DIR) + "/indexer/strata-index";
    std::mt19937 rng(3);
    for (int round = 0; round < 10; ++round) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            execl(exe.c_str(), exe.c_str(), corpus.c_str(), idx.c_str(), "--rebuild", "-q", static_cast<char*>(nullptr));
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 900)(rng)));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
    }
    test::build_index(corpus, idx);  // the next run completes
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
    client.join();
    server.stop();
    EXPECT_GT(requests, 20);
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(partial, 0);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

class ServerUnderAttack : public Server {
    void configure(searchd::ServerConfig& c) override { c.request_timeout_ms = 500; }
};

std::string raw_exchange(unsigned short port, const std::string& request, int wait_ms = 2000) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
    s.setReceiveTimeout(Poco::Timespan(0, wait_ms * 1000));
    if (!request.empty()) s.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string out;
    char buf[4096];
    try {
        for (int n; (n = s.receiveBytes(buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    } catch (const Poco::Exception&) {
    }
    return out;
}

TEST_F(ServerUnderAttack, HostileRequestsGetAClearAnswerAndServingGoesOn) {
    // A 1 MB query: refused before any work, as a 4xx.
    const std::string big = raw_exchange(port_, "GET /v1/search?q=" + std::string(1 << 20, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(big.rfind("HTTP/1.1 4", 0) == 0) << big.substr(0, 80);
    // 10,000 query terms in a batch: that query gets its own error, the batch succeeds.
    std::string terms;
    for (int i = 0; i < 10000; ++i) terms.append("w").append(std::to_string(i)).append(" ");
    const auto batch = http(port_, "POST", "/v1/batch", nlohmann::json{{"queries", {{{"id", "many"}, {"q", terms}}}}}.dump());
    EXPECT_EQ(batch.status, 200);
    EXPECT_EQ(nlohmann::json::parse(batch.body)["results"][0]["error"]["code"], "too_large");
    // A header flood.
    std::string flood = "GET /v1/stats HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 500; ++i) flood.append("X-Flood-").append(std::to_string(i)).append(": ").append(100, 'f').append("\r\n");
    const std::string flooded = raw_exchange(port_, flood + "\r\n");
    EXPECT_TRUE(flooded.empty() || flooded.rfind("HTTP/1.1 4", 0) == 0) << flooded.substr(0, 80);
    // A slow client that never finishes its request is dropped after the request timeout.
    const auto t0 = std::chrono::steady_clock::now();
    (void)raw_exchange(port_, "GET /v1/search?q=eth", 5000);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
    // Thousands of terms over GET: refused by the length limit (413) or the term limit (400).
    EXPECT_EQ(http(port_, "GET", "/v1/search?q=" + test::url_encode(terms.substr(0, 4000))).status, 413);
    EXPECT_EQ(http(port_, "GET", "/v1/search?q=" + test::url_encode(terms.substr(0, 2000))).status, 400);
    EXPECT_EQ(http(port_, "GET", "/healthz").status, 200);
    EXPECT_EQ(get_json("/v1/search?q=ethics&crosslingual=false")["hits"].size(), 1u);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

unsigned short free_port() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

// Starts xapian-tcpsrv on a free loopback port (retrying if another process took the port
// between our probe and its bind); returns its pid and sets @p port.
pid_t start_tcpsrv(const std::filesystem::path& db, unsigned short& port) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        port = free_port();
        const pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0);  // its own group, so that killing it also ends its per-connection children
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(port).c_str(),
                   db.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            if (waitpid(pid, &status, WNOHANG) == pid) break;  // it exited: the port was taken
            try {
                Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
                // Someone answers; make sure it is ours (a taken port makes tcpsrv exit).
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                if (waitpid(pid, &status, WNOHANG) == pid) break;
                return pid;
            } catch (const Poco::Exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        }
        kill(-pid, SIGKILL);
        waitpid(pid, nullptr, WNOHANG);
    }
    ADD_FAILURE() << "xapian-tcpsrv did not start";
    return -1;
}

// Hits as (score, id) pairs in rank order, ties put in id order (docids differ by layout).
std::vector<std::pair<double, std::string>> ranked(const nlohmann::json& r) {
    std::vector<std::pair<double, std::string>> out;
    for (const auto& h : r["hits"]) out.emplace_back(-h["score"].get<double>(), h["id"].get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
}

// Two shards of the bundled corpus behind two xapian-tcpsrv on loopback answer exactly as
// the single index: hits, scores, facets, compare and batch; a shard going down is a 503
// that names it.
TEST(RemoteShards, SearchTwoTcpShardsAsOneIndex) {
    std::signal(SIGPIPE, SIG_IGN);  // as strata-searchd does: a closed shard connection is an error, not a signal
    test::TempDir dir;
    const std::filesystem::path corpus = std::filesystem::path(STRATA_SOURCE_DIR) / "corpus";
    test::build_index(corpus, dir / "all");
    for (unsigned i = 1; i <= 2; ++i) {
        IndexOptions opt;
        opt.corpus_dir = corpus;
        opt.index_dir = dir / ("s" + std::to_string(i));
        opt.shard = i;
        opt.shards = 2;
        ASSERT_GT(run_indexer(opt).added, 10u);
    }
    unsigned short p1 = 0, p2 = 0;
    const pid_t srv1 = start_tcpsrv(dir / "s1", p1);
    const pid_t srv2 = start_tcpsrv(dir / "s2", p2);
    ASSERT_GT(srv1, 0);
    ASSERT_GT(srv2, 0);
    searchd::ServerConfig one, many;
    one.listen = many.listen = "127.0.0.1:0";
    one.access_log = many.access_log = false;
    one.index = {(dir / "all").string()};
    many.index = {"127.0.0.1:" + std::to_string(p1), "127.0.0.1:" + std::to_string(p2)};
    searchd::Server a(one), b(many);
    a.start();
    b.start();
    // Passage ranking (group=passage) is Xapian's BM25, which estimates an OP_SYNONYM's term
    // frequency on each shard: with a cross-language query's translations in one synonym
    // group, its passage scores differ in the third decimal between one index and shards.
    // It is compared on the typed word alone; totals, facets and document ranking (ours) on
    // every query.
    for (const char* q : {"/v1/search?q=ethics", "/v1/search?q=datos&group=passage&crosslingual=false",
                          "/v1/search?q=datos&group=passage", "/v1/search?q=%E4%BC%A6%E7%90%86",
                          "/v1/search?q=data%20governance&per_page=20", "/v1/search?q=ethics&crosslingual=true&per_page=30",
                          "/v1/search?per_page=1", "/v1/search?q=ethics&bloc=eu&income=high&lang=pt"}) {
        const auto ra = nlohmann::json::parse(http(a.port(), "GET", q).body);
        const auto rb_http = http(b.port(), "GET", q);
        ASSERT_EQ(rb_http.status, 200) << q << " " << rb_http.body;
        const auto rb = nlohmann::json::parse(rb_http.body);
        EXPECT_EQ(ra["total"], rb["total"]) << q;
        EXPECT_EQ(ra["total_passages"], rb["total_passages"]) << q;
        EXPECT_EQ(ra["facets"], rb["facets"]) << q;
        const std::string qs(q);
        const bool xapian_synonyms = qs.find("group=passage") != std::string::npos && qs.find("crosslingual=false") == std::string::npos;
        if (qs.find("q=") != std::string::npos && !xapian_synonyms) {
            EXPECT_EQ(ranked(ra), ranked(rb)) << q;
        }
    }
    for (const char* q : {"/v1/compare?best=false", "/v1/compare?q=ethics&by=region,year&best=false",
                          "/v1/compare?q=ethics&by=bloc,theme&best=false", "/v1/compare?by=income,lang&langs=zh,pt&best=false"}) {
        auto ca = nlohmann::json::parse(http(a.port(), "GET", q).body), cb = nlohmann::json::parse(http(b.port(), "GET", q).body);
        EXPECT_FALSE(ca["cells"].empty()) << q << " " << ca;
        EXPECT_EQ(ca["cells"], cb["cells"]) << q;
        EXPECT_EQ(ca["rows"], cb["rows"]) << q;
    }
    const std::string batch = R"({"queries":[{"id":1,"q":"ethics","facets":"country"},{"id":2,"q":"data","facets":"theme"}]})";
    auto ba = nlohmann::json::parse(http(a.port(), "POST", "/v1/batch", batch).body);
    auto bb = nlohmann::json::parse(http(b.port(), "POST", "/v1/batch", batch).body);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(ba["results"][i]["result"]["facets"], bb["results"][i]["result"]["facets"]);
        EXPECT_EQ(ranked(ba["results"][i]["result"]), ranked(bb["results"][i]["result"]));
    }
    // A shard goes down: a clear 503 naming it.
    kill(-srv2, SIGTERM);
    waitpid(srv2, nullptr, 0);
    const auto down = http(b.port(), "GET", "/v1/search?q=ethics");
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_NE(down.body.find("127.0.0.1:" + std::to_string(p2)), std::string::npos) << down.body;
    a.stop();
    b.stop();
    kill(-srv1, SIGTERM);
    waitpid(srv1, nullptr, 0);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

class ServerWithOneSlot : public Server {
    void configure(searchd::ServerConfig& c) override { c.max_inflight = 1; }
};

// Past max_inflight requests at once the daemon answers 429 with Retry-After at once.
TEST_F(ServerWithOneSlot, ShedsLoadWith429) {
    std::atomic<int> shed{0}, ok{0}, other{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
        clients.emplace_back([&] {
            for (int i = 0; i < 40; ++i) {
                const auto r = http(port_, "GET", "/v1/search?q=ethics%20OR%20data&crosslingual=true");
                if (r.status == 429 && r.headers.count("Retry-After") &&
                    nlohmann::json::parse(r.body)["error"]["code"] == "overloaded")
                    ++shed;
                else if (r.status == 200)
                    ++ok;
                else
                    ++other;
            }
        });
    }
    for (auto& c : clients) c.join();
    EXPECT_GT(shed, 0) << "eight clients at once against one slot: some must be shed";
    EXPECT_GT(ok, 0);
    EXPECT_EQ(other, 0);
    EXPECT_EQ(http(port_, "GET", "/v1/stats").status, 200);
}

class ServerWithOneWorker : public Server {
    void configure(searchd::ServerConfig& c) override { c.max_running = 1; }
};

// The value of gauge @p name in the /metrics text @p m (-1 when absent).
double gauge(const std::string& m, const std::string& name) {
    const std::size_t at = m.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(m.substr(at + name.size() + 2));
}

// With max_running 1, eight clients at once are all answered, one request at a time, on the
// one worker; the routes that do not read the index (here /metrics) do not wait for it.
TEST_F(ServerWithOneWorker, RunsTheRequestsThatReadTheIndexOneAtATime) {
    std::atomic<int> ok{0}, other{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
        clients.emplace_back([&, t] {
            for (int i = 0; i < 6; ++i) {
                const char* path = (i + t) % 2 ? "/v1/search?q=ethics%20OR%20data" : "/v1/compare?q=data";
                (http(port_, "GET", path).status == 200 ? ok : other)++;
            }
        });
    }
    for (auto& c : clients) c.join();
    EXPECT_EQ(ok, 48);
    EXPECT_EQ(other, 0);
    const std::string m = http(port_, "GET", "/metrics").body;
    EXPECT_EQ(gauge(m, "strata_workers"), 1) << m;
    EXPECT_EQ(gauge(m, "strata_running_requests_max"), 1) << m;
    EXPECT_EQ(gauge(m, "strata_running_requests"), 0) << m;
    EXPECT_EQ(gauge(m, "strata_waiting_requests"), 0) << m;
}

// The work queue runs requests first come first served, gives a request that waited past its
// limit no work (nullopt), and passes on what the work threw.
TEST(WorkQueue, RunsInOrderAndGivesUpOnARequestThatWaitedTooLong) {
    searchd::WorkQueue queue(1);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::mutex mu;
    std::vector<int> order;
    auto respond = [&](int n) {
        std::lock_guard lock(mu);
        order.push_back(n);
        return searchd::Response::json({{"n", n}});
    };
    std::thread first([&] { (void)queue.run([&] { released.wait(); return respond(0); }, std::chrono::seconds(10)); });
    while (queue.running() == 0) std::this_thread::yield();
    std::vector<std::thread> behind;
    std::optional<searchd::Response> late;
    for (int n = 1; n <= 3; ++n) {
        behind.emplace_back([&, n] { (void)queue.run([&] { return respond(n); }, std::chrono::seconds(10)); });
        while (queue.waiting() < n) std::this_thread::yield();
    }
    behind.emplace_back([&] { late = queue.run([&] { return respond(4); }, std::chrono::milliseconds(20)); });
    while (queue.waiting() < 4) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    release.set_value();
    first.join();
    for (auto& t : behind) t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
    EXPECT_FALSE(late.has_value()) << "waited 50 ms with a limit of 20 ms";
    EXPECT_EQ(queue.most_running(), 1);
    EXPECT_THROW((void)queue.run([]() -> searchd::Response { throw InvalidRequest("invalid_parameter", "bad"); },
                                 std::chrono::seconds(1)),
                 InvalidRequest);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// A request the HTTP layer refuses before any route sees it, sent over a raw socket.
struct RawCase {
    const char* name;
    std::string request;
    int status;
    const char* code;
};

// Sends @p request (a send cut short by the server is fine: the answer may come first) and
// reads the whole answer until the server closes.
test::HttpResult raw_answer(unsigned short port, const std::string& request) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    try {
        s.sendBytes(request.data(), static_cast<int>(request.size()), MSG_NOSIGNAL);
    } catch (const Poco::Exception&) {
    }
    std::string raw;
    char buf[4096];
    try {
        for (int n; (n = s.receiveBytes(buf, sizeof buf)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
    } catch (const Poco::Exception&) {
    }
    test::HttpResult r;
    std::istringstream in(raw);
    Poco::Net::HTTPResponse head;
    try {
        head.read(in);
    } catch (const Poco::Exception&) {
        return r;
    }
    r.status = head.getStatus();
    for (const auto& [k, v] : head) r.headers[k] = v;
    r.body.assign(std::istreambuf_iterator<char>(in), {});
    return r;
}

std::string with_headers(int count, std::size_t value_bytes) {
    std::string req = "GET /v1/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; i < count; ++i) req.append("X-H").append(std::to_string(i)).append(": ").append(value_bytes, 'v').append("\r\n");
    return req + "\r\n";
}

// Poco's HTTP layer used to refuse these with a bare 400 before the router saw them.
TEST_F(Server, HttpLayerErrorsAreJsonWithTheirStatus) {
    const RawCase cases[] = {
        {"2 MB URI", "GET /v1/search?q=" + std::string(2 << 20, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"},
        {"oversized header", with_headers(1, 9000), 431, "header_too_large"},
        {"oversized header name", "GET / HTTP/1.1\r\n" + std::string(300, 'N') + ": v\r\n\r\n", 431, "header_too_large"},
        {"too many headers", with_headers(150, 10), 431, "too_many_headers"},
        {"request line without a target", "BLAH\r\n\r\n", 400, "bad_request_line"},
        {"request line without a version", "GET /v1/stats\r\nHost: x\r\n\r\n", 400, "bad_request_line"},
        {"method too long", std::string(40, 'G') + " / HTTP/1.1\r\n\r\n", 400, "bad_request_line"},
        {"method not a token", "G(T / HTTP/1.1\r\n\r\n", 400, "bad_request_line"},
        {"version not HTTP", "GET / HTTPS/1.1\r\n\r\n", 400, "bad_request_line"},
        {"version too long", "GET / HTTP/1.1111111\r\n\r\n", 400, "bad_request_line"},
        {"unsupported version", "GET / HTTP/2.0\r\n\r\n", 505, "http_version_not_supported"},
        {"Content-Length not a number", "POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "bad_header"},
    };
    for (const RawCase& c : cases) {
        auto r = raw_answer(port_, c.request);
        EXPECT_EQ(r.status, c.status) << c.name;
        const auto j = nlohmann::json::parse(r.body, nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("error")) << c.name << ": " << r.body.substr(0, 200);
        if (!j.is_object() || !j.contains("error")) continue;
        EXPECT_EQ(j["error"].value("code", ""), c.code) << c.name;
        EXPECT_FALSE(j["error"].value("message", "").empty()) << c.name;
        EXPECT_NE(r.headers["Content-Type"].find("application/json"), std::string::npos) << c.name;
        EXPECT_EQ(Poco::toLower(r.headers["Connection"]), "close") << c.name;
    }
    EXPECT_EQ(get_json("/v1/search?q=ethics&crosslingual=false")["hits"].size(), 1u);
    const std::string metrics = http(port_, "GET", "/metrics").body;
    EXPECT_NE(metrics.find("strata_http_requests_total{route=\"unmatched\",status=\"414\"} 1"), std::string::npos) << metrics;
}

// The bounds hold at their edges: a head just inside them is served.
TEST_F(Server, HeadsJustWithinTheBoundsAreServed) {
    EXPECT_EQ(raw_answer(port_, with_headers(98, 8192)).status, 200);  // with Host and Connection: 100 fields
    const std::string uri = "/v1/search?q=ethics&_pad=" + std::string(16384 - 25, 'p');
    ASSERT_EQ(uri.size(), 16384u);
    EXPECT_EQ(raw_answer(port_, "GET " + uri + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200);
    EXPECT_EQ(raw_answer(port_, "GET " + uri + "p HTTP/1.1\r\nHost: x\r\n\r\n").status, 414);
    EXPECT_EQ(raw_answer(port_, "GET /healthz HTTP/1.0\r\n\r\n").status, 200);
    EXPECT_EQ(raw_answer(port_, "\r\nGET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n").status, 200);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Stopping closes an idle keep-alive connection at once, instead of waiting out its timeout.
TEST_F(Server, StopClosesIdleKeepAliveConnections) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", port_));
    s.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    s.sendBytes(get.data(), static_cast<int>(get.size()));
    std::string answer;
    char buf[4096];
    while (answer.find("{\"status\":\"ok\"}") == std::string::npos) {
        const int n = s.receiveBytes(buf, sizeof buf);
        ASSERT_GT(n, 0) << answer;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_NE(answer.find("Keep-Alive"), std::string::npos) << answer;
    const auto t0 = std::chrono::steady_clock::now();
    server_->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    EXPECT_EQ(s.receiveBytes(buf, sizeof buf), 0);  // closed by the server
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// read_head() over @p input: "<head>|<bytes left unread>", or "<status> <code>" when refused.
// Every head it returns must parse in Poco, which the daemon hands it to.
std::string head_of(const std::string& input, const searchd::HeadLimits& limits = {}) {
    std::size_t pos = 0;
    const auto next = [&]() -> int { return pos < input.size() ? input[pos++] : std::char_traits<char>::eof(); };
    try {
        const std::string head = searchd::read_head(next, limits);
        if (!head.empty()) {
            std::istringstream in(head);
            Poco::Net::HTTPRequest request;
            request.read(in);
        }
        return head + "|" + input.substr(pos);
    } catch (const searchd::HeadError& e) {
        return std::to_string(e.status()) + " " + e.code();
    } catch (const Poco::Exception& e) {
        return "Poco refused: " + e.displayText();
    }
}

TEST(RequestHead, ReadsUpToTheEmptyLineAndNoFurther) {
    const std::pair<std::string, std::string> cases[] = {
        {"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody", "GET / HTTP/1.1\r\nHost: x\r\n\r\n|body"},
        {"\r\n\r\nGET /a?b=c HTTP/1.0\n\n", "GET /a?b=c HTTP/1.0\r\n\r\n|"},
        {"GET  /a   HTTP/1.1 \r\nX: a\r\n  b\r\nY:c\r\n\r\n", "GET /a HTTP/1.1\r\nX: a  b\r\nY:c\r\n\r\n|"},
        {"", "|"},
        {"\r\n", "|"},
        {"GET / HTTP/1.1\r\nHost: x", "400 bad_header"},
        {"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "400 bad_header"},
        {"BLAH\r\n\r\n", "400 bad_request_line"},
        {"GET /\r\n\r\n", "400 bad_request_line"},
        {"GET / HTTP/1.1 x\r\n\r\n", "400 bad_request_line"},
        {"G(T / HTTP/1.1\r\n\r\n", "400 bad_request_line"},
        {"GET / http/1.1\r\n\r\n", "400 bad_request_line"},
        {"GET / HTTP/2.0\r\n\r\n", "505 http_version_not_supported"},
    };
    for (const auto& [input, expect] : cases) EXPECT_EQ(head_of(input), expect) << input;
}

TEST(RequestHead, HoldsPocosBoundsExactly) {
    const auto get = [](const std::string& method, const std::string& uri, const std::string& fields) {
        return method + " " + uri + " HTTP/1.1\r\n" + fields + "\r\n";
    };
    const auto fields = [](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += "X-" + std::to_string(i) + ": v\r\n";
        return s;
    };
    const std::pair<std::string, std::string> cases[] = {
        {get(std::string(32, 'M'), "/", ""), "ok"},
        {get(std::string(33, 'M'), "/", ""), "400 bad_request_line"},
        {get("GET", "/" + std::string(16383, 'u'), ""), "ok"},
        {get("GET", "/" + std::string(16384, 'u'), ""), "414 uri_too_long"},
        {get("GET", "/", std::string(256, 'n') + ": v\r\n"), "ok"},
        {get("GET", "/", std::string(257, 'n') + ": v\r\n"), "431 header_too_large"},
        {get("GET", "/", "X: " + std::string(8192, 'v') + "\r\n"), "ok"},
        {get("GET", "/", "X: " + std::string(8193, 'v') + "\r\n"), "431 header_too_large"},
        // A folded line joins its value with its leading space: 8000 + 1 + 191 = 8192.
        {get("GET", "/", "X: " + std::string(8000, 'v') + "\r\n " + std::string(191, 'v') + "\r\n"), "ok"},
        {get("GET", "/", "X: " + std::string(8000, 'v') + "\r\n " + std::string(192, 'v') + "\r\n"), "431 header_too_large"},
        {get("GET", "/", std::string(255, 'j') + "\r\n"), "ok"},
        {get("GET", "/", std::string(256, 'j') + "\r\n"), "431 header_too_large"},
        {get("GET", "/", fields(100)), "ok"},
        {get("GET", "/", fields(101)), "431 too_many_headers"},
    };
    for (const auto& [input, expect] : cases) {
        const std::string got = head_of(input);
        EXPECT_EQ(got.find('|') != std::string::npos ? "ok" : got, expect) << input.substr(0, 60);
    }
}

}  // namespace
}  // namespace strata
