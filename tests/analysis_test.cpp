// The corpus analyses (concordance, trends) on real indexes: counts checked against direct
// counts in the texts, the routes over loopback, and the CLI in both modes.
#include "index/token_offsets.h"
#include "served.h"
#include "strata/concordance.h"
#include "strata/corpus.h"
#include "strata/errors.h"
#include "strata/reference.h"
#include "strata/schema.h"
#include "strata/search.h"
#include "strata/text.h"
#include "strata/trends.h"
#include "support.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

namespace strata {
namespace {

// The text of every bundled document without its heading lines (passages keep headings
// apart, as their section, and the titles stand in the metadata).
std::vector<std::string> bundled_bodies() {
    std::vector<std::string> out;
    for (const auto& f : std::filesystem::directory_iterator(bundled_corpus_dir() / "docs")) {
        if (f.path().extension() != ".md") continue;
        std::istringstream in(test::read_file(f.path()));
        std::string line, body;
        while (std::getline(in, line))
            if (line.rfind('#', 0) != 0) body += line + '\n';
        out.push_back(body);
    }
    return out;
}

std::size_t count_substring(const std::string& needle) {
    std::size_t n = 0;
    for (const std::string& body : bundled_bodies())
        for (auto at = body.find(needle); at != std::string::npos; at = body.find(needle, at + needle.size())) ++n;
    return n;
}

// Case-insensitive whole-word occurrences of English words in sequence, any space between.
std::size_t count_phrase(const std::string& words) {
    std::string pattern = "(^|[^A-Za-z0-9])";
    for (const std::string& w : text::split(words, ' ')) pattern += (pattern.back() == ')' ? "" : "\\s+") + w;
    const std::regex re(pattern + "(?![A-Za-z0-9])", std::regex::icase);
    std::size_t n = 0;
    for (const std::string& body : bundled_bodies())
        n += static_cast<std::size_t>(std::distance(std::sregex_iterator(body.begin(), body.end(), re), std::sregex_iterator()));
    return n;
}

ParamMap params(std::initializer_list<std::pair<std::string, std::string>> kv) {
    ParamMap p;
    for (const auto& [k, v] : kv) p[k].push_back(v);
    return p;
}

class Analysis : public test::BundledSearcherSuite {
protected:
    static nlohmann::json kwic(std::initializer_list<std::pair<std::string, std::string>> kv) {
        return searcher_->concordance(ConcordanceRequest::from_params(params(kv)));
    }
    static nlohmann::json trends(std::initializer_list<std::pair<std::string, std::string>> kv) {
        return searcher_->trends(TrendsRequest::from_params(params(kv)));
    }
};

TEST_F(Analysis, PhraseTotalEqualsItsOccurrencesInTheTexts) {
    for (const std::string phrase : {"artificial intelligence", "machine learning", "human rights"}) {
        const nlohmann::json j = kwic({{"q", '"' + phrase + '"'}, {"per_page", "500"}});
        const std::size_t direct = count_phrase(phrase);
        ASSERT_GT(direct, 0u) << phrase;
        EXPECT_EQ(j["total"], direct) << phrase;
        EXPECT_EQ(j["lines"].size(), direct) << phrase;
        for (const auto& line : j["lines"]) {
            std::string m = text::ascii_lower(line["match"].get<std::string>());
            EXPECT_EQ(text::squeeze_space(m), phrase);
        }
    }
}

// The tokens of every passage's stored text (read through the document route, tokenised in
// the passage's language) that stand for the ASCII word @p word: in its own form, or
// accent-folded to it (a query word finds both).
std::size_t token_count(const Searcher& searcher, const std::string& word) {
    std::size_t n = 0;
    for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents) {
        const nlohmann::json doc = searcher.document(DocumentRequest{d.id, {}});
        for (const auto& p : doc["passages"])
            for (const Token& t : searcher.analyzer().tokenize(p.value("text", ""), p.value("lang", "")))
                n += t.text == word || t.folded == word;
    }
    return n;
}

TEST_F(Analysis, WordTotalEqualsItsOccurrencesInTheTextsWhereverTitlesAndHeadingsHoldIt) {
    // Words of document titles and section headings as well as of the text: the count
    // leaves the titles' and headings' positions out, whether it reads positions or the
    // counting terms.
    for (const std::string word : {"intelligence", "artificial", "strategy", "national", "data", "ethics", "inteligencia"}) {
        const nlohmann::json j = kwic({{"q", '"' + word + '"'}, {"crosslingual", "false"}, {"per_page", "1"}});
        const std::size_t direct = token_count(*searcher_, word);
        ASSERT_GT(direct, 0u) << word;
        EXPECT_EQ(j["total"], direct) << word;
    }
}

TEST_F(Analysis, AllPagesTogetherHoldExactlyTheTotal) {
    // Totals come from counts, lines from positions: every page but the last is full, and
    // the pages add up to the total, in corpus order and in year order.
    for (const std::string q : {"data", "ethics", "intelig*", "\"artificial intelligence\" OR ai"}) {
        for (const std::string sort : {"doc", "-year"}) {
            const std::size_t total = kwic({{"q", q}, {"per_page", "1"}})["total"];
            ASSERT_GT(total, 0u) << q;
            std::size_t lines = 0;
            for (int page = 1;; ++page) {
                const nlohmann::json j = kwic({{"q", q}, {"sort", sort}, {"per_page", "37"}, {"page", std::to_string(page)}});
                EXPECT_EQ(j["total"], total) << q;
                lines += j["lines"].size();
                if (j["lines"].size() < 37) break;
            }
            EXPECT_EQ(lines, total) << q << " sort=" << sort;
        }
    }
}

TEST_F(Analysis, CjkWordTotalEqualsItsSubstringOccurrencesInTheChineseTexts) {
    for (const std::string word : {"伦理", "人工智能", "治理"}) {
        const nlohmann::json j = kwic({{"q", word}, {"crosslingual", "false"}, {"per_page", "500"}});
        EXPECT_EQ(j["total"], count_substring(word)) << word;
        ASSERT_FALSE(j["lines"].empty());
        for (const auto& line : j["lines"]) {
            EXPECT_EQ(line["match"], word);
            EXPECT_EQ(line["language"].get<std::string>().rfind("zh", 0), 0u) << line.dump();
        }
    }
}

TEST_F(Analysis, TrendPointsAddUpToTheConcordanceTotal) {
    for (const std::string q : {"ethics", "\"artificial intelligence\"", "伦理", "datos OR data"}) {
        const std::size_t total = kwic({{"q", q}})["total"];
        ASSERT_GT(total, 0u) << q;
        for (const std::string split : {"none", "country", "region", "lang"}) {
            std::size_t sum = 0;
            const nlohmann::json t = trends({{"q", q}, {"split", split}});
            for (const auto& s : t["series"])
                for (const auto& p : s["points"]) sum += p["occurrences"].get<std::size_t>();
            EXPECT_EQ(sum, total) << q << " split=" << split;
        }
    }
}

TEST_F(Analysis, TrendTokensAreTheWordTokensOfTheFilteredPassages) {
    Xapian::Database db(index().string());
    double all = 0, mx = 0;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const Xapian::Document d = db.get_document(*it);
        const double n = Xapian::sortable_unserialise(d.get_value(schema::kSlotTokens));
        all += n;
        if (d.get_value(schema::kSlotCountry) == "MX") mx += n;
    }
    auto tokens = [](const nlohmann::json& j) {
        double n = 0;
        for (const auto& s : j["series"])
            for (const auto& p : s["points"]) n += p["tokens"].get<double>();
        return n;
    };
    const nlohmann::json none = trends({{"q", "ethics"}});
    ASSERT_EQ(none["series"].size(), 1u);
    EXPECT_EQ(none["series"][0]["key"], "all");
    EXPECT_EQ(tokens(none), all);
    EXPECT_EQ(tokens(trends({{"q", "datos"}, {"country", "MX"}})), mx);
    for (const auto& p : none["series"][0]["points"]) {
        EXPECT_LE(p["documents"], p["documents_total"]);
        EXPECT_NEAR(p["per_million"].get<double>(), 1e6 * p["occurrences"].get<double>() / p["tokens"].get<double>(), 0.001);
    }
}

