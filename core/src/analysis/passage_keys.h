/** @file passage_keys.h
 *  @brief Internal: what the corpus analyses read of a passage besides its text: its facet
 *         key (document, country, region, year, language, type), through the facet column
 *         of the index's revision where there is one, and other value slots.
 */
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

class FacetColumn;
struct DocumentMatch;

/// The facet key fields of a passage (schema::kSlotFacetKey).
struct PassageKey {
    std::string doc, country, region, lang, type;
    int year = 0;
    std::string stem_lang;  ///< Analyzer::stem_language(lang): the language of its counting terms
};
[[nodiscard]] PassageKey parse_passage_key(const std::string& key);

/// The passages @p q matches in @p db, in docid order (unweighted; matching stops after
/// @p max_seconds). With an empty @p q, every passage.
[[nodiscard]] std::vector<Xapian::docid> matching_passages(Xapian::Database& db, const Xapian::Query& q, double max_seconds);

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

/// The facet keys of passages asked for in increasing docid order: from the facet column
/// of the index's revision when there is one (no value is read), otherwise from
/// kSlotFacetKey. Each distinct key is parsed once; the references stay valid while the
/// PassageKeys lives, so passages with one key share one object.
class PassageKeys {
public:
    PassageKeys(Xapian::Database& db, std::shared_ptr<const FacetColumn> column);
    ~PassageKeys();
    [[nodiscard]] const PassageKey& of(Xapian::docid did);

private:
    std::shared_ptr<const FacetColumn> column_;
    ValueReader values_;
    std::vector<std::unique_ptr<PassageKey>> by_row_;
    std::unordered_map<std::string, PassageKey> by_value_;
    PassageKey none_;
};

}  // namespace strata
