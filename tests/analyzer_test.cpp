// Table-driven analyzer tests: input and language, then the expected tokens as a golden
// string "text[/folded][{base}]@pos", one case per line.
#include "strata/analyzer.h"
#include "text/morphology.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <unistd.h>

namespace strata {
namespace {

std::string render(const std::vector<Token>& tokens) {
    std::string out;
    for (const Token& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t.text;
        if (!t.folded.empty()) out.append("/").append(t.folded);
        if (!t.base.empty()) out.append("{").append(t.base).append("}");
        out.append("@").append(std::to_string(t.pos));
    }
    return out;
}

struct Case {
    const char* lang;
    const char* input;
    const char* expected;
};

// clang-format off
const Case kCases[] = {
    {"en", "Trustworthy AI, by 2030!",            "trustworthy@1 ai@2 by@3 2030@4"},
    {"en", "don't split English contractions",   "don't@1 split@2 english@3 contractions@4"},
    {"es", "La Ética de la IA",                   "la@1 ética/etica@2 de@3 la@4 ia@5"},
    {"pt", "Inteligência Artificial",             "inteligência/inteligencia@1 artificial@2"},
    {"fr", "L'éthique de l’IA",                   "éthique/ethique@1 de@2 ia@3"},
    {"de", "Straße der KI",                       "strasse@1 der@2 ki@3"},
    {"it", "dell'intelligenza artificiale",       "intelligenza@1 artificiale@2"},
    {"nl", "Kunstmatige intelligentie",           "kunstmatige@1 intelligentie@2"},
    {"pl", "Sztuczna inteligencja w Łodzi",       "sztuczna@1 inteligencja@2 w@3 łodzi/lodzi@4"},
    {"sv", "Nationell inriktning för AI",         "nationell@1 inriktning@2 för/for@3 ai@4"},
    {"fi", "Suomen tekoälyaika",                  "suomen@1 tekoälyaika/tekoalyaika@2"},
    {"cs", "Národní strategie umělé inteligence", "národní/narodni@1 strategie@2 umělé/umele@3 inteligence@4"},
    {"hu", "Mesterséges Intelligencia",           "mesterséges/mesterseges@1 intelligencia@2"},
    {"tr", "İstihdam ISI ılık",                   "istihdam@1 ısı/isi@2 ılık/ilik@3"},
    {"vi", "Trí tuệ nhân tạo",                    "trí/tri@1 tuệ/tue@2 nhân/nhan@3 tạo/tao@4"},
    {"ru", "Искусственный интеллект, ёлка",       "искусственный@1 интеллект@2 ёлка/елка@3"},
    {"ar", "أَخْلَاقِيَّات",                          "أَخْلَاقِيَّات/اخلاقيات@1"},
    {"ar", "أخلاقيات الذكاء",                      "أخلاقيات/اخلاقيات@1 الذكاء@2"},
    {"el", "Τεχνητή Νοημοσύνης",                  "τεχνητή/τεχνητη@1 νοημοσύνησ/νοημοσυνησ@2"},
    {"hi", "कृत्रिम बुद्धिमत्ता",                     "कृत्रिम@1 बुद्धिमत्ता@2"},
    {"id", "Kecerdasan Artifisial",               "kecerdasan@1 artifisial@2"},
    {"zh-Hans", "人工智能伦理",                     "人工@1 智能@3 伦理@5"},
    {"zh-Hant", "人工智慧倫理",                     "人工@1 智慧@3 倫理@5"},
    {"ja", "人工知能の倫理",                        "人工@1 知能@3 の@5 倫理@6"},
    {"ko", "인공지능의 윤리",                        "인공지능의{인공지능}@1 윤리@2"},
    {"th", "ปัญญาประดิษฐ์เพื่อประเทศไทย",            "ปัญญา@1 ประดิษฐ์@2 เพื่อ@3 ประเทศไทย@4"},
    {"en", "ＡＩ　Ｓｔｒａｔｅｇｙ",                  "ai@1 strategy@2"},
    {"",   "AI战略 and ИИ",                         "ai@1 战略@2 and@4 ии@5"},
};
// clang-format on

TEST(Analyzer, GoldenTokensInManyLanguages) {
    const Analyzer a;
    std::set<std::string> languages;
    for (const Case& c : kCases) {
        EXPECT_EQ(render(a.tokenize(c.input, c.lang)), c.expected) << "lang=" << c.lang << " input=" << c.input;
        if (*c.lang) languages.insert(Analyzer::stem_language(c.lang) == "zh" ? c.lang : Analyzer::stem_language(c.lang));
    }
    EXPECT_GE(languages.size(), 16u);
}

TEST(Analyzer, ArabicWithAndWithoutDiacriticsFoldAlike) {
    const Analyzer a;
    const auto with = a.tokenize("الذَّكَاءُ الاِصْطِنَاعِيُّ", "ar");
    const auto without = a.tokenize("الذكاء الاصطناعي", "ar");
    ASSERT_EQ(with.size(), 2u);
    ASSERT_EQ(without.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const std::string f1 = with[i].folded.empty() ? with[i].text : with[i].folded;
        const std::string f2 = without[i].folded.empty() ? without[i].text : without[i].folded;
        EXPECT_EQ(f1, f2);
    }
}

TEST(Analyzer, OffsetsPointIntoTheSource) {
    const Analyzer a;
    const std::string s = "Ética y l'éthique: 伦理";
    for (const Token& t : a.tokenize(s, "")) {
        const std::string slice = s.substr(t.start, t.end - t.start);
        EXPECT_EQ(a.normalize(slice, ""), t.text) << slice;
    }
}

TEST(Analyzer, StemsCarryTheLanguagePrefix) {
    const Analyzer a;
    Xapian::Document doc;
    a.index_text(doc, "las estrategias nacionales", "es");
    std::set<std::string> terms(doc.termlist_begin(), doc.termlist_end());
    EXPECT_TRUE(terms.count("Zes:estrategi")) << "Spanish stem missing";
    EXPECT_TRUE(terms.count("estrategias"));
    EXPECT_FALSE(Analyzer::has_stemmer("zh-Hans"));
    EXPECT_TRUE(Analyzer::has_stemmer("pt-BR"));
}

TEST(Analyzer, HanRunsGetBigramsAtCharacterPositions) {
    const Analyzer a;
    Xapian::Document doc;
    a.index_text(doc, "人工智能伦理", "zh-Hans");
    std::map<std::string, std::vector<Xapian::termpos>> pos;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) pos[*t].push_back(*p);
    EXPECT_EQ(pos["伦理"], std::vector<Xapian::termpos>({5}));
    EXPECT_EQ(pos["人工"], std::vector<Xapian::termpos>({1}));
    EXPECT_EQ(pos["能伦"], std::vector<Xapian::termpos>({4}));
    EXPECT_EQ(pos["智能"], std::vector<Xapian::termpos>({3}));  // ICU's word, and a bigram
}

TEST(Analyzer, KoreanParticlesAreStripped) {
    EXPECT_EQ(Analyzer::strip_korean_particle("인공지능의"), "인공지능");
    EXPECT_EQ(Analyzer::strip_korean_particle("정부는"), "정부");
    EXPECT_EQ(Analyzer::strip_korean_particle("데이터를"), "데이터");
    EXPECT_EQ(Analyzer::strip_korean_particle("아이"), "");  // too short to strip
}

// Inflected forms meet on one stem term: the words of a case, then the stem terms they
// give (one when they meet; none for a language without a stemmer).
struct StemCase {
    const char* lang;
    const char* words;
    const char* expected;
};

// clang-format off
const StemCase kStemCases[] = {
    {"pl", "cyfrowe cyfrowych cyfrowy",            "Zpl:cyfrowy"},
    {"pl", "sztuczna sztucznej sztuczną",          "Zpl:sztuczny"},
    {"pl", "dane danych",                          "Zpl:dać"},   // shortest of dane/dany/dać
    {"pl", "Warszawa Warszawie",                   "Zpl:warszawa"},  // a capitalised entry
    {"cs", "umělá umělé umělou",                   "Zcs:umělý"},
    {"cs", "inteligence inteligenci inteligencí",  "Zcs:inteligence"},
    {"sk", "umelá umelej umelú",                   "Zsk:umelý"},
    {"sk", "inteligencia inteligencie inteligenciou", "Zsk:inteligencia"},
    {"el", "τεχνητή τεχνητής Τεχνητής",            "Zel:τεχνητ"},
    {"el", "νοημοσύνη νοημοσύνης",                 "Zel:νοημοσυν"},
    {"bg", "изкуствен изкуствения изкуствени",     "Zbg:изкуствен"},
    {"bg", "интелект интелекта интелекти",         "Zbg:интелект"},
    {"lt", "dirbtinis dirbtinio dirbtinį",         "Zlt:dirbtin"},
    {"lt", "intelektas intelekto intelektą",       "Zlt:intelekt"},
    {"hr", "umjetna umjetne umjetnu",              "Zhr:umjetni"},
    {"hr", "inteligencija inteligencije inteligenciju", "Zhr:inteligencija"},
    {"sl", "umetna umetne umetno",                 "Zsl:umeten"},
    {"sl", "inteligenca inteligence inteligenco",  "Zsl:inteligenc"},
    {"uk", "штучний штучного штучному",            "Zuk:штучний"},
    {"uk", "інтелект інтелекту інтелектом",        "Zuk:інтелект"},
    {"lv", "mākslīgais mākslīgā mākslīgo",         "Zlv:mākslīgs"},
    {"lv", "intelekts intelekta intelektu",        "Zlv:intelekts"},
    {"hi", "सरकार सरकारों सरकारी",                    "Zhi:सरकार"},
    {"sr", "вештачка вештачке veštačku",           "Zsr:veštačk"},
    {"fi", "eettinen eettiset eettisesti",         "Zfi:eettin"},
    {"fi", "tekoäly tekoälyn tekoälyä",            "Zfi:tekoäly"},
    {"es", "estrategias estrategia",               "Zes:estrategi"},  // Xapian's, unchanged
    {"vi", "nhân",                                 ""},
    {"et", "riik riigi",                           ""},
};
// clang-format on

TEST(Analyzer, InflectedFormsMeetOnOneStem) {
    const Analyzer a;
    for (const StemCase& c : kStemCases) {
        Xapian::Document doc;
        a.index_text(doc, c.words, c.lang);
        std::string stems;
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            if ((*t)[0] != 'Z') continue;
            if (!stems.empty()) stems += ' ';
            stems += *t;
        }
        EXPECT_EQ(stems, c.expected) << "lang=" << c.lang << " words=" << c.words;
        EXPECT_EQ(Analyzer::has_stemmer(c.lang), *c.expected != '\0') << c.lang;
    }
}

