/** @file snippet.h
 *  @brief Internal: HTML-escaped snippets with <mark> around the words a query matched.
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/query.h"

#include <string>
#include <utility>
#include <vector>

namespace strata {

/// A stretch of text a query matched, and how strongly: a phrase weighs its number of
/// words, a word as typed 2, a translation of it 1.
struct SnippetMark {
    std::uint32_t start = 0, end = 0;  ///< byte range
    int weight = 1;
};

/// Every match of @p highlight in @p text, by start: its terms (plain words, folded forms,
/// "Z<lang>:stem" terms, CJK bigrams, "prefix*" for wildcards) and its phrases, matched
/// only where their words follow each other. Marks may overlap.
[[nodiscard]] std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                                  const Highlight& highlight);

/// Byte ranges of @p text that find_marks() marks, merged and sorted.
[[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> match_ranges(
    const Analyzer& analyzer, const std::string& text, const std::string& lang, const Highlight& highlight);

/// A window of about @p max_bytes of @p text around the strongest matches (the greatest
/// sum of weights), HTML-escaped, with <mark>…</mark> around matches and "…" where text
/// was cut.
[[nodiscard]] std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                       const Highlight& highlight, std::size_t max_bytes = 320);

/// The whole of @p text, HTML-escaped, with matches marked.
[[nodiscard]] std::string highlight_all(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                        const Highlight& highlight);

}  // namespace strata
