/** @file rank_weights.h
 *  @brief Internal: the weights of ranking, shared by documents (doc_match.cpp) and by a
 *  document's best passages (passage_rank.cpp). Chosen on the judged set
 *  (scripts/bench-relevance; see the README's relevance table).
 */
#pragma once

namespace strata::ranking {

// BM25 saturation of a repeated match: of passages in a document, of occurrences in a passage.
constexpr double kK1 = 1.2;
// Normalisation by the number of passages a document has (passages are cut to a bounded
// length, so a passage is not normalised by its own).
constexpr double kB = 0.5;
// A match through translation alone weighs this much of the same match of the typed words.
constexpr double kTranslated = 0.7;
// Weight of neighbouring clauses that meet in one passage, and again of neighbouring bare
// words that follow each other there (closer together ranks higher).
constexpr double kNear = 0.5;

/// BM25's saturation of a frequency @p tf, without length normalisation.
inline double saturated(double tf) { return tf * (kK1 + 1) / (tf + kK1); }

}  // namespace strata::ranking
