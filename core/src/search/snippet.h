/** @file snippet.h
 *  @brief Internal: HTML-escaped snippets with <mark> around the words a query matched.
 *
 *  Marks are found in one of two ways, with the same result (a test holds them equal on
 *  every passage of the bundled corpus): by analysing the text again, or, for a passage
 *  read from the index (StoredPassage), from its stored token offsets
 *  (schema::kSlotOffsets). The second cuts each word from the text at its offsets and looks
 *  it up (a word in ASCII as its lowercase, any other analysed alone; no word breaking),
 *  then analyses in full only the words that may be marked: a page of snippets stems and
 *  analyses a few dozen words instead of thousands.
 */
#pragma once

#include "search/mark_rules.h"
#include "strata/analyzer.h"
#include "strata/query.h"

#include <xapian.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata {

/// A passage as the index holds it: its Xapian document (terms, positions, the token
/// offsets) and its stored text and language; @p offsets, when given, is its kSlotOffsets
/// value already read (read_passages()), not read again from the document.
struct StoredPassage {
    const Xapian::Document& doc;
    const std::string& text;
    const std::string& lang;
    const std::string* offsets = nullptr;
};

/// Every match of @p highlight in @p text, by start: its terms (plain words, folded forms,
/// "Z<lang>:stem" terms, CJK bigrams, "prefix*" for wildcards) and its phrases, matched
/// only where their words follow each other. Marks may overlap.
[[nodiscard]] std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                                  const Highlight& highlight);
[[nodiscard]] std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                                  const MarkRules& rules);

/// find_marks() of a stored passage, from its token offsets (see the file comment); nullopt
/// where the passage has no token offsets, has Han or Kana words of several characters, or
/// a word does not analyse alone as one word.
[[nodiscard]] std::optional<std::vector<SnippetMark>> marks_from_index(const Analyzer& analyzer, const StoredPassage& passage,
                                                                       const MarkRules& rules);

/// marks_from_index(), or where it has none, find_marks() of the passage's text.
[[nodiscard]] std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const StoredPassage& passage,
                                                  const MarkRules& rules);

/// Byte ranges of @p text that find_marks() marks, merged and sorted.
[[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> match_ranges(
    const Analyzer& analyzer, const std::string& text, const std::string& lang, const Highlight& highlight);
[[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> match_ranges(const Analyzer& analyzer,
                                                                                const StoredPassage& passage,
                                                                                const MarkRules& rules);

/// A window of about @p max_bytes of @p text around the strongest matches (the greatest
/// sum of weights), HTML-escaped, with <mark>…</mark> around matches and "…" where text
/// was cut.
[[nodiscard]] std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                       const Highlight& highlight, std::size_t max_bytes = 320);
[[nodiscard]] std::string make_snippet(const Analyzer& analyzer, const StoredPassage& passage, const MarkRules& rules,
                                       std::size_t max_bytes = 320);

/// The whole of @p text, HTML-escaped, with matches marked.
[[nodiscard]] std::string highlight_all(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                        const Highlight& highlight);
[[nodiscard]] std::string highlight_all(const Analyzer& analyzer, const StoredPassage& passage, const MarkRules& rules);

}  // namespace strata
