/** @file mark_rules.h
 *  @brief Internal: what a snippet marks in one analysed word, shared by the two ways of
 *         finding marks (re-analysing the text, or reading the index: snippet.h).
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/query.h"

#include <cstdint>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace strata {

/// A stretch of text a query matched, and how strongly: a phrase weighs its number of
/// words, a word as typed 2, a translation of it 1.
struct SnippetMark {
    std::uint32_t start = 0, end = 0;  ///< byte range
    int weight = 1;
};

/// A query's Highlight made ready for many lookups: made once per request, used for every
/// passage of its page.
class MarkRules {
public:
    explicit MarkRules(const Highlight& highlight);

    /// The stem terms of one language: "Z<lang>:" and whether the highlight has any (only
    /// then are stems worth computing).
    struct Stems {
        std::string prefix;
        bool wanted = false;
        mutable std::string term;  // prefix + a stem, reused
    };
    [[nodiscard]] Stems stems(std::string_view lang) const;

    [[nodiscard]] const Highlight& highlight() const { return h_; }
    [[nodiscard]] bool empty() const { return empty_; }
    [[nodiscard]] bool has(std::string_view term) const { return terms_.count(term) > 0; }
    /// A word as typed weighs more than a translation of it.
    [[nodiscard]] int weight(std::string_view term) const { return typed_.count(term) ? 2 : 1; }
    [[nodiscard]] bool has_wildcards() const { return !prefixes_.empty(); }
    /// Whether @p word begins with a wildcard's prefix.
    [[nodiscard]] bool prefix_match(std::string_view word) const;
    /// Whether a word with form @p form may be marked, leaving stems aside: the form is a
    /// highlight term or a form of a phrase word, or begins like a wildcard.
    [[nodiscard]] bool may_mark(std::string_view form) const {
        return markable_.count(form) > 0 || (has_wildcards() && prefix_match(form));
    }
    /// Whether the stem term of @p stem (in @p s's language) is a highlight term.
    [[nodiscard]] bool has_stem(const Stems& s, std::string_view stem) const;

    /// The marks of word @p t (a token that is no CJK run; its stem filled when
    /// s.wanted): its first form that is a highlight term, and a wildcard match.
    void mark_word(const Token& t, const Stems& s, std::vector<SnippetMark>& out) const;
    /// A number no other MarkRules of this process has: what was found of a word under one
    /// set of rules is remembered under it (stored_marks.cpp).
    [[nodiscard]] std::uint64_t id() const { return id_; }

    /// The phrases that start at word @p i of @p words, consecutive words (no CJK run).
    void mark_phrases(const std::vector<const Token*>& words, std::size_t i, std::vector<SnippetMark>& out) const;

private:
    const Highlight& h_;
    bool empty_ = true;
    std::unordered_set<std::string_view> terms_, typed_, markable_;  // markable_: terms_ and the forms of phrase words
    std::vector<std::string_view> prefixes_;
    std::unordered_multimap<std::string_view, std::size_t> by_first_;  // phrases by the forms of their first word

    std::uint64_t id_;
};

/// Sorts marks by start, then end, then weight (a total order, so both ways of finding
/// marks give the same sequence).
void sort_marks(std::vector<SnippetMark>& marks);

}  // namespace strata
