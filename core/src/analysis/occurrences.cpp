#include "analysis/occurrences.h"

#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <cstdlib>

namespace strata {

namespace {

// Candidate forms of a stem are the indexed words that begin with the stem less its last
// character (Snowball's "happi" is the stem of "happy"); at most this many are tried.
constexpr std::size_t kMaxStemCandidates = 20000;

std::string stem_prefix(const std::string& stem) {
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < stem.size();) {
        starts.push_back(i);
        text::decode_utf8(stem, i);
    }
    if (starts.size() <= 2) return stem;
    return stem.substr(0, starts[starts.size() - 1]);
}

}  // namespace

PassageKey parse_passage_key(const std::string& key) {
    const std::vector<std::string> f = text::split(key, '\x1f');
    PassageKey k;
    if (f.size() < 6) return k;
    k.doc = f[0];
    k.country = f[1];
    k.region = f[2];
    k.year = std::atoi(f[3].c_str());
    k.lang = f[4];
    k.type = f[5];
    return k;
}

OccurrenceCounter::OccurrenceCounter(Xapian::Database& db, const ParsedQuery& pq, const Analyzer& analyzer,
                                     Xapian::termcount max_wildcard)
    : db_(db), pq_(pq), analyzer_(analyzer) {
    for (const TermPattern& p : pq.patterns) {
        Resolved r;
        if (!p.prefix.empty()) {
            // As search expands a wildcard: its most frequent completions.
            std::vector<std::pair<Xapian::doccount, std::string>> found;
            for (auto it = db.allterms_begin(p.prefix); it != db.allterms_end(p.prefix); ++it)
                found.emplace_back(it.get_termfreq(), *it);
            std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            if (found.size() > max_wildcard) found.resize(max_wildcard);
            std::vector<std::size_t> item;
            for (const auto& f : found) item.push_back(term(f.second));
            r.items.push_back(std::move(item));
        } else {
            for (const std::vector<std::string>& item : p.items) {
                std::vector<std::size_t> ids;
                for (const std::string& t : item) ids.push_back(term(t));
                r.items.push_back(std::move(ids));
            }
            for (const std::string& s : p.stems) {
                std::string lang;
                std::vector<std::size_t> forms = stem_forms(s, lang);
                if (!forms.empty()) r.stem_forms.emplace_back(lang, std::move(forms));
            }
        }
        resolved_.push_back(std::move(r));
    }
}

std::size_t OccurrenceCounter::term(const std::string& name) {
    for (std::size_t i = 0; i < terms_.size(); ++i)
        if (terms_[i].name == name) return i;
    terms_.push_back({name, db_.postlist_begin(name), db_.postlist_end(name), 0, {}});
    return terms_.size() - 1;
}

// The indexed words whose stem in the stem term's language is the stem term's stem.
std::vector<std::size_t> OccurrenceCounter::stem_forms(const std::string& stem_term, std::string& lang) {
    const std::size_t colon = stem_term.find(':');
    if (colon == std::string::npos || colon < 2) return {};
    lang = stem_term.substr(1, colon - 1);
    const std::string stem = stem_term.substr(colon + 1);
    const std::string prefix = stem_prefix(stem);
    std::vector<std::size_t> out;
    std::size_t tried = 0;
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix) && tried < kMaxStemCandidates; ++it, ++tried) {
        const std::string word = *it;
        if (analyzer_.stem(word, lang) == stem) out.push_back(term(word));
    }
    return out;
}

std::vector<std::string> OccurrenceCounter::terms_of(std::uint32_t i) const {
    std::vector<std::string> out;
    auto add = [&](std::size_t t) {
        if (std::find(out.begin(), out.end(), terms_[t].name) == out.end()) out.push_back(terms_[t].name);
    };
    for (const auto& item : resolved_[i].items)
        for (std::size_t t : item) add(t);
    for (const auto& [lang, forms] : resolved_[i].stem_forms)
        for (std::size_t t : forms) add(t);
    return out;
}

// The positions of term @p t in passage @p did (empty when it has none); passages must be
// asked for in increasing docid order.
const std::vector<Xapian::termpos>& OccurrenceCounter::positions(std::size_t t, Xapian::docid did) {
    Term& x = terms_[t];
    if (x.at == did) return x.positions;
    x.at = did;
    x.positions.clear();
    if (!present(t, did)) return x.positions;
    for (auto p = db_.positionlist_begin(did, x.name); p != db_.positionlist_end(did, x.name); ++p) x.positions.push_back(*p);
    return x.positions;
}

