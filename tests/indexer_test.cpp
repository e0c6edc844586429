// The indexer: builds, updates incrementally, keeps failed documents, refuses a second
// writer, and survives being killed at any moment.
#include "strata/errors.h"
#include "strata/index_store.h"
#include "strata/indexer.h"
#include "strata/reference.h"
#include "strata/schema.h"
#include "strata/search.h"
#include "support.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <csignal>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace strata {
namespace {

IndexSummary index(const fs::path& corpus, const fs::path& idx, bool rebuild = false, unsigned threads = 2) {
    IndexOptions opt;
    opt.corpus_dir = corpus;
    opt.index_dir = idx;
    opt.rebuild = rebuild;
    opt.threads = threads;
    return run_indexer(opt);
}

std::set<std::string> unique_terms(const fs::path& idx) {
    Xapian::Database db(idx.string());
    std::set<std::string> out;
    for (auto it = db.allterms_begin("Q"); it != db.allterms_end("Q"); ++it) out.insert(*it);
    return out;
}

TEST(Indexer, BuildsTheTestCorpus) {
    test::TempDir dir;
    const IndexSummary s = index(test::test_corpus(), dir / "idx");
    EXPECT_EQ(s.added, 10u);
    EXPECT_EQ(s.failures.size(), 0u);
    EXPECT_TRUE(s.rebuilt);
    const IndexStats st = read_index_stats(dir / "idx");
    EXPECT_EQ(st.documents, 10u);
    EXPECT_GE(st.passages, 10u);
    EXPECT_EQ(st.languages.at("es"), 2u);
}

// Everything about one passage that a search can see: data, terms with positions, values.
std::string describe(const Xapian::Database& db, Xapian::docid id) {
    const Xapian::Document doc = db.get_document(id);
    std::string out = doc.get_data();
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        out += '\n' + *t + ' ' + std::to_string(t.get_wdf());
        for (auto p = db.positionlist_begin(id, *t); p != db.positionlist_end(id, *t); ++p)
            out += ' ' + std::to_string(*p);
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) out += '\n' + std::to_string(v.get_valueno()) + '=' + *v;
    return out;
}

// Every passage (terms, wdfs, positions, values, data), every term's statistics, the
// spelling table and the metadata of two indexes are the same.
void expect_same_index(const fs::path& one, const fs::path& other) {
    const Xapian::Database a(one.string()), b(other.string());
    ASSERT_EQ(a.get_doccount(), b.get_doccount());
    ASSERT_EQ(a.get_lastdocid(), b.get_lastdocid());
    EXPECT_EQ(a.get_total_length(), b.get_total_length());
    for (Xapian::docid id = 1; id <= a.get_lastdocid(); ++id) ASSERT_EQ(describe(a, id), describe(b, id)) << "docid " << id;
    for (auto t = a.allterms_begin(); t != a.allterms_end(); ++t) {
        ASSERT_EQ(t.get_termfreq(), b.get_termfreq(*t)) << *t;
        ASSERT_EQ(a.get_collection_freq(*t), b.get_collection_freq(*t)) << *t;
    }
    auto spellings = [](const Xapian::Database& db) {
        std::vector<std::pair<std::string, Xapian::doccount>> out;
        for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) out.emplace_back(*w, w.get_termfreq());
        return out;
    };
    EXPECT_EQ(spellings(a), spellings(b));
    for (auto k = a.metadata_keys_begin(); k != a.metadata_keys_end(); ++k) {
        if (*k == schema::kMetaBuiltAt) continue;
        EXPECT_EQ(a.get_metadata(*k), b.get_metadata(*k)) << *k;
    }
}

