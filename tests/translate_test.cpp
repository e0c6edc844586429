// FreeDict article parsing (golden strings per layout), the Translator over a small
// table of its own, and the build's table compiled from Debian's dictionaries.
#include "apertium_bidix.h"
#include "text/freedict.h"
#include "text/translate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace {

using strata::Translator;
using strata::freedict::Layout;

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& w : v) s += (s.empty() ? "" : "|") + w;
    return s;
}

bool contains(const std::vector<std::string>& v, const std::string& w) {
    return std::find(v.begin(), v.end(), w) != v.end();
}

struct ArticleCase {
    Layout layout;
    const char* article;
    const char* expected;  // translations joined by '|'
};

TEST(FreeDict, ParsesArticlesOfEachLayout) {
    const ArticleCase cases[] = {
        // Ergane: numbered senses, every line a translation.
        {Layout::kPlain, "policy /pɔləsiː/\n1. póliza\n2. política\n", "póliza|política"},
        // Piotrowski-Saloni: roman and arabic numbers, grammar tags, compounds dropped.
        {Layout::kPlain,
         "data /ˈdeɪtə/\nI.  <N>  dane\nII.  <N Comp>data bank /ˈdeɪtəbænk/  [komp]   bank danych\n", "dane"},
        {Layout::kPlain,
         "health /helθ/ <N>\n 1.  zdrowie\n 2.  powodzenie, dobry stan\n 3.  drink (to) sb's health (drink V)\n"
         " - pić za czyjeś zdrowie\n",
         "zdrowie|powodzenie|dobry stan"},
        // eng-hin writes spaces as '~' and quotes examples.
        {Layout::kPlain, "manpower /mˈanpaʊə/ <N>\n1. मानवशक्ति\n      \"There was a shortage.\"\n", "मानवशक्ति"},
        // WikDict: a gloss in the source language follows each sense's translations.
        {Layout::kWikDict, "era //ˈɛɹ.ə// <n>\n時代, 紀元\ntime period\n", "時代|紀元"},
        {Layout::kWikDict, "tart /tɑːt/ <adj>\n1. кисел\nhigh in acidity\n2. хаплив, язвителен\nsharp\n",
         "кисел|хаплив|язвителен"},
        {Layout::kWikDict, "x /x/\n(noun (common) (futsuumeishi))\ncommunication disorder\n", "communication disorder"},
        {Layout::kWikDict, "sapphire /s/ <n>\nサファイア 2.\ngem\n", "サファイア"},
        {Layout::kWikDict, "tekoäly /t/ <n>\nartificial intelligence, AI /ˈaɪ/\ngloss\n", "artificial intelligence|AI"},
        {Layout::kDing, "KI /kaː/\nartificial intelligence <n>AI,  /ˈaɪ/, he/she\n",
         "artificial intelligence|AI|he/she"},
        // Ding: one line of translations, then examples, synonyms and references.
        {Layout::kDing,
         "ethics /ˈɛθɪks/\nEthik <fem>, Sittenlehre <fem> [phil.]\n      \"public health ethics\"  - Gesundheitsethik\n"
         "   Synonyms: {moral doctrine}\n\n see: {business ethics}\n",
         "Ethik|Sittenlehre"},
        {Layout::kDing, "mit jdm. ins Bett gehen /m/ <v>\nsleep with sb. <v>, make love\n", "make love"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(joined(strata::freedict::parse_article(c.article, c.layout)), c.expected) << c.article;
}

TEST(FreeDict, DetectsLayoutFromHeader) {
    EXPECT_EQ(strata::freedict::detect_layout("Automatic creation ... by WikDict [http://www.wikdict.com/]"),
              Layout::kWikDict);
    EXPECT_EQ(strata::freedict::detect_layout("German - English Ding/FreeDict dictionary"), Layout::kDing);
    EXPECT_EQ(strata::freedict::detect_layout("including changes from Ergane"), Layout::kPlain);
}

class TranslatorTable : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("strata_translate_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        // A section per direction ("TAB from TAB to"), headwords sorted; "=ética" is an alias.
        std::ofstream(dir_ / "t.tsv") << "\tde\tes\n"
                                         "ethik\tética\n"
                                         "gesundheit\tjesús|salud\n"
                                         "\ten\tde\n"
                                         "ethics\tethik|sittenlehre\n"
                                         "health\tgesundheit\n"
                                         "\ten\tes\n"
                                         "data\tmaterial\n"
                                         "policy\tpolítica|póliza\n"
                                         "\ten\tpt\n"
                                         "data\tdados\n"
                                         "\tes\ten\n"
                                         "datos\tdata\n"
                                         "etica\t=ética\n"
                                         "jesús\tjesus|christ\n"
                                         "salud\thealth\n"
                                         "ética\tethics\n";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(TranslatorTable, LooksUpDirectPluralAndAccentFoldedWords) {
    const Translator t = Translator::load((dir_ / "t.tsv").string());
    EXPECT_EQ(t.translate("policy", "en", {"es"}).at("es"), (std::vector<std::string>{"política", "póliza"}));
    EXPECT_EQ(t.translate("policies", "en", {"es"}).at("es").front(), "política");
    EXPECT_EQ(t.translate("ética", "es", {"en"}).at("en"), std::vector<std::string>{"ethics"});
    EXPECT_EQ(t.translate("etica", "es", {"en"}).at("en"), std::vector<std::string>{"ethics"});
    EXPECT_TRUE(t.translate("policy", "en", {"en"}).empty());
    EXPECT_EQ(t.languages(), (std::vector<std::string>{"de", "es", "pt"}));
}

TEST_F(TranslatorTable, PivotsThroughEnglishThenGermanWhereTheDirectPairIsThin) {
    const Translator t = Translator::load((dir_ / "t.tsv").string());
    EXPECT_EQ(t.translate("datos", "es", {"pt"}).at("pt"), std::vector<std::string>{"dados"});
    EXPECT_EQ(t.translate("ethics", "en", {"es"}).at("es"), std::vector<std::string>{"ética"});
    // One direct translation is thin; the German bridge adds nothing for "data" here.
    EXPECT_EQ(t.translate("data", "en", {"es", "pt-BR"}).at("pt"), std::vector<std::string>{"dados"});
}

TEST_F(TranslatorTable, KeepsBridgedWordsThatTranslateBackToTheSourceWord) {
    const Translator t = Translator::load((dir_ / "t.tsv").string());
    // "Gesundheit!" is also the sneeze's "jesús"; es→en says "jesús" is not "health".
    EXPECT_EQ(t.translate("health", "en", {"es"}).at("es"), std::vector<std::string>{"salud"});
}

TEST(ApertiumBidix, ParsesLookupLines) {
    using strata::apertium::Lemma;
    using strata::apertium::parse_lookup_line;
    EXPECT_EQ(parse_lookup_line("^skill<n>/destreza<n><f>/habilidad<n><f>$", "n"),
              (std::vector<Lemma>{{"destreza", "n f"}, {"habilidad", "n f"}}));
    EXPECT_EQ(parse_lookup_line("^research<vblex>/investigar<vblex>$", "vblex"),
              (std::vector<Lemma>{{"investigar", "vblex"}}));
    // Unknown lemmas ("@"), multiword joints, and lines that are not a lookup.
    EXPECT_TRUE(parse_lookup_line("^sandbox<n>/@sandbox<n>$", "n").empty());
    EXPECT_EQ(parse_lookup_line("^data_bank<n>/banco_de_datos<n><m>$", "n"),
              (std::vector<Lemma>{{"banco de datos", "n m"}}));
    EXPECT_TRUE(parse_lookup_line("", "n").empty());
    EXPECT_TRUE(parse_lookup_line("^broken", "n").empty());
}

TEST(Translator, MissingFileGivesAnEmptyTranslator) {
    const Translator t = Translator::load("/nonexistent/translations.tsv");
    EXPECT_EQ(t.size(), 0u);
    EXPECT_TRUE(t.languages().empty());
    EXPECT_TRUE(t.translate("data", "en", {"es", "de"}).empty());
}

// The build's table; skipped where no FreeDict dictionaries were installed.
class BuiltinTranslator : public ::testing::Test {
protected:
    void SetUp() override {
        if (Translator::builtin().size() == 0) GTEST_SKIP() << "no FreeDict dictionaries were compiled";
    }
    std::vector<std::string> words(std::string_view w, std::string_view from, const std::string& to) {
        const auto r = Translator::builtin().translate(w, from, {to});
        return r.count(to) ? r.at(to) : std::vector<std::string>{};
    }
};

TEST_F(BuiltinTranslator, TranslatesPolicyWords) {
    EXPECT_TRUE(contains(words("ethics", "en", "es"), "ética")) << joined(words("ethics", "en", "es"));
    const auto pl = words("privacy", "en", "pl");
    EXPECT_TRUE(std::any_of(pl.begin(), pl.end(), [](const std::string& w) { return w.rfind("prywatno", 0) == 0; }))
        << joined(pl);
    EXPECT_TRUE(contains(words("datos", "es", "en"), "data")) << joined(words("datos", "es", "en"));
    // Debian's es→pt and pt→en know "dato" and "dados" = dice only: the singular it is.
    EXPECT_TRUE(contains(words("datos", "es", "pt"), "dado")) << joined(words("datos", "es", "pt"));
    EXPECT_TRUE(contains(words("policies", "en", "es"), "política")) << joined(words("policies", "en", "es"));
}

// FreeDict's English-Italian dictionary has no "research" or "funding"; Apertium's
// English-Spanish and Spanish-Italian dictionaries (scripts/setup installs them) do.
TEST_F(BuiltinTranslator, ReachesItalianAndPortugueseThroughApertium) {
    EXPECT_TRUE(contains(words("research", "en", "it"), "ricerca")) << joined(words("research", "en", "it"));
    EXPECT_TRUE(contains(words("funding", "en", "it"), "finanziamento")) << joined(words("funding", "en", "it"));
    EXPECT_TRUE(contains(words("funding", "en", "es"), "financiación")) << joined(words("funding", "en", "es"));
    EXPECT_TRUE(contains(words("liability", "en", "pt"), "responsabilidade")) << joined(words("liability", "en", "pt"));
    EXPECT_TRUE(contains(words("ricerca", "it", "en"), "research")) << joined(words("ricerca", "it", "en"));
}

TEST_F(BuiltinTranslator, UnknownWordGivesNothing) {
    EXPECT_TRUE(Translator::builtin().translate("qzxvbnmtranslatorless", "en", {"es", "de", "pl", "ja"}).empty());
}

TEST_F(BuiltinTranslator, CapsAndFiltersTranslations) {
    const auto langs = Translator::builtin().languages();
    EXPECT_TRUE(contains(langs, "de") && contains(langs, "es") && contains(langs, "pl")) << joined(langs);
    for (const auto& [lang, ws] : Translator::builtin().translate("house", "en", langs)) {
        EXPECT_LE(ws.size(), 6u) << lang;
        for (const auto& w : ws) EXPECT_LE(std::count(w.begin(), w.end(), ' '), 2) << lang << ": " << w;
    }
    for (const auto& w : words("haus", "de", "en")) EXPECT_NE(w, "the");
}

}  // namespace
