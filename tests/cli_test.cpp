// The strata and strata-index programs as a user runs them, in embedded and remote mode.
#include "batch_input.h"
#include "served.h"
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

namespace strata {
namespace {

const std::string kBin = STRATA_BINARY_DIR;

class Cli : public test::ServedSuite {
protected:
    static void SetUpTestSuite() { serve(test::test_corpus()); }
    static std::string strata(const std::string& args, int expect = 0) {
        std::string out;
        const int rc = test::run(kBin + "/cli/strata --index " + server_->index().string() + " " + args + " 2>&1", &out);
        EXPECT_EQ(rc, expect) << args << "\n" << out;
        return out;
    }
    static std::string remote() { return " --server " + server_->base_url() + " "; }
};

// Tidy output with the time of each answer left out (two runs differ only there).
std::string without_time(const std::string& s) {
    return std::regex_replace(s, std::regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), "TIME");
}

nlohmann::json without_timing(std::string s) {
    nlohmann::json j = nlohmann::json::parse(s);
    j.erase("took_ms");
    j.erase("retrieved_at");  // the time of the answer
    return j;
}

TEST_F(Cli, SearchGivesTheSameResultsEmbeddedAndRemote) {
    const std::vector<std::string> searches = {"ethics", "datos --country ES,MX", "伦理", "ethics --crosslingual",
                                               "'' --theme data --group passage", "'' --income upper-middle --lang zh"};
    for (const std::string& args : searches) {
        const std::string embedded = strata("--format json search " + args);
        const std::string served = strata(remote() + "--format json search " + args);
        EXPECT_EQ(without_timing(embedded), without_timing(served)) << args;
    }
}

TEST_F(Cli, PrintsTablesCsvAndJsonLines) {
    const std::string table = strata("search ethics");
    EXPECT_NE(table.find("Test strategy on trustworthy AI"), std::string::npos) << table;
    EXPECT_NE(table.find("§ Ethics and trust"), std::string::npos) << table;
    const std::string csv = strata("--format csv search datos");
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFrank,doc_id,country,year,type,language,title,title_en,issuer,source_url,passage,section,page,"
                        "page_end,score,snippet,request,generation,retrieved_at\r\n", 0),
              0u)
        << csv;
    EXPECT_NE(csv.find("es-2020-test-estrategia"), std::string::npos);
    EXPECT_EQ(csv.find("<mark>"), std::string::npos) << "CSV holds plain text";
    const std::string jsonl = strata("--format jsonl search datos --no-crosslingual");
    std::size_t lines = 0;
    for (std::size_t p = 0; (p = jsonl.find('\n', p)) != std::string::npos; ++p) ++lines;
    EXPECT_EQ(lines, 2u) << jsonl;
    // Cross-language is the default: the same word reaches the other languages' documents.
    const std::string across = strata("--format jsonl search datos");
    std::size_t across_lines = 0;
    for (std::size_t p = 0; (p = across.find('\n', p)) != std::string::npos; ++p) ++across_lines;
    EXPECT_GT(across_lines, lines) << across;
    EXPECT_EQ(without_time(strata("--format jsonl search datos --crosslingual=false")), without_time(jsonl));
}

TEST_F(Cli, ShowsDocumentsThemesAndCountriesInBothModes) {
    for (const std::string& mode : {std::string(" "), remote()}) {
        EXPECT_NE(strata(mode + "doc gb-2021-test-strategy").find("Ethics and trust"), std::string::npos);
        EXPECT_NE(strata(mode + "themes").find("Compute and infrastructure"), std::string::npos);
        EXPECT_NE(strata(mode + "countries").find("Türkiye"), std::string::npos);
        EXPECT_EQ(strata(mode + "--format json themes"), strata(" --format json themes"));
    }
    strata("doc no-such-document", 1);
}

// Table output to a pipe or a file still shows what matched: words between [[ and ]], and
// the matching passages marked; the passages match as in a search with the same options.
TEST_F(Cli, DocHighlightShowsTheMatchesInTableOutput) {
    for (const std::string& mode : {std::string(" "), remote()}) {
        const std::string out = strata(mode + "doc gb-2021-test-strategy --highlight ethics");
        EXPECT_NE(out.find("talks about [[ethics]]"), std::string::npos) << out;
        EXPECT_NE(out.find("§ Ethics and trust  [match]"), std::string::npos) << out;
        EXPECT_EQ(out.find("§ Data and compute  [match]"), std::string::npos) << out;
        EXPECT_NE(out.find("1 passage of 2 matches"), std::string::npos) << out;
        // The Spanish document matches "ethics" only through its translation.
        EXPECT_NE(strata(mode + "doc es-2020-test-estrategia --highlight ethics").find("La [[ética]] de"), std::string::npos);
        const std::string typed = strata(mode + "doc es-2020-test-estrategia --highlight ethics --no-crosslingual");
        EXPECT_NE(typed.find("0 passages of 2 match"), std::string::npos) << typed;
        EXPECT_EQ(typed.find("[["), std::string::npos) << typed;
    }
}

