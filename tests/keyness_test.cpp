// Keyness and compare's fair measures on the bundled corpus, indexed for real, checked
// against counts made directly from the stored texts.
#include "served.h"
#include "strata/concordance.h"
#include "strata/corpus.h"
#include "strata/keyness.h"
#include "strata/lexicon.h"
#include "strata/reference.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace strata {
namespace {

// One Searcher and one server over the shared index for every suite of this file, made on
// first use.
std::unique_ptr<Searcher> searcher_;
std::unique_ptr<test::IndexedServer> server_;

class BundledIndex : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (searcher_) return;
        searcher_ = test::open_searcher(bundled_corpus_dir());
        server_ = std::make_unique<test::IndexedServer>(test::shared_index(bundled_corpus_dir()), [](searchd::ServerConfig& c) {
            c.corpus = bundled_corpus_dir().string();
            c.threads = 2;
        });
    }

    static nlohmann::json keyness(const ParamMap& p) { return strata::keyness(*searcher_, KeynessRequest::from_params(p)); }

    // Every passage of the documents of @p country (or of every other country when
    // @p others) whose language is @p lang: the stored texts, read through the document route.
    static std::vector<std::string> texts(const std::string& country, bool others, const std::string& lang) {
        std::vector<std::string> out;
        for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents) {
            if ((d.country == country) == others) continue;
            const nlohmann::json doc = searcher_->document(DocumentRequest{d.id, {}});
            for (const auto& p : doc["passages"])
                if (Analyzer::stem_language(p.value("lang", "")) == lang) out.push_back(p.value("text", ""));
        }
        return out;
    }

    // Occurrences of @p word as a token of @p texts, through the analyzer: tokens that fold
    // to the same accent-free form (as search matches words), or with @p exact spelled alike.
    static std::uint64_t token_count(const std::vector<std::string>& texts, const std::string& lang, const std::string& word,
                                     std::uint64_t* all_tokens = nullptr, bool exact = false) {
        std::uint64_t n = 0;
        const std::string folded = Analyzer::fold(word);
        for (const std::string& t : texts)
            for (const Token& tok : searcher_->analyzer().tokenize(t, lang)) {
                n += exact ? tok.text == word : Analyzer::fold(tok.text) == folded;
                if (all_tokens) ++*all_tokens;
            }
        return n;
    }

    // Occurrences of the lower-case ASCII @p word in @p texts, as a whole word, case
    // ignored: no analyzer involved.
    static std::uint64_t plain_count(const std::vector<std::string>& texts, const std::string& word) {
        auto letter = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
        std::uint64_t n = 0;
        for (const std::string& t : texts)
            for (std::size_t i = 0; i + word.size() <= t.size(); ++i) {
                if (i > 0 && letter(static_cast<unsigned char>(t[i - 1]))) continue;
                std::size_t k = 0;
                while (k < word.size() && std::tolower(static_cast<unsigned char>(t[i + k])) == word[k]) ++k;
                if (k == word.size() && (i + k == t.size() || !letter(static_cast<unsigned char>(t[i + k])))) ++n;
            }
        return n;
    }
};

// The suites share one Searcher and server; they go when every test has run (the index
// when the binary exits).
class SharedIndexTeardown : public ::testing::Environment {
public:
    void TearDown() override {
        server_.reset();
        searcher_.reset();
    }
};
[[maybe_unused]] ::testing::Environment* const shared_index_teardown =
    ::testing::AddGlobalTestEnvironment(new SharedIndexTeardown);

using Keyness = BundledIndex;

bool ascii_word(const std::string& s) {
    for (char c : s)
        if (c < 'a' || c > 'z') return false;
    return !s.empty();
}