TEST_F(Analysis, TrendsSplitByCountryGivesOneSeriesPerCountryWithTheWord) {
    const nlohmann::json j = trends({{"q", "datos"}, {"crosslingual", "false"}, {"split", "country"}});
    std::set<std::string> keys;
    for (const auto& s : j["series"]) keys.insert(s["key"].get<std::string>());
    std::set<std::string> expected;
    const nlohmann::json k = kwic({{"q", "datos"}, {"crosslingual", "false"}, {"per_page", "500"}});
    for (const auto& line : k["lines"])
        expected.insert(line["country"].get<std::string>());
    EXPECT_EQ(keys, expected);
    EXPECT_GE(keys.size(), 3u);
}

TEST_F(Analysis, SortsByTheFoldedWordRightOfTheMatch) {
    const nlohmann::json j = kwic({{"q", "ethics"}, {"crosslingual", "false"}, {"sort", "R1"}, {"per_page", "500"}});
    ASSERT_GE(j["lines"].size(), 5u);
    const Analyzer a;
    std::vector<std::string> keys;
    for (const auto& line : j["lines"]) {
        const auto toks = a.tokenize(line["right"].get<std::string>(), line["language"].get<std::string>());
        keys.push_back(toks.empty() ? "" : Analyzer::fold(toks[0].text));
    }
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    EXPECT_NE(keys.front(), keys.back());
}

