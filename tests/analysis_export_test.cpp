// The corpus analyses' exports are as citable and reproducible as search's: concordance,
// trends and keyness answers (JSON, CSV, and the CLI's kwic, trends and keyness in every
// format) record the request to send again, the index generation and the time, and
// compare's measure is in its CSV. On the bundled corpus, through a real daemon and CLI.
#include "batch_input.h"
#include "served.h"
#include "strata/export.h"
#include "strata/reference.h"
#include "support.h"

#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <sstream>

namespace strata {
namespace {

const std::string kBom = "\xEF\xBB\xBF";
const std::regex kIso("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

class AnalysisExport : public test::ServedSuite {
protected:
    static void SetUpTestSuite() { serve(bundled_corpus_dir()); }
    // strata against the daemon, or with @p embedded against the index; stdout only.
    static std::string strata(const std::string& args, bool embedded = false) {
        std::string out;
        const std::string where = embedded ? "--index " + server_->index().string() : "--server " + server_->base_url();
        const int rc = test::run(std::string(STRATA_BINARY_DIR) + "/cli/strata " + where + " " + args + " 2>/dev/null", &out);
        EXPECT_EQ(rc, 0) << args << "\n" << out;
        return out;
    }
    static std::string get(const std::string& path) {
        const test::HttpResult r = server_->get(path);
        EXPECT_EQ(r.status, 200) << path << " → " << r.body.substr(0, 400);
        return r.body;
    }
    static nlohmann::json get_json(const std::string& path) { return nlohmann::json::parse(get(path)); }
};

// A CSV table as column name → values, one per row.
std::map<std::string, std::vector<std::string>> columns(const std::string& csv) {
    const std::vector<std::vector<std::string>> rows = cli::parse_csv(csv);
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

std::string without_time(const std::string& s) { return std::regex_replace(s, std::regex("\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z"), "T"); }

// Every row of @p csv carries the same request, the index generation and an ISO time; the
// request, sent again to @p route, gives the same answer.
void expect_provenance(const std::string& csv, const std::string& route, const nlohmann::json& answer,
                       const std::function<nlohmann::json(const std::string&)>& fetch) {
    ASSERT_EQ(csv.rfind(kBom, 0), 0u) << route;
    const auto cols = columns(csv);
    ASSERT_TRUE(cols.count("request") && cols.count("generation") && cols.count("retrieved_at")) << csv.substr(0, 300);
    ASSERT_FALSE(cols.at("request").empty()) << route;
    for (std::size_t i = 0; i < cols.at("request").size(); ++i) {
        EXPECT_EQ(cols.at("request")[i], cols.at("request")[0]);
        EXPECT_EQ(cols.at("generation")[i], answer["generation"].dump()) << route;
        EXPECT_TRUE(std::regex_match(cols.at("retrieved_at")[i], kIso)) << cols.at("retrieved_at")[i];
    }
    nlohmann::json again = fetch(route + "?" + cols.at("request")[0]);
    nlohmann::json first = answer;
    for (nlohmann::json* j : {&again, &first}) {
        j->erase("took_ms");
        j->erase("retrieved_at");
    }
    EXPECT_EQ(again, first) << route << "?" << cols.at("request")[0];
}

TEST_F(AnalysisExport, ConcordanceTrendsAndKeynessRecordTheirRequestGenerationAndTime) {
    const nlohmann::json search = get_json("/v1/search?q=datos&facets=none");
    const std::string kwic = "/v1/concordance?q=datos&country=ES,MX&context=5&sort=R1&per_page=7&crosslingual=false";
    const std::string trends = "/v1/trends?q=datos&split=country&year=2015..2030";
    const std::string keyness = "/v1/keyness?target=country%3AMX&side=target&per_page=5&min_count=2";
    auto fetch = [](const std::string& path) { return get_json(path); };
    for (const std::string& path : {kwic, trends, keyness}) {
        const nlohmann::json j = get_json(path);
        EXPECT_EQ(j["generation"], search["generation"]) << path;
        EXPECT_TRUE(std::regex_match(j["retrieved_at"].get<std::string>(), kIso)) << path;
        const std::string route = path.substr(0, path.find('?'));
        expect_provenance(get(path + "&format=csv"), route, j, fetch);
    }
    const auto k = columns(get(kwic + "&format=csv"));
    for (const char* part : {"q=datos", "country=ES,MX", "context=5", "sort=R1", "per_page=7", "crosslingual=false"})
        EXPECT_NE(k.at("request")[0].find(part), std::string::npos) << part << " in " << k.at("request")[0];
    EXPECT_NE(columns(get(trends + "&format=csv")).at("request")[0].find("year=2015..2030"), std::string::npos);
    const std::string kr = columns(get(keyness + "&format=csv")).at("request")[0];
    for (const char* part : {"target=country:MX", "side=target", "per_page=5", "min_count=2", "unit=word"})
        EXPECT_NE(kr.find(part), std::string::npos) << part << " in " << kr;
}

TEST_F(AnalysisExport, AConcordanceLineWithoutPagesHasPageNull) {
    // The bundled corpus is markdown: no passage has pages, and none may read as page 0.
    const nlohmann::json j = get_json("/v1/concordance?q=datos&crosslingual=false");
    ASSERT_FALSE(j["lines"].empty());
    for (const auto& line : j["lines"]) EXPECT_TRUE(line["page"].is_null()) << line;
    const auto csv = columns(get("/v1/concordance?q=datos&crosslingual=false&format=csv"));
    ASSERT_EQ(csv.at("page").size(), j["lines"].size());
    for (const std::string& page : csv.at("page")) EXPECT_EQ(page, "");
}

TEST_F(AnalysisExport, CliAnalysesWriteTheApisCsvAndTypedJsonLines) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"kwic datos --no-crosslingual --country ES", "/v1/concordance?q=datos&crosslingual=false&country=ES&format=csv"},
        {"trends datos --split lang", "/v1/trends?q=datos&split=lang&crosslingual=true&format=csv"},
        {"keyness --target country:MX --per-page 5", "/v1/keyness?target=country%3AMX&per_page=5&format=csv"}};
    for (const auto& [args, api] : cases) {
        const std::string csv = strata("--format csv " + args);
        EXPECT_EQ(csv.rfind(kBom, 0), 0u) << args;
        EXPECT_EQ(without_time(csv), without_time(get(api))) << args;
        const auto cols = columns(csv);
        const std::vector<nlohmann::json> lines = json_lines(strata("--format jsonl " + args));
        ASSERT_FALSE(lines.empty()) << args;
        ASSERT_EQ(lines.size(), cols.begin()->second.size()) << args;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const nlohmann::json& rec = lines[i];
            for (const auto& [name, values] : cols) {
                ASSERT_TRUE(rec.contains(name)) << args << ": " << name;
                if (name != "retrieved_at") EXPECT_EQ(csv_text(rec[name]), values[i]) << args << ": " << name;
            }
            EXPECT_TRUE(rec["generation"].is_number_integer()) << rec;
            EXPECT_TRUE(rec["request"].is_string()) << rec;
        }
    }
    // Numbers stay numbers in JSON Lines; a line without pages has page null.
    const nlohmann::json line = json_lines(strata("--format jsonl kwic datos --no-crosslingual", true)).at(0);
    EXPECT_TRUE(line["year"].is_number_integer() && line["passage"].is_number_integer()) << line;
    EXPECT_TRUE(line["page"].is_null()) << line;
    const nlohmann::json point = json_lines(strata("--format jsonl trends datos")).at(0);
    EXPECT_TRUE(point["per_million"].is_number() && point["tokens"].is_number_integer()) << point;
}

