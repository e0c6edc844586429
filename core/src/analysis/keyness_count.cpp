// Counting words and concepts of passage sets from their counting terms (schema.h: XW, XK).
#include "analysis/keyness_count.h"

#include "analysis/passage_keys.h"
#include "strata/analyzer.h"
#include "strata/query.h"
#include "strata/schema.h"

#include <algorithm>
#include <map>

namespace strata {

namespace {

// Stem languages of the raw slot values ("pt-br" → "pt"), remembered: a corpus has few.
class LanguageNames {
public:
    const std::string& of(const std::string& raw) {
        auto it = names_.find(raw);
        if (it == names_.end()) it = names_.emplace(raw, Analyzer::stem_language(raw)).first;
        return it->second;
    }

private:
    std::unordered_map<std::string, std::string> names_;
};

// The prefixes of the counting terms: one per compared language for words.
std::vector<std::string> prefixes(const std::set<std::string>& langs, const Counting& how) {
    if (!how.words) return {std::string(schema::kConceptCount)};
    std::vector<std::string> out;
    for (const std::string& l : langs) out.push_back(schema::word_count_term(l, ""));
    return out;
}

// The word or concept id of a counting term.
std::string key_of(const std::string& term, std::size_t prefix_size) {
    std::size_t k = prefix_size;
    if (k < term.size() && term[k] == ':' && prefix_size == schema::kConceptCount.size()) ++k;  // XK:<Capital…>
    return term.substr(k);
}

// Counting terms read into one side: words under their folded form, with the spellings
// that differ from it; concepts as they are. Folding is remembered (a text repeats words).
class Tally {
public:
    Tally(SideCounts& side, bool words) : side_(side), words_(words) {}

    // Adds @p n occurrences of the counting term @p term (prefix @p prefix_size) to @p into.
    void add(const std::string& term, std::size_t prefix_size, std::uint64_t n,
             std::unordered_map<std::string, std::uint64_t>& into) {
        std::string key = key_of(term, prefix_size);
        if (!words_ || is_ascii(key)) {
            into[key] += n;
            return;
        }
        auto f = folded_.find(key);
        if (f == folded_.end()) f = folded_.emplace(key, Analyzer::fold(key)).first;
        into[f->second] += n;
        if (f->second != key) side_.spellings[f->second][key] += n;
    }

private:
    static bool is_ascii(const std::string& s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    }

    SideCounts& side_;
    bool words_;
    std::unordered_map<std::string, std::string> folded_;
};

// Adds passage @p did's counting terms under @p prefix to @p local.
void read_counts(Xapian::Database& db, Xapian::docid did, const std::string& prefix, Tally& tally,
                 std::unordered_map<std::string, std::uint64_t>& local) {
    Xapian::TermIterator it = db.termlist_begin(did);
    const Xapian::TermIterator end = db.termlist_end(did);
    it.skip_to(prefix);
    for (; it != end; ++it) {
        const std::string term = *it;
        if (term.compare(0, prefix.size(), prefix) != 0) break;
        tally.add(term, prefix.size(), it.get_wdf(), local);
    }
}

}  // namespace

std::vector<PassageRef> passages_of(Xapian::Database& db, const Xapian::Query& filter) {
    Xapian::Enquire enq(db);
    enq.set_query(filter.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_FILTER, match_all(), filter));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet m = enq.get_mset(0, std::max<Xapian::doccount>(db.get_doccount(), 1));
    std::vector<PassageRef> out;
    out.reserve(m.size());
    LanguageNames names;
    // In docid order, so the values come from their streams, not document by document.
    ValueReader doc_ids(db, schema::kSlotDocId), langs(db, schema::kSlotLanguage), tokens(db, schema::kSlotTokens);
    for (auto it = m.begin(); it != m.end(); ++it) {
        const std::string n = tokens.get(*it);
        out.push_back({*it, doc_ids.get(*it), names.of(langs.get(*it)), n.empty() ? 0.0 : Xapian::sortable_unserialise(n)});
    }
    // Passages of one document together (shards interleave document ids).
    std::stable_sort(out.begin(), out.end(), [](const PassageRef& a, const PassageRef& b) { return a.doc < b.doc; });
    return out;
}

Xapian::Query language_query(Xapian::Database& db, const std::set<std::string>& langs) {
    if (langs.empty()) return Xapian::Query();
    std::vector<Xapian::Query> alts;
    const std::string prefix(schema::kLanguage);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
        if (langs.count(Analyzer::stem_language((*it).substr(prefix.size())))) alts.emplace_back(*it);
    // A language the index lacks: a query that matches nothing, never "no restriction".
    if (alts.empty()) return Xapian::Query(std::string(schema::kLanguage) + "\x01none");
    return Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
}

