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
 *
 *  Counting without positions: in a passage where no phrase can start, the occurrences
 *  are the text tokens whose word is one of the single words' terms, which the counting
 *  terms (schema::kWordCount, wdf only) give directly. Every such token also posts its
 *  word at its own position, so the wdfs of those terms (U) are at least their counting
 *  terms' sum (X), and U == X proves that no title, heading, folded form, bigram or shared
 *  position holds one: the count is X. The titles stand on every passage of a document,
 *  so their postings (known per document: PassageKey::title_terms) are taken out of U
 *  first. Otherwise (U > X, or a phrase's first word is there) the passage's positions are
 *  read. The count is exact either way (tested
 *  against positions).
 */
#pragma once

#include "analysis/passage_keys.h"
#include "index/token_offsets.h"
#include "strata/analyzer.h"
#include "strata/query.h"

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata {

/// One occurrence: positions [start, end) of the passage text, from pattern @c pattern.
struct Occurrence {
    Xapian::termpos start = 0, end = 0;
    std::uint32_t pattern = 0;
};

[[nodiscard]] inline TextSpan text_span(const TokenOffsets& o) {
    return {o.first, static_cast<std::uint32_t>(o.entries.size())};
}

class OccurrenceCounter {
public:
    /// Reads what it needs of passages besides their postings through @p passages.
    OccurrenceCounter(Xapian::Database& db, const ParsedQuery& pq, const Analyzer& analyzer, Xapian::termcount max_wildcard,
                      PassageKeys& passages);

    /// The number of occurrences in passage @p did, whose key is @p key: from the counting
    /// terms' wdfs where they prove it (file comment), otherwise from its positions.
    /// Fastest when passages are asked for in increasing docid order.
    [[nodiscard]] std::uint32_t count(Xapian::docid did, const PassageKey& key);

    /// The occurrences of passage @p did, from its positions, in text order.
    void occurrences(Xapian::docid did, const PassageKey& key, TextSpan text, std::vector<Occurrence>& out);

    /// The query text and kind (query, concept, translation) of pattern @p i.
    [[nodiscard]] const TermPattern& pattern(std::uint32_t i) const { return pq_.patterns[i]; }
    /// The terms each pattern was resolved to (for the answer: what was counted).
    [[nodiscard]] std::vector<std::string> terms_of(std::uint32_t i) const;

private:
    struct Term {
        std::string name;
        Xapian::PostingIterator it, end;
        Xapian::docid asked = 0;              ///< the last passage asked for
        Xapian::docid at = 0;                 ///< the passage positions were read for
        std::vector<Xapian::termpos> positions;
    };
    struct Resolved {
        std::vector<std::vector<std::size_t>> items;  ///< term indices per item
        std::vector<std::pair<std::string, std::vector<std::size_t>>> stem_forms;  ///< stem language → terms
    };
    /// A pattern term that can start an occurrence, with its counting term in one language.
    struct Counted {
        std::size_t word, count;
    };

    std::size_t term(const std::string& name);
    bool present(std::size_t t, Xapian::docid did);
    Xapian::termcount wdf(std::size_t t, Xapian::docid did) { return present(t, did) ? terms_[t].it.get_wdf() : 0; }
    std::vector<std::size_t> stem_forms(const std::string& stem_term, const std::string& version, std::string& lang);
    const std::vector<Xapian::termpos>& positions(std::size_t t, Xapian::docid did);
    const std::vector<Counted>& counted_terms(const std::string& stem_lang);
    std::vector<Counted> counted_terms_of(const std::string& stem_lang);
    std::uint32_t count_by_positions(Xapian::docid did, const PassageKey& key);
    std::uint64_t title_postings(const std::vector<std::string>& titles, const std::string& stem_lang);

    Xapian::Database& db_;
    const ParsedQuery& pq_;
    const Analyzer& analyzer_;
    std::vector<Term> terms_;
    std::unordered_map<std::string, std::size_t> term_ids_;
    std::vector<Resolved> resolved_;
    std::vector<std::size_t> phrase_starts_;  ///< first-item terms of the phrases: where positions are read
    std::unordered_map<std::string, std::vector<Counted>> counted_;  ///< by stem language
    const std::string* last_lang_ = nullptr;
    const std::vector<Counted>* last_counted_ = nullptr;
    PassageKeys& passages_;
    std::vector<Occurrence> scratch_;
};

}  // namespace strata