void OccurrenceCounter::occurrences(Xapian::docid did, const PassageKey& key, const TokenOffsets& offsets,
                                    std::vector<Occurrence>& out) {
    out.clear();
    if (offsets.entries.empty()) return;
    const std::string lang = Analyzer::stem_language(key.lang);
    auto has = [&](const std::vector<std::size_t>& item, Xapian::termpos p) {
        for (std::size_t t : item) {
            const auto& ps = positions(t, did);
            if (std::binary_search(ps.begin(), ps.end(), p)) return true;
        }
        return false;
    };
    for (std::uint32_t i = 0; i < resolved_.size(); ++i) {
        const Resolved& r = resolved_[i];
        if (r.items.empty()) continue;
        const TermPattern& p = pq_.patterns[i];
        const Xapian::termpos span = p.prefix.empty() ? p.span : 1;
        std::vector<Xapian::termpos> starts;
        for (std::size_t t : r.items[0])
            for (Xapian::termpos pos : positions(t, did)) starts.push_back(pos);
        for (const auto& [stem_lang, forms] : r.stem_forms)
            if (stem_lang == lang)
                for (std::size_t t : forms)
                    for (Xapian::termpos pos : positions(t, did)) starts.push_back(pos);
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
        for (Xapian::termpos s : starts) {
            if (!offsets.covers(s) || !offsets.covers(s + span - 1)) continue;
            bool all = true;
            for (std::size_t k = 1; k < r.items.size() && all; ++k) all = has(r.items[k], s + p.offsets[k]);
            if (all) out.push_back({s, s + span, i});
        }
    }
    // One occurrence per start: the longest.
    std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    out.erase(std::unique(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) { return a.start == b.start; }),
              out.end());
}

std::vector<Xapian::docid> matching_passages(Xapian::Database& db, const Xapian::Query& q, double max_seconds) {
    std::vector<Xapian::docid> ids;
    if (q.empty()) {
        ids.reserve(db.get_doccount());
        for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) ids.push_back(*it);
        return ids;
    }
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    enq.set_time_limit(max_seconds);
    const Xapian::MSet mset = enq.get_mset(0, db.get_doccount());
    ids.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
    std::sort(ids.begin(), ids.end());
    return ids;
}

ValueReader::ValueReader(Xapian::Database& db, Xapian::valueno slot) : db_(db), slot_(slot) {
    try {
        it_ = db.valuestream_begin(slot);
        stream_ = true;
    } catch (const Xapian::UnimplementedError&) {
        stream_ = false;  // a remote shard: read document by document
    }
}

std::string ValueReader::get(Xapian::docid did) {
    if (!stream_) return db_.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(slot_);
    const Xapian::ValueIterator end = db_.valuestream_end(slot_);
    if (it_ != end && it_.get_docid() < did) it_.skip_to(did);
    return it_ != end && it_.get_docid() == did ? *it_ : std::string();
}

bool OccurrenceCounter::present(std::size_t t, Xapian::docid did) {
    Term& x = terms_[t];
    if (x.it != x.end && *x.it < did) x.it.skip_to(did);
    return x.it != x.end && *x.it == did;
}

// Whether passage @p did holds a term an occurrence can start with (a cheap test before
// its values and positions are read).
bool OccurrenceCounter::any_present(Xapian::docid did) {
    for (const Resolved& r : resolved_) {
        if (r.items.empty()) continue;
        for (std::size_t t : r.items[0])
            if (present(t, did)) return true;
        for (const auto& [lang, forms] : r.stem_forms)
            for (std::size_t t : forms)
                if (present(t, did)) return true;
    }
    return false;
}

void OccurrenceCounter::scan(const Xapian::Query& passages, double max_seconds, const std::function<void(PassageHit&)>& fn) {
    ValueReader keys(db_, schema::kSlotFacetKey), offsets(db_, schema::kSlotOffsets);
    PassageHit hit;
    for (Xapian::docid did : matching_passages(db_, passages, max_seconds)) {
        if (!any_present(did)) continue;
        hit.did = did;
        hit.key = parse_passage_key(keys.get(did));
        hit.offsets = decode_offsets(offsets.get(did));
        occurrences(did, hit.key, hit.offsets, hit.occurrences);
        if (hit.occurrences.empty()) continue;
        hit.doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
        fn(hit);
    }
}

}  // namespace strata
