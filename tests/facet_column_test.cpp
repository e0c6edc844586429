// FacetColumn: the row of every passage, read from kSlotFacetKey, against the table built
// the plain way (every distinct key, sorted as strings, appended in order).
#include "search/facet_table.h"
#include "strata/index_handle.h"
#include "strata/reference.h"
#include "strata/schema.h"
#include "support.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace strata {
namespace {

// Keys built with '\x1f' between the seven fields.
std::string key(const std::vector<std::string>& fields) {
    std::string k;
    for (std::size_t i = 0; i < fields.size(); ++i) k += (i ? "\x1f" : "") + fields[i];
    return k;
}

Xapian::WritableDatabase database_of(const std::vector<std::string>& keys) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (const std::string& k : keys) {
        Xapian::Document d;
        d.add_value(schema::kSlotFacetKey, k);
        db.add_document(d);
    }
    db.commit();
    return db;
}

TEST(FacetColumn, RowsFollowTheKeysStringOrderWhateverTheirBytes) {
    // A document id that begins another, a byte below the separator ('\t') in a field and at
    // the end of the last one, a missing value, a malformed key, and a document whose
    // passages are apart: the whole keys' string order decides each time.
    const std::vector<std::string> keys = {
        key({"ab-c", "ES", "southern-europe", "2020", "es", "strategy", "ethics,data"}),
        key({"ab", "ES", "x", "2020", "es", "strategy", "ethics"}),
        key({"ab", "ES", "x\t", "2020", "es", "strategy", ""}),
        key({"ab", "ES", "x", "2020", "es", "strategy", "ethics,data"}),
        "ab\x1fmalformed",
        key({"ab-c", "ES", "", "2020", "es", "strategy", "ethics"}),
        key({"ab", "ES", "x", "2020", "es", "strategy", "ethics"}),
        key({"ab", "ES", "x", "2020", "es", "strategy", "ethics\t"}),
    };
    Xapian::WritableDatabase db = database_of(keys);
    const FacetColumn column(db);

    FacetTable plain;
    std::map<std::string, std::uint32_t> row_of_key;
    for (const std::string& k : std::set<std::string>(keys.begin(), keys.end())) row_of_key[k] = plain.append(k);
    ASSERT_EQ(column.table().rows().size(), plain.rows().size());
    ASSERT_EQ(column.table().docs(), plain.docs());
    for (std::uint32_t d = 0; d < plain.docs(); ++d) EXPECT_EQ(column.table().doc(d), plain.doc(d));
    for (Xapian::docid id = 1; id <= keys.size(); ++id) EXPECT_EQ(column.row(id), row_of_key[keys[id - 1]]) << id;
    EXPECT_EQ(column.row(5), FacetTable::kNone);  // the malformed key
    EXPECT_EQ(column.row_passages(), (std::vector<std::uint32_t>{1, 2, 1, 1, 1, 1}));
    EXPECT_EQ(column.passages_of_document(column.table().find_doc("ab")), 5u);
    EXPECT_EQ(column.passages_of_document(column.table().find_doc("ab-c")), 2u);
}

// The column of @p db against the plain table of its sorted distinct keys.
void expect_plain_table(const Xapian::Database& db) {
    const FacetColumn column(db);
    std::map<std::string, std::vector<Xapian::docid>> passages;  // key → docids, in string order
    for (auto it = db.valuestream_begin(schema::kSlotFacetKey); it != db.valuestream_end(schema::kSlotFacetKey); ++it)
        passages[*it].push_back(it.get_docid());
    FacetTable plain;
    std::vector<std::uint32_t> counts;
    for (const auto& [k, ids] : passages) {
        const std::uint32_t row = plain.append(k);
        ASSERT_NE(row, FacetTable::kNone) << k;
        counts.push_back(static_cast<std::uint32_t>(ids.size()));
        for (Xapian::docid id : ids) EXPECT_EQ(column.row(id), row) << k;
    }
    const FacetTable& t = column.table();
    ASSERT_EQ(t.rows().size(), plain.rows().size());
    for (std::size_t r = 0; r < t.rows().size(); ++r) {
        EXPECT_EQ(t.rows()[r].doc, plain.rows()[r].doc);
        EXPECT_EQ(t.rows()[r].value, plain.rows()[r].value);
        EXPECT_EQ(std::vector<std::uint32_t>(t.themes(t.rows()[r]).begin(), t.themes(t.rows()[r]).end()),
                  std::vector<std::uint32_t>(plain.themes(plain.rows()[r]).begin(), plain.themes(plain.rows()[r]).end()));
    }
    for (std::size_t f = 0; f < kFacetFields; ++f) {
        ASSERT_EQ(t.values(FacetField(f)), plain.values(FacetField(f)));
        for (std::uint32_t v = 0; v < plain.values(FacetField(f)); ++v)
            EXPECT_EQ(t.value(FacetField(f), v), plain.value(FacetField(f), v));
    }
    EXPECT_EQ(column.row_passages(), counts);
    EXPECT_GT(counts.size(), 10u);
}

TEST(FacetColumn, IsTheTableOfTheSortedDistinctKeysOnTheBundledIndex) {
    const IndexHandle index({test::shared_index(bundled_corpus_dir()).string()});
    index.with_db([](Xapian::Database& db) {
        expect_plain_table(db);
        return true;
    });
}

}  // namespace
}  // namespace strata
