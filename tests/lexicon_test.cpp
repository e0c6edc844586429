// Theme lexicon matching: what counts as a hit.
#include "strata/analyzer.h"
#include "strata/lexicon.h"
#include "strata/reference.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

std::map<std::string, int> theme_hits(const Analyzer& analyzer, const ReferenceData& ref, const std::string& text,
                                      const std::string& lang) {
    const LexiconMatcher matcher(analyzer, ref);
    std::vector<Token> tokens = analyzer.tokenize(text, lang);
    analyzer.stem_tokens(tokens, lang);
    return matcher.match(tokens, lang).themes;
}

TEST(Lexicon, EntriesThatNormaliseAlikeCountAWordOnce) {
    const Analyzer analyzer;
    ReferenceData ref;
    Theme industry;
    industry.id = "industry";
    industry.lexicon["en"] = {"industry", "industrial", "value chain"};
    industry.lexicon["zh-Hans"] = {"产业", "产业"};
    ref.themes.push_back(industry);
    // "industry" and "industrial" share the stem "industri": one word, one hit.
    EXPECT_EQ(theme_hits(analyzer, ref, "The industry grew.", "en").at("industry"), 1);
    EXPECT_EQ(theme_hits(analyzer, ref, "Industrial policy and the value chain.", "en").at("industry"), 2);
    EXPECT_EQ(theme_hits(analyzer, ref, "发展产业", "zh-Hans").at("industry"), 1);
}

}  // namespace
}  // namespace strata