TEST(Indexer, AParallelRebuildEqualsASingleWriterOne) {
    test::TempDir dir;
    const IndexSummary one = index(test::test_corpus(), dir / "one", false, 1);
    const IndexSummary three = index(test::test_corpus(), dir / "three", false, 3);  // sub-indexes, merged
    EXPECT_EQ(one.added, three.added);
    EXPECT_EQ(one.passages, three.passages);
    EXPECT_FALSE(fs::exists(dir / "three" / ".scratch"));
    expect_same_index(dir / "one", dir / "three");
    // The merged generation stays writable: an update on top of it works.
    const IndexSummary again = index(test::test_corpus(), dir / "three", false, 3);
    EXPECT_EQ(again.unchanged, 10u);
}

// The bundled corpus is large enough (600 passages) for each lane to commit along the way.
TEST(Indexer, ALaneThatCommitsAlongTheWayStillEqualsASingleWriter) {
    test::TempDir dir;
    const IndexSummary one = index(bundled_corpus_dir(), dir / "one", false, 1);
    const IndexSummary two = index(bundled_corpus_dir(), dir / "two", false, 2);
    ASSERT_GT(two.passages, 2 * 250u) << "too small to commit inside a lane";
    EXPECT_EQ(one.passages, two.passages);
    expect_same_index(dir / "one", dir / "two");
}

TEST(Indexer, TouchingOneDocumentReindexesOneDocument) {
    test::TempDir dir;
    const fs::path corpus = test::copy_test_corpus(dir.path());
    (void)index(corpus, dir / "idx");
    const IndexSummary again = index(corpus, dir / "idx");
    EXPECT_EQ(again.added + again.changed + again.deleted, 0u);
    EXPECT_EQ(again.unchanged, 10u);
    EXPECT_FALSE(again.rebuilt);

    const fs::path md = corpus / "docs/mx-2018-test-estrategia.md";
    test::write_file(md, test::read_file(md) + "\nUn párrafo nuevo sobre gobernanza algorítmica.\n");
    const IndexSummary one = index(corpus, dir / "idx");
    EXPECT_EQ(one.changed, 1u);
    EXPECT_EQ(one.added + one.deleted, 0u);
    EXPECT_EQ(one.unchanged, 9u);
    EXPECT_EQ(one.generation, again.generation + 1);
    Xapian::Database db((dir / "idx").string());
    EXPECT_GT(db.get_termfreq("algorítmica"), 0u);
}

TEST(Indexer, DeletesDocumentsThatAreGone) {
    test::TempDir dir;
    const fs::path corpus = test::copy_test_corpus(dir.path());
    (void)index(corpus, dir / "idx");
    fs::remove(corpus / "docs/mx-2018-test-estrategia.yaml");
    const IndexSummary s = index(corpus, dir / "idx");
    EXPECT_EQ(s.deleted, 1u);
    Xapian::Database db((dir / "idx").string());
    EXPECT_EQ(db.get_termfreq("XDmx-2018-test-estrategia"), 0u);
}

TEST(Indexer, ABrokenFileKeepsItsLastGoodVersion) {
    test::TempDir dir;
    const fs::path corpus = test::copy_test_corpus(dir.path());
    (void)index(corpus, dir / "idx");
    test::write_file(corpus / "docs/mx-2018-test-estrategia.yaml", "id: [broken\n");
    const IndexSummary s = index(corpus, dir / "idx");
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_NE(s.failures[0].file.find("mx-2018-test-estrategia.yaml"), std::string::npos);
    EXPECT_EQ(s.deleted, 0u);
    Xapian::Database db((dir / "idx").string());
    EXPECT_GT(db.get_termfreq("XDmx-2018-test-estrategia"), 0u);
}

TEST(Indexer, ACorruptPdfFailsAloneAndOthersAreIndexed) {
    test::TempDir dir;
    const fs::path corpus = test::copy_test_corpus(dir.path());
    test::add_document(corpus, "xx-bad-pdf", "%PDF-1.7\ngarbage garbage", {.country = "MX", .title = "Bad", .file = "bad.pdf"});
    const IndexSummary s = index(corpus, dir / "idx");
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_NE(s.failures[0].to_string().find("bad.pdf"), std::string::npos);
    EXPECT_EQ(s.added, 10u);
}

