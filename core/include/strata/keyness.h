/** @file keyness.h
 *  @brief Keyness: the words or concepts distinctive of a target subset against a reference
 *         (GET /v1/keyness), scored by Dunning's log-likelihood G² and Hardie's Log Ratio.
 *
 *  Call order: KeynessRequest::from_params() at the edge, then keyness(), then optionally
 *  keyness_csv() on its answer.
 *
 *  What is counted. Words: the tokens of passage texts (headings and titles excluded), by
 *  normalised form, exactly the tokens whose number value slot 9 holds (schema.h: XW terms),
 *  so counts and token totals share one definition. Concepts: lexicon hits of a thesaurus
 *  concept's terms in passage texts, in any language (schema.h: XK terms); a concept
 *  named twice in a passage counts twice.
 */
#pragma once

#include "strata/query.h"
#include "strata/search.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata {

/// GET /v1/keyness, as a struct.
struct KeynessRequest {
    enum class Unit { kWord, kConcept };
    enum class Side { kBoth, kTarget, kReference };

    /// Field filters in the query language's syntax ("country:MX", "region:europe type:strategy"):
    /// fields are ANDed, values of one field (comma-separated or repeated) ORed.
    std::string target;
    /// The same syntax; empty: the rest of the corpus. The target is always taken out of it.
    std::string reference;
    /// country=, region=, theme=, year=, type=: narrow both sides. lang= chooses the
    /// languages compared (word keyness otherwise compares the target's main language).
    Filters filters;
    Unit unit = Unit::kWord;
    Side side = Side::kBoth;  ///< which side's distinctive rows to list
    int min_count = 3;        ///< a row's count on the side it is distinctive of, at least
    int per_page = 50;

    /// Parses target=, reference=, unit=, side=, min_count=, per_page=, the filters and
    /// format= (checked by the caller). Throws InvalidRequest naming the parameter.
    static KeynessRequest from_params(const ParamMap& params);
    void validate(const SearchLimits& limits) const;
};

/// Dunning's G² and Hardie's Log Ratio of @p a occurrences in @p c target tokens against
/// @p b occurrences in @p d reference tokens. Log Ratio replaces a zero count by 0.5.
struct KeynessScore {
    double log_likelihood = 0;
    double log_ratio = 0;
};
[[nodiscard]] KeynessScore keyness_score(double a, double b, double c, double d);

/// The critical value of G² at p < 0.01 (one degree of freedom): rows below it are left out.
inline constexpr double kKeynessMinLogLikelihood = 6.63;

/// Runs a keyness comparison on @p searcher's index. Throws InvalidRequest for a target that
/// is not a filter expression or names unknown values.
[[nodiscard]] nlohmann::json keyness(const Searcher& searcher, const KeynessRequest& request);

/// The columns of a keyness export: a row's fields, both sides' tokens, then the provenance
/// columns.
[[nodiscard]] const std::vector<std::string>& keyness_columns();
/// One tidy record per row of a keyness answer, keyed by keyness_columns(), with the
/// answer's provenance.
[[nodiscard]] std::vector<nlohmann::json> keyness_records(const nlohmann::json& keyness);
/// A keyness answer as CSV, one row per term, UTF-8 with a byte-order mark.
[[nodiscard]] std::string keyness_csv(const nlohmann::json& keyness);

}  // namespace strata