TEST_F(Keyness, GSquaredAndLogRatioRecomputeFromEachRowsCountsAndTheTwoTotals) {
    const nlohmann::json k = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}});
    ASSERT_GT(k["rows"].size(), 5u);
    const double c = k["target"]["tokens"], d = k["reference"]["tokens"];
    ASSERT_GT(c, 0);
    ASSERT_GT(d, c);
    double previous = INFINITY;
    for (const auto& row : k["rows"]) {
        const double a = row["target_count"], b = row["reference_count"];
        // Dunning's G², written out here independently of the implementation.
        const double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
        const double g2 = 2 * ((a > 0 ? a * std::log(a / e1) : 0) + (b > 0 ? b * std::log(b / e2) : 0));
        const double lr = std::log2(((a > 0 ? a : 0.5) / c) / ((b > 0 ? b : 0.5) / d));
        EXPECT_NEAR(row["log_likelihood"].get<double>(), g2, 1e-3) << row.dump();
        EXPECT_NEAR(row["log_ratio"].get<double>(), lr, 1e-4) << row.dump();
        EXPECT_GE(g2, 6.63);
        EXPECT_LE(row["log_likelihood"].get<double>(), previous);
        previous = row["log_likelihood"];
        EXPECT_EQ(row["side"], lr > 0 ? "target" : "reference");
        EXPECT_NEAR(row["target_per_million"].get<double>(), 1e6 * a / c, 0.01);
    }
}

TEST_F(Keyness, CountsEqualDirectCountsInTheStoredTexts) {
    const nlohmann::json k = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}});
    ASSERT_EQ(k["languages"], nlohmann::json({"es"}));
    const std::vector<std::string> target = texts("MX", false, "es"), rest = texts("MX", true, "es");
    std::uint64_t target_tokens = 0, rest_tokens = 0;
    (void)token_count(target, "es", "", &target_tokens);
    (void)token_count(rest, "es", "", &rest_tokens);
    EXPECT_EQ(k["target"]["tokens"], target_tokens);
    EXPECT_EQ(k["reference"]["tokens"], rest_tokens);
    int checked = 0, plain_checked = 0;
    for (const auto& row : k["rows"]) {
        const std::string w = row["term"];
        EXPECT_EQ(row["target_count"], token_count(target, "es", w)) << w;
        EXPECT_EQ(row["reference_count"], token_count(rest, "es", w)) << w;
        // An ASCII word no accented spelling folds to is counted by plain string search too.
        if (ascii_word(w) && row["target_count"] == token_count(target, "es", w, nullptr, true)) {
            EXPECT_EQ(row["target_count"], plain_count(target, w)) << w;
            ++plain_checked;
        }
        if (++checked == 30) break;
    }
    EXPECT_GT(plain_checked, 5);
}

TEST_F(Keyness, ARowsTargetCountIsTheConcordanceTotalOfItsTermInTheTarget) {
    // The row's query (the word as a phrase) in the target and the compared language. Search
    // matches a word in every spelling that folds to its accent-free form, and keyness counts
    // words the same way, so the totals are equal for every row, whatever its spellings.
    const nlohmann::json k = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}, {"min_count", {"1"}}});
    ASSERT_EQ(k["languages"], nlohmann::json({"es"}));
    int checked = 0, several_spellings = 0;
    for (const auto& row : k["rows"]) {
        if (row["side"] != "target") continue;
        ParamMap p{{"q", {row["query"].get<std::string>() + " country:MX"}}, {"lang", {"es"}}, {"crosslingual", {"false"}},
                   {"per_page", {"500"}}};
        const nlohmann::json c = searcher_->concordance(ConcordanceRequest::from_params(p));
        ASSERT_LT(c["total"].get<std::size_t>(), 500u);
        EXPECT_EQ(row["target_count"], c["total"]) << row.dump();
        std::set<std::string> spellings;
        for (const auto& line : c["lines"]) spellings.insert(searcher_->analyzer().normalize(line["match"].get<std::string>(), "es"));
        several_spellings += spellings.size() > 1;
        // The term is the spelling the target uses most.
        std::uint64_t own = 0;
        for (const auto& line : c["lines"]) own += searcher_->analyzer().normalize(line["match"].get<std::string>(), "es") == row["term"];
        EXPECT_GE(2 * own, row["target_count"].get<std::uint64_t>() / spellings.size()) << row.dump();
        if (++checked == 60) break;
    }
    EXPECT_GE(checked, 10);
    EXPECT_GE(several_spellings, 1) << "no row of the Mexican strategy is spelled two ways (México, Mexico)";
}

