// The search service against a real index of tests/data/corpus.
#include "strata/errors.h"
#include "strata/reference.h"
#include "index/passage_data.h"
#include "search/absent_terms.h"
#include "search/doc_match.h"
#include "search/facet_table.h"
#include "strata/lexicon.h"
#include "strata/query.h"
#include "strata/schema.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace strata {
namespace {

class Search : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        test::build_index(test::test_corpus(), *dir_ / "idx");
        searcher_ = new Searcher(SearcherOptions{{(*dir_ / "idx").string()}, {}}, load_reference(test::test_corpus()));
    }
    static void TearDownTestSuite() {
        delete searcher_;
        delete dir_;
    }

    static nlohmann::json run(ParamMap p) { return searcher_->search(SearchRequest::from_params(p)); }
    static std::set<std::string> ids(const nlohmann::json& r) {
        std::set<std::string> out;
        for (const auto& h : r["hits"]) out.insert(h["id"].get<std::string>());
        return out;
    }
    static std::size_t facet(const nlohmann::json& r, const std::string& f, const std::string& v) {
        for (const auto& x : r["facets"][f])
            if (x["value"] == v) return x["count"];
        return 0;
    }

    static test::TempDir* dir_;
    static Searcher* searcher_;
};
test::TempDir* Search::dir_ = nullptr;
Searcher* Search::searcher_ = nullptr;

TEST_F(Search, EmptyQueryMatchesEverything) {
    const auto r = run({{"per_page", {"100"}}});
    EXPECT_EQ(r["total"], 10);
    EXPECT_EQ(r["hits"].size(), 10u);
}

