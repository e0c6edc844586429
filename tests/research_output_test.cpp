// What a researcher takes away from Strata, on the bundled corpus through the real CLI and
// daemon: citable records (issuer, source, full passage text, BibTeX and RIS), exports that
// record how to rebuild them, batch tables with a row per query, and a CLI that reads as
// the README says.
#include "batch_input.h"
#include "served.h"
#include "strata/citation.h"
#include "strata/reference.h"
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>

namespace strata {
namespace {

using Rows = std::vector<std::vector<std::string>>;
const std::string kBin = STRATA_BINARY_DIR;
const std::string kBom = "\xEF\xBB\xBF";

class ResearchOutput : public test::ServedSuite {
protected:
    static void SetUpTestSuite() { serve(bundled_corpus_dir()); }
    // Runs strata against the daemon (or the index, with @p embedded: slower, as it loads the
    // dictionaries; both modes are held equal by cli_test) and checks its exit status.
    static std::string strata(const std::string& args, int expect = 0, bool embedded = false, bool with_stderr = true) {
        std::string out;
        const std::string where = !embedded ? "--server " + server_->base_url() : "--index " + server_->index().string();
        const int rc = test::run(kBin + "/cli/strata " + where + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null"), &out);
        EXPECT_EQ(rc, expect) << args << "\n" << out;
        return out;
    }
    static test::HttpResult get(const std::string& path, int expect = 200) {
        const test::HttpResult r = server_->get(path);
        EXPECT_EQ(r.status, expect) << path << " → " << r.body.substr(0, 400);
        return r;
    }
    static nlohmann::json get_json(const std::string& path, int expect = 200) { return nlohmann::json::parse(get(path, expect).body); }
};

// A CSV table as column name → values, one per row.
std::map<std::string, std::vector<std::string>> columns(const std::string& csv) {
    const Rows rows = cli::parse_csv(csv);
    std::map<std::string, std::vector<std::string>> out;
    if (rows.empty()) return out;
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
        std::vector<std::string>& col = out[rows[0][c]];
        for (std::size_t r = 1; r < rows.size(); ++r) col.push_back(c < rows[r].size() ? rows[r][c] : "");
    }
    return out;
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
}

// Braces of a BibTeX entry balance once escaped braces (\{ \}) are left out.
bool balanced(const std::string& s) {
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;
            continue;
        }
        if (s[i] == '{') ++depth;
        if (s[i] == '}' && --depth < 0) return false;
    }
    return depth == 0;
}

// ---- Citations (issue 17, item 12)

TEST_F(ResearchOutput, CliCsvAndJsonLinesCarryTheCitationAndTheFullPassage) {
    const auto csv = columns(strata("--format csv search ethics --country ES --full-text", 0, false, false));
    ASSERT_FALSE(csv.at("doc_id").empty());
    const std::string id = csv.at("doc_id")[0];
    const nlohmann::json doc = get_json("/v1/documents/" + id);
    EXPECT_EQ(csv.at("source_url")[0], doc["source_url"]);
    EXPECT_EQ(csv.at("issuer")[0], doc["issuer"]);
    EXPECT_EQ(csv.at("title_en")[0], doc["title_en"]);
    // The text column is the passage's whole text, where the snippet is a window of it.
    const int n = std::stoi(csv.at("passage")[0]);
    EXPECT_EQ(csv.at("text")[0], doc["passages"][n]["text"]);
    EXPECT_GT(csv.at("text")[0].size(), csv.at("snippet")[0].size());
    for (const auto& rec : json_lines(strata("--format jsonl search ethics --country ES --full-text"))) {
        EXPECT_TRUE(rec["source_url"].is_string() && rec["issuer"].is_string() && rec["title_en"].is_string()) << rec;
        EXPECT_TRUE(rec["text"].is_string()) << rec;
    }
}

