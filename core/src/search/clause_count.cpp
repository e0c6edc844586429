#include "search/clause_count.h"

#include "index/packed.h"
#include "index/posting_cache.h"
#include "search/facet_table.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <unordered_map>

namespace strata {

namespace {

// When a walk over postings stops, as Xapian's time limit stops a match (0 or less: no
// limit, as for Xapian): looked at before each term, and every 4,096 postings within one.
class Deadline {
public:
    explicit Deadline(double seconds) {
        if (seconds > 0)
            end_ = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    }
    [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> end() const { return end_; }
    [[nodiscard]] bool passed() const { return end_ && std::chrono::steady_clock::now() >= *end_; }

private:
    std::optional<std::chrono::steady_clock::time_point> end_;
};

bool has(const std::vector<std::string>& sorted, const std::string& term) {
    return std::binary_search(sorted.begin(), sorted.end(), term);
}

// Whether every passage @p q matches carries one of @p terms (sorted): then q adds nothing
// to their union. A concept's phrase, (words AND ...) FILTER its tag, is within the tag's
// postings, and the tag is one of the clause's terms.
bool within(const Xapian::Query& q, const std::vector<std::string>& terms) {
    const std::size_t n = q.get_num_subqueries();
    auto any = [&] {
        for (std::size_t i = 0; i < n; ++i)
            if (within(q.get_subquery(i), terms)) return true;
        return false;
    };
    switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM: return has(terms, *q.get_terms_begin());
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
            for (std::size_t i = 0; i < n; ++i)
                if (!within(q.get_subquery(i), terms)) return false;
            return n > 0;
        // Each of these matches only where all its subqueries do.
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR: return any();
        // These match only where their first subquery does.
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_SCALE_WEIGHT: return n > 0 && within(q.get_subquery(0), terms);
        default: return false;
    }
}

// Removes the subqueries that @p a and @p b both hold from both, and returns them.
std::vector<Xapian::Query> take_shared(std::vector<Xapian::Query>& a, std::vector<Xapian::Query>& b) {
    std::vector<Xapian::Query> shared;
    for (auto it = b.begin(); it != b.end();) {
        const std::string d = it->get_description();
        const auto in_a = std::find_if(a.begin(), a.end(), [&](const Xapian::Query& x) { return x.get_description() == d; });
        if (in_a == a.end()) {
            ++it;
            continue;
        }
        a.erase(in_a);
        shared.push_back(*it);
        it = b.erase(it);
    }
    return shared;
}

}  // namespace

Xapian::Query filtered(const Xapian::Query& q, const Xapian::Query& filter) {
    return filter.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
}

// A set of passages, one bit per docid.
class ClauseCounter::Bits {
public:
    explicit Bits(Xapian::docid last) : words_(last / 64 + 1, 0) {}
    void add(const TermPassages& passages) { passages.add_to(words_); }
    void keep(const Bits& other) {
        for (std::size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) words_[w] &= other.words_[w];
    }
    [[nodiscard]] std::vector<Xapian::docid> ids() const { return packed::set_bits(words_); }

private:
    std::vector<std::uint64_t> words_;
};

// A query as the terms of its disjunction and the subqueries that are not terms (less
// those within the terms' postings): its passages are the union of the terms' postings and
// the rest's matches.
struct ClauseCounter::Split {
    std::vector<std::string> terms;  // sorted, distinct
    std::vector<Xapian::Query> rest;

    explicit Split(const Xapian::Query& q) {
        add(q);
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        rest.erase(std::remove_if(rest.begin(), rest.end(), [&](const Xapian::Query& r) { return within(r, terms); }), rest.end());
    }
    void add(const Xapian::Query& q) {
        switch (q.get_type()) {
            case Xapian::Query::LEAF_TERM: terms.push_back(*q.get_terms_begin()); break;
            case Xapian::Query::OP_OR:
            case Xapian::Query::OP_SYNONYM:
                for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i));
                break;
            case Xapian::Query::LEAF_MATCH_NOTHING: break;
            default: rest.push_back(q);
        }
    }
};

ClauseCounter::ClauseCounter(Xapian::Database& db, Xapian::Query filter, std::shared_ptr<const FacetColumn> column,
                             double max_seconds)
    : db_(db), filter_(std::move(filter)), column_(std::move(column)), max_seconds_(max_seconds) {}

