/** @file query.h
 *  @brief The query language: parsing `q` into a Xapian query with the indexer's analyzer.
 *
 *  Syntax: words, "phrases", AND / OR / NOT (upper case), -word, +word, (grouping),
 *  word* (bounded prefix expansion), and field filters country:MX, region:europe,
 *  income:high, bloc:eu, theme:ethics, lang:es (lang:pt also pt-BR), type:strategy,
 *  year:2018..2021 (also 2019.. and ..2020).
 *  Documents match as wholes (see Clause and doc_match.h). Stop words of the query's
 *  language are dropped outside phrases. A query that does not parse is searched as plain words, and a
 *  warning says so. Warnings also name an unknown field (foo:bar), a dropped leading
 *  wildcard (*ethics) and an operator with nothing on one side (a trailing AND, ignored).
 */
#pragma once

#include "strata/analyzer.h"
#include "strata/lexicon.h"

#include <xapian.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace strata {

/// Filter values by field ("country", "region", "income", "bloc", "theme", "lang", "type");
/// values in one field are ORed, fields are ANDed. Years are a range. A field filtered twice
/// over (in q, or in q and a parameter) gets a second group of values in `also`, ANDed with
/// the first: only the values of one parameter or one field filter, comma-separated, are ORed.
struct Filters {
    std::map<std::string, std::vector<std::string>> values;
    /// Further groups that must hold as well: (field, values ORed).
    std::vector<std::pair<std::string, std::vector<std::string>>> also;
    std::optional<int> year_from, year_to;

    [[nodiscard]] bool empty() const { return values.empty() && also.empty() && !year_from && !year_to; }
    /// Adds comma-separated values (or a year range) for @p field, ORed with the field's
    /// values; throws InvalidRequest.
    void add(const std::string& field, const std::string& value);
    /// Adds comma-separated values (or a year range) for @p field that must hold together
    /// with the field's values already given (a field filter written in q).
    void require(const std::string& field, const std::string& value);
    /// The boolean query of all filters, leaving out @p except (a facet name) if given.
    [[nodiscard]] Xapian::Query to_query(const std::string& except = "") const;
    /// Requires @p other's filters as well and narrows the year range to both (q's own
    /// field filters joining the request's parameters).
    void intersect(const Filters& other);
    /// Whether a facet has selected values.
    [[nodiscard]] bool selects(const std::string& facet) const;
};

/// A concept expansion made for cross-language search.
struct Expansion {
    std::string matched;   ///< the query text that matched the concept
    std::string concept_id;
    std::string label;
    std::map<std::string, std::vector<std::string>> terms;  ///< language → terms added
};

/// One part of the text of a query, for matching documents as wholes (see doc_match.h).
struct Clause {
    enum class Role { kOptional, kRequired, kExcluded };
    Xapian::Query query;  ///< the passages that carry this part
    Role role = Role::kOptional;
    /// The part as typed, without its translations (empty when it has none): ranking
    /// weighs a match of the typed words and a match through translation each on its own
    /// statistics.
    Xapian::Query direct;
    std::string text;  ///< the part as the query wrote it, for saying how a hit matched
    /// A bare word's exact forms (positional terms, no stems or translations); empty for
    /// other parts. Ranking looks for neighbouring words that follow each other in the text.
    Xapian::Query exact;
};

/// What a snippet marks for a query.
struct Highlight {
    /// Marked wherever a word has one: forms, "Z<lang>:stem" terms, CJK bigrams, "prefix*".
    std::set<std::string> terms;
    /// Multi-word translations and phrases, as the forms of each word in order: marked only
    /// where the words follow each other, never word by word.
    std::vector<std::vector<std::vector<std::string>>> phrases;
    /// The terms of the words as typed, not of their translations: their matches are the
    /// strongest, and a snippet centres on the strongest matches.
    std::set<std::string> typed;
};

