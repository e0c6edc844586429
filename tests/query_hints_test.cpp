// What a query says besides its hits, on the bundled corpus: warnings when the query is
// read other than it may seem (a lowercase operator word, a trailing AND, a leading
// wildcard, an unknown field), and spelling suggestions that stay in the query's language
// and sense.
#include "strata/reference.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace strata {
namespace {

class QueryHints : public test::BundledSearcherSuite {
protected:
    static nlohmann::json search(const std::string& q, ParamMap more = {}) {
        more["q"] = {q};
        more["facets"] = {"none"};
        more["per_page"] = {"100"};
        return searcher_->search(SearchRequest::from_params(more));
    }
    static std::string warnings(const nlohmann::json& j) { return j["warnings"].dump(); }
};

TEST_F(QueryHints, LowercaseOperatorWordThatChangesTheResultIsWarned) {
    // "or" is read as a word (a stop word): both sides are then needed, and a word the
    // corpus lacks makes it find nothing.
    const auto j = search("ethics or zzyzxq");
    EXPECT_EQ(j["total"], 0);
    ASSERT_EQ(j["warnings"].size(), 1u) << j["warnings"];
    const std::string w = j["warnings"][0];
    EXPECT_NE(w.find("'or'"), std::string::npos) << w;
    EXPECT_NE(w.find(std::to_string(search("ethics OR zzyzxq")["total"].get<int>())), std::string::npos) << w;
    EXPECT_EQ(j["did_you_mean"], nullptr);
    EXPECT_FALSE(search("ethics not privacy")["warnings"].empty());
    // Where the operator would find the same documents, there is nothing to say.
    EXPECT_TRUE(search("research and innovation")["warnings"].empty()) << search("research and innovation")["warnings"];
    EXPECT_TRUE(search("ethics")["warnings"].empty());
}

TEST_F(QueryHints, TrailingOrLeadingOperatorIsIgnoredWithAWarning) {
    // With lang=es "and" is no stop word: it must not become a word the documents need.
    const auto plain = search("ética", {{"lang", {"es"}}});
    ASSERT_GT(plain["total"].get<int>(), 0);
    for (const std::string q : {"ética AND", "AND ética", "ética OR", "(ética AND)"}) {
        const auto j = search(q, {{"lang", {"es"}}});
        EXPECT_EQ(j["total"], plain["total"]) << q;
        EXPECT_NE(warnings(j).find("ignored"), std::string::npos) << q << " " << warnings(j);
        EXPECT_EQ(warnings(j).find("searched for the words instead"), std::string::npos) << q;
    }
}

TEST_F(QueryHints, LeadingWildcardIsNotDroppedSilently) {
    const auto j = search("*ethics");
    EXPECT_EQ(j["total"], search("ethics")["total"]);
    EXPECT_NE(warnings(j).find("leading wildcard"), std::string::npos) << warnings(j);
    EXPECT_NE(warnings(search("ethics *"))
                  .find("'*' was ignored"),
              std::string::npos);
}

TEST_F(QueryHints, NoSpellingSuggestionAfterASyntaxWarning) {
    const auto j = search("\"unclosed phase");
    ASSERT_FALSE(j["warnings"].empty());
    EXPECT_EQ(j["did_you_mean"], nullptr) << j["did_you_mean"];
}

TEST_F(QueryHints, UnknownFieldIsWarned) {
    const auto j = search("foo:bar");
    EXPECT_NE(warnings(j).find("unknown field 'foo:'"), std::string::npos) << warnings(j);
    EXPECT_EQ(j["did_you_mean"], nullptr);
    // Times, URLs and known fields are no unknown field.
    EXPECT_TRUE(search("country:MX ethics")["warnings"].empty());
    EXPECT_EQ(warnings(search("10:30 ethics")).find("unknown field"), std::string::npos);
}

TEST_F(QueryHints, AcronymsAndIndexedWordsAreNeverCorrected) {
    // Under a filter that leaves nothing, a word the index has is not "corrected".
    for (const std::string q : {"GDPR", "nonsense"}) {
        const auto j = search(q, {{"lang", {"es"}}});
        EXPECT_EQ(j["total"], 0) << q;
        EXPECT_EQ(j["did_you_mean"], nullptr) << q << " → " << j["did_you_mean"];
    }
    // An acronym the index lacks is not a misspelt word.
    const auto rgpd = search("RGPD");
    EXPECT_EQ(rgpd["total"], 0);
    EXPECT_EQ(rgpd["did_you_mean"], nullptr) << rgpd["did_you_mean"];
    // A misspelt word still gets its suggestion.
    const auto typo = search("etthics");
    EXPECT_EQ(typo["did_you_mean"], "ethics") << typo["did_you_mean"];
}

TEST_F(QueryHints, SuggestionsStayInTheQueryLanguage) {
    // "the" makes the query English: the Spanish "consejo" is no correction of "conseso".
    const auto j = search("the conseso");
    ASSERT_EQ(j["total"], 0);
    if (!j["did_you_mean"].is_null()) {
        const std::string s = j["did_you_mean"];
        EXPECT_GT(search(s, {{"lang", {"en"}}, {"crosslingual", {"false"}}})["total"].get<int>(), 0) << s;
    }
    // An English word is still suggested for an English query.
    EXPECT_EQ(search("the goverment")["did_you_mean"], "government");
}

}  // namespace
}  // namespace strata