TEST_F(Analysis, ContextCountsWordsEachSideWithinThePassage) {
    const nlohmann::json j = kwic({{"q", "ethics"}, {"crosslingual", "false"}, {"context", "3"}, {"per_page", "500"}});
    const Analyzer a;
    bool full = false;
    for (const auto& line : j["lines"]) {
        const std::string lang = line["language"];
        const auto left = a.tokenize(line["left"].get<std::string>(), lang);
        const auto right = a.tokenize(line["right"].get<std::string>(), lang);
        EXPECT_LE(left.size(), 3u) << line.dump();
        EXPECT_LE(right.size(), 3u) << line.dump();
        full = full || (left.size() == 3 && right.size() == 3);
    }
    EXPECT_TRUE(full);
    const nlohmann::json none = kwic({{"q", "ethics"}, {"context", "0"}});
    EXPECT_EQ(none["lines"][0]["left"], "");
    EXPECT_EQ(none["lines"][0]["right"], "");
}

TEST_F(Analysis, PagesCutOneOrderOfLines) {
    const nlohmann::json all = kwic({{"q", "data"}, {"per_page", "10"}, {"sort", "-year"}});
    const nlohmann::json p1 = kwic({{"q", "data"}, {"per_page", "5"}, {"sort", "-year"}});
    const nlohmann::json p2 = kwic({{"q", "data"}, {"per_page", "5"}, {"page", "2"}, {"sort", "-year"}});
    ASSERT_EQ(all["lines"].size(), 10u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(all["lines"][i], p1["lines"][i]);
        EXPECT_EQ(all["lines"][i + 5], p2["lines"][i]);
    }
    EXPECT_GE(all["lines"][0]["year"], all["lines"][9]["year"]);
}

TEST_F(Analysis, CrossLanguageLinesSayHowTheyMatched) {
    const nlohmann::json typed = kwic({{"q", "ethics"}, {"crosslingual", "false"}, {"per_page", "500"}});
    const nlohmann::json across = kwic({{"q", "ethics"}, {"per_page", "500"}});
    EXPECT_GT(across["total"].get<std::size_t>(), typed["total"].get<std::size_t>());
    std::set<std::string> via, langs;
    for (const auto& line : across["lines"]) {
        via.insert(line["via"].get<std::string>());
        langs.insert(line["language"].get<std::string>());
    }
    EXPECT_TRUE(via.count("query"));
    EXPECT_TRUE(via.count("concept") || via.count("translation"));
    EXPECT_GE(langs.size(), 5u);
    for (const auto& line : typed["lines"]) EXPECT_EQ(line["via"], "query");
}

TEST_F(Analysis, ExcludedWordsAreNotOccurrences) {
    const nlohmann::json j = kwic({{"q", "data -privacy"}, {"crosslingual", "false"}, {"lang", "en,es"}, {"per_page", "500"}});
    ASSERT_EQ(j["patterns"].size(), 1u);
    EXPECT_EQ(j["patterns"][0]["text"], "data");
    ASSERT_FALSE(j["lines"].empty());
    // The word matches its forms with the same stem in each passage's language, as search
    // does ("datos" in Spanish passages), never the excluded word.
    for (const auto& line : j["lines"])
        EXPECT_EQ(text::ascii_lower(line["match"].get<std::string>()).rfind("dat", 0), 0u) << line.dump();
}