// A corpus of one plain-text document with @p text; the reference data is the bundled one.
fs::path one_text_corpus(const fs::path& dir, const std::string& text) {
    const fs::path corpus = dir / "corpus";
    test::add_document(corpus, "xx-note", text, {.title = "Note", .file = "note.txt"});
    return corpus;
}

// Two words on one line read like a plain-text heading, and a heading alone made no passage.
TEST(Indexer, IndexesAVeryShortDocument) {
    test::TempDir dir;
    const fs::path corpus = one_text_corpus(dir.path(), "Knowledge database");
    const IndexSummary s = index(corpus, dir / "idx");
    ASSERT_EQ(s.failures.size(), 0u) << s.failures.front().to_string();
    EXPECT_EQ(s.added, 1u);
    EXPECT_EQ(s.passages, 1u);
    const Searcher searcher(SearcherOptions{{(dir / "idx").string()}, {}}, load_reference(corpus));
    const nlohmann::json r = searcher.search(SearchRequest::from_params({{"q", {"database"}}}));
    ASSERT_EQ(r["total"], 1) << r.dump();
    EXPECT_EQ(r["hits"][0]["id"], "xx-note");
}

TEST(Indexer, EachPassageStoresItsWordTokenCount) {
    test::TempDir dir;
    const fs::path corpus = one_text_corpus(dir.path(), "Open data, 2030: the state's plan for AI. It funds ten labs.");
    const IndexSummary s = index(corpus, dir / "idx");
    ASSERT_EQ(s.failures.size(), 0u) << s.failures.front().to_string();
    const Xapian::Database db((dir / "idx").string());
    ASSERT_EQ(db.get_doccount(), 1u);
    const Xapian::Document doc = db.get_document(*db.postlist_begin(""));
    // Open data 2030 the state's plan for AI It funds ten labs: 12 tokens, no punctuation.
    EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(schema::kSlotTokens)), 12.0);
}

TEST(Indexer, AnEmptyOrWhitespaceOnlyTextFailsAlone) {
    for (const std::string text : {"", " \n\t\n  \r\n"}) {
        test::TempDir dir;
        const fs::path corpus = one_text_corpus(dir.path(), text);
        const IndexSummary s = index(corpus, dir / "idx");
        ASSERT_EQ(s.failures.size(), 1u) << "text '" << text << "'";
        EXPECT_NE(s.failures[0].to_string().find("no text could be extracted"), std::string::npos);
        EXPECT_EQ(s.added, 0u);
    }
}

TEST(Indexer, ASecondWriterGetsALockedError) {
    test::TempDir dir;
    IndexLock held(dir / "idx");
    try {
        (void)index(test::test_corpus(), dir / "idx");
        FAIL() << "a second writer was let in";
    } catch (const Unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos);
    }
}

TEST(Indexer, RebuildPublishesANewGenerationAtomically) {
    test::TempDir dir;
    (void)index(test::test_corpus(), dir / "idx");
    const auto first = IndexStore(dir / "idx").live();
    const IndexSummary s = index(test::test_corpus(), dir / "idx", true);
    EXPECT_TRUE(s.rebuilt);
    const auto second = IndexStore(dir / "idx").live();
    ASSERT_TRUE(first && second);
    EXPECT_NE(*first, *second);
    EXPECT_TRUE(fs::exists(*first)) << "the previous generation stays for open readers";
    EXPECT_EQ(unique_terms(dir / "idx").size(), Xapian::Database((dir / "idx").string()).get_doccount());
}