ClauseCounts ClauseCounter::count(const Xapian::Query& q) {
    if (!column_) return by_match(q);
    const Split s(q);
    Bits bits(db_.get_lastdocid());
    const Deadline deadline(max_seconds_);
    for (const std::string& t : s.terms) {
        // Past the time limit, between terms or within one: the terms read so far.
        const auto read = deadline.passed() ? nullptr : PostingCache::shared().postings(db_, t, deadline.end());
        if (!read) break;
        bits.add(*read);
    }
    return from_ids(passages(s, bits));
}

std::pair<ClauseCounts, ClauseCounts> ClauseCounter::count_with_part(const Xapian::Query& q, const Xapian::Query& part) {
    if (!column_) return {by_match(q), by_match(part)};
    Split whole(q), typed(part);
    std::vector<std::string> terms;
    std::set_union(whole.terms.begin(), whole.terms.end(), typed.terms.begin(), typed.terms.end(), std::back_inserter(terms));
    Bits all(db_.get_lastdocid()), own(db_.get_lastdocid());
    const Deadline deadline(max_seconds_);
    // The typed words are among the clause's terms: each posting list is read once.
    for (const std::string& t : terms) {
        // Past the time limit, between terms or within one: the terms read so far.
        const auto read = deadline.passed() ? nullptr : PostingCache::shared().postings(db_, t, deadline.end());
        if (!read) break;
        if (has(whole.terms, t)) all.add(*read);
        if (has(typed.terms, t)) own.add(*read);
    }
    // A subquery of both (a concept's name as typed, its words ANDed) is matched once.
    if (const std::vector<Xapian::Query> shared = take_shared(whole.rest, typed.rest); !shared.empty()) {
        const auto found = matched(filtered(Xapian::Query(Xapian::Query::OP_OR, shared.begin(), shared.end()), filter_));
        all.add(*found);
        own.add(*found);
    }
    ClauseCounts first = from_ids(passages(whole, all));
    return {std::move(first), from_ids(passages(typed, own))};
}

ClauseCounts ClauseCounter::both(const Xapian::Query& qa, const ClauseCounts& a, const Xapian::Query& qb,
                                 const ClauseCounts& b) {
    if (!column_) return by_match(Xapian::Query(Xapian::Query::OP_AND, qa, qb));
    std::vector<Xapian::docid> ids;
    std::set_intersection(a.ids.begin(), a.ids.end(), b.ids.begin(), b.ids.end(), std::back_inserter(ids));
    return from_ids(std::move(ids));
}

// The passages of @p q that have a facet row, by one unweighted match, or as a match of the
// same query on this revision of the index found them (PostingCache: a request matches the
// same subqueries more than once, as when two clauses name one concept or the
// lowercase-operator warning counts the query again, and a repeated request, the next page
// or another grouping, all of them). A match that may have stopped at the time limit is not
// kept.
std::shared_ptr<const TermPassages> ClauseCounter::matched(const Xapian::Query& q) {
    return FacetCounter::passages_kept(db_, column_, q, max_seconds_);
}

// The passages of @p s, whose terms' postings @p bits holds (with any matches under the
// filter already): the rest's matches join them, and only the filter's are kept.
std::vector<Xapian::docid> ClauseCounter::passages(const Split& s, Bits& bits) {
    if (!s.rest.empty()) bits.add(*matched(filtered(Xapian::Query(Xapian::Query::OP_OR, s.rest.begin(), s.rest.end()), filter_)));
    if (!s.terms.empty())
        if (const Bits* f = filter_bits()) bits.keep(*f);
    return bits.ids();
}

const ClauseCounter::Bits* ClauseCounter::filter_bits() {
    if (filter_.empty()) return nullptr;
    if (!filter_bits_) {
        filter_bits_ = std::make_shared<Bits>(db_.get_lastdocid());
        filter_bits_->add(*matched(filter_));
    }
    return filter_bits_.get();
}