TEST_F(Analysis, BadParametersAreRejectedNamingThem) {
    auto message = [](std::initializer_list<std::pair<std::string, std::string>> kv, bool concordance) {
        try {
            if (concordance) (void)kwic(kv);
            else (void)trends(kv);
        } catch (const InvalidRequest& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message({{"q", "data"}, {"context", "51"}}, true).find("'context'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"context", "x"}}, true).find("'context'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"sort", "relevance"}}, true).find("'sort'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"per_page", "501"}}, true).find("'per_page'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"group", "passage"}}, true).find("'group'"), std::string::npos);
    EXPECT_NE(message({{"q", ""}}, true).find("'q'"), std::string::npos);
    EXPECT_NE(message({{"q", "country:MX"}}, true).find("'q'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"split", "theme"}}, false).find("'split'"), std::string::npos);
    EXPECT_NE(message({{"q", "data"}, {"country", "XX"}}, false).find("XX"), std::string::npos);
}

TEST(TokenOffsets, MapEveryTextPositionToItsBytes) {
    const Analyzer a;
    const std::string text = "L'éthique\n des 人工智能伦理 données, 2030.";
    const auto toks = a.tokenize(text, "fr", 17);
    const TokenOffsets o = decode_offsets(encode_offsets(toks, text));
    EXPECT_EQ(o.first, 17u);
    for (const Token& t : toks) {
        ASSERT_TRUE(o.covers(t.pos));
        EXPECT_EQ(o.at(t.pos).start, t.start);
        EXPECT_FALSE(o.at(t.pos).continues);
        if (t.kind != TokenKind::kCjk) {
            EXPECT_EQ(o.at(t.pos).end, t.end);
        }
    }
    EXPECT_EQ(text.substr(o.at(17).start, o.at(17).end - o.at(17).start), "éthique");
    // Each Han character has its own position; later ones continue their word.
    std::string han;
    for (const auto& e : o.entries)
        if (static_cast<unsigned char>(text[e.start]) >= 0xE0) han += text.substr(e.start, e.end - e.start) + (e.continues ? "+" : "|");
    EXPECT_EQ(han.substr(0, 4), "人|");
    EXPECT_NE(han.find("工+"), std::string::npos) << han;
    EXPECT_TRUE(decode_offsets("\xff").entries.empty());
    EXPECT_TRUE(decode_offsets("").entries.empty());
}

// ---------------------------------------------------------------- routes
class AnalysisServer : public test::ServedSuite {
protected:
    static void SetUpTestSuite() { serve(test::test_corpus()); }
    static test::HttpResult get(const std::string& path) { return server_->get(path); }
    static std::string strata(const std::string& args, bool remote = false) {
        std::string out;
        const std::string where = remote ? "--server " + server_->base_url() : "--index " + server_->index().string();
        const int rc = test::run(std::string(STRATA_BINARY_DIR) + "/cli/strata " + where + " " + args + " 2>&1", &out);
        EXPECT_EQ(rc, 0) << args << "\n" << out;
        return out;
    }
};

TEST_F(AnalysisServer, ConcordanceRouteAnswersJsonAndCsv) {
    const auto r = get("/v1/concordance?q=ethics&crosslingual=false&context=4");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = nlohmann::json::parse(r.body);
    ASSERT_GE(j["total"].get<int>(), 1);
    EXPECT_EQ(j["documents"], 1);
    const auto& line = j["lines"][0];
    for (const char* k : {"id", "country", "year", "language", "section", "page", "left", "match", "right"})
        EXPECT_TRUE(line.contains(k)) << k;
    EXPECT_EQ(line["id"], "gb-2021-test-strategy");
    const auto csv = get("/v1/concordance?q=ethics&crosslingual=false&format=csv");
    EXPECT_EQ(csv.status, 200);
    EXPECT_NE(csv.headers.at("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_NE(csv.body.find("id,country,year,language,section,page,passage,left,match,right"), std::string::npos);
}

TEST_F(AnalysisServer, TrendsRouteAnswersJsonAndCsv) {
    const auto j = nlohmann::json::parse(get("/v1/trends?q=datos&split=country").body);
    ASSERT_FALSE(j["series"].empty());
    for (const auto& s : j["series"]) {
        EXPECT_TRUE(s.contains("label"));
        for (const auto& p : s["points"])
            for (const char* k : {"year", "occurrences", "tokens", "per_million", "documents", "documents_total"})
                EXPECT_TRUE(p.contains(k)) << k;
    }
    const auto csv = get("/v1/trends?q=datos&format=csv");
    EXPECT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("key,label,year,occurrences,tokens,per_million"), std::string::npos);
}

TEST_F(AnalysisServer, BadParametersAre400NamingTheParameter) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/v1/concordance?q=ethics&context=99", "context"}, {"/v1/concordance?q=ethics&sort=up", "sort"},
        {"/v1/concordance?q=ethics&per_page=1000", "per_page"}, {"/v1/concordance?q=ethics&page=0", "page"},
        {"/v1/concordance", "q"}, {"/v1/concordance?q=ethics&format=xml", "format"},
        {"/v1/concordance?q=ethics&bogus=1", "bogus"}, {"/v1/trends?q=ethics&split=year", "split"},
        {"/v1/trends?q=ethics&year=20x", "year"}, {"/v1/trends?split=country", "q"}};
    for (const auto& [path, name] : cases) {
        const auto r = get(path);
        EXPECT_EQ(r.status, 400) << path;
        const auto j = nlohmann::json::parse(r.body);
        EXPECT_NE(j["error"]["message"].get<std::string>().find(name), std::string::npos) << path << " " << r.body;
    }
}

