/** @file facet_table.h
 *  @brief Counting facets: passages per facet key, as rows of small integers.
 *
 *  Every passage stores one facet key in schema::kSlotFacetKey:
 *  "doc \x1f country \x1f region \x1f year \x1f lang \x1f type \x1f theme,theme". A
 *  FacetTable holds distinct keys as rows of dictionary ids, in key order, so the rows of
 *  one document are adjacent and counting distinct documents needs no set.
 *
 *  A FacetCounter is the match spy of a search. Over one local database it counts into a
 *  FacetColumn (the row of every passage, loaded once per index revision), so a match costs
 *  an array increment instead of reading and comparing a value string. Over shards and
 *  remote servers it falls back to Xapian's ValueCountMatchSpy, which serialises to
 *  xapian-tcpsrv, and turns its result into the same table. Both give the same counts
 *  (tested).
 */
#pragma once

#include "index/posting_cache.h"

#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata {

/// The fields of a facet key after the document id, in order.
enum FacetField : std::size_t { kCountryField, kRegionField, kYearField, kLangField, kTypeField, kThemeField };
inline constexpr std::size_t kFacetFields = 6;
inline constexpr std::array<std::string_view, kFacetFields> kFacetFieldNames = {"country", "region", "year",
                                                                                 "lang",    "type",   "theme"};
/// The field a facet name counts, if it is one.
[[nodiscard]] std::optional<FacetField> facet_field(std::string_view name);

class FacetTable {
public:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    struct Row {
        std::uint32_t doc = 0;
        std::array<std::uint32_t, kThemeField> value{};  ///< dictionary id per field, kNone if empty
        std::uint32_t themes_begin = 0, themes_end = 0;  ///< range of theme ids in themes()
    };

    /// The seven fields of a key (document id, the FacetField values, the theme list).
    using KeyFields = std::array<std::string_view, kFacetFields + 1>;
    /// The fields of @p key, or nullopt for a malformed key (not seven fields).
    [[nodiscard]] static std::optional<KeyFields> split(std::string_view key);

    /// Appends the row of @p key; keys must come in increasing order. Returns kNone for a
    /// malformed key (not seven fields).
    std::uint32_t append(std::string_view key);

    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
    [[nodiscard]] std::span<const std::uint32_t> themes(const Row& r) const {
        return {theme_pool_.data() + r.themes_begin, r.themes_end - r.themes_begin};
    }
    /// Calls @p fn with the dictionary id of every value @p f has in @p r: the themes of
    /// the row, or its one value of another field (none when empty).
    template <class Fn>
    void for_each_value(const Row& r, FacetField f, Fn&& fn) const {
        if (f == kThemeField) {
            for (std::uint32_t t : themes(r)) fn(t);
        } else if (r.value[f] != kNone) {
            fn(r.value[f]);
        }
    }

    [[nodiscard]] const std::string& doc(std::uint32_t id) const { return docs_[id]; }
    [[nodiscard]] std::size_t docs() const { return docs_.size(); }
    /// The number of document @p id (documents are in key order, so sorted), or kNone.
    [[nodiscard]] std::uint32_t find_doc(std::string_view id) const;
    [[nodiscard]] const std::string& value(FacetField f, std::uint32_t id) const { return dict_[f].values[id]; }
    [[nodiscard]] std::size_t values(FacetField f) const { return dict_[f].values.size(); }
    [[nodiscard]] std::size_t memory_bytes() const;

private:
    struct Dictionary {
        std::vector<std::string> values;
        std::unordered_map<std::string, std::uint32_t> ids;
        std::uint32_t id(std::string_view v);
    };
    std::vector<Row> rows_;
    std::vector<std::uint32_t> theme_pool_;
    std::vector<std::string> docs_;
    std::array<Dictionary, kFacetFields> dict_;
};

/// The row of every passage of one local database.
class FacetColumn {
public:
    /// Reads kSlotFacetKey of every passage (one pass over the value stream).
    explicit FacetColumn(const Xapian::Database& db);

