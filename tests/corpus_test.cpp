// Metadata validation, reference data, and the bundled corpus's promised counts.
#include "strata/check.h"
#include "strata/corpus.h"
#include "strata/reference.h"
#include "support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace strata {
namespace {

using test::TempDir;
using test::write_file;

const char* kGoodMeta = R"(id: "xx-2020-doc"
country: "MX"
title: "Título"
year: 2020
language: "es"
type: "strategy"
file: "doc.md"
)";

TEST(Metadata, LoadsAValidFile) {
    TempDir dir;
    write_file(dir / "doc.yaml", kGoodMeta);
    const DocumentMeta m = load_document_meta(dir / "doc.yaml");
    EXPECT_EQ(m.id, "xx-2020-doc");
    EXPECT_EQ(m.year, 2020);
    EXPECT_EQ(m.text_path, dir / "doc.md");
}

struct BrokenCase {
    const char* yaml;
    int line;
    const char* field;
};

TEST(Metadata, ABrokenFileIsNamedWithLineAndField) {
    const BrokenCase cases[] = {
        {"id: \"xx-2020-doc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: \"twenty\"\nfile: \"d.md\"\n", 4, "year"},
        {"id: \"xx-2020-doc\"\ncountry: \"mexico\"\ntitle: \"T\"\nyear: 2020\nfile: \"d.md\"\n", 2, "country"},
        {"id: \"xx-2020-doc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 2020\nfile: \"d.md\"\ntype: \"novel\"\n", 6, "type"},
        {"id: \"xx-2020-doc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 2020\nfile: \"d.md\"\ncontry: \"MX\"\n", 6, "contry"},
        {"id: \"../etc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 2020\nfile: \"d.md\"\n", 1, "id"},
        {"id: \"xx-2020-doc\"\ncountry: \"MX\"\nyear: 2020\nfile: \"d.md\"\n", 1, "title"},
        {"id: \"xx-2020-doc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 2020\nfile: \"d.md\"\nsource_url: \"ftp://x\"\n", 6, "source_url"},
    };
    for (const BrokenCase& c : cases) {
        TempDir dir;
        write_file(dir / "bad.yaml", c.yaml);
        try {
            (void)load_document_meta(dir / "bad.yaml");
            ADD_FAILURE() << "accepted: " << c.yaml;
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), (dir / "bad.yaml").string());
            EXPECT_EQ(e.line(), c.line) << e.what();
            EXPECT_EQ(e.field(), c.field) << e.what();
            EXPECT_NE(std::string(e.what()).find("bad.yaml:" + std::to_string(c.line)), std::string::npos) << e.what();
        }
    }
}

TEST(Metadata, MalformedYamlIsReportedWithItsLine) {
    TempDir dir;
    write_file(dir / "bad.yaml", "id: \"a\"\ntitle: [unclosed\nfile: x\n");
    try {
        (void)load_document_meta(dir / "bad.yaml");
        FAIL() << "malformed YAML accepted";
    } catch (const InputError& e) {
        EXPECT_GT(e.line(), 0);
        EXPECT_NE(std::string(e.what()).find("invalid YAML"), std::string::npos);
    }
}

TEST(Metadata, TheJsonSchemaMatchesTheRulesTheIndexerEnforces) {
    const nlohmann::json schema =
        nlohmann::json::parse(test::read_file(std::filesystem::path(STRATA_SOURCE_DIR) / "schemas/document.schema.json"));
    std::set<std::string> props;
    for (auto& [k, v] : schema["properties"].items()) props.insert(k);
    EXPECT_EQ(props, std::set<std::string>(document_fields().begin(), document_fields().end()));
    EXPECT_EQ(schema["required"].get<std::vector<std::string>>(), required_document_fields());
    EXPECT_EQ(schema["properties"]["type"]["enum"].get<std::vector<std::string>>(), document_types());
    EXPECT_EQ(schema["additionalProperties"], false);
    for (const std::string& field : required_document_fields()) {
        std::string yaml = kGoodMeta;
        const auto at = yaml.find(field + ":");
        ASSERT_NE(at, std::string::npos) << field;
        yaml.erase(at, yaml.find('\n', at) - at + 1);
        TempDir dir;
        write_file(dir / "m.yaml", yaml);
        EXPECT_THROW((void)load_document_meta(dir / "m.yaml"), InputError) << "missing " << field << " accepted";
    }
}

