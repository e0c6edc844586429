/** @file occurrences.h
 *  @brief Internal: the one occurrence counter of the corpus analyses. Concordance lines
 *         and trend points both come from it, so their counts agree.
 *
 *  A query's positive words and phrases (ParsedQuery::patterns) are resolved once against
 *  the index into positional terms: a word's forms, the indexed words that share its stem
 *  (found among the words that begin like the stem, and counted only in passages of the
 *  stem's language), a wildcard's most frequent completions (as search expands it). Then,
 *  passage by passage in docid order, an occurrence is a position of the passage text
 *  where a pattern's first item stands and every later item stands at its offset.
 *  Occurrences that start at one position count once (the longest is kept). Positions of
 *  the titles and the heading are not counted: the titles stand on every passage.
 */
#pragma once

#include "index/token_offsets.h"
#include "strata/analyzer.h"
#include "strata/query.h"

#include <xapian.h>

#include <functional>
#include <string>
#include <vector>

namespace strata {

/// One occurrence: positions [start, end) of the passage text, from pattern @c pattern.
struct Occurrence {
    Xapian::termpos start = 0, end = 0;
    std::uint32_t pattern = 0;
};

/// The facet key fields of a passage (schema::kSlotFacetKey).
struct PassageKey {
    std::string doc, country, region, lang, type;
    int year = 0;
};
[[nodiscard]] PassageKey parse_passage_key(const std::string& key);

/// A passage of the match set with its occurrences.
struct PassageHit {
    Xapian::docid did = 0;
    Xapian::Document doc;
    PassageKey key;
    TokenOffsets offsets;
    std::vector<Occurrence> occurrences;
};

/// The passages @p q matches in @p db, in docid order (unweighted; matching stops after
/// @p max_seconds). With an empty @p q, every passage.
[[nodiscard]] std::vector<Xapian::docid> matching_passages(Xapian::Database& db, const Xapian::Query& q, double max_seconds);

/// Reads one value slot of passages asked for in increasing docid order: from the slot's
/// value stream (local databases), or document by document where the backend has none.
class ValueReader {
public:
    ValueReader(Xapian::Database& db, Xapian::valueno slot);
    [[nodiscard]] std::string get(Xapian::docid did);

private:
    Xapian::Database& db_;
    Xapian::valueno slot_;
    bool stream_ = false;
    Xapian::ValueIterator it_;
};

class OccurrenceCounter {
public:
    OccurrenceCounter(Xapian::Database& db, const ParsedQuery& pq, const Analyzer& analyzer, Xapian::termcount max_wildcard);

    /// Calls @p fn for every passage @p passages matches, in docid order, that has an
    /// occurrence. Stops matching after @p max_seconds, as search does.
    void scan(const Xapian::Query& passages, double max_seconds, const std::function<void(PassageHit&)>& fn);

    /// The query text and kind (query, concept, translation) of pattern @p i.
    [[nodiscard]] const TermPattern& pattern(std::uint32_t i) const { return pq_.patterns[i]; }
    /// The terms each pattern was resolved to (for the answer: what was counted).
    [[nodiscard]] std::vector<std::string> terms_of(std::uint32_t i) const;

private:
    struct Term {
        std::string name;
        Xapian::PostingIterator it, end;
        Xapian::docid at = 0;                 ///< the passage positions were read for
        std::vector<Xapian::termpos> positions;
    };
    struct Resolved {
        std::vector<std::vector<std::size_t>> items;  ///< term indices per item
        std::vector<std::pair<std::string, std::vector<std::size_t>>> stem_forms;  ///< stem language → terms
    };

    std::size_t term(const std::string& name);
    bool present(std::size_t t, Xapian::docid did);
    bool any_present(Xapian::docid did);
    std::vector<std::size_t> stem_forms(const std::string& stem_term, std::string& lang);
    const std::vector<Xapian::termpos>& positions(std::size_t t, Xapian::docid did);
    void occurrences(Xapian::docid did, const PassageKey& key, const TokenOffsets& offsets, std::vector<Occurrence>& out);

    Xapian::Database& db_;
    const ParsedQuery& pq_;
    const Analyzer& analyzer_;
    std::vector<Term> terms_;
    std::vector<Resolved> resolved_;
};

}  // namespace strata