// A full disk makes the run fail with a clear message; the last good index keeps serving and
// the next run (with space again) completes. A small tmpfs where the machine allows mounting
// one, else an injected write failure (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail).
TEST(Indexer, ADiskFullRunFailsClearlyAndTheLastIndexKeepsServing) {
    test::TempDir dir;
    const fs::path corpus = test::copy_test_corpus(dir.path());
    const fs::path mnt = dir / "fs";
    fs::create_directories(mnt);
    const bool tmpfs = test::run("mount -t tmpfs -o size=3m tmpfs " + mnt.string() + " 2>/dev/null") == 0;
    const fs::path idx = mnt / "idx";
    (void)index(corpus, idx);
    const std::set<std::string> before = unique_terms(idx);
    // Several megabytes of new text: more than the space (or the file size) allowed.
    std::string big;
    for (int i = 0; i < 60000; ++i) big += "Data governance and open data word" + std::to_string(i) + " for research. ";
    for (int d = 0; d < 4; ++d) {
        const std::string id = "xx-big-" + std::to_string(d);
        test::add_document(corpus, id, "# Big\n\n## Text\n\n" + big + "\n", {.title = "Big"});
    }
    const std::string exe = std::string(STRATA_BINARY_DIR) + "/indexer/strata-index";
    const std::string limit = tmpfs ? "" : "trap '' XFSZ; ulimit -f 2048; ";
    std::string out;
    const int rc = test::run("bash -c \"" + limit + "exec " + exe + " " + corpus.string() + " " + idx.string() +
                             " --rebuild --quiet\" 2>&1", &out);
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("cannot write the index"), std::string::npos) << out;
    EXPECT_TRUE(out.find("No space left") != std::string::npos || out.find("File too large") != std::string::npos) << out;
    EXPECT_EQ(unique_terms(idx), before) << "the last good index keeps serving";
    EXPECT_FALSE(fs::exists(idx / ".scratch")) << "a failed rebuild leaves no sub-indexes behind";
    // With space again (the big documents gone), the next run completes and cleans up.
    for (int d = 0; d < 4; ++d) {
        fs::remove(corpus / "docs" / ("xx-big-" + std::to_string(d) + ".yaml"));
        fs::remove(corpus / "docs" / ("xx-big-" + std::to_string(d) + ".md"));
    }
    const int again = test::run("bash -c \"" + limit + "exec " + exe + " " + corpus.string() + " " + idx.string() +
                                " --rebuild --quiet\" 2>&1", &out);
    EXPECT_EQ(again, 0) << out;
    EXPECT_EQ(unique_terms(idx), before);
    if (tmpfs) test::run("umount " + mnt.string());
}

// Kills strata-index with SIGKILL at random moments; every time, the previous index must
// still open and answer, and the next run must finish with the same result as a clean build.
TEST(Indexer, SurvivesKillNineAtAnyMoment) {
    test::TempDir dir;
    const fs::path corpus = fs::path(STRATA_SOURCE_DIR) / "corpus";
    const fs::path idx = dir / "idx";
    (void)index(corpus, idx);
    const std::set<std::string> clean = unique_terms(idx);
    ASSERT_FALSE(clean.empty());
    const std::string exe = std::string(STRATA_BINARY_DIR) + "/indexer/strata-index";
    std::mt19937 rng(42);
    for (int round = 0; round < 8; ++round) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const char* mode = round % 2 ? "--rebuild" : "--threads=1";
            execl(exe.c_str(), exe.c_str(), corpus.c_str(), idx.c_str(), mode, "-q", static_cast<char*>(nullptr));
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 700)(rng)));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        Xapian::Database db(idx.string());  // must open: the last good index
        EXPECT_EQ(db.get_doccount(), clean.size()) << "round " << round;
        Xapian::Enquire enq(db);
        enq.set_query(Xapian::Query("ai"));
        EXPECT_GT(enq.get_mset(0, 10).size(), 0u) << "round " << round;
    }
    const IndexSummary done = index(corpus, idx);
    EXPECT_EQ(done.failures.size(), 0u);
    EXPECT_EQ(unique_terms(idx), clean);
}

}  // namespace
}  // namespace strata