TEST(Corpus, ScanSkipsBadFilesAndKeepsGoodOnes) {
    TempDir dir;
    test::copy_test_corpus(dir.path());
    write_file(dir / "corpus/docs/broken.yaml", "id: \"broken\"\nfile: \"x.md\"\nyear: [\n");
    write_file(dir / "corpus/docs/missing.yaml", "id: \"missing-doc\"\ncountry: \"MX\"\ntitle: \"T\"\nyear: 2020\nfile: \"nope.md\"\n");
    const CorpusScan scan = scan_corpus(dir / "corpus");
    EXPECT_EQ(scan.documents.size(), 10u);
    ASSERT_EQ(scan.issues.size(), 2u);
    std::set<std::string> files;
    for (const CorpusIssue& i : scan.issues) files.insert(std::filesystem::path(i.file).filename().string());
    EXPECT_TRUE(files.count("broken.yaml"));
    EXPECT_TRUE(files.count("missing.yaml"));
}

TEST(Corpus, ReferenceFallsBackToTheBundledCorpus) {
    TempDir dir;  // a corpus with no reference files of its own
    const ReferenceData ref = load_reference(dir.path());
    EXPECT_EQ(ref.themes_file, bundled_corpus_dir() / "themes.yaml");
    EXPECT_GE(ref.themes.size(), 14u);
}

// The bundled corpus promises: >= 45 documents, >= 40 countries plus the EU, >= 16
// languages, the scripts listed in the issue, 2016..2025, >= 6 countries with documents
// from two years, >= 14 themes with a lexicon in every corpus language, >= 150 concepts
// each in >= 12 languages.
TEST(BundledCorpus, MeetsItsCounts) {
    const CorpusReport r = check_corpus(bundled_corpus_dir());
    for (const CorpusIssue& i : r.issues) ADD_FAILURE() << i.to_string();
    EXPECT_GE(r.documents, 45u);
    EXPECT_TRUE(r.countries.count("EU"));
    EXPECT_GE(r.countries.size() - 1, 40u);
    EXPECT_GE(r.languages.size(), 16u);
    for (const char* lang : {"es", "fr", "de", "it", "nl", "pl", "tr", "vi", "ru", "ar", "el", "hi", "zh-Hans",
                             "zh-Hant", "ja", "ko", "th", "en"})
        EXPECT_TRUE(r.languages.count(lang)) << lang;
    EXPECT_TRUE(r.languages.count("pt") || r.languages.count("pt-BR"));
    for (const char* script : {"Latn", "Cyrl", "Arab", "Grek", "Deva", "Hans", "Hant", "Jpan", "Kore", "Thai"})
        EXPECT_TRUE(r.scripts.count(script)) << script;
    for (const auto& [year, n] : r.years) {
        EXPECT_GE(std::stoi(year), 2016);
        EXPECT_LE(std::stoi(year), 2025);
    }
    for (const char* type : {"strategy", "action-plan", "ethics-framework", "regulation", "white-paper"})
        EXPECT_TRUE(r.types.count(type)) << type;
    for (const auto& [id, words] : r.words) {
        EXPECT_GE(words, 600u) << id;
        EXPECT_LE(words, 2000u) << id;
    }
    EXPECT_GE(r.themes, 14u);
    for (const auto& [theme, langs] : r.theme_languages) EXPECT_GE(langs, r.languages.size() - 2) << theme;
    EXPECT_GE(r.concepts, 150u);
    for (const auto& [concept_id, langs] : r.concept_languages) EXPECT_GE(langs, 12u) << concept_id;
}

TEST(BundledCorpus, SixCountriesHaveDocumentsFromTwoYears) {
    const CorpusScan scan = scan_corpus(bundled_corpus_dir());
    std::map<std::string, std::set<int>> years;
    for (const DocumentMeta& d : scan.documents) years[d.country].insert(d.year);
    std::size_t multi = 0;
    for (const auto& [c, ys] : years) multi += ys.size() >= 2;
    EXPECT_GE(multi, 6u);
    for (const DocumentMeta& d : scan.documents) {
        EXPECT_TRUE(d.digest) << d.id;
        EXPECT_FALSE(d.title_en.empty()) << d.id;
        EXPECT_FALSE(d.issuer.empty()) << d.id;
        EXPECT_FALSE(d.source_url.empty()) << d.id;
        EXPECT_FALSE(d.language.empty()) << d.id;
    }
}

TEST(BundledCorpus, CountriesCoverTheCorpusAndTheKnownStrategies) {
    const ReferenceData ref = load_reference(bundled_corpus_dir());
    for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents)
        EXPECT_NE(ref.country(d.country), nullptr) << d.country;
    for (const Country& c : ref.countries) {
        EXPECT_FALSE(c.region.empty()) << c.code;
        EXPECT_FALSE(c.native.empty()) << c.code;
    }
}

}  // namespace
}  // namespace strata
