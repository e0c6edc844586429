// Theme lexicon matching: what counts as a hit, and the bundled lexicons' rules (an
// ambiguous bare word tags a theme in one language and not in another).
#include "strata/analyzer.h"
#include "strata/lexicon.h"
#include "strata/reference.h"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(Lexicon, BundledDefenceIsNotTaggedBySecure) {
    const Analyzer analyzer;
    const ReferenceData ref = load_reference(bundled_corpus_dir());
    EXPECT_EQ(theme_hits(analyzer, ref, "AI that is trusted, secure and responsible.", "en").count("defence"), 0u);
    EXPECT_EQ(theme_hits(analyzer, ref, "Data must be stored in a secure way.", "en").count("defence"), 0u);
    EXPECT_GE(theme_hits(analyzer, ref, "Threats to national security and cybersecurity.", "en").at("defence"), 2);
    EXPECT_GE(theme_hits(analyzer, ref, "Amenazas a la seguridad nacional y ciberseguridad.", "es").at("defence"), 2);
}

// Words that, alone, mean something else as often as the theme (the reasons are in
// corpus/themes.yaml). No language may list them bare: multi-word terms carry the theme.
TEST(Lexicon, BundledLexiconsListNoAmbiguousBareWord) {
    const std::map<std::string, std::vector<std::string>> banned = {
        {"defence", {"security", "seguridad", "sécurité", "Sicherheit", "sicurezza", "الأمن", "安全"}},
        {"work", {"automation", "automatización", "automatisation", "Automatisierung", "автоматизация", "الأتمتة", "自动化", "自動化", "التوظيف"}},
        {"research", {"innovation", "innovación", "Innovation", "инновации", "الابتكار", "创新", "創新", "laboratory", "laboratorio"}},
        {"compute", {"infrastructure", "infraestructura", "Infrastruktur", "инфраструктура", "البنية التحتية", "基础设施", "基礎設施", "compute"}},
        {"ethics", {"values", "valores", "valori", "القيم", "價值"}},
        {"industry", {"adoption", "adopción", "внедрение", "تبني", "productivity"}},
        {"health", {"pandemic", "pandemia", "Pandemie", "疫情", "diagnóstico", "diagnostic"}},
        {"funding", {"million", "billion", "millones", "Millionen", "millions", "مليون"}},
        {"cooperation", {"partnerships", "Partnerschaften", "партнёрство", "伙伴关系"}},
    };
    const ReferenceData ref = load_reference(bundled_corpus_dir());
    for (const Theme& t : ref.themes) {
        const auto it = banned.find(t.id);
        if (it == banned.end()) continue;
        for (const auto& [lang, terms] : t.lexicon)
            for (const std::string& word : it->second)
                EXPECT_EQ(std::count(terms.begin(), terms.end(), word), 0) << t.id << " " << lang << ": " << word;
    }
}

}  // namespace
}  // namespace strata