    [[nodiscard]] const FacetTable& table() const { return table_; }
    [[nodiscard]] std::uint32_t row(Xapian::docid id) const {
        return id < row_of_.size() ? row_of_[id] : FacetTable::kNone;
    }
    [[nodiscard]] std::size_t memory_bytes() const { return table_.memory_bytes() + row_of_.capacity() * 4; }
    /// The documents of the index (distinct kDocId terms), counted once per revision.
    [[nodiscard]] std::size_t documents() const { return documents_; }
    /// The passages of every row (all passages of the index, counted once per revision).
    [[nodiscard]] const std::vector<std::uint32_t>& row_passages() const { return row_passages_; }
    /// The passages of the table's document number @p doc (every passage carries its
    /// document's kDocId term and a facet key, so this is that term's frequency).
    [[nodiscard]] std::uint32_t passages_of_document(std::uint32_t doc) const { return doc_passages_[doc]; }

private:
    FacetTable table_;
    std::vector<std::uint32_t> row_of_;  // docid → row
    std::vector<std::uint32_t> row_passages_;
    std::vector<std::uint32_t> doc_passages_;  // by the table's document number
    std::size_t documents_ = 0;
};

/// The match spy of one search: add spy() to the Enquire, run it, then read table() and
/// counts() (matching passages per row).
class FacetCounter {
public:
    /// With a column: counts by docid (one local database only). Without: a
    /// ValueCountMatchSpy, for shards and remote databases.
    explicit FacetCounter(std::shared_ptr<const FacetColumn> column);
    ~FacetCounter();
    FacetCounter(const FacetCounter&) = delete;
    FacetCounter& operator=(const FacetCounter&) = delete;

    [[nodiscard]] Xapian::MatchSpy* spy() const;
    /// Counts every passage @p q matches in @p db, unweighted, stopping after
    /// @p max_seconds: the counting pass of search and compare, and of document matching
    /// where postings alone do not give a clause's passages (clause_count.h).
    void count(Xapian::Database& db, const Xapian::Query& q, double max_seconds);
    /// count(), or, with a column, a count of the passages that count() of the same query
    /// found on this revision of the index (index/posting_cache.h: a match that may have
    /// stopped at the time limit is not kept). The passages counted, or null without a column.
    std::shared_ptr<const TermPassages> count_kept(Xapian::Database& db, const Xapian::Query& q, double max_seconds);
    /// The passages with a row in @p column that @p q matches in @p db, kept as count_kept()
    /// keeps them (with a column only).
    [[nodiscard]] static std::shared_ptr<const TermPassages> passages_kept(Xapian::Database& db,
                                                                           std::shared_ptr<const FacetColumn> column,
                                                                           const Xapian::Query& q, double max_seconds);
    /// Before count(): also keep the docid of every passage counted (with a column only).
    void keep_docids();
    /// The passages count() saw, in increasing docid order (empty without keep_docids()).
    [[nodiscard]] std::vector<Xapian::docid> take_docids();
    /// Counts the passages @p ids without a match (with a column only; false without one).
    bool count_docids(const std::vector<Xapian::docid>& ids);
    /// Counts every passage of the index without a match (with a column only; false without one).
    bool count_all();
    /// Valid after the match has run.
    [[nodiscard]] const FacetTable& table();
    [[nodiscard]] const std::vector<std::uint32_t>& counts();
    /// The rows with a count, in row order (valid after the match has run): a match set is
    /// most often a small part of the table, whose rows number up to the passages.
    [[nodiscard]] std::vector<std::uint32_t> counted_rows();

private:
    class ColumnSpy;
    void finish();
    PostingCache::Match count_for_cache(Xapian::Database& db, const Xapian::Query& q, double max_seconds);

    std::shared_ptr<const FacetColumn> column_;
    std::unique_ptr<ColumnSpy> column_spy_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> value_spy_;
    std::optional<FacetTable> own_table_;
    std::vector<std::uint32_t> own_counts_;
    bool finished_ = false;
};

}  // namespace strata