/// One positive word or phrase of a query as it stands in a passage's positions: what the
/// corpus analyses (concordance, trends) count as one occurrence.
struct TermPattern {
    /// The items in order: item i stands offsets[i] positions after item 0, and is any of
    /// its terms (a word's forms, one CJK bigram, or a lone character).
    std::vector<std::vector<std::string>> items;
    std::vector<Xapian::termpos> offsets;
    Xapian::termpos span = 1;        ///< positions one occurrence covers
    std::vector<std::string> stems;  ///< Z<lang>:<stem> terms of a single word: its forms with that stem match too
    std::string prefix;              ///< a wildcard's prefix (then items is empty)
    std::string text;                ///< the word, phrase or translation it comes from
    std::string via = "query";       ///< query | concept | translation
};

/// The outcome of parsing.
struct ParsedQuery {
    /// The passages that carry any positive clause and no excluded one; MatchAll when
    /// there is no text.
    Xapian::Query query;
    /// The top level of the text part: bare words (a concept named by several words counts
    /// as one), phrases and groups are optional; +word and the sides of AND are required;
    /// -word and NOT exclude. A query with a top-level OR is one required clause.
    std::vector<Clause> clauses;
    bool has_text = false;            ///< false when q is empty or only filters
    Filters filters;                  ///< field filters found at the top level of q
    std::vector<std::string> warnings;
    std::vector<Expansion> expansions;
    Highlight highlight;              ///< what snippets mark
    std::vector<std::string> words;   ///< positive words, for spelling suggestions
    /// The positive words and phrases (and their expansions), for counting occurrences.
    std::vector<TermPattern> patterns;
    /// Those typed as acronyms ("GDPR", "5G"): never "corrected" by spelling suggestions.
    std::set<std::string> acronyms;
    /// The languages the query is in, as far as its stop words or lang= tell (may be empty).
    std::vector<std::string> languages;
    /// The lowercase words "or", "and", "not" that stand where an operator could (they are
    /// searched as words), and the query with them as operators; empty when there are none.
    std::vector<std::string> operator_words;
    std::string as_operators;
};

/// Limits applied while parsing.
struct QueryLimits {
    std::size_t max_bytes = 4096;       ///< longer q is rejected
    std::size_t max_terms = 200;        ///< words and phrases after parsing
    Xapian::termcount max_wildcard = 100;  ///< terms a wildcard expands to
};

/// What the parser needs besides the text.
struct QueryContext {
    const Analyzer& analyzer;
    const LexiconMatcher* lexicon = nullptr;       ///< for cross-language expansion
    const ReferenceData* ref = nullptr;            ///< concept terms for expansion
    std::vector<std::string> stem_languages;       ///< languages whose stems a word may match
    std::vector<std::string> lang_filter;          ///< lang= narrows stemming to these
    bool crosslingual = true;
    QueryLimits limits;
};

/// Parses @p q. Throws InvalidRequest for a query over the limits; never for syntax.
[[nodiscard]] ParsedQuery parse_query(std::string_view q, const QueryContext& ctx);

/// A query matching every document. Use this, never the shared Xapian::Query::MatchAll:
/// Xapian's reference counts are not atomic, so copying one static Query from several
/// threads at once corrupts it (a crash found by scripts/load-test).
[[nodiscard]] inline Xapian::Query match_all() { return Xapian::Query(std::string()); }

/// A language filter value in the index's form: lower case, '-' for '_', and Chinese by
/// region (zh-CN, zh-SG → zh-hans; zh-TW, zh-HK → zh-hant).
[[nodiscard]] std::string canonical_language(std::string_view tag);
/// Whether the language filter @p selected covers the passage language @p lang: itself,
/// and for a bare language its regional and script variants ("pt" covers "pt-br").
[[nodiscard]] bool language_covers(std::string_view selected, std::string_view lang);

/// Field names accepted in q and as parameters.
[[nodiscard]] const std::set<std::string>& filter_fields();

}  // namespace strata