TEST_F(ResearchOutput, APassageWithoutPagesHasNoPageZero) {
    // The bundled corpus is markdown: no document has pages.
    const nlohmann::json s = get_json("/v1/search?q=ethics&facets=none");
    ASSERT_FALSE(s["hits"].empty());
    for (const auto& h : s["hits"])
        for (const auto& p : h["passages"]) EXPECT_TRUE(p["page"].is_null() && p["page_end"].is_null()) << p;
    const nlohmann::json doc = get_json("/v1/documents/es-2020-enia");
    for (const auto& p : doc["passages"]) EXPECT_TRUE(p["page"].is_null()) << p;
    const nlohmann::json compare = get_json("/v1/compare?q=ethics&countries=ES&themes=ethics");
    for (const auto& c : compare["cells"]) EXPECT_TRUE(c["best"]["page"].is_null()) << c;
    const auto search_csv = columns(strata("--format csv search ethics", 0, false, false));
    for (const std::string& page : search_csv.at("page")) EXPECT_EQ(page, "");
    const auto compare_csv = columns(get("/v1/compare?q=ethics&format=csv").body);
    for (const std::string& page : compare_csv.at("best_page")) EXPECT_EQ(page, "");
    for (const auto& rec : json_lines(strata("--format jsonl search ethics"))) EXPECT_TRUE(rec["page"].is_null()) << rec;
}

TEST_F(ResearchOutput, DocumentsAndPassagesAreCitedInBibtexAndRis) {
    const auto bib = get("/v1/documents/es-2020-enia?format=bibtex");
    EXPECT_EQ(bib.headers.at("Content-Type"), "application/x-bibtex; charset=utf-8");
    EXPECT_EQ(bib.body.rfind("@misc{es-2020-enia,\n", 0), 0u) << bib.body;
    EXPECT_TRUE(balanced(bib.body)) << bib.body;
    EXPECT_NE(bib.body.find("  title = {Estrategia Nacional de Inteligencia Artificial}"), std::string::npos) << bib.body;
    EXPECT_NE(bib.body.find("  year = {2020}"), std::string::npos) << bib.body;
    EXPECT_NE(bib.body.find("  url = {https://"), std::string::npos) << bib.body;
    EXPECT_NE(bib.body.find("digest"), std::string::npos) << "a digest is cited as one: " << bib.body;
    const auto passage = get("/v1/documents/es-2020-enia?format=bibtex&passage=3");
    EXPECT_EQ(passage.body.rfind("@misc{es-2020-enia-p3,\n", 0), 0u) << passage.body;
    EXPECT_NE(passage.body.find("Passage 3, section"), std::string::npos) << passage.body;
    const auto ris = get("/v1/documents/es-2020-enia?format=ris&passage=3");
    EXPECT_EQ(ris.headers.at("Content-Type"), "application/x-research-info-systems; charset=utf-8");
    std::istringstream lines(ris.body);
    std::string line, last;
    while (std::getline(lines, line)) {
        EXPECT_TRUE(std::regex_match(line, std::regex("[A-Z][A-Z0-9]  - .*\r"))) << line;
        last = line;
    }
    EXPECT_EQ(ris.body.rfind("TY  - GOVDOC\r\n", 0), 0u);
    EXPECT_EQ(last, "ER  - \r");
    // The CLI writes the same text, remote and embedded.
    EXPECT_EQ(strata("doc es-2020-enia --format bibtex"), bib.body);
    EXPECT_EQ(strata("doc es-2020-enia --format ris --passage 3", 0, true), ris.body);
    get("/v1/documents/es-2020-enia?format=bibtex&passage=999", 404);
    get("/v1/documents/es-2020-enia?format=xml", 400);
    get("/v1/documents/es-2020-enia?passage=3", 400);
    strata("doc es-2020-enia --format bibtex --passage 999", 1);
    strata("search ethics --format bibtex", 2);
}

TEST(Citation, EscapesWhatTexWouldReadAndKeepsRisOnOneLinePerField) {
    const nlohmann::json doc = {{"id", "xx-2020-odd"},
                                {"title", "R&D {AI} 100% #1 $5 a_b ~ ^ \\end"},
                                {"title_en", "Line one\nline two"},
                                {"issuer", "Ministry of Science & Technology"},
                                {"year", 2020},
                                {"country_name", "Nowhere"},
                                {"source_url", "https://example.org/a b/{x}"},
                                {"passages", {{{"n", 0}, {"section", "S_1 {x}"}, {"page", 4}, {"page_end", 6}}}}};
    const std::string bib = cite(doc, CitationFormat::kBibtex, 0);
    EXPECT_TRUE(balanced(bib)) << bib;
    EXPECT_NE(bib.find("title = {R\\&D \\{AI\\} 100\\% \\#1 \\$5 a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{}end}"), std::string::npos) << bib;
    EXPECT_NE(bib.find("author = {{Ministry of Science \\& Technology}}"), std::string::npos) << bib;
    EXPECT_NE(bib.find("url = {https://example.org/a%20b/%7Bx%7D}"), std::string::npos) << bib;
    EXPECT_NE(bib.find("pages = {4--6}"), std::string::npos) << bib;
    EXPECT_NE(bib.find("English title: Line one line two"), std::string::npos) << bib;
    const std::string ris = cite(doc, CitationFormat::kRis, 0);
    EXPECT_NE(ris.find("TT  - Line one line two\r\n"), std::string::npos) << ris;
    EXPECT_NE(ris.find("SP  - 4\r\nEP  - 6\r\n"), std::string::npos) << ris;
    EXPECT_THROW((void)cite(doc, CitationFormat::kRis, 7), NotFound);
}