TEST(Analyzer, EachLanguageHasTheStemmerOfItsTable) {
    using morphology::Source;
    const std::pair<const char*, Source> table[] = {
        {"en", Source::kXapian},   {"lt", Source::kXapian},   {"ca", Source::kXapian},   {"fi", Source::kVoikko},
        {"el", Source::kSnowball}, {"hi", Source::kSnowball}, {"sr", Source::kSnowball}, {"pl", Source::kHunspell},
        {"cs", Source::kHunspell}, {"uk", Source::kHunspell}, {"et", Source::kNone},     {"vi", Source::kNone}};
    for (const auto& [lang, want] : table)
        EXPECT_EQ(morphology::source_name(morphology::source(lang)), morphology::source_name(want)) << lang;
}

// A Hunspell dictionary in its own charset (ISO 8859-2): words convert both ways, the
// shortest stem wins and then the alphabetically first, unknown words stay as they are,
// and a dictionary that is not there gives no stemmer rather than an error.
TEST(Analyzer, HunspellStemsAreTheShortestThenFirstAndMissingDictionariesAreHarmless) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("strata-hunspell-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream aff(dir / "xx_XX.aff", std::ios::binary);
        aff << "SET ISO8859-2\n"
               "SFX A Y 1\nSFX A 0 \xB1 .\n"             // kot → kotą
               "SFX B Y 1\nSFX B a \xB1 a\n"             // kota → kotą
               "SFX C Y 1\nSFX C e \xB1 e\n"             // łase → łasą
               "SFX D Y 1\nSFX D \xF3w owie \xF3w\n";    // Kraków → Krakowie
        std::ofstream dic(dir / "xx_XX.dic", std::ios::binary);
        dic << "5\nkot/A\nkota/B\n\xB3" "asa/B\n\xB3" "ase/C\nKrak\xF3w/D\n";
    }
    auto dict = morphology::open_hunspell(dir, "xx_XX");
    ASSERT_TRUE(dict);
    EXPECT_EQ(morphology::hunspell_stem(*dict, "kotą"), "kot");
    EXPECT_EQ(morphology::hunspell_stem(*dict, "łasą"), "łasa");
    EXPECT_EQ(morphology::hunspell_stem(*dict, "krakowie"), "kraków");
    EXPECT_EQ(morphology::hunspell_stem(*dict, "psa"), "psa");
    EXPECT_EQ(morphology::hunspell_stem(*dict, "niño"), "niño");  // not in ISO 8859-2
    EXPECT_FALSE(morphology::open_hunspell(dir, "yy_YY"));
    EXPECT_FALSE(morphology::open_hunspell(dir / "nowhere", "xx_XX"));
    std::filesystem::remove_all(dir);
}