SideCounts count_passages(Xapian::Database& db, const std::vector<PassageRef>& passages, const Counting& how) {
    SideCounts out;
    Tally tally(out, how.words);
    const std::string concept_prefix(schema::kConceptCount);
    std::unordered_map<std::string, std::uint64_t> local;  // one document's counts
    auto flush = [&] {
        for (const auto& [key, n] : local) {
            TermCount& c = out.terms[key];
            c.n += n;
            ++c.documents;
        }
        local.clear();
        ++out.documents;
    };
    for (std::size_t i = 0; i < passages.size(); ++i) {
        const PassageRef& p = passages[i];
        if (i > 0 && p.doc != passages[i - 1].doc) flush();
        out.tokens += p.tokens;
        ++out.passages;
        read_counts(db, p.did, how.words ? schema::word_count_term(p.lang, "") : concept_prefix, tally, local);
    }
    if (!passages.empty()) flush();
    return out;
}

namespace {

// Tokens, passages and each document's passages over the languages @p langs, from the value
// streams (no document is read).
struct Universe {
    double tokens = 0;
    std::size_t passages = 0;
    std::map<std::string, std::size_t> doc_passages;
};

Universe universe_of(Xapian::Database& db, const std::set<std::string>& langs) {
    Universe u;
    LanguageNames names;
    Xapian::ValueIterator lang_it = db.valuestream_begin(schema::kSlotLanguage);
    Xapian::ValueIterator tok_it = db.valuestream_begin(schema::kSlotTokens);
    const Xapian::ValueIterator end = db.valuestream_end(0);
    for (Xapian::ValueIterator doc_it = db.valuestream_begin(schema::kSlotDocId); doc_it != end; ++doc_it) {
        const Xapian::docid did = doc_it.get_docid();
        std::string lang;
        if (lang_it != end && lang_it.get_docid() < did) lang_it.skip_to(did);
        if (lang_it != end && lang_it.get_docid() == did) lang = *lang_it;
        if (!langs.empty() && !langs.count(names.of(lang))) continue;
        if (tok_it != end && tok_it.get_docid() < did) tok_it.skip_to(did);
        if (tok_it != end && tok_it.get_docid() == did) u.tokens += Xapian::sortable_unserialise(*tok_it);
        ++u.passages;
        ++u.doc_passages[*doc_it];
    }
    return u;
}

}  // namespace

SideCounts rest_of_corpus(Xapian::Database& db, const std::set<std::string>& langs, const Counting& how,
                          const SideCounts& target, const std::vector<PassageRef>& target_passages) {
    SideCounts out;
    if (how.words && langs.empty()) return out;
    Tally tally(out, how.words);
    std::unordered_map<std::string, std::uint64_t> all;
    const Universe u = universe_of(db, langs);
    out.tokens = std::max(0.0, u.tokens - target.tokens);
    out.passages = u.passages - std::min(u.passages, target.passages);
    std::map<std::string, std::size_t> in_target;
    for (const PassageRef& p : target_passages) ++in_target[p.doc];
    for (const auto& [doc, n] : u.doc_passages) {
        auto t = in_target.find(doc);
        if (t == in_target.end() || t->second < n) ++out.documents;
    }
    for (const std::string& prefix : prefixes(langs, how))
        for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
            tally.add(*it, prefix.size(), db.get_collection_freq(*it), all);
    for (const auto& [key, n] : all) out.terms[key].n = n;
    for (const auto& [key, c] : target.terms) {
        TermCount& r = out.terms[key];
        r.n -= std::min(r.n, c.n);
    }
    for (const auto& [key, forms] : target.spellings)
        for (const auto& [form, n] : forms) {
            std::uint64_t& r = out.spellings[key][form];
            r -= std::min(r, n);
        }
    return out;
}

std::string most_used_spelling(const std::string& key, const SideCounts& a, const SideCounts& b) {
    if (!a.spellings.count(key) && !b.spellings.count(key)) return key;
    std::map<std::string, std::uint64_t> n;  // code-point order breaks ties
    for (const SideCounts* side : {&a, &b}) {
        auto t = side->terms.find(key);
        if (t != side->terms.end()) n[key] += t->second.n;
        auto s = side->spellings.find(key);
        if (s == side->spellings.end()) continue;
        for (const auto& [form, k] : s->second) {
            n[form] += k;
            n[key] -= std::min(n[key], k);  // the folded form's own count is what is left
        }
    }
    std::string best = key;
    std::uint64_t most = 0;
    for (const auto& [form, k] : n)
        if (k > most) best = form, most = k;
    return best;
}

}  // namespace strata
