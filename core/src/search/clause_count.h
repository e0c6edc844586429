/** @file clause_count.h
 *  @brief Internal: the passages per document that carry one clause of a query.
 *
 *  Over one local index with a facet column, the part of a clause that is a disjunction of
 *  terms (OP_OR and OP_SYNONYM of terms, nested) is read from the terms' postings, with no
 *  match: the union of their posting lists, within the passages of the filter (read once
 *  per ClauseCounter). Subqueries that are not terms (phrases, wildcards, AND, NEAR, value
 *  ranges) are matched as before, and their passages join the union, unless they lie within
 *  the terms' postings (a concept's phrases under its tag). A walk stops after max_seconds,
 *  looking at the clock every few thousand postings, as a match would. Passages per document
 *  are then built from the docids through the column, in time proportional to the matching
 *  passages. Without a column (shards, remote servers) every count is one unweighted
 *  match, counted by Xapian's ValueCountMatchSpy. Both give the same counts (tested).
 *  A term's postings and the passages of a pass over the subqueries that are not terms are
 *  kept for the process (index/posting_cache.h), under the index's identity and revision
 *  and the term or the query's description, for the next request that meets them (not a
 *  walk or pass that may have met the time limit).
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata {

class FacetColumn;
class TermPassages;

/// The passages per document that carry one clause. Documents and languages are numbers
/// that the ClauseCounter names (document(), language()): counting and ranking then look
/// up arrays instead of hashing document ids.
struct ClauseCounts {
    std::vector<std::uint32_t> docs;      ///< the documents carrying the clause, each once
    std::vector<std::uint32_t> passages;  ///< by document number: passages carrying the clause
    std::vector<std::uint32_t> lang;      ///< by document number: the language of most of those passages
    std::uint32_t total = 0;              ///< passages carrying the clause
    std::vector<Xapian::docid> ids;  ///< the passages, in docid order (with a column only)

    /// The passages of document @p doc that carry the clause (0: the document lacks it).
    [[nodiscard]] std::uint32_t of(std::uint32_t doc) const { return doc < passages.size() ? passages[doc] : 0; }
};

/// @p q under @p filter (which may be empty).
[[nodiscard]] Xapian::Query filtered(const Xapian::Query& q, const Xapian::Query& filter);

/// Counts the clauses of one request, all under the same filter.
/// The rule that gives a document its language: the language of most of its passages that
/// carry the query, ties going to the smaller code. Whether @p n passages in @p lang beat
/// @p best_n in @p best_lang.
inline bool more_passages(std::uint32_t n, const std::string& lang, std::uint32_t best_n, const std::string& best_lang) {
    return n > best_n || (n == best_n && lang < best_lang);
}

class ClauseCounter {
public:
    /// @p filter may be empty; @p column is null over shards. Each count stops after
    /// @p max_seconds, as a match would.
    ClauseCounter(Xapian::Database& db, Xapian::Query filter, std::shared_ptr<const FacetColumn> column, double max_seconds);

    /// The passages per document that carry @p q.
    [[nodiscard]] ClauseCounts count(const Xapian::Query& q);
    /// The counts of @p q and of @p part (a clause and its typed words, whose terms are
    /// among the clause's), with the terms they share read once.
    [[nodiscard]] std::pair<ClauseCounts, ClauseCounts> count_with_part(const Xapian::Query& q, const Xapian::Query& part);
    /// The passages that carry both @p qa and @p qb, counted as @p a and @p b.
    [[nodiscard]] ClauseCounts both(const Xapian::Query& qa, const ClauseCounts& a, const Xapian::Query& qb,
                                    const ClauseCounts& b);

    /// The number of documents numbered so far: every number in a ClauseCounts is below it.
    [[nodiscard]] std::uint32_t documents() const;
    /// The id of document number @p doc.
    [[nodiscard]] const std::string& document(std::uint32_t doc) const;
    /// The language of language number @p lang ("" for none).
    [[nodiscard]] const std::string& language(std::uint32_t lang) const;

private:
    class Bits;
    struct Split;

    std::shared_ptr<const TermPassages> matched(const Xapian::Query& q);
    std::vector<Xapian::docid> passages(const Split& s, Bits& bits);
    const Bits* filter_bits();
    ClauseCounts from_ids(std::vector<Xapian::docid> ids) const;
    ClauseCounts by_match(const Xapian::Query& q);

    // Numbers of documents and languages without a column (each count has a table of its own).
    struct Names {
        std::vector<std::string> names;
        std::unordered_map<std::string, std::uint32_t> numbers;
        std::uint32_t number(const std::string& name);
    };

    Xapian::Database& db_;
    Names docs_, langs_;
    Xapian::Query filter_;
    std::shared_ptr<const FacetColumn> column_;
    double max_seconds_;
    std::shared_ptr<Bits> filter_bits_;  // the filter's passages, read on first need
};

}  // namespace strata