TEST(Analyzer, InvalidUtf8IsReplacedNotFatal) {
    const Analyzer a;
    const auto tokens = a.tokenize(std::string("ok \xC0\xAF bad \xFF end"), "en");
    ASSERT_FALSE(tokens.empty());
    EXPECT_EQ(tokens.front().text, "ok");
    EXPECT_EQ(tokens.back().text, "end");
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

std::string render_full(const std::vector<Token>& tokens) {
    std::string out;
    for (const Token& t : tokens) {
        out.append(t.text).append("|").append(std::to_string(t.pos)).append("|").append(std::to_string(t.start));
        out.append("|").append(std::to_string(t.end)).append("|").append(std::to_string(static_cast<int>(t.kind))).append(" ");
    }
    return out;
}

// The fast segmenter must agree with ICU's word break on any text it accepts: random
// strings over letters, digits and the punctuation the rules treat specially.
TEST(Analyzer, FastSegmentationEqualsIcuOnRandomText) {
    const std::vector<std::string> alphabet = {"a", "b", "Z", "x", "é", "ñ", "ü", "ß", "Ł", "Ω", "σ", "ς", "ж", "Й", "0", "7",
                                               "1", ".", ",", ";", ":", "'", "\u2019", "\u2018", "-", "/", "(", ")", "\"",
                                               "\u201C", "\u201D", " ", " ", " ", "\n", "%", "\u20AC", "!", "?", "\u2013",
                                               "\u00A0", "@", "#", "&", "+", "=", "\u00AB", "\u2026"};
    const Analyzer a;
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), len(1, 40);
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        for (std::size_t i = len(rng); i > 0; --i) s += alphabet[pick(rng)];
        ASSERT_EQ(render_full(a.tokenize(s, "en")), render_full(a.tokenize_reference(s, "en"))) << "text: [" << s << "]";
    }
}

TEST(Analyzer, FastSegmentationEqualsIcuOnTheBundledCorpus) {
    const Analyzer a;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(STRATA_SOURCE_DIR) / "corpus/docs")) {
        if (entry.path().extension() != ".md") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        std::string paragraph;
        std::istringstream lines(text.str());
        for (std::string line; std::getline(lines, line);)
            EXPECT_EQ(render_full(a.tokenize(line, "")), render_full(a.tokenize_reference(line, ""))) << entry.path() << ": " << line;
    }
}

}  // namespace
}  // namespace strata
