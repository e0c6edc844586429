#include "analysis/occurrences.h"

#include "strata/schema.h"
#include "strata/text.h"

#include <algorithm>
#include <unordered_map>

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

// What changes when the index does (as the query cache keys it): its generation, size and,
// for one local database, its revision.
std::string index_version(Xapian::Database& db) {
    std::string v = db.get_metadata("strata:generation");
    for (const std::string& part : {std::to_string(db.get_doccount()), std::to_string(db.get_lastdocid()), db.get_uuid()}) {
        v += '/';
        v += part;
    }
    try {
        const std::string revision = std::to_string(db.get_revision());
        v += ':';
        v += revision;
    } catch (const Xapian::Error&) {
        // several shards have no one revision; their sizes and UUIDs stand in
    }
    return v;
}

// The words of a stem term, as stem_forms() finds them.
std::vector<std::string> find_stem_forms(Xapian::Database& db, const Analyzer& analyzer, const std::string& lang,
                                         const std::string& stem) {
    const std::string prefix = stem_prefix(stem);
    std::vector<std::string> out;
    std::size_t tried = 0;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix) && tried < kMaxStemCandidates; ++it, ++tried) {
        const std::string word = *it;
        if (analyzer.stem(word, lang) == stem) out.push_back(word);
    }
    return out;
}

// Finding a stem's words stems every indexed word that begins like it, in every language a
// query word is stemmed in: the costliest step of a count on a large index. The words change
// only when the index does, so each thread keeps them for the index version it last saw.
struct StemFormsCache {
    static constexpr std::size_t kMaxEntries = 4096;
    std::string version;
    std::unordered_map<std::string, std::vector<std::string>> forms;  // stem term → words
};

const std::vector<std::string>& cached_stem_forms(Xapian::Database& db, const Analyzer& analyzer, const std::string& version,
                                                  const std::string& stem_term, const std::string& lang, const std::string& stem) {
    thread_local StemFormsCache cache;
    if (cache.version != version || cache.forms.size() >= StemFormsCache::kMaxEntries) {
        cache.forms.clear();
        cache.version = version;
    }
    auto it = cache.forms.find(stem_term);
    if (it == cache.forms.end()) it = cache.forms.emplace(stem_term, find_stem_forms(db, analyzer, lang, stem)).first;
    return it->second;
}

}  // namespace

OccurrenceCounter::OccurrenceCounter(Xapian::Database& db, const ParsedQuery& pq, const Analyzer& analyzer,
                                     Xapian::termcount max_wildcard, PassageKeys& passages)
    : db_(db), pq_(pq), analyzer_(analyzer), passages_(passages) {
    const std::string version = index_version(db);
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
                std::vector<std::size_t> forms = stem_forms(s, version, lang);
                if (!forms.empty()) r.stem_forms.emplace_back(lang, std::move(forms));
            }
        }
        if (r.items.size() > 1) phrase_starts_.insert(phrase_starts_.end(), r.items[0].begin(), r.items[0].end());
        resolved_.push_back(std::move(r));
    }
}

std::size_t OccurrenceCounter::term(const std::string& name) {
    if (auto it = term_ids_.find(name); it != term_ids_.end()) return it->second;
    terms_.push_back({name, db_.postlist_begin(name), db_.postlist_end(name), 0, 0, {}});
    term_ids_.emplace(name, terms_.size() - 1);
    return terms_.size() - 1;
}

