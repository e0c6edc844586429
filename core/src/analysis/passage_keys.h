/** @file passage_keys.h
 *  @brief Internal: what the corpus analyses read of a passage besides its text: its facet
 *         key (document, country, region, year, language, type), through the facet column
 *         of the index's revision where there is one, and other value slots.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata {

class Analyzer;
class FacetColumn;
struct DocumentMatch;

/// The facet key fields of a passage (schema::kSlotFacetKey).
struct PassageKey {
    std::string doc, country, region, lang, type;
    int year = 0;
    std::string stem_lang;  ///< Analyzer::stem_language(lang): the language of its counting terms
    /// The terms the document's titles post on each of its passages, one per posting (from
    /// the revision's facts); null when unknown (no facts, or a title the counter cannot
    /// account for, such as Han text with its bigrams).
    const std::vector<std::string>* title_terms = nullptr;
};
[[nodiscard]] PassageKey parse_passage_key(const std::string& key);

/// The passages @p q matches in @p db, in docid order (unweighted; matching stops after
/// @p max_seconds). With an empty @p q, every passage.
[[nodiscard]] std::vector<Xapian::docid> matching_passages(Xapian::Database& db, const Xapian::Query& q, double max_seconds);

/// The positions of a passage's text: [first, first + count). Titles and the heading come
/// before it.
struct TextSpan {
    Xapian::termpos first = 0;
    std::uint32_t count = 0;
    [[nodiscard]] bool covers(Xapian::termpos pos) const { return pos >= first && pos - first < count; }
};
/// The span of a kSlotOffsets value, from its head alone (its first two varints:
/// index/token_offsets.h), without decoding the entries; empty when malformed or absent.
[[nodiscard]] TextSpan text_span(std::string_view offsets_value);

/// Search's one match set as docids in increasing order: search's own when it has them,
/// otherwise by a match of its query (stopping after @p max_seconds).
[[nodiscard]] std::vector<Xapian::docid> match_set_ids(Xapian::Database& db, const DocumentMatch& m, double max_seconds);

/// Reads one value slot of passages: from the slot's value stream (local databases), or
/// document by document where the backend has none. Fastest in increasing docid order.
class ValueReader {
public:
    ValueReader(Xapian::Database& db, Xapian::valueno slot);
    [[nodiscard]] std::string get(Xapian::docid did);

private:
    Xapian::Database& db_;
    Xapian::valueno slot_;
    bool stream_ = false;
    Xapian::ValueIterator it_;
    Xapian::docid last_ = 0;
};

/// What the analyses read of every passage of one index revision, built once from its
/// facet column and the kSlotTokens and kSlotOffsets value streams: each row's key (rows differ by their
/// themes, which a PassageKey leaves out, so one key serves every row of a document and
/// language), each document's title terms, each passage's word tokens and the span of its
/// text positions.
struct RevisionFacts {
    std::vector<std::unique_ptr<PassageKey>> keys;
    std::vector<std::unique_ptr<std::vector<std::string>>> titles;  ///< by the table's document number
    std::vector<const PassageKey*> by_row;
    std::vector<std::uint32_t> tokens;  ///< by docid
    std::vector<TextSpan> text;          ///< by docid
};

/// The facts of @p column's revision: built on first use, then shared by every request
/// and thread until the revision's column goes (Searcher keeps the last two).
[[nodiscard]] std::shared_ptr<const RevisionFacts> revision_facts(Xapian::Database& db,
                                                                  const std::shared_ptr<const FacetColumn>& column,
                                                                  const Analyzer& analyzer);

/// The facet keys, word tokens and text spans of passages, asked for in increasing docid order: from
/// the revision's facts when the index has a facet column (one local database), otherwise
/// from kSlotFacetKey, kSlotTokens and kSlotOffsets. Passages with one key share one PassageKey, whose
/// reference stays valid while the PassageKeys lives.
class PassageKeys {
public:
    PassageKeys(Xapian::Database& db, const std::shared_ptr<const FacetColumn>& column, const Analyzer& analyzer);
    ~PassageKeys();
    [[nodiscard]] const PassageKey& of(Xapian::docid did);
    [[nodiscard]] double tokens(Xapian::docid did);
    [[nodiscard]] TextSpan text(Xapian::docid did);

private:
    std::shared_ptr<const FacetColumn> column_;
    std::shared_ptr<const RevisionFacts> facts_;
    ValueReader values_, tokens_, offsets_;
    std::unordered_map<std::string, PassageKey> by_value_;  // without a column
    PassageKey none_;
};

}  // namespace strata