TEST_F(AnalysisServer, MarkupInDocumentsComesBackAsPlainText) {
    const auto j = nlohmann::json::parse(get("/v1/concordance?q=ethics&crosslingual=false&per_page=500").body);
    ASSERT_FALSE(j["lines"].empty());
    // The JSON writer escapes < and > whatever the text holds.
    const auto raw = get("/v1/concordance?q=ethics&crosslingual=false").body;
    EXPECT_EQ(raw.find('<'), std::string::npos);
}

// ---------------------------------------------------------------- CLI
nlohmann::json without_timing(const std::string& s) {
    nlohmann::json j = nlohmann::json::parse(s);
    j.erase("took_ms");
    j.erase("retrieved_at");  // the time of the answer
    return j;
}

TEST_F(AnalysisServer, KwicAndTrendsGiveTheSameAnswersEmbeddedAndRemote) {
    for (const std::string args : {"kwic ethics --context 5 --sort R1", "kwic datos --country ES,MX", "kwic 伦理",
                                   "trends datos --split country", "trends ethics"})
        EXPECT_EQ(without_timing(strata("--format json " + args)), without_timing(strata("--format json " + args, true))) << args;
}

TEST_F(AnalysisServer, KwicAlignsTheMatchAndWritesCsvAndJsonLines) {
    const std::string table = strata("kwic datos --context 3 --no-crosslingual");
    std::vector<std::size_t> columns;
    std::istringstream in(table);
    std::string line;
    std::getline(in, line);
    EXPECT_NE(line.find("occurrences"), std::string::npos);
    while (std::getline(in, line)) {
        const auto at = line.find(" datos ");
        ASSERT_NE(at, std::string::npos) << line;
        columns.push_back(at);
    }
    ASSERT_GE(columns.size(), 2u);
    const std::string csv = strata("--format csv kwic datos --no-crosslingual");
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFid,country,year,language,section,page,passage,left,match,right,term,via,request,generation,"
                        "retrieved_at\r\n", 0), 0u) << csv.substr(0, 200);
    const std::string jsonl = strata("--format jsonl kwic datos --no-crosslingual");
    std::istringstream lines(jsonl);
    std::size_t n = 0;
    while (std::getline(lines, line)) {
        EXPECT_EQ(text::ascii_lower(nlohmann::json::parse(line)["match"].get<std::string>()), "datos");
        ++n;
    }
    EXPECT_EQ(n, columns.size());
    const std::string trends = strata("trends datos --split country");
    EXPECT_NE(trends.find("per_million"), std::string::npos);
    EXPECT_NE(trends.find("MX"), std::string::npos);
}

}  // namespace
}  // namespace strata
