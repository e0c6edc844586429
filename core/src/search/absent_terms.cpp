#include "search/absent_terms.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace strata {

namespace {

using Q = Xapian::Query;
using Held = std::function<bool(const std::string&)>;

bool nothing(const Q& q) { return q.get_type() == Q::LEAF_MATCH_NOTHING; }

Q prune(const Q& q, const Held& held, bool& changed);

// The pruned subqueries of @p q; @p changed is set when any changed.
std::vector<Q> pruned_children(const Q& q, const Held& held, bool& changed) {
    std::vector<Q> out;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) out.push_back(prune(q.get_subquery(i), held, changed));
    return out;
}

// A disjunction of the subqueries that can match; nothing when none can.
Q any_of(Q::op op, std::vector<Q> subs) {
    std::erase_if(subs, nothing);
    return subs.empty() ? Q::MatchNothing : Q(op, subs.begin(), subs.end());
}

Q prune(const Q& q, const Held& held, bool& changed) {
    bool sub_changed = false;
    switch (q.get_type()) {
        case Q::LEAF_TERM:
            if (held(*q.get_terms_begin())) return q;
            changed = true;
            return Q::MatchNothing;
        case Q::OP_OR:
        case Q::OP_SYNONYM:
        case Q::OP_MAX: {
            std::vector<Q> subs = pruned_children(q, held, sub_changed);
            if (!sub_changed) return q;
            changed = true;
            return any_of(q.get_type(), std::move(subs));
        }
        case Q::OP_AND:
        case Q::OP_FILTER: {
            const std::vector<Q> subs = pruned_children(q, held, sub_changed);
            if (!sub_changed) return q;
            changed = true;
            if (std::any_of(subs.begin(), subs.end(), nothing)) return Q::MatchNothing;
            return Q(q.get_type(), subs.begin(), subs.end());
        }
        case Q::OP_PHRASE:
        case Q::OP_NEAR:
            // The window is not given back: all of the phrase, or nothing.
            for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
                if (!held(*t)) {
                    changed = true;
                    return Q::MatchNothing;
                }
            return q;
        case Q::OP_AND_NOT:
        case Q::OP_AND_MAYBE: {
            if (q.get_num_subqueries() != 2) return q;
            const std::vector<Q> subs = pruned_children(q, held, sub_changed);
            if (!sub_changed) return q;
            changed = true;
            if (nothing(subs[0])) return Q::MatchNothing;
            return nothing(subs[1]) ? subs[0] : Q(q.get_type(), subs[0], subs[1]);
        }
        default: return q;  // wildcards, scaled weights, value ranges, MatchAll, elite sets
    }
}

// @p q pruned, unless that leaves nothing: a query that matches nothing stays as it was, as
// an empty query means something else to its readers (a clause without typed words).
void prune_in_place(Q& q, const Held& held) {
    if (q.empty()) return;
    bool changed = false;
    Q p = prune(q, held, changed);
    if (changed && !nothing(p)) q = std::move(p);
}

}  // namespace

Xapian::Query without_absent_terms(const Xapian::Query& q, const Held& held) {
    bool changed = false;
    return prune(q, held, changed);
}

void prune_absent_terms(ParsedQuery& pq, Xapian::Database& db) {
    std::unordered_map<std::string, bool> known;  // a term is looked up once per parse
    const Held held = [&](const std::string& t) {
        auto [it, added] = known.try_emplace(t, false);
        if (added) it->second = db.term_exists(t);
        return it->second;
    };
    prune_in_place(pq.query, held);
    for (Clause& c : pq.clauses) {
        prune_in_place(c.query, held);
        prune_in_place(c.direct, held);
        prune_in_place(c.exact, held);
    }
}

}  // namespace strata