TEST_F(Keyness, StopWordsAreLeftOutAndRowsAreSignificant) {
    const nlohmann::json k = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}, {"min_count", {"1"}}});
    for (const auto& row : k["rows"]) {
        EXPECT_NE(row["term"], "de");
        EXPECT_NE(row["term"], "la");
        EXPECT_NE(row["term"], "que");
        EXPECT_GE(row["log_likelihood"].get<double>(), kKeynessMinLogLikelihood);
    }
    EXPECT_EQ(k["total_rows"].get<std::size_t>(), k["rows"].size());
}

TEST_F(Keyness, TheFastReferenceEqualsTheReferenceReadPassageByPassage) {
    // A year range that holds every document forces the reference to be read passage by
    // passage; the answer must not change.
    const nlohmann::json fast = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}});
    const nlohmann::json slow = keyness({{"target", {"country:MX"}}, {"per_page", {"1000"}}, {"year", {"1000..9999"}}});
    EXPECT_EQ(fast["rows"], slow["rows"]);
    EXPECT_EQ(fast["reference"]["tokens"], slow["reference"]["tokens"]);
    EXPECT_EQ(fast["reference"]["documents"], slow["reference"]["documents"]);
    EXPECT_EQ(fast["reference"]["passages"], slow["reference"]["passages"]);
}

TEST_F(Keyness, WordKeynessComparesOneLanguageUnlessLangSaysOtherwise) {
    const nlohmann::json europe = keyness({{"target", {"region:europe"}}});
    ASSERT_EQ(europe["languages"].size(), 1u);
    ASSERT_FALSE(europe["warnings"].empty());
    EXPECT_NE(europe["warnings"][0].get<std::string>().find("left out"), std::string::npos);
    const nlohmann::json german = keyness({{"target", {"region:europe"}}, {"lang", {"de"}}});
    EXPECT_EQ(german["languages"], nlohmann::json({"de"}));
    const nlohmann::json with_ref = keyness({{"target", {"country:DE"}}, {"reference", {"country:AT,CH"}}});
    EXPECT_EQ(with_ref["languages"], nlohmann::json({"de"}));
    EXPECT_GT(with_ref["reference"]["documents"].get<int>(), 0);
}

TEST_F(Keyness, ConceptKeynessCountsAcrossLanguages) {
    const nlohmann::json k = keyness({{"target", {"country:MX"}}, {"reference", {"region:europe"}},
                                      {"unit", {"concept"}}, {"min_count", {"1"}}, {"per_page", {"1000"}}});
    EXPECT_TRUE(k["languages"].empty());
    ASSERT_FALSE(k["rows"].empty());
    // The reference is European text in many languages; the concepts are counted in all.
    const nlohmann::json words = keyness({{"target", {"country:MX"}}, {"reference", {"region:europe"}}});
    EXPECT_GT(k["reference"]["tokens"].get<double>(), 2 * words["reference"]["tokens"].get<double>());
    bool both_sides = false;
    for (const auto& row : k["rows"]) {
        EXPECT_NE(row["label"], "");
        both_sides = both_sides || (row["target_count"] > 0 && row["reference_count"] > 0);
    }
    EXPECT_TRUE(both_sides);
    // A concept the Spanish target names is counted in a reference with no Spanish text.
    const nlohmann::json de = keyness({{"target", {"country:MX"}}, {"reference", {"lang:de"}}, {"unit", {"concept"}},
                                       {"min_count", {"1"}}, {"per_page", {"1000"}}});
    bool spanish_and_german = false;
    for (const auto& row : de["rows"]) spanish_and_german = spanish_and_german || (row["target_count"] > 0 && row["reference_count"] > 0);
    EXPECT_TRUE(spanish_and_german) << de.dump();
}