TEST_F(AnalysisExport, SearchCsvIsTheClisCsvWithOneRowPerHit) {
    const std::string path = "/v1/search?q=ethics&per_page=5";
    const nlohmann::json j = get_json(path);
    ASSERT_EQ(j["hits"].size(), 5u) << j;
    const std::string body = get(path + "&format=csv");
    EXPECT_EQ(body.rfind(kBom, 0), 0u);
    const auto csv = columns(body);
    ASSERT_EQ(csv.at("doc_id").size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(csv.at("doc_id")[i], j["hits"][i]["id"]) << i;
        EXPECT_EQ(csv.at("rank")[i], std::to_string(i + 1));
        EXPECT_EQ(csv.at("snippet")[i].find("<mark>"), std::string::npos) << csv.at("snippet")[i];
        EXPECT_FALSE(csv.at("snippet")[i].empty()) << i;
    }
    EXPECT_EQ(csv.count("text"), 0u);
    EXPECT_NE(csv.at("request")[0].find("q=ethics"), std::string::npos) << csv.at("request")[0];
    // The CLI writes the same file; with passage_text the passage's text is a column.
    EXPECT_EQ(without_time(strata("--format csv search ethics --per-page 5")), without_time(body));
    EXPECT_FALSE(columns(get(path + "&passage_text=true&format=csv")).at("text")[0].empty());
    const test::HttpResult bad = server_->get(path + "&format=xml");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(nlohmann::json::parse(bad.body)["error"]["code"], "invalid_parameter") << bad.body;
}

TEST_F(AnalysisExport, CompareCsvCarriesTheMeasureAndEachRowsTokens) {
    const std::string path = "/v1/compare?q=datos&countries=ES,MX&themes=data,ethics&measure=per_million&best=false";
    const nlohmann::json j = get_json(path);
    const auto csv = columns(get(path + "&format=csv"));
    ASSERT_EQ(csv.at("measure").size(), j["cells"].size());
    for (std::size_t i = 0; i < j["cells"].size(); ++i) {
        const nlohmann::json& cell = j["cells"][i];
        EXPECT_EQ(csv.at("measure")[i], "per_million");
        EXPECT_EQ(csv.at("value")[i], cell["value"].dump());
        EXPECT_EQ(csv.at("occurrences")[i], cell["occurrences"].dump());
        for (const auto& row : j["rows"])
            if (row["value"] == cell["row"]) EXPECT_EQ(csv.at("row_tokens")[i], row["tokens"].dump());
    }
    EXPECT_NE(csv.at("request")[0].find("measure=per_million"), std::string::npos) << csv.at("request")[0];
    // The CLI's JSON Lines cells say which measure their value is.
    for (const auto& cell : json_lines(strata("--format jsonl compare datos --countries ES --measure documents --no-best")))
        EXPECT_EQ(cell["measure"], "documents") << cell;
}

}  // namespace
}  // namespace strata
