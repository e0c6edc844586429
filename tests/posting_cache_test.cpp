// PostingCache: a term's passages as Xapian's postings hold them, kept per revision of the
// index, within the cache's budget, and not kept when a read passes its time limit.
#include "index/posting_cache.h"
#include "support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace strata {
namespace {

// The docids of @p term, read from Xapian.
std::vector<Xapian::docid> postings(Xapian::Database& db, const std::string& term) {
    std::vector<Xapian::docid> out;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) out.push_back(*it);
    return out;
}

// The docids set in @p words.
std::vector<Xapian::docid> set_bits(const std::vector<std::uint64_t>& words) {
    std::vector<Xapian::docid> out;
    for (std::size_t w = 0; w < words.size(); ++w)
        for (unsigned b = 0; b < 64; ++b)
            if (words[w] >> b & 1) out.push_back(static_cast<Xapian::docid>(w * 64 + b));
    return out;
}

// Adds @p n passages; passage i carries "every", "odd" when i is odd, "rare" every 1000th,
// and "t<i % 50>" (fifty terms of equal size).
void add_passages(Xapian::WritableDatabase& db, int n) {
    for (int i = 0; i < n; ++i) {
        Xapian::Document d;
        d.add_term("every");
        if (i % 2) d.add_term("odd");
        if (i % 1000 == 0) d.add_term("rare");
        std::string t = "t";
        t += std::to_string(i % 50);
        d.add_term(t);
        db.add_document(d);
    }
    db.commit();
}

TEST(PostingCache, TermPassagesHoldTheDocidsInEitherForm) {
    const std::vector<std::vector<Xapian::docid>> cases = {
        {}, {1}, {63, 64, 65}, {5, 129, 100000, 4000000},  // gaps (sparse)
        [] { std::vector<Xapian::docid> v; for (Xapian::docid d = 1; d < 3000; d += 3) v.push_back(d); return v; }(),  // bitmap (dense)
    };
    for (const auto& ids : cases) {
        const Xapian::docid last = ids.empty() ? 10 : ids.back() + 7;
        const TermPassages p(ids, last);
        EXPECT_EQ(p.ids(), ids);
        EXPECT_EQ(p.size(), ids.size());
        std::vector<std::uint64_t> words(last / 64 + 1, 0);
        words[0] |= 1;  // a docid already there stays
        p.add_to(words);
        std::vector<Xapian::docid> expected = ids;
        if (expected.empty() || expected[0] != 0) expected.insert(expected.begin(), 0);
        EXPECT_EQ(set_bits(words), expected);
    }
    // The dense case is a bitmap: no larger than twice its gaps (one byte each) would be.
    std::vector<Xapian::docid> dense;
    for (Xapian::docid d = 1; d < 3000; d += 3) dense.push_back(d);
    EXPECT_LE(TermPassages(dense, 3000).bytes(), 2 * dense.size());
}

TEST(PostingCache, AnswersWhatThePostingsHoldAtEveryRevision) {
    test::TempDir dir;
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    add_passages(db, 5000);
    PostingCache cache(std::size_t{8} << 20);
    for (const std::string term : {"every", "odd", "rare", "t7", "absent"}) {
        const auto p = cache.postings(db, term, std::nullopt);
        ASSERT_TRUE(p);
        EXPECT_EQ(p->ids(), postings(db, term)) << term;
        EXPECT_EQ(cache.postings(db, term, std::nullopt), p) << term << " is kept";
    }
    // An update is a new revision: the term is read again, with the new passages.
    add_passages(db, 1000);
    const auto after = cache.postings(db, "rare", std::nullopt);
    EXPECT_EQ(after->ids(), postings(db, "rare"));
    EXPECT_EQ(after->size(), 6u);
    db.delete_document(1);
    db.commit();
    EXPECT_EQ(cache.postings(db, "rare", std::nullopt)->ids(), postings(db, "rare"));
}

TEST(PostingCache, KeepsAMatchThatRanToTheEndUnderItsDescriptionAndRevision) {
    test::TempDir dir;
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    add_passages(db, 3000);
    PostingCache cache(std::size_t{8} << 20);
    int runs = 0;
    const auto match = [&](bool complete) {
        return [&, complete] {
            ++runs;
            return PostingCache::Match{postings(db, "rare"), complete};
        };
    };
    EXPECT_EQ(cache.matches(db, "Query(rare)", match(false))->ids(), postings(db, "rare"));
    EXPECT_EQ(cache.matches(db, "Query(rare)", match(true))->size(), 3u);
    EXPECT_EQ(runs, 2) << "a match that may have stopped early is not kept";
    EXPECT_EQ(cache.matches(db, "Query(rare)", match(true))->size(), 3u);
    EXPECT_EQ(runs, 2) << "one that ran to the end is";
    // A term and a description that spell the same are apart.
    EXPECT_EQ(cache.postings(db, "Query(rare)", std::nullopt)->size(), 0u);
    add_passages(db, 1000);
    EXPECT_EQ(cache.matches(db, "Query(rare)", match(true))->size(), 4u);
    EXPECT_EQ(runs, 3) << "an update is a new revision";
}

TEST(PostingCache, KeepsWithinItsBudgetAndKeepsTheTermsMetAgain) {
    test::TempDir dir;
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    add_passages(db, 50000);  // each t<i> holds 1,000 passages 50 apart: about 1 KB of gaps
    const std::size_t budget = 20 * 1024;
    PostingCache cache(budget);
    const auto t0 = cache.postings(db, "t0", std::nullopt);
    EXPECT_EQ(cache.postings(db, "t0", std::nullopt), t0);  // met again: protected
    for (int i = 1; i < 50; ++i) {
        std::string t = "t";
        t += std::to_string(i);
        (void)cache.postings(db, t, std::nullopt);
        EXPECT_LE(cache.bytes(), budget);
    }
    EXPECT_EQ(cache.postings(db, "t0", std::nullopt), t0) << "a stream of new terms evicts new terms first";
    EXPECT_LT(cache.entries(), 50u);
    // A term larger than an eighth of the budget is answered and not kept.
    const auto every = cache.postings(db, "every", std::nullopt);
    EXPECT_EQ(every->size(), 50000u);
    EXPECT_NE(cache.postings(db, "every", std::nullopt), every);
}

TEST(PostingCache, AReadPastItsTimeLimitIsNeitherAnsweredNorKept) {
    test::TempDir dir;
    Xapian::WritableDatabase db((dir / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    add_passages(db, 10000);
    PostingCache cache(std::size_t{8} << 20);
    const auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    EXPECT_FALSE(cache.postings(db, "every", past));
    EXPECT_EQ(cache.entries(), 0u);
    EXPECT_EQ(cache.postings(db, "every", std::nullopt)->size(), 10000u);
}

}  // namespace
}  // namespace strata