TEST_F(Keyness, BadParametersAre400sNamingTheParameter) {
    const unsigned short port = server_->port();
    const std::pair<std::string, std::string> cases[] = {
        {"/v1/keyness", "target"},
        {"/v1/keyness?target=ethics", "target"},
        {"/v1/keyness?target=country:XX", "XX"},
        {"/v1/keyness?target=country:MX&reference=ethics", "reference"},
        {"/v1/keyness?target=country:MX&unit=lemma", "unit"},
        {"/v1/keyness?target=country:MX&min_count=0", "min_count"},
        {"/v1/keyness?target=country:MX&per_page=5000", "per_page"},
        {"/v1/keyness?target=country:MX&per_page=ten", "per_page"},
        {"/v1/keyness?target=country:MX&side=left", "side"},
        {"/v1/keyness?target=country:MX&format=xml", "format"},
        {"/v1/keyness?target=country:MX&colour=red", "colour"},
    };
    for (const auto& [path, word] : cases) {
        const test::HttpResult r = test::http(port, "GET", path);
        EXPECT_EQ(r.status, 400) << path << " → " << r.body;
        EXPECT_NE(r.body.find(word), std::string::npos) << path << " → " << r.body;
    }
}

TEST_F(Keyness, AnswersJsonAndCsvOverHttp) {
    const unsigned short port = server_->port();
    const test::HttpResult j = test::http(port, "GET", "/v1/keyness?target=country%3AMX&per_page=5");
    ASSERT_EQ(j.status, 200) << j.body;
    const nlohmann::json k = nlohmann::json::parse(j.body);
    EXPECT_EQ(k["rows"].size(), 5u);
    const test::HttpResult c = test::http(port, "GET", "/v1/keyness?target=country%3AMX&per_page=5&format=csv");
    ASSERT_EQ(c.status, 200);
    EXPECT_EQ(c.body.rfind("\xEF\xBB\xBFterm,label,side,target_count", 0), 0u) << c.body;
    const std::string first = k["rows"][0]["term"];
    EXPECT_NE(c.body.find("\r\n" + first + ","), std::string::npos) << c.body;
}

using CompareMeasure = BundledIndex;

// The passages of country @p country's documents, as stored.
std::vector<nlohmann::json> passages_of_country(const std::string& country, std::set<std::string>* docs = nullptr) {
    std::vector<nlohmann::json> out;
    for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents) {
        if (d.country != country) continue;
        if (docs) docs->insert(d.id);
        const nlohmann::json doc = searcher_->document(DocumentRequest{d.id, {}});
        for (const auto& p : doc["passages"]) {
            nlohmann::json x = p;
            x["doc"] = d.id;
            x["year"] = d.year;
            out.push_back(std::move(x));
        }
    }
    return out;
}

const nlohmann::json& cell_of(const nlohmann::json& c, const std::string& row, const std::string& col) {
    for (const auto& cell : c["cells"])
        if (cell["row"] == row && cell["column"] == col) return cell;
    static const nlohmann::json none;
    return none;
}

TEST_F(CompareMeasure, DocumentsIsTheShareOfTheRowsDocumentsCountedDirectly) {
    const nlohmann::json c = searcher_->compare(CompareRequest::from_params(
        {{"measure", {"documents"}}, {"countries", {"ES,DE,FR"}}, {"best", {"false"}}}));
    EXPECT_EQ(c["measure"], "documents");
    for (const std::string country : {"ES", "DE", "FR"}) {
        std::set<std::string> docs;
        const std::vector<nlohmann::json> passages = passages_of_country(country, &docs);
        for (const std::string theme : {"ethics", "data", "research"}) {
            std::set<std::string> with_theme;
            for (const auto& p : passages)
                if (p["themes"].contains(theme)) with_theme.insert(p["doc"].get<std::string>());
            const nlohmann::json& cell = cell_of(c, country, theme);
            ASSERT_FALSE(cell.is_null()) << country << theme;
            EXPECT_EQ(cell["documents"], with_theme.size()) << country << " " << theme;
            EXPECT_EQ(cell["documents_total"], docs.size());
            EXPECT_NEAR(cell["value"].get<double>(), double(with_theme.size()) / double(docs.size()), 1e-4);
        }
    }
}

