// Snippets of stored passages share one MarkRules per request, and what a word's look-up
// found is remembered under the rules (stored_marks.cpp): what is remembered of a word in
// one language must never decide the word in another.
#include "index/token_offsets.h"
#include "search/snippet.h"
#include "strata/schema.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

struct Stored {
    std::string text, lang;
    Xapian::Document doc;
};

Stored stored(const Analyzer& analyzer, std::string text, std::string lang) {
    Stored s{std::move(text), std::move(lang), {}};
    s.doc.add_value(schema::kSlotOffsets, encode_offsets(analyzer.tokenize(s.text, s.lang), s.text));
    return s;
}

std::string spans(const std::vector<SnippetMark>& marks) {
    std::string out;
    for (const SnippetMark& m : marks) out += std::to_string(m.start) + "-" + std::to_string(m.end) + "/" + std::to_string(m.weight) + " ";
    return out;
}

TEST(Snippet, AWordSeenInOneLanguageIsJudgedAgainInAnother) {
    const Analyzer analyzer;
    Highlight h;
    h.terms = {"Zen:ethic"};  // English stems only: "ethics" is marked in English, not in German
    h.typed = h.terms;
    const MarkRules rules(h);
    const Stored german = stored(analyzer, "Die ethics der Daten", "de");
    const Stored english = stored(analyzer, "The ethics of data", "en");
    for (const Stored* s : {&german, &english, &german}) {
        const auto got = marks_from_index(analyzer, StoredPassage{s->doc, s->text, s->lang}, rules);
        ASSERT_TRUE(got.has_value()) << s->lang;
        EXPECT_EQ(spans(*got), spans(find_marks(analyzer, s->text, s->lang, h))) << s->lang;
    }
    EXPECT_EQ(spans(find_marks(analyzer, english.text, english.lang, h)), "4-10/2 ");
}

}  // namespace
}  // namespace strata
