/** @file keyness_count.h
 *  @brief Internal: counting the words or concepts of a set of passages from their counting
 *         terms (schema.h: XW, XK), for keyness.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

/// A passage to count: its Xapian id and what its value slots say.
struct PassageRef {
    Xapian::docid did = 0;
    std::string doc;   ///< document id (kSlotDocId)
    std::string lang;  ///< stem language of the passage (Analyzer::stem_language of kSlotLanguage)
    double tokens = 0; ///< kSlotTokens
};

/// The passages matching @p filter (every passage when it is empty), in document order.
[[nodiscard]] std::vector<PassageRef> passages_of(Xapian::Database& db, const Xapian::Query& filter);

/// The passages whose language has one of the stem languages @p langs (none: no restriction).
[[nodiscard]] Xapian::Query language_query(Xapian::Database& db, const std::set<std::string>& langs);

/// What is counted: words (XW<lang>:) or concepts (XK).
struct Counting {
    bool words = true;
};

struct TermCount {
    std::uint64_t n = 0;          ///< occurrences
    std::uint32_t documents = 0;  ///< documents with at least one
};

/// One side of a comparison: its totals, and each word's or concept's count.
///
/// Words are counted as search matches them: by accent-folded form (Analyzer::fold), so
/// "México" and "Mexico" are one word, and a row's count is its query's concordance total.
struct SideCounts {
    double tokens = 0;
    std::size_t passages = 0, documents = 0;
    std::unordered_map<std::string, TermCount> terms;  ///< by folded word, or by concept id
    /// The spellings of a folded word that differ from it, with their counts (words only):
    /// a row shows the spelling the texts use most.
    std::unordered_map<std::string, std::unordered_map<std::string, std::uint64_t>> spellings;
};

/// The spelling of the folded word @p key used most on both sides (ties: the first in
/// code-point order).
[[nodiscard]] std::string most_used_spelling(const std::string& key, const SideCounts& a, const SideCounts& b);

/// Counts @p passages (as passages_of gives them) by reading their termlists.
[[nodiscard]] SideCounts count_passages(Xapian::Database& db, const std::vector<PassageRef>& passages, const Counting& how);

/// The rest of the corpus in the languages @p langs (all when empty): the index's
/// collection frequencies and value streams minus the @p target counted from @p target_passages.
/// Word counts need @p langs.
[[nodiscard]] SideCounts rest_of_corpus(Xapian::Database& db, const std::set<std::string>& langs, const Counting& how,
                                        const SideCounts& target, const std::vector<PassageRef>& target_passages);

}  // namespace strata