TEST_F(CompareMeasure, PerMillionWithoutAQueryIsThemeHitsPerMillionTokensCountedDirectly) {
    const nlohmann::json c = searcher_->compare(CompareRequest::from_params(
        {{"measure", {"per_million"}}, {"countries", {"ES,DE"}}, {"best", {"false"}}}));
    LexiconMatcher lexicon(searcher_->analyzer(), searcher_->reference());
    for (const std::string country : {"ES", "DE"}) {
        const std::vector<nlohmann::json> passages = passages_of_country(country);
        std::uint64_t tokens = 0;
        std::map<std::string, std::uint64_t> hits;  // theme → hits in the passages tagged with it
        for (const auto& p : passages) {
            std::vector<Token> toks = searcher_->analyzer().tokenize(p["text"].get<std::string>(), p["lang"].get<std::string>());
            tokens += toks.size();
            searcher_->analyzer().stem_tokens(toks, p["lang"].get<std::string>());
            for (const auto& [theme, n] : lexicon.match(toks, p["lang"].get<std::string>()).themes)
                if (p["themes"].contains(theme)) hits[theme] += n;
        }
        for (const auto& row : c["rows"])
            if (row["value"] == country) EXPECT_EQ(row["tokens"], tokens) << country;
        int nonzero = 0;
        for (const std::string theme : {"ethics", "data", "research", "talent"}) {
            const nlohmann::json& cell = cell_of(c, country, theme);
            EXPECT_EQ(cell["tokens"], tokens);
            EXPECT_EQ(cell["occurrences"], hits[theme]) << country << " " << theme;
            EXPECT_NEAR(cell["value"].get<double>(), 1e6 * double(hits[theme]) / double(tokens), 0.01);
            nonzero += hits[theme] > 0;
        }
        EXPECT_GT(nonzero, 1) << country;
    }
}

TEST_F(CompareMeasure, PerMillionWithAQueryCountsItsOccurrencesInTheYearsText) {
    const nlohmann::json c = searcher_->compare(CompareRequest::from_params(
        {{"q", {"datos"}}, {"crosslingual", {"false"}}, {"by", {"country,year"}}, {"measure", {"per_million"}},
         {"countries", {"ES"}}, {"best", {"false"}}}));
    const Analyzer& a = searcher_->analyzer();
    const std::string stem = a.stem("datos", "es");
    std::map<std::string, std::uint64_t> tokens, hits;  // year → …
    for (const auto& p : passages_of_country("ES")) {
        const std::string year = std::to_string(p["year"].get<int>());
        for (const Token& t : a.tokenize(p["text"].get<std::string>(), p["lang"].get<std::string>())) {
            ++tokens[year];
            hits[year] += t.text == "datos" || a.stem(t.text, "es") == stem;
        }
    }
    ASSERT_EQ(tokens.size(), 2u);
    for (const auto& [year, n] : tokens) {
        const nlohmann::json& cell = cell_of(c, "ES", year);
        EXPECT_EQ(cell["tokens"], n) << year;
        EXPECT_EQ(cell["occurrences"], hits[year]) << year;
        EXPECT_GT(hits[year], 0u);
    }
}

