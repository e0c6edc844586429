/** @file absent_terms.h
 *  @brief Internal: a parsed query without the terms the index does not hold.
 *
 *  Cross-language expansion gives a word's stems in every stem language of the index and
 *  its translations in 26 languages, and many of them occur nowhere in it. Each one still
 *  costs a B-tree look-up every time a clause is counted and each hit's best passages are
 *  chosen. A term the index does not hold matches nothing and weighs nothing (an OR or
 *  synonym group's frequency is that of the rest), so removing it changes no answer: a
 *  disjunction loses it, and a conjunction, phrase or filter that needs it matches nothing.
 *  The pruned query is what the parse cache keeps, per index version.
 */
#pragma once

#include "strata/query.h"

#include <xapian.h>

#include <functional>
#include <string>

namespace strata {

/// @p q without the terms for which @p held is false. Subqueries whose parameters the
/// query API does not give back (wildcards, a scaled weight, elite sets) are kept whole,
/// and so is a phrase or NEAR whose terms are all held.
[[nodiscard]] Xapian::Query without_absent_terms(const Xapian::Query& q, const std::function<bool(const std::string&)>& held);

/// Prunes every Xapian query of @p pq (the whole query and each clause's) against @p db; a
/// query that would match nothing once pruned is left as it was (it matches nothing
/// already, and an empty query means "none" to its readers).
void prune_absent_terms(ParsedQuery& pq, Xapian::Database& db);

}  // namespace strata
