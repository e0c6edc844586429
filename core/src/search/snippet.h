/** @file snippet.h
 *  @brief Internal: HTML-escaped snippets with <mark> around the words a query matched.
 */
#pragma once

#include "strata/analyzer.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace strata {

/// Byte ranges of @p text where a highlight term matched (merged, sorted). Terms are the
/// query's forms: plain words, folded forms, "Z<lang>:stem" terms, CJK bigrams, and
/// "prefix*" for wildcards.
[[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> match_ranges(
    const Analyzer& analyzer, const std::string& text, const std::string& lang, const std::set<std::string>& terms);

/// A window of about @p max_bytes of @p text around the densest matches, HTML-escaped,
/// with <mark>…</mark> around matches and "…" where text was cut.
[[nodiscard]] std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                       const std::set<std::string>& terms, std::size_t max_bytes = 320);

/// The whole of @p text, HTML-escaped, with matches marked.
[[nodiscard]] std::string highlight_all(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                        const std::set<std::string>& terms);

}  // namespace strata