TEST_F(Cli, CompareGivesTheSameMatrixEmbeddedAndRemote) {
    for (const std::string& args : std::vector<std::string>{"", "datos", "--by country,year", "--by region,theme ethics --crosslingual",
                                                            "--countries ES,MX --themes data", "--by income,theme --incomes high"}) {
        const std::string embedded = strata("--format json compare " + args);
        const std::string served = strata(remote() + "--format json compare " + args);
        EXPECT_EQ(without_timing(embedded), without_timing(served)) << args;
    }
    EXPECT_NE(strata("compare --by income,theme --incomes high").find("High income"), std::string::npos);
    const std::string table = strata("compare --countries ES,MX --themes data,ethics");
    EXPECT_NE(table.find("Spain"), std::string::npos) << table;
    EXPECT_NE(table.find("Data"), std::string::npos) << table;
    const std::string csv = strata("compare datos --format csv");
    const auto rows = cli::parse_csv(csv);
    ASSERT_GT(rows.size(), 1u);
    EXPECT_EQ(rows[0][0], "row");
    EXPECT_EQ(rows[0].size(), rows[1].size());
}

TEST_F(Cli, BatchReadsYamlCsvAndTextInBothModes) {
    test::TempDir dir;
    test::write_file(dir / "q.txt", "ethics\n# a comment\ndatos\n");
    test::write_file(dir / "q.csv", "id,q,country\nfirst,datos,ES\nsecond,\"data, open\",\nthird,etik,TR\n");
    test::write_file(dir / "q.yaml", "defaults: {per_page: 2}\nqueries:\n  - {id: one, q: ethics}\n  - {id: two, q: 伦理, lang: zh-Hans}\n");
    for (const char* f : {"q.txt", "q.csv", "q.yaml"}) {
        const std::string file = (dir / f).string();
        const std::string embedded = strata("--format jsonl batch " + file);
        const std::string served = strata(remote() + "--format jsonl batch " + file);
        EXPECT_EQ(without_time(embedded), without_time(served)) << f;
        EXPECT_FALSE(embedded.empty()) << f;
    }
    const std::string csv = strata("--format csv batch " + (dir / "q.csv").string());
    const auto rows = cli::parse_csv(csv);
    ASSERT_GE(rows.size(), 3u) << csv;
    EXPECT_EQ(rows[0][0], "query_id");
    EXPECT_EQ(rows[1][0], "first");
    const auto doc_id = std::find(rows[0].begin(), rows[0].end(), "doc_id") - rows[0].begin();
    EXPECT_EQ(rows[1][doc_id], "es-2020-test-estrategia");
    EXPECT_EQ(rows.back()[0], "third");
}

TEST_F(Cli, BatchExitsWithOneWhenSomeQueriesFail) {
    test::TempDir dir;
    test::write_file(dir / "q.yaml", "- {id: good, q: ethics}\n- {id: bad, q: ethics, year: twenty}\n");
    std::string out;
    EXPECT_EQ(test::run(kBin + "/cli/strata --index " + server_->index().string() + " --format csv batch " + (dir / "q.yaml").string() + " 2>&1", &out), 1);
    EXPECT_NE(out.find("query bad: year 'twenty'"), std::string::npos) << out;
    EXPECT_NE(out.find("good,"), std::string::npos) << out;
    EXPECT_NE(out.find("gb-2021-test-strategy"), std::string::npos) << out;
}

TEST_F(Cli, UsageErrorsExitWithTwo) {
    strata("search", 2);
    strata("--format xml search ethics", 2);
    strata("search ethics --per-page 0", 2);
    strata("frobnicate", 2);
}

TEST(IndexCli, CheckNamesTheBrokenFileAndExitsNonZero) {
    test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    std::string out;
    EXPECT_EQ(test::run(kBin + "/indexer/strata-index --check " + corpus.string() + " 2>&1", &out), 0) << out;
    EXPECT_NE(out.find("documents: 10"), std::string::npos) << out;
    test::write_file(corpus / "docs/bad.yaml", "id: \"x-bad\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 20x0\nfile: \"a.md\"\n");
    EXPECT_EQ(test::run(kBin + "/indexer/strata-index --check " + corpus.string() + " 2>&1", &out), 1);
    EXPECT_NE(out.find("bad.yaml:4: field 'year'"), std::string::npos) << out;
}

TEST(IndexCli, ExitCodesSaySomeDocumentsFailed) {
    test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    test::write_file(corpus / "docs/bad.yaml", "id: [\n");
    std::string out;
    EXPECT_EQ(test::run(kBin + "/indexer/strata-index " + corpus.string() + " " + (dir / "idx").string() + " 2>&1", &out), 1) << out;
    EXPECT_NE(out.find("10 added"), std::string::npos) << out;
    EXPECT_EQ(test::run(kBin + "/indexer/strata-index 2>&1", &out), 2);
    EXPECT_EQ(test::run(kBin + "/indexer/strata-index --stats " + (dir / "idx").string() + " 2>&1", &out), 0);
    EXPECT_NE(out.find("documents: 10"), std::string::npos) << out;
}

}  // namespace
}  // namespace strata
