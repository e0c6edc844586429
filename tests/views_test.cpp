// The views a researcher reads, on the bundled corpus indexed for real: compare rows by
// region and sub-region, field filters joined by AND, and snippets of cross-language hits.
#include "strata/reference.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace strata {
namespace {

class Views : public test::BundledSearcherSuite {
protected:
    static nlohmann::json search(const ParamMap& p) { return searcher_->search(SearchRequest::from_params(p)); }
    static nlohmann::json compare(const ParamMap& p) { return searcher_->compare(CompareRequest::from_params(p)); }
};

// Every region asked for is a row of its own, under its own name, and counts what a search
// filtered by that region counts: a country belongs to its region and to its sub-region.
TEST_F(Views, CompareGivesEachRequestedRegionItsOwnRow) {
    const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> cases = {
        {"southern-europe,western-europe,northern-europe",
         {{"southern-europe", "Southern Europe"}, {"western-europe", "Western Europe"}, {"northern-europe", "Northern Europe"}}},
        {"latin-america-and-the-caribbean,europe", {{"latin-america-and-the-caribbean", "Latin America and the Caribbean"}, {"europe", "Europe"}}},
        {"Latin America and the Caribbean,eastern-asia,asia",
         {{"latin-america-and-the-caribbean", "Latin America and the Caribbean"}, {"eastern-asia", "Eastern Asia"}, {"asia", "Asia"}}},
    };
    for (const auto& [regions, expected] : cases) {
        for (const std::string& q : {std::string(), std::string("ethics")}) {
            const auto m = compare({{"by", {"region,theme"}}, {"regions", {regions}}, {"q", {q}}, {"best", {"false"}}});
            ASSERT_EQ(m["rows"].size(), expected.size()) << regions << " q=" << q << "\n" << m["rows"].dump();
            for (std::size_t i = 0; i < expected.size(); ++i) {
                const auto& row = m["rows"][i];
                EXPECT_EQ(row["value"], expected[i].first) << regions;
                EXPECT_EQ(row["label"], expected[i].second) << regions;
                const auto s = search({{"region", {expected[i].first}}, {"q", {q}}, {"facets", {"none"}}});
                EXPECT_EQ(row["matching_documents"], s["total_documents"]) << expected[i].first << " q=" << q;
                EXPECT_EQ(row["matching_passages"], s["total_passages"]) << expected[i].first << " q=" << q;
                const auto all = search({{"region", {expected[i].first}}, {"facets", {"none"}}});
                EXPECT_EQ(row["documents"], all["total_documents"]) << expected[i].first;
            }
            // A cell counts its own row's passages: the row's ethics cell is the search's.
            for (const auto& cell : m["cells"]) {
                if (cell["column"] != "ethics") continue;
                const auto s = search({{"region", {cell["row"]}}, {"theme", {"ethics"}}, {"q", {q}}, {"facets", {"none"}}});
                EXPECT_EQ(cell["passages"], s["total_passages"]) << cell["row"] << " q=" << q;
            }
        }
    }
    // Europe as a whole keeps all its documents, the EU's among them.
    const auto europe = compare({{"by", {"region,theme"}}, {"regions", {"europe"}}, {"best", {"false"}}});
    EXPECT_EQ(europe["rows"][0]["documents"], search({{"region", {"europe"}}, {"facets", {"none"}}})["total_documents"]);
    // region= names the rows too when regions= is not given.
    const auto filtered = compare({{"by", {"region,theme"}}, {"region", {"western-europe"}}, {"best", {"false"}}});
    ASSERT_EQ(filtered["rows"].size(), 1u);
    EXPECT_EQ(filtered["rows"][0]["label"], "Western Europe");
}

// Passages tagged with the theme, read page by page (group=passage).
std::set<std::string> passages_with(Searcher& s, const std::string& theme, const std::string& also = "") {
    std::set<std::string> out;
    for (int page = 1;; ++page) {
        const auto r = s.search(SearchRequest::from_params(
            {{"theme", {theme}}, {"group", {"passage"}}, {"per_page", {"100"}}, {"page", {std::to_string(page)}}, {"facets", {"none"}}}));
        for (const auto& h : r["hits"]) {
            const auto& p = h["passages"][0];
            if (also.empty() || p["themes"].contains(also)) out.insert(h["id"].get<std::string>() + "#" + p["n"].dump());
        }
        if (r["hits"].size() < 100) return out;
    }
}

// Field filters written apart in q must all hold, with or without AND between them; only
// the comma inside one filter (or one parameter) means OR.
TEST_F(Views, FieldFiltersJoinedByAndIntersect) {
    const std::size_t health = passages_with(*searcher_, "health").size();
    const std::size_t both = passages_with(*searcher_, "health", "defence").size();
    ASSERT_GT(both, 0u);
    ASSERT_LT(both, health);
    for (const std::string& q : {"theme:health AND theme:defence", "theme:health theme:defence", "theme:defence AND theme:health"}) {
        const auto r = search({{"q", {q}}, {"facets", {"none"}}});
        EXPECT_EQ(r["total_passages"].get<std::size_t>(), both) << q;
        EXPECT_EQ(r["warnings"].size(), 0u) << q;
    }
    // A filter in q and a parameter on the same field must both hold too.
    EXPECT_EQ(search({{"q", {"theme:health"}}, {"theme", {"defence"}}, {"facets", {"none"}}})["total_passages"].get<std::size_t>(), both);
    // The comma is OR, in q as in a parameter.
    const auto either = search({{"theme", {"health,defence"}}, {"facets", {"none"}}});
    EXPECT_EQ(search({{"q", {"theme:health,defence"}}, {"facets", {"none"}}})["total_passages"], either["total_passages"]);
    EXPECT_GT(either["total_passages"].get<std::size_t>(), health);
    // Year ranges narrow to both.
    const auto years = search({{"q", {"year:2018..2020 AND year:2020..2022"}}, {"facets", {"none"}}});
    EXPECT_EQ(years["total"], search({{"year", {"2020"}}, {"facets", {"none"}}})["total"]);
    // The response says which groups it required.
    const auto r = search({{"q", {"theme:health AND theme:defence"}}, {"facets", {"none"}}});
    EXPECT_EQ(r["query"]["filters"]["theme"], nlohmann::json::array({"health"}));
    EXPECT_EQ(r["query"]["filters"]["and"][0]["theme"], nlohmann::json::array({"defence"}));
    // Compare counts the same intersection.
    const auto m = compare({{"q", {"theme:health AND theme:defence"}}, {"by", {"region,theme"}}, {"best", {"false"}}});
    std::size_t compared = 0;
    for (const auto& row : m["rows"]) compared += row["matching_passages"].get<std::size_t>();
    EXPECT_EQ(compared, both);
}

// A cross-language snippet marks a translation of several words as one phrase, never its
// words one by one, and centres on the strongest match: no snippet of "ethics" shows a bare
// "AI" (from "AI ethics", the English term of the concept) as a match.
TEST_F(Views, CrossLanguageSnippetsMarkWholePhrasesAndCentreOnTheStrongestMatch) {
    const auto r = search({{"q", {"ethics"}}, {"per_page", {"60"}}, {"facets", {"none"}}});
    ASSERT_GT(r["hits"].size(), 30u);
    const std::regex bare_ai("<mark>(AI|ai|Ai)</mark>");
    bool eu_guidelines = false;
    for (const auto& h : r["hits"]) {
        for (const auto& p : h["passages"]) {
            const std::string snippet = p["snippet"];
            EXPECT_FALSE(std::regex_search(snippet, bare_ai)) << h["id"] << ": " << snippet;
            if (h["id"] == "eu-2019-ethics-guidelines-trustworthy-ai" && p == h["passages"][0]) {
                eu_guidelines = true;
                EXPECT_NE(snippet.find("<mark>ethic"), std::string::npos) << snippet;
            }
        }
    }
    EXPECT_TRUE(eu_guidelines);
    // Where the phrase itself stands, it is marked whole.
    const auto gb = searcher_->document(DocumentRequest::from_params("gb-2021-national-ai-strategy", {{"q", {"ethics"}}}));
    bool whole = false;
    for (const auto& p : gb["passages"])
        if (p.contains("highlight")) whole = whole || p["highlight"].get<std::string>().find("<mark>AI ethics</mark>") != std::string::npos;
    EXPECT_TRUE(whole);
}

}  // namespace
}  // namespace strata
