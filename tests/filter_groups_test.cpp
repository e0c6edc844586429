// Filters a comparative study needs, on the bundled corpus over a real server: languages
// with their regional variants (lang=pt is pt and pt-BR), and country groups (income
// group, EU and OECD membership) as filters, facets and compare rows.
#include "served.h"
#include "strata/corpus.h"
#include "strata/reference.h"
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace strata {
namespace {

using test::http;

class FilterGroups : public test::ServedSuite {
protected:
    static void SetUpTestSuite() {
        serve(bundled_corpus_dir());
        ref_ = new ReferenceData(load_reference(bundled_corpus_dir()));
        for (const DocumentMeta& d : scan_corpus(bundled_corpus_dir()).documents) {
            languages_[d.language].insert(d.id);
            countries_[d.country].insert(d.id);
        }
    }
    static void TearDownTestSuite() {
        ServedSuite::TearDownTestSuite();
        delete ref_;
    }

    static nlohmann::json get(const std::string& path, int expect = 200) {
        const auto r = server_->get(path);
        EXPECT_EQ(r.status, expect) << path << " → " << r.body;
        return nlohmann::json::parse(r.body);
    }
    // The documents of a search, all of them.
    static std::set<std::string> ids(const std::string& query) {
        const auto j = get("/v1/search?per_page=100&facets=none&" + query);
        std::set<std::string> out;
        for (const auto& h : j["hits"]) out.insert(h["id"].get<std::string>());
        EXPECT_EQ(out.size(), j["total"].get<std::size_t>()) << query;
        return out;
    }
    // The bundled documents whose country passes @p keep.
    template <class Keep>
    static std::set<std::string> documents_of_countries(Keep keep) {
        std::set<std::string> out;
        for (const auto& [code, docs] : countries_) {
            const Country* c = ref_->country(code);
            if (c && keep(*c)) out.insert(docs.begin(), docs.end());
        }
        return out;
    }
    static std::set<std::string> in_bloc(const std::string& bloc) {
        return documents_of_countries([&](const Country& c) { return std::count(c.blocs.begin(), c.blocs.end(), bloc) > 0; });
    }

    static ReferenceData* ref_;
    static std::map<std::string, std::set<std::string>> languages_, countries_;
};
ReferenceData* FilterGroups::ref_ = nullptr;
std::map<std::string, std::set<std::string>> FilterGroups::languages_, FilterGroups::countries_;

std::set<std::string> joined(std::set<std::string> a, const std::set<std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

TEST_F(FilterGroups, LanguageFilterIncludesRegionalVariants) {
    const std::set<std::string> pt = joined(languages_.at("pt"), languages_.at("pt-BR"));
    const std::set<std::string> zh = joined(languages_.at("zh-Hans"), languages_.at("zh-Hant"));
    ASSERT_EQ(pt.size(), 2u);
    EXPECT_EQ(ids("lang=pt"), pt);
    EXPECT_EQ(ids("lang=pt-BR"), languages_.at("pt-BR"));
    EXPECT_EQ(ids("lang=zh"), zh);
    EXPECT_EQ(ids("lang=zh-CN"), languages_.at("zh-Hans"));
    EXPECT_EQ(ids("lang=zh-TW"), languages_.at("zh-Hant"));
    EXPECT_EQ(ids("lang=zh_tw"), languages_.at("zh-Hant"));
    // The same inside q, and inside a group of q.
    EXPECT_EQ(ids("q=lang:pt"), pt);
    EXPECT_EQ(ids("q=" + test::url_encode("(lang:zh OR lang:pt) AND lang:zh")), zh);
    // The facet marks the variants a selection covers.
    const auto j = get("/v1/search?lang=pt&facets=lang");
    for (const auto& v : j["facets"]["lang"])
        EXPECT_EQ(v["selected"].get<bool>(), v["value"] == "pt" || v["value"] == "pt-br") << v;
    // A language no passage has is still refused.
    const auto bad = get("/v1/search?lang=zz", 400);
    EXPECT_EQ(bad["error"]["code"], "invalid_filter");
}

TEST_F(FilterGroups, LanguageFilterIncludesRegionalVariantsInCompareAndBatch) {
    const auto c = get("/v1/compare?by=country,lang&langs=zh,pt&best=false");
    std::set<std::string> columns;
    for (const auto& col : c["columns"]) columns.insert(col["value"].get<std::string>());
    EXPECT_EQ(columns, (std::set<std::string>{"zh-hans", "zh-hant", "pt", "pt-br"}));
    const auto filtered = get("/v1/compare?by=country,theme&lang=zh&best=false");
    std::set<std::string> rows;
    for (const auto& r : filtered["rows"]) rows.insert(r["value"].get<std::string>());
    EXPECT_EQ(rows, (std::set<std::string>{"CN", "TW"}));
    get("/v1/compare?by=country,lang&langs=klingon", 400);

    const auto b = http(server_->port(), "POST", "/v1/batch",
                        R"({"queries":[{"id":"pt","lang":"pt","per_page":100},{"id":"zh","q":"lang:zh-CN","per_page":100}]})");
    ASSERT_EQ(b.status, 200) << b.body;
    const auto results = nlohmann::json::parse(b.body)["results"];
    EXPECT_EQ(results[0]["result"]["total"], 2);
    EXPECT_EQ(results[1]["result"]["total"], languages_.at("zh-Hans").size());
}

TEST_F(FilterGroups, BlocsFilterCountryGroupsAcrossRegions) {
    // Cyprus is in UN M49 Western Asia, so region=europe leaves it out; bloc=eu has it.
    const std::set<std::string> eu = in_bloc("eu"), oecd = in_bloc("oecd");
    const std::string cyprus = *countries_.at("CY").begin();
    ASSERT_TRUE(eu.count(cyprus));
    EXPECT_FALSE(ids("region=europe").count(cyprus));
    EXPECT_EQ(ids("bloc=eu"), eu);
    EXPECT_EQ(ids("bloc=oecd"), oecd);
    EXPECT_EQ(ids("bloc=EU,oecd"), joined(eu, oecd));
    EXPECT_EQ(ids("q=bloc:eu"), eu);
    EXPECT_EQ(ids("bloc=eu&country=CY"), countries_.at("CY"));
    // The European Union's own documents are no member state's.
    EXPECT_FALSE(eu.count(*countries_.at("EU").begin()));
}

TEST_F(FilterGroups, IncomeGroupsFilter) {
    for (const std::string income : {"high", "upper-middle", "lower-middle"}) {
        const auto want = documents_of_countries([&](const Country& c) { return c.income == income; });
        ASSERT_FALSE(want.empty()) << income;
        EXPECT_EQ(ids("income=" + income), want) << income;
        EXPECT_EQ(ids("q=income:" + income), want) << income;
    }
    EXPECT_EQ(ids("income=" + test::url_encode("Upper-middle income")), ids("income=upper-middle"));
}

TEST_F(FilterGroups, UnknownGroupValuesAreRefusedWithTheKnownOnes) {
    const auto income = get("/v1/search?income=rich", 400);
    EXPECT_EQ(income["error"]["code"], "invalid_filter");
    EXPECT_NE(income["error"]["message"].get<std::string>().find("upper-middle"), std::string::npos) << income;
    const auto bloc = get("/v1/search?q=ethics&bloc=nato", 400);
    EXPECT_NE(bloc["error"]["message"].get<std::string>().find("oecd"), std::string::npos) << bloc;
    get("/v1/search?q=bloc:g77", 400);
    get("/v1/compare?by=bloc,theme&blocs=asean", 400);
}

TEST_F(FilterGroups, GroupFacetsCountWhatTheirFiltersFind) {
    const auto j = get("/v1/search?q=ethics&facets=income,bloc,country");
    for (const std::string facet : {"income", "bloc"}) {
        ASSERT_FALSE(j["facets"][facet].empty()) << facet;
        for (const auto& v : j["facets"][facet]) {
            const std::string value = v["value"];
            const auto f = get("/v1/search?q=ethics&facets=none&" + facet + "=" + value);
            EXPECT_EQ(v["count"], f["total"]) << facet << "=" << value;
            EXPECT_FALSE(v["label"].get<std::string>().empty());
        }
    }
    // Multi-select: a selected bloc still counts the other blocs.
    const auto sel = get("/v1/search?q=ethics&bloc=eu&facets=bloc");
    ASSERT_EQ(sel["facets"]["bloc"].size(), 2u) << sel["facets"];
    for (const auto& v : sel["facets"]["bloc"]) EXPECT_EQ(v["selected"].get<bool>(), v["value"] == "eu");
    // Passage counts add up as well.
    const auto p = get("/v1/search?group=passage&facets=income&income=low,lower-middle,upper-middle,high");
    std::size_t sum = 0;
    for (const auto& v : p["facets"]["income"]) sum += v["count"].get<std::size_t>();
    EXPECT_EQ(sum, p["total"].get<std::size_t>());
}

TEST_F(FilterGroups, CompareRowsByIncomeAndBloc) {
    const auto income = get("/v1/compare?by=income,theme&best=false");
    ASSERT_GE(income["rows"].size(), 3u);
    for (const auto& r : income["rows"]) {
        const std::string value = r["value"];
        EXPECT_EQ(r["documents"], get("/v1/search?facets=none&income=" + value)["total"]) << value;
        EXPECT_NE(r["label"].get<std::string>().find("income"), std::string::npos);
    }
    const auto bloc = get("/v1/compare?q=ethics&by=bloc,theme&themes=ethics");
    ASSERT_EQ(bloc["rows"].size(), 2u);
    for (const auto& r : bloc["rows"]) {
        const std::string value = r["value"];
        const auto s = get("/v1/search?q=ethics&theme=ethics&group=passage&facets=none&bloc=" + value);
        EXPECT_EQ(r["documents"], in_bloc(value).size()) << value;
        ASSERT_EQ(bloc["cells"].size(), 2u);
        for (const auto& cell : bloc["cells"])
            if (cell["row"] == value) {
                EXPECT_EQ(cell["passages"], s["total"]) << value;
                ASSERT_FALSE(cell["best"].is_null());
                EXPECT_TRUE(in_bloc(value).count(cell["best"]["doc"].get<std::string>())) << cell;
            }
    }
    // Rows asked for are shown alone, though the EU's members are in the OECD too.
    const auto eu = get("/v1/compare?by=bloc,year&blocs=eu&best=false");
    ASSERT_EQ(eu["rows"].size(), 1u);
    EXPECT_EQ(eu["rows"][0]["value"], "eu");
    const auto csv = http(server_->port(), "GET", "/v1/compare?by=income,theme&format=csv&best=false");
    EXPECT_NE(csv.body.find("upper-middle,Upper-middle income"), std::string::npos);
}

TEST_F(FilterGroups, DocumentRouteTakesTheGroupFilters) {
    // The web page's document links carry every filter of the search, income and bloc too.
    const auto hits = get("/v1/search?q=ethics&bloc=eu&facets=none")["hits"];
    ASSERT_FALSE(hits.empty());
    const std::string id = hits[0]["id"];
    const Country* c = ref_->country(hits[0]["country"].get<std::string>());
    ASSERT_NE(c, nullptr);
    const std::string other_income = c->income == "high" ? "low" : "high";
    EXPECT_GT(get("/v1/documents/" + id + "?q=ethics&bloc=eu")["matching_passages"], 0);
    EXPECT_GT(get("/v1/documents/" + id + "?q=ethics&income=" + c->income)["matching_passages"], 0);
    EXPECT_EQ(get("/v1/documents/" + id + "?q=ethics&income=" + other_income)["matching_passages"], 0);
    EXPECT_EQ(get("/v1/documents/" + id + "?q=ethics&bloc=nato", 400)["error"]["code"], "invalid_filter");
}

TEST_F(FilterGroups, CountriesListTheirBlocs) {
    const auto j = get("/v1/countries");
    ASSERT_EQ(j["blocs"].size(), 2u);
    std::size_t eu = 0, oecd = 0;
    for (const auto& c : j["countries"]) {
        for (const auto& b : c["blocs"]) (b == "eu" ? eu : oecd) += 1;
        if (c["code"] == "CY") {
            EXPECT_EQ(c["blocs"], nlohmann::json::array({"eu"}));
        }
    }
    EXPECT_EQ(eu, 27u);  // the 27 member states
    EXPECT_EQ(oecd, 38u);
}

}  // namespace
}  // namespace strata