TEST_F(CompareMeasure, PassagesIsTodaysShareAndBadMeasuresAre400s) {
    const nlohmann::json c = searcher_->compare(CompareRequest::from_params({{"best", {"false"}}}));
    EXPECT_EQ(c["measure"], "passages");
    for (const auto& cell : c["cells"]) EXPECT_EQ(cell["value"], cell["share"]);
    const unsigned short port = server_->port();
    for (const std::string path : {"/v1/compare?measure=words", "/v1/compare?measure=per_million&by=country,year"}) {
        const test::HttpResult r = test::http(port, "GET", path);
        EXPECT_EQ(r.status, 400) << path << " → " << r.body;
        EXPECT_NE(r.body.find("measure"), std::string::npos) << r.body;
    }
    const test::HttpResult csv = test::http(port, "GET", "/v1/compare?measure=per_million&format=csv&best=false&countries=ES");
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find(",measure,value,occurrences,tokens,"), std::string::npos);
    EXPECT_NE(csv.body.find(",per_million,"), std::string::npos);
}

using KeynessCli = BundledIndex;

std::string strata_cli(const std::string& args, int expect = 0) {
    std::string out;
    const int rc = test::run(std::string(STRATA_BINARY_DIR) + "/cli/strata --index " + server_->index().string() + " " +
                                 args + " 2>&1",
                             &out);
    EXPECT_EQ(rc, expect) << args << "\n" << out;
    return out;
}

std::string remote() { return " --server " + server_->base_url() + " "; }

TEST_F(KeynessCli, GivesTheSameRowsEmbeddedAndRemoteInEveryFormat) {
    for (const std::string args : {"--target country:MX", "--target country:MX --reference region:europe --unit concept"}) {
        nlohmann::json embedded = nlohmann::json::parse(strata_cli("--format json keyness " + args));
        nlohmann::json served = nlohmann::json::parse(strata_cli(remote() + "--format json keyness " + args));
        for (nlohmann::json* j : {&embedded, &served}) {
            j->erase("took_ms");
            j->erase("retrieved_at");  // the time of the answer
        }
        EXPECT_EQ(embedded, served) << args;
        ASSERT_FALSE(embedded["rows"].empty()) << args;
    }
    const nlohmann::json api = keyness({{"target", {"country:MX"}}});
    const std::string table = strata_cli("keyness --target country:MX");
    EXPECT_NE(table.find("Target country:MX: " + api["target"]["tokens"].dump() + " tokens"), std::string::npos) << table;
    EXPECT_NE(table.find(api["rows"][0]["term"].get<std::string>()), std::string::npos) << table;
    const std::string csv = strata_cli("--format csv keyness --target country:MX");
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFterm,label,side,target_count", 0), 0u) << csv;
    const std::string jsonl = strata_cli("--format jsonl keyness --target country:MX --per-page 4");
    EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 4);
    EXPECT_NE(strata_cli("keyness --target ethics", 2).find("target"), std::string::npos);
    EXPECT_NE(strata_cli("keyness --target country:MX --unit lemma", 2).find("unit"), std::string::npos);
}

TEST_F(KeynessCli, CompareTakesTheMeasureEmbeddedAndRemote) {
    for (const std::string args : {"--measure per_million --no-best", "datos --by country,year --measure per_million --no-best",
                                   "--measure documents --no-best"}) {
        nlohmann::json embedded = nlohmann::json::parse(strata_cli("--format json compare " + args));
        nlohmann::json served = nlohmann::json::parse(strata_cli(remote() + "--format json compare " + args));
        for (nlohmann::json* j : {&embedded, &served}) {
            j->erase("took_ms");
            j->erase("retrieved_at");  // the time of the answer
        }
        EXPECT_EQ(embedded, served) << args;
    }
    const std::string table = strata_cli("compare --countries ES,MX --themes ethics --measure per_million --no-best");
    EXPECT_NE(table.find("per million"), std::string::npos) << table;
    const std::string csv = strata_cli("--format csv compare --countries ES --themes ethics --measure documents --no-best");
    EXPECT_NE(csv.find(",documents,"), std::string::npos) << csv;
    strata_cli("compare --measure share", 2);
}

}  // namespace
}  // namespace strata
