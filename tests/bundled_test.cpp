// The bundled corpus, indexed for real: every theme reaches many languages, and every
// document is found by a query in its own language and script.
#include "strata/corpus.h"
#include "strata/reference.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>

#include <set>

namespace strata {
namespace {

class Bundled : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        test::build_index(bundled_corpus_dir(), *dir_ / "idx");
        searcher_ = new Searcher(SearcherOptions{{(*dir_ / "idx").string()}, {}},
                                 reference_for_index((*dir_ / "idx").string(), bundled_corpus_dir()));
    }
    static void TearDownTestSuite() {
        delete searcher_;
        delete dir_;
    }
    static test::TempDir* dir_;
    static Searcher* searcher_;
};
test::TempDir* Bundled::dir_ = nullptr;
Searcher* Bundled::searcher_ = nullptr;

TEST_F(Bundled, EveryThemeTagsPassagesInAtLeastTenLanguages) {
    for (const Theme& t : searcher_->reference().themes) {
        SearchRequest r = SearchRequest::from_params({{"theme", {t.id}}, {"group", {"passage"}}, {"per_page", {"1"}}});
        const auto res = searcher_->search(r);
        std::set<std::string> languages;
        for (const auto& v : res["facets"]["lang"]) languages.insert(v["value"].get<std::string>().substr(0, 2));
        EXPECT_GE(languages.size(), 10u) << t.id;
    }
}

TEST_F(Bundled, EveryDocumentIsFoundByItsTitleInItsOwnLanguage) {
    std::set<std::string> languages;
    for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents) {
        languages.insert(d.language);
        const auto res = searcher_->search(SearchRequest::from_params({{"q", {d.title}}, {"per_page", {"100"}}, {"facets", {"none"}}}));
        bool found = false;
        for (const auto& h : res["hits"]) found = found || h["id"] == d.id;
        EXPECT_TRUE(found) << d.id << " not found by its title: " << d.title;
    }
    EXPECT_GE(languages.size(), 16u);
}

TEST_F(Bundled, CrossLingualEthicsReachesManyLanguages) {
    const auto direct = searcher_->search(
        SearchRequest::from_params({{"q", {"ethics"}}, {"crosslingual", {"false"}}, {"per_page", {"100"}}}));
    const auto res = searcher_->search(SearchRequest::from_params({{"q", {"ethics"}}, {"per_page", {"100"}}}));
    EXPECT_GE(res["facets"]["lang"].size(), 12u);
    EXPECT_GT(res["total"].get<int>(), direct["total"].get<int>());
    // Fair ranking: documents reached through translation reach the first page.
    std::set<std::string> direct_ids;
    for (const auto& h : direct["hits"]) direct_ids.insert(h["id"]);
    std::size_t translated = 0;
    for (std::size_t i = 0; i < 10 && i < res["hits"].size(); ++i) translated += direct_ids.count(res["hits"][i]["id"]) ? 0 : 1;
    EXPECT_GE(translated, 1u);
}

}  // namespace
}  // namespace strata
