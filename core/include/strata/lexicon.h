/** @file lexicon.h
 *  @brief Matching theme lexicons and thesaurus concepts against analysed text.
 *
 *  Entries are analysed with the same Analyzer as passages and compared on a match key:
 *  the accent-folded stem of a word (Korean: particle-stripped form). Han, Kana and Thai
 *  entries are matched as substrings of the passage's unspaced runs, so ICU's segmentation
 *  of an entry and of a passage need not agree.
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/reference.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

/// Counts of lexicon hits in one text, by theme id and by concept id.
struct LexiconHits {
    std::map<std::string, int> themes;
    std::map<std::string, int> concepts;
};

/// Compiled theme lexicons and concept terms. Immutable after construction; thread-safe.
class LexiconMatcher {
public:
    LexiconMatcher(const Analyzer& analyzer, const ReferenceData& ref);

    /// Hits in @p tokens (made by Analyzer::tokenize + stem_tokens with @p lang).
    [[nodiscard]] LexiconHits match(const std::vector<Token>& tokens, std::string_view lang) const;

    /// Concepts that one of whose terms, in any language, equals the query text @p tokens
    /// (compared folded, and stemmed in each language of the term).
    [[nodiscard]] std::vector<std::size_t> concepts_for_query(const std::vector<Token>& tokens) const;

    /// Languages that have a theme lexicon.
    [[nodiscard]] std::vector<std::string> theme_languages() const;

private:
    struct Entry {
        bool theme = true;
        std::size_t index = 0;  // into the theme or concept list
        std::vector<std::string> keys;
        std::string unspaced;
    };
    struct Table {
        std::unordered_map<std::string, std::vector<std::size_t>> by_first;  // key → entries
        std::vector<std::size_t> unspaced;
    };

    void add(const std::string& lang, const std::string& term, bool theme, std::size_t index);
    const Table* table_for(std::string_view lang) const;

    const Analyzer& analyzer_;
    const ReferenceData& ref_;
    std::vector<Entry> entries_;
    std::unordered_map<std::string, Table> tables_;                            // lower-case lang → table
    std::unordered_map<std::string, std::vector<std::size_t>> concept_keys_;  // query key → concepts
    std::vector<std::string> concept_stem_langs_;  // stem languages of the concepts' terms that have a stemmer
};

/// The key a token is matched on (see file comment).
[[nodiscard]] std::string match_key(const Token& t);

}  // namespace strata
