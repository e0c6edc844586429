#include "strata/lexicon.h"

#include "strata/text.h"

#include <algorithm>
#include <set>

namespace strata {

namespace {

bool unspaced_kind(TokenKind k) { return k == TokenKind::kCjk || k == TokenKind::kSouthEastAsian; }

std::string joined_keys(const std::vector<Token>& tokens, bool stemmed) {
    std::string key;
    for (const Token& t : tokens) {
        if (!key.empty() && !unspaced_kind(t.kind)) key += ' ';
        if (unspaced_kind(t.kind)) key += t.text;
        else if (stemmed) key += match_key(t);
        else key += t.folded.empty() ? t.text : t.folded;
    }
    return key;
}

}  // namespace

std::string match_key(const Token& t) {
    if (t.kind == TokenKind::kHangul) return t.base.empty() ? t.text : t.base;
    if (t.kind != TokenKind::kWord) return t.text;
    return Analyzer::fold(t.stem.empty() ? t.text : t.stem);
}

LexiconMatcher::LexiconMatcher(const Analyzer& analyzer, const ReferenceData& ref) : analyzer_(analyzer), ref_(ref) {
    for (std::size_t i = 0; i < ref.themes.size(); ++i)
        for (const auto& [lang, terms] : ref.themes[i].lexicon)
            for (const std::string& term : terms) add(lang, term, true, i);
    for (std::size_t i = 0; i < ref.concepts.size(); ++i) {
        for (const auto& [lang, terms] : ref.concepts[i].terms) {
            for (const std::string& term : terms) {
                add(lang, term, false, i);
                // Query-side keys: folded text, and stemmed text in the term's language.
                std::vector<Token> toks = analyzer_.tokenize(term, lang);
                analyzer_.stem_tokens(toks, lang);
                if (toks.empty()) continue;
                std::string folded_key("=");
                folded_key.append(joined_keys(toks, false));
                std::string stem_key = Analyzer::stem_language(lang);
                stem_key.append(":").append(joined_keys(toks, true));
                for (const std::string& key : {folded_key, stem_key}) {
                    auto& v = concept_keys_[key];
                    if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
                }
            }
        }
    }
    std::set<std::string> langs;
    for (const Concept& c : ref_.concepts)
        for (const auto& kv : c.terms) langs.insert(Analyzer::stem_language(kv.first));
    for (const std::string& lang : langs)
        if (Analyzer::has_stemmer(lang)) concept_stem_langs_.push_back(lang);
}

void LexiconMatcher::add(const std::string& lang, const std::string& term, bool theme, std::size_t index) {
    std::vector<Token> toks = analyzer_.tokenize(term, lang);
    analyzer_.stem_tokens(toks, lang);
    if (toks.empty()) return;
    Entry e;
    e.theme = theme;
    e.index = index;
    for (const Token& t : toks) {
        if (unspaced_kind(t.kind)) e.unspaced += t.text;
        else if (e.unspaced.empty()) e.keys.push_back(match_key(t));
    }
    if (e.unspaced.empty() && e.keys.empty()) return;
    Table& table = tables_[text::ascii_lower(lang)];
    std::vector<std::size_t>& bucket = e.unspaced.empty() ? table.by_first[e.keys.front()] : table.unspaced;
    // Two entries of one theme that normalise alike ("industry", "industrial") would count one
    // word twice, and only in the languages whose stemmer merges them: keep the first.
    const bool duplicate = theme && std::any_of(bucket.begin(), bucket.end(), [&](std::size_t other) {
        const Entry& o = entries_[other];
        return o.theme && o.index == index && o.keys == e.keys && o.unspaced == e.unspaced;
    });
    if (duplicate) return;
    bucket.push_back(entries_.size());
    entries_.push_back(std::move(e));
}

const LexiconMatcher::Table* LexiconMatcher::table_for(std::string_view lang) const {
    const std::string l = text::ascii_lower(lang);
    if (auto it = tables_.find(l); it != tables_.end()) return &it->second;
    const std::string base = l.substr(0, l.find('-'));
    if (auto it = tables_.find(base); it != tables_.end()) return &it->second;
    if (base == "zh") {  // zh without script: Simplified
        if (auto it = tables_.find("zh-hans"); it != tables_.end()) return &it->second;
    }
    if (base == "no" || base == "nn") {
        if (auto it = tables_.find("nb"); it != tables_.end()) return &it->second;
    }
    return nullptr;
}

LexiconHits LexiconMatcher::match(const std::vector<Token>& tokens, std::string_view lang) const {
    LexiconHits hits;
    const Table* table = table_for(lang);
    if (!table) return hits;
    auto count = [&](const Entry& e) {
        if (e.theme) ++hits.themes[ref_.themes[e.index].id];
        else ++hits.concepts[ref_.concepts[e.index].id];
    };
    std::vector<std::string> keys;
    keys.reserve(tokens.size());
    std::string unspaced;
    std::uint32_t last_end = 0;
    for (const Token& t : tokens) {
        keys.push_back(match_key(t));
        if (unspaced_kind(t.kind)) {
            if (!unspaced.empty() && t.start != last_end) unspaced += '\x01';
            unspaced += t.text;
            last_end = t.end;
        }
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto it = table->by_first.find(keys[i]);
        if (it == table->by_first.end()) continue;
        for (std::size_t id : it->second) {
            const Entry& e = entries_[id];
            if (i + e.keys.size() > keys.size()) continue;
            if (std::equal(e.keys.begin() + 1, e.keys.end(), keys.begin() + static_cast<std::ptrdiff_t>(i) + 1)) count(e);
        }
    }
    if (!unspaced.empty()) {
        for (std::size_t id : table->unspaced) {
            const Entry& e = entries_[id];
            for (std::size_t pos = unspaced.find(e.unspaced); pos != std::string::npos;
                 pos = unspaced.find(e.unspaced, pos + e.unspaced.size()))
                count(e);
        }
    }
    return hits;
}

std::vector<std::size_t> LexiconMatcher::concepts_for_query(const std::vector<Token>& tokens) const {
    std::vector<std::size_t> out;
    if (tokens.empty()) return out;
    auto take = [&](const std::string& key) {
        auto it = concept_keys_.find(key);
        if (it == concept_keys_.end()) return;
        for (std::size_t i : it->second)
            if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    };
    std::string folded_key("=");
    folded_key.append(joined_keys(tokens, false));
    take(folded_key);
    for (const std::string& lang : concept_stem_langs_) {
        std::vector<Token> t = tokens;
        analyzer_.stem_tokens(t, lang);
        std::string key = lang;
        key.append(":").append(joined_keys(t, true));
        take(key);
    }
    return out;
}

std::vector<std::string> LexiconMatcher::theme_languages() const {
    std::set<std::string> langs;
    for (const Theme& t : ref_.themes)
        for (const auto& kv : t.lexicon) langs.insert(kv.first);
    return {langs.begin(), langs.end()};
}

}  // namespace strata