namespace {

// The language of most of each document's passages that carry a clause (more_passages),
// tallied passage by passage or row by row, with the same answer in any order. A
// document holds one language or two (a quotation detected apart), so the first is kept
// per document and the others aside.
class LanguageTally {
public:
    void add(std::uint32_t doc, std::uint32_t lang, std::uint32_t n) {
        if (doc >= n_.size()) {
            lang_.resize(doc + 1, FacetTable::kNone);
            n_.resize(doc + 1, 0);
        }
        if (!n_[doc] || lang_[doc] == lang) {
            lang_[doc] = lang;
            n_[doc] += n;
        } else {
            others_[(std::uint64_t{doc} << 32) | lang] += n;
        }
    }
    // Settles the documents with a second language, naming languages with @p name; call
    // once, after the last add().
    template <class Name>
    void settle(Name&& name) {
        for (const auto& [key, n] : others_) {
            const auto doc = static_cast<std::uint32_t>(key >> 32), lang = static_cast<std::uint32_t>(key);
            if (more_passages(n, name(lang), n_[doc], name(lang_[doc]))) {
                lang_[doc] = lang;
                n_[doc] = n;
            }
        }
    }
    [[nodiscard]] std::uint32_t of(std::uint32_t doc) const { return lang_[doc]; }

private:
    std::vector<std::uint32_t> lang_, n_;
    std::unordered_map<std::uint64_t, std::uint32_t> others_;
};

// The name of language @p lang of @p table ("" for none).
const std::string& language_name(const FacetTable& table, std::uint32_t lang) {
    static const std::string none;
    return lang == FacetTable::kNone ? none : table.value(kLangField, lang);
}

}  // namespace

// Passages per document from docids in increasing order, through the column: work in
// proportion to the passages, not to the rows of the table. A document's language is
// that of most of its passages here. Documents and languages are numbered as the
// column's table numbers them.
ClauseCounts ClauseCounter::from_ids(std::vector<Xapian::docid> ids) const {
    const FacetTable& table = column_->table();
    ClauseCounts out;
    out.passages.assign(table.docs(), 0);
    out.lang.assign(table.docs(), FacetTable::kNone);
    LanguageTally langs;
    std::size_t kept = 0;
    for (Xapian::docid id : ids) {
        const std::uint32_t row = column_->row(id);
        if (row == FacetTable::kNone) continue;  // a passage without a facet key counts nowhere
        ids[kept++] = id;
        const std::uint32_t doc = table.rows()[row].doc;
        if (!out.passages[doc]++) out.docs.push_back(doc);
        langs.add(doc, table.rows()[row].value[kLangField], 1);
    }
    ids.resize(kept);
    langs.settle([&](std::uint32_t lang) -> const std::string& { return language_name(table, lang); });
    for (std::uint32_t doc : out.docs) out.lang[doc] = langs.of(doc);
    out.total = static_cast<std::uint32_t>(kept);
    out.ids = std::move(ids);
    return out;
}

// One unweighted match of @p q under the filter, counted by Xapian's match spy (no column):
// passages per document row by row, the counter's own table holding only the rows it saw.
ClauseCounts ClauseCounter::by_match(const Xapian::Query& q) {
    FacetCounter counter(column_);
    counter.keep_docids();
    counter.count(db_, filtered(q, filter_), max_seconds_);
    ClauseCounts out;
    const FacetTable& table = counter.table();
    const std::vector<std::uint32_t>& counts = counter.counts();
    LanguageTally langs;  // by the counter's own language numbers
    for (const std::uint32_t r : counter.counted_rows()) {
        const FacetTable::Row& row = table.rows()[r];
        const std::uint32_t doc = docs_.number(table.doc(row.doc));
        if (doc >= out.passages.size()) {
            out.passages.resize(doc + 1, 0);
            out.lang.resize(doc + 1, FacetTable::kNone);
        }
        if (!out.passages[doc]) out.docs.push_back(doc);
        langs.add(doc, row.value[kLangField], counts[r]);
        out.passages[doc] += counts[r];
        out.total += counts[r];
    }
    langs.settle([&](std::uint32_t lang) -> const std::string& { return language_name(table, lang); });
    for (std::uint32_t doc : out.docs) out.lang[doc] = langs_.number(language_name(table, langs.of(doc)));
    out.ids = counter.take_docids();
    return out;
}

std::uint32_t ClauseCounter::Names::number(const std::string& name) {
    const auto [it, added] = numbers.try_emplace(name, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(name);
    return it->second;
}

std::uint32_t ClauseCounter::documents() const {
    return static_cast<std::uint32_t>(column_ ? column_->table().docs() : docs_.names.size());
}

const std::string& ClauseCounter::document(std::uint32_t doc) const {
    return column_ ? column_->table().doc(doc) : docs_.names[doc];
}

const std::string& ClauseCounter::language(std::uint32_t lang) const {
    static const std::string none;
    if (!column_) return langs_.names[lang];
    return lang == FacetTable::kNone ? none : column_->table().value(kLangField, lang);
}

}  // namespace strata