TEST_F(Search, FiltersByCountryAndYear) {
    EXPECT_EQ(ids(run({{"country", {"ES,MX"}}})), (std::set<std::string>{"es-2020-test-estrategia", "mx-2018-test-estrategia"}));
    EXPECT_EQ(ids(run({{"year", {"2019..2020"}}, {"lang", {"es"}}})), (std::set<std::string>{"es-2020-test-estrategia"}));
    EXPECT_EQ(ids(run({{"q", {"datos year:..2018"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"mx-2018-test-estrategia"}));
    EXPECT_EQ(ids(run({{"q", {"country:de"}}})), (std::set<std::string>{"de-2018-test-strategie"}));
    EXPECT_EQ(ids(run({{"region", {"eastern-asia"}}, {"per_page", {"50"}}})),
              (std::set<std::string>{"cn-2017-test-guihua", "jp-2019-test-gensoku", "kr-2019-test-jeollyak"}));
    EXPECT_EQ(ids(run({{"type", {"white-paper"}}})), (std::set<std::string>{"sa-2020-test-strategy"}));
}

TEST_F(Search, FacetCountsEqualTheCountsOfFilteredSearches) {
    for (const char* group : {"document", "passage"}) {
        const auto all = run({{"group", {group}}, {"per_page", {"1"}}});
        for (const std::string& f : std::vector<std::string>{"country", "theme", "lang", "type", "year", "region"}) {
            ASSERT_TRUE(all["facets"].contains(f)) << f;
            for (const auto& v : all["facets"][f]) {
                ParamMap p{{"group", {group}}, {"per_page", {"1"}}};
                p[f] = {v["value"].get<std::string>()};
                EXPECT_EQ(run(p)["total"], v["count"]) << group << " " << f << "=" << v["value"];
            }
        }
    }
}

TEST_F(Search, FacetColumnsCountExactlyLikeXapiansValueCountMatchSpy) {
    SearcherOptions opt{{(*dir_ / "idx").string()}, {}};
    opt.facet_columns = false;
    const Searcher spy_only(opt, load_reference(test::test_corpus()));
    const std::vector<ParamMap> requests = {
        {},
        {{"q", {"data"}}},
        {{"q", {"data"}}, {"group", {"passage"}}},
        {{"q", {"intelligence OR inteligencia"}}, {"country", {"ES", "MX"}}},  // an unknown country is an error now
        {{"q", {"ethics"}}, {"crosslingual", {"true"}}, {"theme", {"ethics"}}},
        {{"country", {"ES", "MX"}}, {"year", {"2018.."}}, {"group", {"passage"}}},
        {{"q", {"zzzznothing"}}},
        // Documents matched as wholes: pairs of clauses, exclusions, required words,
        // phrases and a selected facet (counted again without its own filter).
        {{"q", {"open data"}}},
        {{"q", {"ethics trust data"}}, {"crosslingual", {"false"}}},
        {{"q", {"data -ethics"}}},
        {{"q", {"+data ethics"}}, {"group", {"passage"}}},
        {{"q", {"\"open data\" supercomputer"}}},
        {{"q", {"ethics"}}, {"country", {"GB", "ES"}}, {"lang", {"en"}}},
        {{"q", {"-ethics"}}},
    };
    for (const ParamMap& p : requests) {
        ParamMap with_facets = p;
        with_facets["facets"] = {"country,theme,year,lang,type,region"};
        nlohmann::json a = run(with_facets);
        nlohmann::json b = spy_only.search(SearchRequest::from_params(with_facets));
        a.erase("took_ms");
        a.erase("retrieved_at");
        b.erase("took_ms");
        b.erase("retrieved_at");
        EXPECT_EQ(a, b) << a["query"].dump();
        EXPECT_GT(a["facets"].size(), 0u);
    }
}

TEST_F(Search, PassageDataIsReadLikeAFullJsonParse) {
    const Xapian::Database db((*dir_ / "idx").string());
    for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
        const std::string data = db.get_document(id).get_data();
        const nlohmann::json full = nlohmann::json::parse(data);
        const PassageData p = read_passage_data(data);
        ASSERT_TRUE(p.ok) << id;
        EXPECT_EQ(p.text, full["text"]) << id;
        EXPECT_EQ(p.lang, full["lang"]) << id;
        EXPECT_EQ(p.doc, full["doc"]) << id;
        // A stored page 0 (a format without pages) is shown as null.
        auto page = [](const nlohmann::json& v) { return v.get<int>() > 0 ? v : nlohmann::json(nullptr); };
        EXPECT_EQ(p.to_json(), (nlohmann::json{{"n", full["n"]}, {"section", full["section"]}, {"page", page(full["page"])},
                                              {"page_end", page(full["page_end"])}, {"lang", full["lang"]},
                                              {"themes", full["themes"]}}))
            << id;
    }
    const PassageData escaped = read_passage_data(R"({"n":2,"text":"\"q\" \u00e9\n","themes":{"ethics":1.5}})");
    EXPECT_TRUE(escaped.ok);
    EXPECT_EQ(escaped.text, "\"q\" \u00e9\n");
    for (const char* bad : {"", "not json", "[1,2]", R"({"n":"two"})", R"({"text":1})", R"({"themes":{"x":"y"}})", "{\"text\":\"\xff\"}"})
        EXPECT_FALSE(read_passage_data(bad).ok) << bad;
}

// Cross-language expansion ANDs a concept's multi-word forms under the concept term instead
// of reading positions; that is only right if every passage where such a form occurs as a
// phrase (in the text, a heading or a title) carries the concept term.
TEST_F(Search, EveryPassageMatchingAConceptPhraseCarriesTheConceptTerm) {
    const Xapian::Database db((*dir_ / "idx").string());
    const ReferenceData ref = load_reference(test::test_corpus());
    std::size_t checked = 0;
    for (const Concept& c : ref.concepts)
        for (const auto& [lang, forms] : c.terms)
            for (const std::string& form : forms) {
                if (form.find(' ') == std::string::npos) continue;
                const auto r = run({{"q", {"\"" + form + "\""}}, {"group", {"passage"}}, {"per_page", {"100"}}, {"facets", {"none"}}});
                for (const auto& h : r["hits"]) {
                    std::string unique = "Q";
                    unique.append(h["id"].get<std::string>()).append("#").append(std::to_string(h["passages"][0]["n"].get<int>()));
                    Xapian::PostingIterator p = db.postlist_begin(unique);
                    ASSERT_NE(p, db.postlist_end(unique)) << unique;
                    const Xapian::Document d = db.get_document(*p);
                    std::string tag = "XC";
                    tag.append(c.id);
                    auto t = d.termlist_begin();
                    t.skip_to(tag);
                    EXPECT_TRUE(t != d.termlist_end() && *t == tag) << form << " in " << unique;
                    ++checked;
                }
            }
    EXPECT_GT(checked, 5u);
}

TEST_F(Search, ThemesAreMultiValuedAndCountedExactly) {
    const auto r = run({{"q", {"data"}}, {"group", {"passage"}}});
    std::size_t sum_of_hits_with_data = 0;
    for (const auto& h : r["hits"])
        if (h["passages"][0]["themes"].contains("data")) ++sum_of_hits_with_data;
    EXPECT_EQ(facet(r, "theme", "data"), sum_of_hits_with_data);
    EXPECT_GT(facet(r, "theme", "data"), 0u);
}

TEST_F(Search, SelectingAFacetValueKeepsItsSiblingsCounted) {
    const auto r = run({{"country", {"ES"}}});
    EXPECT_EQ(r["total"], 1);
    EXPECT_EQ(facet(r, "country", "ES"), 1u);
    EXPECT_EQ(facet(r, "country", "MX"), 1u) << "multi-select: other countries stay visible";
    EXPECT_EQ(facet(r, "lang", "en"), 0u) << "other facets are narrowed by the selection";
    for (const auto& v : r["facets"]["country"]) EXPECT_EQ(v["selected"], v["value"] == "ES");
}

TEST_F(Search, FindsCjkAndThaiWordsInsideLongerRuns) {
    EXPECT_EQ(ids(run({{"q", {"伦理"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"cn-2017-test-guihua"}));
    EXPECT_EQ(ids(run({{"q", {"倫理"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"jp-2019-test-gensoku"}));
    EXPECT_EQ(ids(run({{"q", {"인공지능"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"kr-2019-test-jeollyak"}));
    EXPECT_EQ(ids(run({{"q", {"ปัญญาประดิษฐ์"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"th-2022-test-plan"}));
    EXPECT_EQ(ids(run({{"q", {"\"智能伦理\""}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"cn-2017-test-guihua"}));
}

TEST_F(Search, IsInsensitiveToAccentsCaseAndDiacritics) {
    EXPECT_TRUE(ids(run({{"q", {"etica"}}})).count("es-2020-test-estrategia"));
    EXPECT_TRUE(ids(run({{"q", {"ÉTICA"}}})).count("es-2020-test-estrategia"));
    EXPECT_EQ(ids(run({{"q", {"أخلاقيات"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"sa-2020-test-strategy"}));
    EXPECT_EQ(ids(run({{"q", {"istihdam"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"tr-2021-test-strateji"}));
    EXPECT_EQ(ids(run({{"q", {"İSTİHDAM"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"tr-2021-test-strateji"}));
    EXPECT_EQ(ids(run({{"q", {"strasse"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"de-2018-test-strategie"}));
}

TEST_F(Search, StemsMatchOtherFormsOfAWord) {
    EXPECT_TRUE(ids(run({{"q", {"ethical"}}})).count("gb-2021-test-strategy"));
    EXPECT_TRUE(ids(run({{"q", {"éticos"}}})).count("es-2020-test-estrategia"));
}

// A language stemmed through a Hunspell dictionary: the query's inflection meets the
// passage's through their common stem term, and the snippet marks the passage's form.
TEST(SearchMorphology, APolishQueryWordFindsAnotherInflectionOfIt) {
    const test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    std::ofstream(corpus / "countries.yaml", std::ios::app)
        << "  - {code: \"PL\", name: \"Poland\", native: [\"Polska\"], region: \"Europe\", subregion: \"Eastern Europe\", income: \"high\"}\n";
    test::add_document(corpus, "pl-2020-test-polityka",
                       "# Polityka testowa\n\n## Dane\n\nKompetencje cyfrowe i sztuczna inteligencja w administracji.\n",
                       {.country = "PL", .title = "Polityka testowa", .title_en = "Test policy", .language = "pl",
                        .type = "strategy", .issuer = "Ministerstwo", .digest = true});
    test::build_index(corpus, dir / "idx");
    const Searcher s(SearcherOptions{{(dir / "idx").string()}, {}}, load_reference(corpus));
    const auto r = s.search(SearchRequest::from_params({{"q", {"cyfrowych"}}}));
    ASSERT_EQ(r["hits"].size(), 1u) << r.dump();
    EXPECT_EQ(r["hits"][0]["id"], "pl-2020-test-polityka");
    const std::string snippet = r["hits"][0]["passages"][0]["snippet"];
    EXPECT_NE(snippet.find("<mark>cyfrowe</mark>"), std::string::npos) << snippet;
    EXPECT_EQ(s.search(SearchRequest::from_params({{"q", {"sztucznej inteligencji"}}}))["total"], 1);
}

TEST_F(Search, CrossLanguageIsTheDefaultAndRanksTranslationsOnTheirOwnWeight) {
    const auto plain = run({{"q", {"ethics"}}, {"crosslingual", {"false"}}});
    EXPECT_EQ(ids(plain), (std::set<std::string>{"gb-2021-test-strategy"}));
    const auto r = run({{"q", {"ethics"}}, {"per_page", {"50"}}});
    EXPECT_EQ(r["query"]["crosslingual"], true);
    const auto found = ids(r);
    for (const char* id : {"gb-2021-test-strategy", "es-2020-test-estrategia", "de-2018-test-strategie", "cn-2017-test-guihua",
                           "jp-2019-test-gensoku", "kr-2019-test-jeollyak", "th-2022-test-plan", "tr-2021-test-strateji",
                           "sa-2020-test-strategy"})
        EXPECT_TRUE(found.count(id)) << id;
    // No fixed tier: the best match of every language scores alike, so translated matches
    // share the first page with the English one (the typed word itself ranks first).
    EXPECT_EQ(r["hits"][0]["id"], "gb-2021-test-strategy");
    ASSERT_GE(r["hits"].size(), 9u);
    EXPECT_GT(r["hits"][8]["score"].get<double>(), 0.5 * r["hits"][0]["score"].get<double>());
    ASSERT_EQ(r["expansions"].size(), 1u);
    EXPECT_EQ(r["expansions"][0]["concept"], "ethics");
    EXPECT_TRUE(r["expansions"][0]["terms"].contains("es"));
    EXPECT_EQ(run({{"q", {"ethics"}}, {"crosslingual", {"on"}}})["total"], r["total"]) << "the UI's spelling of true";
}

TEST_F(Search, SnippetsMarkMatchesAndEscapeEverythingElse) {
    const auto r = run({{"q", {"script alert"}}, {"group", {"passage"}}});
    ASSERT_EQ(r["hits"].size(), 1u);
    const std::string snippet = r["hits"][0]["passages"][0]["snippet"];
    EXPECT_NE(snippet.find("&lt;<mark>script</mark>&gt;"), std::string::npos) << snippet;
    EXPECT_EQ(snippet.find("<script"), std::string::npos) << snippet;
    const std::string cjk = run({{"q", {"伦理"}}, {"crosslingual", {"false"}}})["hits"][0]["passages"][0]["snippet"];
    EXPECT_NE(cjk.find("<mark>伦理</mark>"), std::string::npos) << cjk;
    const std::string stem = run({{"q", {"ethical"}}, {"crosslingual", {"false"}}})["hits"][0]["passages"][0]["snippet"];
    EXPECT_NE(stem.find("<mark>ethics</mark>"), std::string::npos) << stem;
    EXPECT_EQ(r["hits"][0]["passages"][0]["section"], "Data and compute");
}

TEST_F(Search, GroupsPassagesByDocumentOrNot) {
    const auto docs = run({{"q", {"ethics OR data OR datos"}}});
    const auto passages = run({{"q", {"ethics OR data OR datos"}}, {"group", {"passage"}}});
    EXPECT_LT(docs["total"].get<int>(), passages["total"].get<int>());
    EXPECT_EQ(docs["total_passages"], passages["total"]);
    std::set<std::string> seen;
    for (const auto& h : docs["hits"]) EXPECT_TRUE(seen.insert(h["id"]).second) << "a document appears twice";
    EXPECT_LE(docs["hits"][0]["passages"].size(), 3u);
}

TEST_F(Search, SortsByYear) {
    const auto r = run({{"sort", {"year"}}, {"per_page", {"100"}}});
    int last = 0;
    for (const auto& h : r["hits"]) {
        EXPECT_GE(h["year"].get<int>(), last);
        last = h["year"];
    }
}

TEST_F(Search, OperatorsWildcardsAndPhrases) {
    EXPECT_TRUE(ids(run({{"q", {"ethic*"}}})).count("gb-2021-test-strategy"));
    EXPECT_EQ(ids(run({{"q", {"datos -abiertos"}}, {"crosslingual", {"false"}}})).count("mx-2018-test-estrategia"), 0u);
    EXPECT_TRUE(ids(run({{"q", {"\"open data\""}}})).count("gb-2021-test-strategy"));
    EXPECT_EQ(run({{"q", {"\"data open\""}}})["total"], 0);
    EXPECT_EQ(ids(run({{"q", {"datos NOT abiertos"}}, {"crosslingual", {"false"}}})).size(), 0u);
    EXPECT_TRUE(ids(run({{"q", {"伦理 OR 倫理"}}})).count("jp-2019-test-gensoku"));
}

TEST_F(Search, ABadQueryRunsAsWordsWithAWarning) {
    const auto r = run({{"q", {"(ethics data"}}});
    ASSERT_EQ(r["warnings"].size(), 1u);
    EXPECT_NE(r["warnings"][0].get<std::string>().find("searched for the words"), std::string::npos);
    EXPECT_TRUE(ids(r).count("gb-2021-test-strategy") || r["total"] == 0);
}

TEST_F(Search, SuggestsASpellingWhenNothingMatches) {
    const auto r = run({{"q", {"ethicks"}}});
    EXPECT_EQ(r["total"], 0);
    EXPECT_EQ(r["did_you_mean"], "ethics");
}

TEST_F(Search, DropsScriptsAndNavigationOfHtml) {
    EXPECT_EQ(run({{"q", {"navigationword"}}})["total"], 0);
    EXPECT_EQ(run({{"q", {"tracking"}}})["total"], 0);
}

TEST_F(Search, RejectsBadParameters) {
    EXPECT_THROW(run({{"per_page", {"1000000000"}}}), InvalidRequest);
    EXPECT_THROW(run({{"page", {"-1"}}}), InvalidRequest);
    EXPECT_THROW(run({{"year", {"twenty"}}}), InvalidRequest);
    EXPECT_THROW(run({{"sort", {"random"}}}), InvalidRequest);
    EXPECT_THROW(run({{"contry", {"MX"}}}), InvalidRequest);
    EXPECT_THROW(run({{"q", {std::string(5000, 'a')}}}), TooLarge);
}

TEST_F(Search, ReturnsADocumentWithItsPassages) {
    const auto d = searcher_->document(DocumentRequest::from_params("gb-2021-test-strategy", {{"q", {"ethics"}}}));
    EXPECT_EQ(d["title"], "Test strategy on trustworthy AI");
    ASSERT_EQ(d["passages"].size(), 2u);
    EXPECT_EQ(d["passages"][0]["section"], "Ethics and trust");
    EXPECT_TRUE(d["passages"][0]["matched"].get<bool>());
    EXPECT_NE(d["passages"][0]["highlight"].get<std::string>().find("<mark>ethics</mark>"), std::string::npos);
    EXPECT_TRUE(d["theme_profile"].contains("ethics"));
    EXPECT_THROW((void)searcher_->document({"../etc/passwd", {}}), NotFound);
    EXPECT_THROW((void)searcher_->document({"no-such-doc", {}}), NotFound);
}

TEST_F(Search, DocumentsMatchAsWholesAndMostWordsSuffice) {
    // "supercomputer" and "ethics" sit in different passages of the British document.
    EXPECT_TRUE(ids(run({{"q", {"supercomputer ethics"}}, {"crosslingual", {"false"}}})).count("gb-2021-test-strategy"));
    // A word no document has does not empty a longer query: most of its words suffice...
    const auto most = run({{"q", {"ethics board zzqxv"}}, {"crosslingual", {"false"}}});
    EXPECT_EQ(ids(most), (std::set<std::string>{"gb-2021-test-strategy"}));
    // ...but required words stay required, and stop words count for nothing.
    EXPECT_EQ(run({{"q", {"ethics +zzqxv"}}, {"crosslingual", {"false"}}})["total"], 0);
    EXPECT_EQ(run({{"q", {"the ethics of the board"}}, {"crosslingual", {"false"}}})["total"], most["total"]);
    // Totals and facets count the one match set: the matching documents' passages.
    const auto r = run({{"q", {"supercomputer ethics"}}, {"crosslingual", {"false"}}});
    EXPECT_EQ(r["total_passages"], 2);
}

TEST_F(Search, ParenthesesAroundPlainWordsAreProse) {
    // In a question, "(board, zzqxv)" is an aside: its words count one by one, and most of
    // the query's words suffice. As a group they had to meet in one passage, which none does.
    const ParamMap words{{"q", {"ethics board zzqxv"}}, {"crosslingual", {"false"}}};
    const auto aside = run({{"q", {"ethics (board, zzqxv)"}}, {"crosslingual", {"false"}}});
    ASSERT_FALSE(aside["hits"].empty()) << aside.dump();
    EXPECT_EQ(ids(aside), ids(run(words)));
    EXPECT_EQ(aside["total"], run(words)["total"]);
    // Parentheses that group an operator, or that a sign or an operator applies to, keep
    // their meaning: excluding "board and zzqxv together" excludes nothing here.
    const ParamMap ethics{{"q", {"ethics"}}, {"crosslingual", {"false"}}};
    EXPECT_EQ(run({{"q", {"ethics -(board zzqxv)"}}, {"crosslingual", {"false"}}})["total"], run(ethics)["total"]);
    EXPECT_EQ(run({{"q", {"ethics AND (board zzqxv)"}}, {"crosslingual", {"false"}}})["total"], 0);
}

// The lowercase-operator warning counts the documents of the query read with operators
// without ranking them: as many as matching them finds, with a facet column or without.
TEST_F(Search, CountingDocumentsFindsAsManyAsMatchingThemDoes) {
    Xapian::Database db((*dir_ / "idx").string());
    const ReferenceData ref = load_reference(test::test_corpus());
    const Analyzer analyzer;
    const LexiconMatcher lexicon(analyzer, ref);
    QueryContext ctx{analyzer, &lexicon, &ref, {"de", "en", "es", "fr"}, {}, true, {}};
    const auto column = std::make_shared<const FacetColumn>(db);
    Filters spain;
    spain.add("country", "ES");
    std::size_t some = 0;
    for (const char* q : {"data", "open data", "ethics trust data privacy", "ethics AND data", "ethics OR zzyzxq",
                          "ethics zzyzxq", "data -ethics", "-ethics", "+data ethics", "ethics NOT privacy",
                          "\"open data\" supercomputer", "(ethics OR privacy) AND research", "inteligencia artificial",
                          "research AND innovation AND ethics AND data", "zzzznothing", "country:ES"}) {
        for (const bool crosslingual : {true, false}) {
            ctx.crosslingual = crosslingual;
            const ParsedQuery pq = parse_query(q, ctx);
            for (const Xapian::Query& filter : {Xapian::Query(), spain.to_query()})
                for (const std::shared_ptr<const FacetColumn>& col : {column, std::shared_ptr<const FacetColumn>()}) {
                    const std::size_t n = match_documents(db, pq, filter, col, 0).ranked.size();
                    EXPECT_EQ(count_documents(db, pq, filter, col, 0), n) << q << " crosslingual=" << crosslingual;
                    some += n > 0 && n < column->documents() ? 1 : 0;
                }
        }
    }
    EXPECT_GT(some, 20u);  // most queries match some documents, not all
}

// A parsed query loses the terms the index does not hold (cross-language expansion names
// many), and nothing else changes: the same passages match with the same weights, under
// BM25 and with the collapse that picks best passages. A conjunction or phrase that needs
// an absent term matches nothing, and a disjunction keeps what is left.
TEST_F(Search, DroppingTermsTheIndexLacksKeepsEveryMatchAndWeight) {
    Xapian::Database db((*dir_ / "idx").string());
    ASSERT_TRUE(db.term_exists("ethics"));
    ASSERT_TRUE(db.term_exists("data"));
    ASSERT_FALSE(db.term_exists("zzqxvethik"));
    using Q = Xapian::Query;
    const Q absent("zzqxvethik"), ethics("ethics"), data("data"), privacy("privacy");
    const Q syn[] = {ethics, absent, Q(Q::OP_AND, absent, data), Q(Q::OP_AND, ethics, data)};
    const Q phrase[] = {absent, data};
    const Q parts[] = {Q(Q::OP_SYNONYM, std::begin(syn), std::end(syn)), Q(Q::OP_PHRASE, std::begin(phrase), std::end(phrase)),
                       Q(Q::OP_AND_NOT, privacy, absent), Q(Q::OP_AND_MAYBE, data, absent)};
    const Q q(Q::OP_OR, std::begin(parts), std::end(parts));
    const auto held = [&](const std::string& t) { return db.term_exists(t); };
    const Q pruned = without_absent_terms(q, held);
    EXPECT_EQ(pruned.get_description().find("zzqxvethik"), std::string::npos) << pruned.get_description();
    EXPECT_TRUE(without_absent_terms(Q(Q::OP_PHRASE, std::begin(phrase), std::end(phrase)), held).get_type() ==
                Q::LEAF_MATCH_NOTHING);
    const auto weights = [&](const Q& query, bool collapse) {
        Xapian::Enquire enq(db);
        enq.set_query(query);
        if (collapse) enq.set_collapse_key(schema::kSlotDocId, 2);
        std::vector<std::pair<Xapian::docid, double>> out;
        const Xapian::MSet m = enq.get_mset(0, db.get_doccount());
        for (auto it = m.begin(); it != m.end(); ++it) out.emplace_back(*it, it.get_weight());
        return out;
    };
    for (const bool collapse : {false, true}) {
        const auto before = weights(q, collapse);
        EXPECT_GE(before.size(), 2u);
        EXPECT_EQ(weights(pruned, collapse), before) << "collapse " << collapse;
    }
}

TEST_F(Search, AnAcronymIsNeverAStopWord) {
    // "ai" is an Italian and a French stop word; typed as "AI" it names something, so it
    // stays a word of the query (it was dropped, and "AI ethics" searched "ethics" alone).
    const auto r = run({{"q", {"AI ethics"}}, {"group", {"document"}}});
    ASSERT_FALSE(r["hits"].empty()) << r.dump();
    std::set<std::string> matched;
    for (const auto& m : r["hits"][0]["matched"]) matched.insert(m["query"].get<std::string>());
    EXPECT_TRUE(matched.count("AI")) << r["hits"][0]["matched"].dump();
}

TEST(SearchRanking, WordsThatFollowEachOtherRankAboveTheSameWordsApart) {
    const test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    // Two one-passage documents with the same words as often, of the same length; only in
    // the second do "lantern" and "registry" follow each other. Ids sort the other way.
    const auto add = [&](const std::string& id, const std::string& text) {
        test::add_document(corpus, id, "# Test\n\n## Plan\n\n" + text + "\n",
                           {.title = "Test " + id, .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    };
    add("gb-2020-aa-apart", "The lantern office keeps a public registry of the models it reviews each year.");
    add("gb-2020-zz-adjacent", "The office keeps a public lantern registry of the models it reviews each year.");
    test::build_index(corpus, dir / "idx");
    const Searcher s(SearcherOptions{{(dir / "idx").string()}, {}}, load_reference(corpus));
    const auto r = s.search(SearchRequest::from_params({{"q", {"lantern registry"}}, {"group", {"document"}}, {"crosslingual", {"false"}}}));
    ASSERT_EQ(r["hits"].size(), 2u) << r.dump();
    EXPECT_EQ(r["hits"][0]["id"], "gb-2020-zz-adjacent");
    EXPECT_GT(r["hits"][0]["score"].get<double>(), r["hits"][1]["score"].get<double>());
}

// A document's best passages: the passage that carries both words (next to each other)
// first, then the one that says the word three times, then the one that says it once; the
// same with a facet column and without one (the path of shards). A passage without a query
// word is never shown.
TEST(SearchRanking, ADocumentsBestPassagesCarryMostOfTheQueryThenMostOfItsWords) {
    const test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    test::add_document(corpus, "gb-2020-passages",
                       "# Test\n\n## Overview\n\nThe lantern office was set up in 2020 and reports to the cabinet "
                       "every year on the models that public bodies buy.\n\n"
                       "## Lanterns\n\nA lantern review looks at each model; the lantern team publishes every "
                       "lantern report within a month of the review.\n\n"
                       "## Budget\n\nThe office spends most of its budget on staff and on the audits of suppliers.\n\n"
                       "## Records\n\nEvery model reviewed is listed in the lantern registry, which anyone may "
                       "consult free of charge.\n",
                       {.title = "Test passages", .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    test::build_index(corpus, dir / "idx");
    for (const bool columns : {true, false}) {
        SearcherOptions opt{{(dir / "idx").string()}, {}};
        opt.facet_columns = columns;
        const Searcher s(opt, load_reference(corpus));
        const auto r = s.search(SearchRequest::from_params(
            {{"q", {"lantern registry"}}, {"crosslingual", {"false"}}, {"passages", {"5"}}, {"country", {"GB"}}}));
        ASSERT_FALSE(r["hits"].empty()) << r.dump();
        const auto& hit = r["hits"][0];
        ASSERT_EQ(hit["id"], "gb-2020-passages") << r.dump();
        std::vector<std::string> sections;
        for (const auto& p : hit["passages"]) sections.push_back(p["section"].get<std::string>());
        EXPECT_EQ(sections, (std::vector<std::string>{"Records", "Lanterns", "Overview"})) << hit.dump();
        EXPECT_EQ(hit["matching_passages"], 3);
        for (std::size_t i = 1; i < hit["passages"].size(); ++i)
            EXPECT_GT(hit["passages"][i - 1]["score"].get<double>(), hit["passages"][i]["score"].get<double>()) << hit.dump();
    }
}

TEST(SearchRanking, ADocumentMatchesInTheLanguageOfMostOfItsPassagesNotOfOne) {
    const test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    // An English report with one passage in German, which the indexer detects and indexes
    // as German. A document's language, which fair ranking across languages and the hit's
    // "matched" go by, was that of one passage: the German one, whose code sorts first.
    test::add_document(corpus, "gb-2020-quoted",
                       "# Test\n\n## Principles\n\nThe office publishes a code of ethics for the public bodies that buy "
                       "and use automated systems, and reviews it every year with the people it serves.\n\n"
                       "## Review\n\nAn independent board checks how each body applies the ethics code and reports "
                       "to parliament on the cases where it was not followed.\n\n"
                       "## Training\n\nCivil servants who commission automated systems take a course on ethics, "
                       "fairness and accountability before they sign a contract.\n\n"
                       "## Quotation\n\nDie Ethik der künstlichen Intelligenz verlangt, dass die Verwaltung jede "
                       "Entscheidung eines automatischen Systems erklären und von einem Menschen prüfen lassen kann, "
                       "bevor sie gegenüber den Bürgerinnen und Bürgern wirksam wird. Deshalb sollen alle Behörden "
                       "offenlegen, welche Daten sie verwenden, wer die Systeme entwickelt hat und wie man gegen eine "
                       "Entscheidung Widerspruch einlegen kann.\n",
                       {.title = "Test quoted", .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    test::build_index(corpus, dir / "idx");
    const Searcher s(SearcherOptions{{(dir / "idx").string()}, {}}, load_reference(corpus));
    // The German passage is indexed as German, and carries the clause too.
    const auto de = s.search(SearchRequest::from_params({{"q", {"ética"}}, {"lang", {"de"}}, {"group", {"passage"}}}));
    bool german_passage = false;
    for (const auto& h : de["hits"]) german_passage = german_passage || h["id"] == "gb-2020-quoted";
    ASSERT_TRUE(german_passage) << de.dump();
    const auto r = s.search(SearchRequest::from_params({{"q", {"ética"}}, {"group", {"document"}}, {"per_page", {"100"}}}));
    bool found = false;
    for (const auto& h : r["hits"]) {
        if (h["id"] != "gb-2020-quoted") continue;
        found = true;
        ASSERT_EQ(h["matched"].size(), 1u) << h.dump();
        EXPECT_EQ(h["matched"][0]["via"], "translation") << h.dump();
        EXPECT_EQ(h["matched"][0]["language"], "en") << h.dump();
    }
    EXPECT_TRUE(found) << r.dump();
}

TEST_F(Search, FindsSimilarDocuments) {
    const auto s = searcher_->similar("es-2020-test-estrategia", 3);
    ASSERT_FALSE(s["similar"].empty());
    EXPECT_EQ(s["similar"][0]["id"], "mx-2018-test-estrategia");
    // Chosen on content words and concepts, never on function words such as "los" or "de".
    for (const auto& t : s["terms"]) {
        EXPECT_NE(t, "los");
        EXPECT_NE(t, "del");
        EXPECT_NE(t, "las");
    }
}

TEST_F(Search, DescribesThemesAndCountries) {
    const auto t = searcher_->themes();
    ASSERT_EQ(t["themes"].size(), 3u);
    EXPECT_GT(t["themes"][0]["documents"].get<int>(), 0);
    const auto c = searcher_->countries();
    bool es = false;
    for (const auto& x : c["countries"])
        if (x["code"] == "ES") es = x["documents"] == 1;
    EXPECT_TRUE(es);
    EXPECT_EQ(searcher_->stats()["documents"], 10);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Compare cells against counts computed independently, one filtered search per cell.
class Compare : public Search {
protected:
    static nlohmann::json compare(ParamMap p) { return searcher_->compare(CompareRequest::from_params(p)); }
    static void check_cells(const nlohmann::json& c, const std::string& q, const std::string& row_field,
                            const std::string& col_field) {
        ASSERT_FALSE(c["cells"].empty());
        for (const auto& cell : c["cells"]) {
            ParamMap p{{"q", {q}}, {"per_page", {"1"}}, {row_field, {cell["row"].get<std::string>()}},
                       {col_field, {cell["column"].get<std::string>()}}, {"facets", {"none"}}};
            p["group"] = {"passage"};
            EXPECT_EQ(cell["passages"], run(p)["total"]) << cell.dump();
            p["group"] = {"document"};
            EXPECT_EQ(cell["documents"], run(p)["total"]) << cell.dump();
            EXPECT_EQ(cell["best"].is_null(), cell["passages"] == 0) << cell.dump();
        }
    }
};

TEST_F(Compare, CountryByThemeCellsEqualFilteredSearches) {
    const auto c = compare({{"q", {"datos OR data OR ethics"}}});
    EXPECT_EQ(c["mode"], "query");
    EXPECT_EQ(c["columns"].size(), 3u);
    check_cells(c, "datos OR data OR ethics", "country", "theme");
}

TEST_F(Compare, CountryByYearAndRegionByThemeAndLanguages) {
    check_cells(compare({{"q", {"datos OR data"}}, {"by", {"country,year"}}}), "datos OR data", "country", "year");
    check_cells(compare({{"q", {"datos OR data"}}, {"by", {"region,theme"}}}), "datos OR data", "region", "theme");
    check_cells(compare({{"q", {"datos OR data"}}, {"by", {"country,lang"}}}), "datos OR data", "country", "lang");
}

TEST_F(Compare, WithoutAQueryCellsAreThemeCoverage) {
    const auto c = compare({{"countries", {"GB,ES"}}, {"themes", {"ethics,data"}}});
    EXPECT_EQ(c["mode"], "coverage");
    EXPECT_EQ(c["rows"].size(), 2u);
    EXPECT_EQ(c["columns"].size(), 2u);
    check_cells(c, "", "country", "theme");
    for (const auto& cell : c["cells"]) {
        const auto all = run({{"country", {cell["row"].get<std::string>()}}, {"group", {"passage"}}, {"per_page", {"1"}}});
        const double expected = cell["passages"].get<double>() / all["total"].get<double>();
        EXPECT_NEAR(cell["share"].get<double>(), expected, 1e-4) << cell.dump();
    }
    // The best passage of a coverage cell is the one with the theme's highest score.
    for (const auto& cell : c["cells"]) {
        if (cell["row"] == "GB" && cell["column"] == "ethics") {
            EXPECT_EQ(cell["best"]["section"], "Ethics and trust");
        }
    }
}

TEST_F(Compare, SharesCompareLongAndShortDocumentsFairly) {
    const auto c = compare({{"q", {"datos"}}, {"countries", {"ES,MX"}}, {"themes", {"data"}}});
    for (const auto& cell : c["cells"]) {
        const auto all = run({{"country", {cell["row"].get<std::string>()}}, {"group", {"passage"}}, {"per_page", {"1"}}});
        EXPECT_NEAR(cell["share"].get<double>(), cell["passages"].get<double>() / all["total"].get<double>(), 1e-4);
    }
}

TEST_F(Compare, RejectsBadShapes) {
    EXPECT_THROW(compare({{"by", {"theme,country"}}}), InvalidRequest);
    EXPECT_THROW(compare({{"by", {"country"}}}), InvalidRequest);
    EXPECT_THROW(compare({{"rows", {"x"}}}), InvalidRequest);
    // The query's year filter and the parameter leave no year: refused, as search does.
    EXPECT_THROW(compare({{"year", {"2018..2019"}}, {"q", {"year:2021 ethics"}}}), InvalidRequest);
}

TEST_F(Compare, FacetColumnsGiveTheSameMatrixAsXapiansValueCountMatchSpy) {
    SearcherOptions opt{{(*dir_ / "idx").string()}, {}};
    opt.facet_columns = false;
    const Searcher spy_only(opt, load_reference(test::test_corpus()));
    for (const char* by : {"country,theme", "country,year", "region,lang", "region,theme"}) {
        for (const char* q : {"", "data", "ethics OR ética", "open data", "ethics trust -military", "+data ethics"}) {
            ParamMap p{{"by", {by}}};
            if (*q) p["q"] = {q};
            nlohmann::json a = compare(p);
            nlohmann::json b = spy_only.compare(CompareRequest::from_params(p));
            a.erase("took_ms");
            a.erase("retrieved_at");
            b.erase("took_ms");
            b.erase("retrieved_at");
            EXPECT_EQ(a, b) << by << " q=" << q;
            EXPECT_GT(a["cells"].size(), 0u) << by << " q=" << q;
        }
    }
}

TEST(CompareCsv, IsTidyWithAByteOrderMarkAndDefusedFormulas) {
    const nlohmann::json c = {
        {"rows", {{{"value", "MX"}, {"label", "Mexico"}}}},
        {"columns", {{{"value", "ethics"}, {"label", "Ethics, trust"}}}},
        {"generation", 4},
        {"cells", {{{"row", "MX"}, {"column", "ethics"}, {"passages", 2}, {"documents", 1}, {"share", 0.5},
                    {"best", {{"doc", "mx"}, {"section", "=HYPERLINK(\"x\")"}, {"page", 3}, {"snippet", "a <mark>b</mark> &amp; c"}}}}}}};
    const std::string csv = compare_csv(c);
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFrow,row_label,column,column_label,passages,documents,share,", 0), 0u);
    EXPECT_NE(csv.find("\"Ethics, trust\""), std::string::npos);
    EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv;
    EXPECT_NE(csv.find("a b & c"), std::string::npos);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST_F(Search, AConceptNamedBySeveralWordsExpandsAsOne) {
    const auto r = run({{"q", {"inteligencia artificial"}}, {"crosslingual", {"true"}}, {"per_page", {"50"}}});
    ASSERT_EQ(r["expansions"].size(), 1u) << r["expansions"].dump();
    EXPECT_EQ(r["expansions"][0]["concept"], "artificial_intelligence");
    EXPECT_EQ(r["expansions"][0]["matched"], "inteligencia artificial");
    const auto found = ids(r);
    for (const char* id : {"es-2020-test-estrategia", "de-2018-test-strategie", "cn-2017-test-guihua"})
        EXPECT_TRUE(found.count(id)) << id;
    // Without expansion, only the Spanish documents have both words.
    EXPECT_EQ(ids(run({{"q", {"inteligencia artificial"}}, {"crosslingual", {"false"}}})), (std::set<std::string>{"es-2020-test-estrategia"}));
}

TEST_F(Search, ARepeatedQueryIsAnsweredFromTheQueryCacheAsTheFirstTime) {
    // The parse of a query is kept per thread; everything that changes a parse is in its key.
    const ParamMap xling{{"q", {"inteligencia artificial"}}, {"crosslingual", {"true"}}, {"per_page", {"50"}}};
    nlohmann::json first = run(xling), again = run(xling);
    for (nlohmann::json* j : {&first, &again}) {
        j->erase("took_ms");
        j->erase("retrieved_at");  // the time of the answer
    }
    EXPECT_EQ(first, again);
    // The same text with crosslingual=false, or narrowed to one language, is parsed anew.
    const auto plain = run({{"q", {"inteligencia artificial"}}, {"crosslingual", {"false"}}});
    EXPECT_EQ(plain["expansions"].size(), 0u);
    EXPECT_EQ(ids(plain), (std::set<std::string>{"es-2020-test-estrategia"}));
    const auto spanish = run({{"q", {"inteligencia artificial"}}, {"lang", {"es"}}, {"per_page", {"50"}}});
    for (const auto& h : spanish["hits"]) EXPECT_EQ(h["language"], "es") << h["id"];
    EXPECT_EQ(run(xling)["expansions"].size(), 1u);
}

TEST_F(Search, AQueryParsedInOneThreadIsAnsweredInAnotherAsInTheFirst) {
    // The daemon hands each request to any of its threads: a parse made in one thread is
    // rebuilt in another from its serialised queries (SharedParses), with the same answer.
    const Searcher fresh(SearcherOptions{{(*dir_ / "idx").string()}, {}}, load_reference(test::test_corpus()));
    for (const char* q : {"inteligencia artificial", "open data ethics", "\"open data\" supercomputer -ethics",
                          "+data ethics country:GB", "ethics OR privacy", "data protection AND research", "regulat*"}) {
        for (const char* group : {"document", "passage"}) {
            const SearchRequest r = SearchRequest::from_params(
                {{"q", {q}}, {"group", {group}}, {"per_page", {"50"}}, {"facets", {"country,theme,lang"}}});
            nlohmann::json here = fresh.search(r), there;
            std::thread([&] { there = fresh.search(r); }).join();
            for (nlohmann::json* j : {&here, &there}) {
                j->erase("took_ms");
                j->erase("retrieved_at");
            }
            EXPECT_EQ(here, there) << q << " group=" << group;
        }
    }
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Searches and compares with no query, from several threads at once. They once shared
// Xapian::Query::MatchAll, whose non-atomic reference count then corrupted the heap.
TEST_F(Search, ConcurrentMatchAllQueriesAreSafe) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                try {
                    if (searcher_->search(SearchRequest::from_params({{"per_page", {"1"}}}))["total"] != 10) ++failures;
                    if (searcher_->compare(CompareRequest::from_params({{"best", {"false"}}}))["rows"].size() != 10) ++failures;
                    (void)searcher_->search(SearchRequest::from_params({{"q", {"-datos"}}, {"per_page", {"1"}}}));
                } catch (...) {
                    ++failures;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InvalidRequest& e) {
        return e.what();
    }
    return "";
}

// Unknown filter values are an error that names the parameter and the nearest known
// values, never a silent empty result.
TEST_F(Compare, UnknownFilterValuesAreRefusedWithTheNearestKnownOnes) {
    EXPECT_NE(error_of([] { run({{"country", {"XX"}}}); }).find("unknown country 'XX'"), std::string::npos);
    EXPECT_NE(error_of([] { run({{"country", {"mexico"}}}); }).find("MX (Mexico)"), std::string::npos);
    EXPECT_NE(error_of([] { run({{"theme", {"ethic"}}}); }).find("ethics"), std::string::npos);
    EXPECT_NE(error_of([] { run({{"lang", {"klingon"}}}); }).find("unknown lang"), std::string::npos);
    EXPECT_NE(error_of([] { run({{"type", {"law"}}}); }).find("regulation"), std::string::npos);
    EXPECT_NE(error_of([] { run({{"region", {"latin-america"}}}); }).find("latin-america-and-the-caribbean"), std::string::npos);
    // A region's label works as well as its slug, and theme ids ignore case.
    EXPECT_EQ(run({{"region", {"Eastern Asia"}}})["total"], run({{"region", {"eastern-asia"}}})["total"]);
    EXPECT_EQ(run({{"theme", {"Ethics"}}})["total"], run({{"theme", {"ethics"}}})["total"]);
    // Compare's themes=: a typo is an error, a capital is no zero.
    EXPECT_NE(error_of([] { compare({{"themes", {"ethic"}}}); }).find("unknown themes 'ethic'"), std::string::npos);
    const auto lower = compare({{"themes", {"ethics"}}});
    const auto upper = compare({{"themes", {"Ethics"}}});
    EXPECT_EQ(upper["cells"], lower["cells"]);
    std::size_t passages = 0;
    for (const auto& c : upper["cells"]) passages += c["passages"].get<std::size_t>();
    EXPECT_GT(passages, 0u);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

bool expands_into(const nlohmann::json& r, const std::string& lang) {
    for (const auto& e : r["expansions"])
        if (e["terms"].contains(lang)) return true;
    return false;
}

// A Searcher over its own copy of the test corpus, for a test that changes the index under it.
class ChangingIndex {
public:
    ChangingIndex() : corpus_(test::copy_test_corpus(dir_.path())) {
        test::build_index(corpus_, dir_ / "idx");
        searcher_ = std::make_unique<Searcher>(SearcherOptions{{(dir_ / "idx").string()}, {}}, load_reference(corpus_));
    }
    [[nodiscard]] const Searcher& searcher() const { return *searcher_; }
    [[nodiscard]] const std::filesystem::path& corpus() const { return corpus_; }
    // Rebuilds the index from the corpus, then waits until the Searcher, which looks for a new
    // index every 200 ms, finds @p total documents for @p probe (without cross-language).
    void rebuild(const std::string& probe, int total) const {
        test::build_index(corpus_, dir_ / "idx");
        const SearchRequest r = SearchRequest::from_params({{"q", {probe}}, {"crosslingual", {"false"}}});
        for (int i = 0; i < 500 && searcher_->search(r)["total"] != total; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

private:
    test::TempDir dir_;
    std::filesystem::path corpus_;
    std::unique_ptr<Searcher> searcher_;
};

// A thread keeps its parses of queries per Searcher and index version (the query cache).
// Cross-language expansion reaches the index's languages: once a new generation brings
// French, a parse kept from before would miss it.
TEST(SearchQueryCache, AParseIsNotReusedOnceTheIndexChanges) {
    const ChangingIndex index;
    const Searcher& s = index.searcher();
    const ParamMap p{{"q", {"salud"}}, {"per_page", {"50"}}};
    const auto before = s.search(SearchRequest::from_params(p));
    ASSERT_FALSE(expands_into(before, "fr")) << before["expansions"].dump();
    (void)s.search(SearchRequest::from_params(p));  // answered from the thread's cache
    test::add_document(index.corpus(), "fr-2019-test-donnees", "# Santé\n\n## Données\n\nLes données publiques de santé sont ouvertes.\n",
                       {.country = "FR", .title = "Données", .year = 2019, .language = "fr", .type = "strategy",
                        .issuer = "Ministère", .digest = true});
    index.rebuild("publiques", 1);
    const auto after = s.search(SearchRequest::from_params(p));
    EXPECT_TRUE(expands_into(after, "fr")) << after["expansions"].dump();
    bool found = false;
    for (const auto& h : after["hits"]) found = found || h["id"] == "fr-2019-test-donnees";
    EXPECT_TRUE(found) << after.dump();
}

// A thread keeps the passages its recent matches of phrases found (clause_count.cpp); they
// are kept under the index's identity and revision, never reused once the index changes.
TEST(SearchMatchMemo, APhraseIsMatchedAgainOnceTheIndexChanges) {
    const ChangingIndex index;
    const Searcher& s = index.searcher();
    const ParamMap p{{"q", {"\"lantern registry\""}}, {"crosslingual", {"false"}}};
    EXPECT_EQ(s.search(SearchRequest::from_params(p))["total"], 0);
    EXPECT_EQ(s.search(SearchRequest::from_params(p))["total"], 0);  // the phrase's match from the memo
    test::add_document(index.corpus(), "gb-2020-test-lantern", "# Lantern\n\n## Plan\n\nThe lantern registry lists models.\n",
                       {.title = "Lantern", .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    index.rebuild("lantern", 1);
    const auto after = s.search(SearchRequest::from_params(p));
    ASSERT_EQ(after["total"], 1) << after.dump();
    EXPECT_EQ(after["hits"][0]["id"], "gb-2020-test-lantern");
}

// The passages of a query without text (filters alone) are kept for the process too
// (index/posting_cache.h): counted from what was kept when asked again, and counted anew
// once the index changes.
TEST(SearchMatchMemo, FiltersAloneAreCountedAgainOnceTheIndexChanges) {
    const ChangingIndex index;
    const Searcher& s = index.searcher();
    const ParamMap p{{"q", {"country:gb year:2020"}}, {"facets", {"country,year,lang"}}};
    const auto first = s.search(SearchRequest::from_params(p));
    const auto again = s.search(SearchRequest::from_params(p));  // the filters' passages as kept
    EXPECT_EQ(again["total"], first["total"]);
    EXPECT_EQ(again["total_passages"], first["total_passages"]);
    EXPECT_EQ(again["facets"], first["facets"]);
    test::add_document(index.corpus(), "gb-2020-test-lantern", "# Lantern\n\n## Plan\n\nThe lantern registry lists models.\n",
                       {.title = "Lantern", .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    index.rebuild("lantern", 1);
    const auto after = s.search(SearchRequest::from_params(p));
    EXPECT_EQ(after["total"].get<int>(), first["total"].get<int>() + 1) << after.dump();
    EXPECT_GT(after["total_passages"].get<int>(), first["total_passages"].get<int>());
}

// A thread keeps its open databases and the records it read per IndexHandle and per
// Searcher. They were kept under the object's address: a Searcher made where a destroyed
// one stood then read the destroyed one's index (and, after 200 ms, its own).
TEST(SearchHandles, ASearcherMadeWhereAnotherStoodReadsItsOwnIndex) {
    const test::TempDir dir;
    const auto corpus = test::copy_test_corpus(dir.path());
    test::build_index(corpus, dir / "a");
    test::add_document(corpus, "gb-2020-test-lantern", "# Lantern\n\n## Plan\n\nThe lantern registry lists models.\n",
                       {.title = "Lantern", .language = "en", .type = "strategy", .issuer = "Office", .digest = true});
    test::build_index(corpus, dir / "b");
    const ParamMap p{{"q", {"lantern"}}, {"crosslingual", {"false"}}};
    std::optional<Searcher> s;  // the second Searcher is made in the storage of the first
    s.emplace(SearcherOptions{{(dir / "a").string()}, {}}, load_reference(corpus));
    EXPECT_EQ(s->search(SearchRequest::from_params(p))["total"], 0);
    s.reset();
    s.emplace(SearcherOptions{{(dir / "b").string()}, {}}, load_reference(corpus));
    const auto r = s->search(SearchRequest::from_params(p));
    ASSERT_EQ(r["total"], 1) << r.dump();
    EXPECT_EQ(r["hits"][0]["title"], "Lantern");
}

}  // namespace
}  // namespace strata