// The indexed words whose stem in the stem term's language is the stem term's stem.
std::vector<std::size_t> OccurrenceCounter::stem_forms(const std::string& stem_term, const std::string& version,
                                                       std::string& lang) {
    const std::size_t colon = stem_term.find(':');
    if (colon == std::string::npos || colon < 2) return {};
    lang = stem_term.substr(1, colon - 1);
    std::vector<std::size_t> out;
    for (const std::string& word : cached_stem_forms(db_, analyzer_, version, stem_term, lang, stem_term.substr(colon + 1)))
        out.push_back(term(word));
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

// The positions of term @p t in passage @p did (empty when it has none).
const std::vector<Xapian::termpos>& OccurrenceCounter::positions(std::size_t t, Xapian::docid did) {
    Term& x = terms_[t];
    if (x.at == did) return x.positions;
    x.at = did;
    x.positions.clear();
    if (!present(t, did)) return x.positions;
    for (auto p = db_.positionlist_begin(did, x.name); p != db_.positionlist_end(did, x.name); ++p) x.positions.push_back(*p);
    return x.positions;
}

void OccurrenceCounter::occurrences(Xapian::docid did, const PassageKey& key, TextSpan text, std::vector<Occurrence>& out) {
    out.clear();
    if (text.count == 0) return;
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
            if (stem_lang == key.stem_lang)
                for (std::size_t t : forms)
                    for (Xapian::termpos pos : positions(t, did)) starts.push_back(pos);
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
        for (Xapian::termpos s : starts) {
            if (!text.covers(s) || !text.covers(s + span - 1)) continue;
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

bool OccurrenceCounter::present(std::size_t t, Xapian::docid did) {
    Term& x = terms_[t];
    // Asked for an earlier passage than the last one (a page of lines after the count):
    // open the posting list again.
    if (did < x.asked) x.it = db_.postlist_begin(x.name);
    x.asked = did;
    if (x.it != x.end && *x.it < did) x.it.skip_to(did);
    return x.it != x.end && *x.it == did;
}

// The terms that can start an occurrence in a passage of stem language @p stem_lang (every
// pattern's word forms, and the forms of the stems of that language), each with its
// counting term.
const std::vector<OccurrenceCounter::Counted>& OccurrenceCounter::counted_terms(const std::string& stem_lang) {
    // Passages of one language come in runs: the last language's terms first.
    if (last_counted_ && *last_lang_ == stem_lang) return *last_counted_;
    auto it = counted_.find(stem_lang);
    if (it == counted_.end()) it = counted_.emplace(stem_lang, counted_terms_of(stem_lang)).first;
    last_lang_ = &it->first;
    last_counted_ = &it->second;
    return it->second;
}

std::vector<OccurrenceCounter::Counted> OccurrenceCounter::counted_terms_of(const std::string& stem_lang) {
    std::vector<std::size_t> words;
    for (const Resolved& r : resolved_) {
        if (r.items.size() != 1) continue;  // phrases are read from positions
        words.insert(words.end(), r.items[0].begin(), r.items[0].end());
        for (const auto& [lang, forms] : r.stem_forms)
            if (lang == stem_lang) words.insert(words.end(), forms.begin(), forms.end());
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    std::vector<Counted> out;
    for (std::size_t w : words) {
        const std::string name = terms_[w].name;  // term() may move terms_
        out.push_back({w, term(schema::word_count_term(stem_lang, name))});
    }
    return out;
}

// How many of @p titles (one entry per posting) are terms an occurrence can start with in a
// passage of @p stem_lang: at most all of U, as every one is a posting U counts.
std::uint64_t OccurrenceCounter::title_postings(const std::vector<std::string>& titles, const std::string& stem_lang) {
    std::uint64_t n = 0;
    const std::vector<Counted>& counted = counted_terms(stem_lang);
    for (const std::string& t : titles) {
        const auto id = term_ids_.find(t);
        if (id == term_ids_.end()) continue;
        for (const Counted& c : counted) n += c.word == id->second;
    }
    return n;
}

std::uint32_t OccurrenceCounter::count_by_positions(Xapian::docid did, const PassageKey& key) {
    occurrences(did, key, passages_.text(did), scratch_);
    return static_cast<std::uint32_t>(scratch_.size());
}

std::uint32_t OccurrenceCounter::count(Xapian::docid did, const PassageKey& key) {
    for (std::size_t t : phrase_starts_)
        if (present(t, did)) return count_by_positions(did, key);
    std::uint64_t posted = 0, counted = 0;  // U and X of the file comment
    for (const Counted& c : counted_terms(key.stem_lang)) {
        const Xapian::termcount u = wdf(c.word, did);
        if (u == 0) continue;
        posted += u;
        counted += wdf(c.count, did);
    }
    if (posted == counted) return static_cast<std::uint32_t>(counted);  // 0 when no word stands here
    // The titles stand on every passage of a document: their postings taken out, U == X
    // still proves the count.
    if (key.title_terms && posted - title_postings(*key.title_terms, key.stem_lang) == counted)
        return static_cast<std::uint32_t>(counted);
    return count_by_positions(did, key);
}

}  // namespace strata