// ---- Reproducibility (item 13)

TEST_F(ResearchOutput, ExportsRecordTheRequestTheGenerationAndTheTime) {
    const std::regex iso("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    const nlohmann::json s = get_json("/v1/search?q=ethics&country=ES,MX&year=2018..2021");
    EXPECT_TRUE(std::regex_match(s["retrieved_at"].get<std::string>(), iso)) << s["retrieved_at"];
    EXPECT_EQ(s["query"]["q"], "ethics");
    const auto cli = columns(strata("--format csv search ethics --country ES,MX --year 2018..2021", 0, false, false));
    ASSERT_FALSE(cli.at("request").empty());
    const std::string& request = cli.at("request")[0];
    for (const char* part : {"q=ethics", "crosslingual=true", "country=ES,MX", "year=2018..2021", "group=document"})
        EXPECT_NE(request.find(part), std::string::npos) << part << " in " << request;
    EXPECT_EQ(cli.at("generation")[0], s["generation"].dump());
    EXPECT_TRUE(std::regex_match(cli.at("retrieved_at")[0], iso));
    const auto api = columns(get("/v1/compare?q=ethics&themes=ethics,data&format=csv").body);
    EXPECT_NE(api.at("request")[0].find("themes=ethics,data"), std::string::npos) << api.at("request")[0];
    EXPECT_TRUE(std::regex_match(api.at("retrieved_at")[0], iso));
    EXPECT_TRUE(std::regex_match(get_json("/v1/compare?q=ethics")["retrieved_at"].get<std::string>(), iso));
    EXPECT_TRUE(std::regex_match(get_json("/v1/documents/es-2020-enia")["retrieved_at"].get<std::string>(), iso));
}

TEST_F(ResearchOutput, CompareCsvCarriesTheTotalsThatShareIsTakenOf) {
    for (const std::string by : {"country,theme", "country,year", "region,lang"}) {
        const auto csv = columns(get("/v1/compare?q=data&by=" + by + "&format=csv").body);
        ASSERT_FALSE(csv.at("share").empty()) << by;
        for (std::size_t i = 0; i < csv.at("share").size(); ++i) {
            const double of = std::stod(csv.at("share_of")[i]), passages = std::stod(csv.at("passages")[i]);
            EXPECT_NEAR(std::stod(csv.at("share")[i]), of > 0 ? passages / of : 0.0, 0.0001) << by << " row " << i;
            EXPECT_GE(std::stod(csv.at("row_passages")[i]), of) << by;
            EXPECT_GE(std::stod(csv.at("row_documents")[i]), std::stod(csv.at("row_matching_documents")[i])) << by;
            if (by == "country,theme") {
                EXPECT_EQ(csv.at("share_of")[i], csv.at("row_passages")[i]);
            }
        }
    }
}

TEST_F(ResearchOutput, EveryCliCsvStartsWithTheApisByteOrderMark) {
    test::TempDir dir;
    test::write_file(dir / "q.txt", "ethics\n");
    for (const std::string& args : std::vector<std::string>{"search ethics", "compare ethics --themes ethics", "batch " + (dir / "q.txt").string(),
                                   "doc es-2020-enia", "themes", "countries", "stats"})
        EXPECT_EQ(strata("--format csv " + args, 0, false, false).substr(0, 3), kBom) << args;
    // The compare CSV is the API's, byte for byte but for the time of the answer.
    auto without_time = [](const std::string& csv) { return std::regex_replace(csv, std::regex("\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z"), "T"); };
    EXPECT_EQ(without_time(strata("--format csv compare ethics --themes ethics,data", 0, false, false)),
              without_time(get("/v1/compare?q=ethics&themes=ethics,data&crosslingual=true&by=country,theme&format=csv").body));
}

TEST_F(ResearchOutput, PassagesAndSnippetsCarryNoMarkdownEmphasis) {
    // Two digests write *big data* and (*sandboxes*); no passage of any document keeps the markers.
    const std::regex emphasis("(^|[\\s(])[*_][^\\s*_][^*_]*[*_]([\\s).,;:]|$)|\\*\\*|__");
    for (const std::string id : {"es-2020-enia", "co-2019-conpes-3975"}) {
        const nlohmann::json doc = get_json("/v1/documents/" + id);
        for (const auto& p : doc["passages"]) {
            const std::string text = p["text"];
            EXPECT_FALSE(std::regex_search(text, emphasis)) << id << " passage " << p["n"] << ": " << text;
        }
    }
    const nlohmann::json s = get_json("/v1/search?q=%22big+data%22&group=passage&facets=none&crosslingual=false");
    ASSERT_FALSE(s["hits"].empty());
    for (const auto& h : s["hits"]) EXPECT_EQ(h["passages"][0]["snippet"].get<std::string>().find('*'), std::string::npos) << h;
}

// ---- Batch output (item 14)

TEST_F(ResearchOutput, BatchCsvGivesEveryQueryARowWithItsTotalAndWarnings) {
    test::TempDir dir;
    test::write_file(dir / "q.yaml",
                     "- {id: found, q: ethics, per_page: 2}\n- {id: nothing, q: zzqxjvnothing}\n"
                     "- {id: warned, q: '\"unclosed ethics'}\n- {id: broken, q: ethics, year: twenty}\n");
    const std::string out = strata("--format csv batch " + (dir / "q.yaml").string(), 1, false, false);
    const auto csv = columns(out);
    std::vector<std::string> ids = csv.at("query_id");
    ASSERT_EQ(std::count(ids.begin(), ids.end(), "found"), 2) << out;
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    ASSERT_EQ(ids, (std::vector<std::string>{"found", "nothing", "warned", "broken"})) << out;
    const auto row = [&](const std::string& id) { return std::find(csv.at("query_id").begin(), csv.at("query_id").end(), id) - csv.at("query_id").begin(); };
    EXPECT_EQ(csv.at("total")[row("nothing")], "0");
    EXPECT_EQ(csv.at("query")[row("nothing")], "zzqxjvnothing");
    EXPECT_EQ(csv.at("doc_id")[row("nothing")], "");
    EXPECT_NE(csv.at("generation")[row("nothing")], "");
    EXPECT_NE(csv.at("total")[row("found")], "");
    EXPECT_NE(csv.at("warnings")[row("warned")], "") << "the warning of an unclosed quote";
    EXPECT_EQ(csv.at("total")[row("broken")], "");
    EXPECT_NE(csv.at("error").back().find("year"), std::string::npos);
}

TEST_F(ResearchOutput, BatchJsonLinesKeepJsonTypes) {
    test::TempDir dir;
    test::write_file(dir / "q.txt", "ethics\nzzqxjvnothing\n");
    const std::vector<nlohmann::json> lines = json_lines(strata("--format jsonl batch " + (dir / "q.txt").string()));
    ASSERT_EQ(lines.size(), 11u);
    for (std::size_t i = 0; i < 10; ++i) {
        const nlohmann::json& l = lines[i];
        EXPECT_TRUE(l["year"].is_number_integer() && l["rank"].is_number_integer() && l["score"].is_number() &&
                    l["passage"].is_number_integer() && l["total"].is_number_integer() && l["generation"].is_number_integer())
            << l;
        EXPECT_TRUE(l["page"].is_null()) << l;
        EXPECT_TRUE(l["warnings"].is_array()) << l;
    }
    EXPECT_EQ(lines.back()["total"], 0);
    EXPECT_TRUE(lines.back()["rank"].is_null());
    for (const auto& l : json_lines(strata("--format jsonl search ethics"))) EXPECT_TRUE(l["year"].is_number_integer()) << l;
}

// ---- The CLI (item 18)

TEST_F(ResearchOutput, AQueryStartingWithADashIsAQuery) {
    for (const std::string q : {"-ethics data", "-ethics"}) {
        const nlohmann::json api = get_json("/v1/search?facets=none&country=ES&q=" + test::url_encode(q));
        const int rc = api["total"] > 0 ? 0 : 1;
        const nlohmann::json cli = nlohmann::json::parse(strata("--format json search '" + q + "' --country ES", rc, false, false));
        EXPECT_EQ(cli["query"]["q"], q);
        EXPECT_EQ(cli["total"], api["total"]) << q;
        EXPECT_EQ(cli["query"]["filters"]["country"], nlohmann::json::array({"ES"}));
    }
    // After the end-of-options marker, as scripts write it (scripts/bench-relevance does).
    for (const std::string q : {"-ethics", "ethics data"}) {
        const nlohmann::json api = get_json("/v1/search?facets=none&country=ES&q=" + test::url_encode(q));
        const int rc = api["total"] > 0 ? 0 : 1;
        const nlohmann::json cli = nlohmann::json::parse(strata("--format json search --country ES -- '" + q + "'", rc, false, false));
        EXPECT_EQ(cli["query"]["q"], q);
        EXPECT_EQ(cli["total"], api["total"]) << q;
    }
    strata("search ethics --no-such-option", 2);
    strata("search ethics -x", 2);
    strata("search ethics -- extra", 2);
    const nlohmann::json c = nlohmann::json::parse(strata("--format json compare -ethics --themes data --no-best", 0, false, false));
    EXPECT_EQ(c["query"]["q"], "-ethics");
}

TEST_F(ResearchOutput, TablesSayOneDocumentAndShowStatsAsATable) {
    std::string single;
    const nlohmann::json countries = get_json("/v1/countries");
    for (const auto& c : countries["countries"])
        if (c["documents"] == 1 && single.empty()) single = c["code"];
    ASSERT_FALSE(single.empty());
    const std::string out = strata("search '' --country " + single);
    EXPECT_EQ(out.rfind("1 document, ", 0), 0u) << out;
    const std::string stats = strata("stats");
    EXPECT_NE(stats[0], '{') << stats;
    EXPECT_TRUE(std::regex_search(stats, std::regex("\ndocuments +59\n"))) << stats;
    EXPECT_TRUE(std::regex_search(stats, std::regex("\npassages_by_language\\.es +[0-9]+\n"))) << stats;
}

TEST_F(ResearchOutput, CompareTablesKeepLabelsWholeAndRowsInTheOrderAsked) {
    const std::string table = strata("compare --countries MX,CL,ES --themes ethics,industry --no-best");
    EXPECT_NE(table.find("Ethics and trust"), std::string::npos) << table;
    EXPECT_NE(table.find("Industry, SMEs and adoption"), std::string::npos) << table;
    const auto mx = table.find("\nMexico"), cl = table.find("\nChile"), es = table.find("\nSpain");
    EXPECT_TRUE(mx < cl && cl < es && es != std::string::npos) << table;
    const nlohmann::json j = get_json("/v1/compare?countries=MX,CL,ES&best=false");
    ASSERT_EQ(j["rows"].size(), 3u);
    EXPECT_EQ(j["rows"][0]["value"], "MX");
    EXPECT_EQ(j["rows"][2]["value"], "ES");
    EXPECT_NE(strata("compare --by region,theme --no-best").find("Americas"), std::string::npos);
}

TEST_F(ResearchOutput, SelectingRowsOrColumnsOfAnotherKindIsRefused) {
    const nlohmann::json e = get_json("/v1/compare?by=region,theme&countries=MX", 400);
    EXPECT_EQ(e["error"]["code"], "invalid_parameter");
    EXPECT_NE(e["error"]["message"].get<std::string>().find("'countries'"), std::string::npos) << e;
    EXPECT_NE(strata("compare --by region,theme --countries MX,CL", 2).find("regions"), std::string::npos);
    get("/v1/compare?by=country,year&themes=ethics", 400);
    get("/v1/compare?by=region,theme&regions=europe&country=ES", 200);  // a filter narrows any comparison
}

TEST_F(ResearchOutput, ASearchWithNoHitsExitsOneAsTheReadmeSays) {
    strata("search zzqxjvnothing", 1);
    strata("--format csv search zzqxjvnothing", 1);
    strata("search ethics", 0);
    const std::string readme = test::read_file(std::filesystem::path(STRATA_SOURCE_DIR) / "README.md");
    EXPECT_NE(readme.find("1 when a search finds nothing"), std::string::npos);
}

}  // namespace
}  // namespace strata
