#include "search/snippet.h"

#include "strata/text.h"

#include <algorithm>
#include <string_view>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace strata {

namespace {

using Range = std::pair<std::uint32_t, std::uint32_t>;

bool prefix_match(const std::set<std::string>& terms, const std::string& word) {
    for (auto it = terms.begin(); it != terms.end(); ++it) {
        const std::string& t = *it;
        if (t.size() < 2 || t.back() != '*') continue;
        if (word.compare(0, t.size() - 1, t, 0, t.size() - 1) == 0) return true;
    }
    return false;
}

std::string render(const std::string& text, std::uint32_t from, std::uint32_t to, const std::vector<Range>& marks) {
    std::string out;
    std::uint32_t at = from;
    for (const Range& r : marks) {
        if (r.second <= from || r.first >= to) continue;
        const std::uint32_t s = std::max(r.first, from), e = std::min(r.second, to);
        text::append_html_escaped(out, std::string_view(text).substr(at, s - at));
        out += "<mark>";
        text::append_html_escaped(out, std::string_view(text).substr(s, e - s));
        out += "</mark>";
        at = e;
    }
    text::append_html_escaped(out, std::string_view(text).substr(at, to - at));
    return out;
}

}  // namespace

namespace {

// The phrases of @p h by the forms of their first word.
std::unordered_multimap<std::string_view, std::size_t> phrases_by_first_word(const Highlight& h) {
    std::unordered_multimap<std::string_view, std::size_t> out;
    for (std::size_t i = 0; i < h.phrases.size(); ++i)
        for (const std::string& f : h.phrases[i].front()) out.emplace(f, i);
    return out;
}

bool has_form(const std::vector<std::string>& forms, const Token& t) {
    for (const std::string& f : forms)
        if (f == t.text || (!t.folded.empty() && f == t.folded) || (!t.base.empty() && f == t.base)) return true;
    return false;
}

// Marks every phrase of @p h that starts at word @p i of @p words (the tokens that are no
// CJK run), in order.
void mark_phrases(const Highlight& h, const std::unordered_multimap<std::string_view, std::size_t>& by_first,
                  const std::vector<const Token*>& words, std::size_t i, std::vector<SnippetMark>& out) {
    std::set<std::size_t> candidates;
    for (const std::string* f : {&words[i]->text, &words[i]->folded, &words[i]->base}) {
        if (f->empty()) continue;
        const auto [b, e] = by_first.equal_range(*f);
        for (auto it = b; it != e; ++it) candidates.insert(it->second);
    }
    for (const std::size_t p : candidates) {
        const auto& phrase = h.phrases[p];
        if (i + phrase.size() > words.size()) continue;
        bool all = true;
        for (std::size_t k = 1; k < phrase.size() && all; ++k) all = has_form(phrase[k], *words[i + k]);
        if (all) out.push_back({words[i]->start, words[i + phrase.size() - 1]->end, static_cast<int>(phrase.size())});
    }
}

}  // namespace

std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                    const Highlight& highlight) {
    std::vector<SnippetMark> out;
    const std::set<std::string>& terms = highlight.terms;
    if ((terms.empty() && highlight.phrases.empty()) || text.empty()) return out;
    // Every token is looked up several times: hash the terms once.
    const std::unordered_set<std::string_view> term_set(terms.begin(), terms.end());
    const std::unordered_set<std::string_view> typed(highlight.typed.begin(), highlight.typed.end());
    auto has = [&](std::string_view t) { return term_set.count(t) > 0; };
    // A word as typed weighs more than a translation of it.
    auto weight = [&](std::string_view t) { return typed.count(t) ? 2 : 1; };
    std::vector<Token> tokens = analyzer.tokenize(text, lang);
    std::string stem_prefix("Z");
    stem_prefix.append(Analyzer::stem_language(lang)).append(":");
    // Stems are only worth computing when the query has stem terms of this language.
    const auto first_stem = terms.lower_bound(stem_prefix);
    if (first_stem != terms.end() && first_stem->compare(0, stem_prefix.size(), stem_prefix) == 0)
        analyzer.stem_tokens(tokens, lang);
    bool has_wildcards = false;
    for (const std::string& t : terms)
        if (!t.empty() && t.back() == '*') has_wildcards = true;

    // Han/Kana runs: characters with their byte ranges.
    std::vector<Range> run_chars;
    auto flush_run = [&] {
        for (std::size_t k = 0; k < run_chars.size(); ++k) {
            const std::string one = text.substr(run_chars[k].first, run_chars[k].second - run_chars[k].first);
            if (has(one)) out.push_back({run_chars[k].first, run_chars[k].second, weight(one)});
            if (k + 1 < run_chars.size()) {
                const std::string two = text.substr(run_chars[k].first, run_chars[k + 1].second - run_chars[k].first);
                // Bigrams are of normalised text; the source may differ (full width) — compare normalised.
                const std::string bigram = analyzer.normalize(two, lang);
                if (has(bigram)) out.push_back({run_chars[k].first, run_chars[k + 1].second, weight(bigram)});
            }
        }
        run_chars.clear();
    };
    std::uint32_t run_end = 0;
    std::string stem = stem_prefix;
    std::vector<const Token*> words;  // the tokens outside CJK runs, for phrases
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::kCjk) {
            if (!run_chars.empty() && t.start != run_end) flush_run();
            for (std::size_t i = t.start; i < t.end;) {
                const std::size_t b = i;
                text::decode_utf8(text, i);
                run_chars.emplace_back(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(i));
            }
            run_end = t.end;
            if (has(t.text)) out.push_back({t.start, t.end, weight(t.text)});
            continue;
        }
        flush_run();
        words.push_back(&t);
        if (!t.stem.empty()) {
            stem.resize(stem_prefix.size());
            stem += t.stem;
        }
        for (const std::string* form : {&t.text, &t.folded, &t.base, t.stem.empty() ? &t.stem : &stem}) {
            if (form->empty() || !has(*form)) continue;
            out.push_back({t.start, t.end, weight(*form)});
            break;
        }
        if (has_wildcards && (prefix_match(terms, t.text) || (!t.folded.empty() && prefix_match(terms, t.folded))))
            out.push_back({t.start, t.end, 2});
    }
    flush_run();
    if (!highlight.phrases.empty()) {
        const auto by_first = phrases_by_first_word(highlight);
        for (std::size_t i = 0; i < words.size(); ++i) mark_phrases(highlight, by_first, words, i, out);
    }
    std::sort(out.begin(), out.end(), [](const SnippetMark& a, const SnippetMark& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
    });
    return out;
}

std::vector<Range> match_ranges(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                const Highlight& highlight) {
    std::vector<Range> merged;
    for (const SnippetMark& m : find_marks(analyzer, text, lang, highlight)) {
        if (!merged.empty() && m.start <= merged.back().second) merged.back().second = std::max(merged.back().second, m.end);
        else merged.emplace_back(m.start, m.end);
    }
    return merged;
}

std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                         const Highlight& highlight, std::size_t max_bytes) {
    const std::vector<SnippetMark> found = find_marks(analyzer, text, lang, highlight);
    const std::vector<Range> marks = match_ranges(analyzer, text, lang, highlight);
    const auto size = static_cast<std::uint32_t>(text.size());
    std::uint32_t from = 0;
    if (!found.empty() && size > max_bytes) {
        // The window with the strongest matches (the greatest sum of weights), starting a
        // little before its first match.
        std::size_t best = 0;
        long best_weight = 0;
        for (std::size_t i = 0; i < found.size(); ++i) {
            long weight = 0;
            for (std::size_t j = i; j < found.size() && found[j].end <= found[i].start + max_bytes; ++j) weight += found[j].weight;
            if (weight > best_weight) best = i, best_weight = weight;
        }
        const std::uint32_t lead = static_cast<std::uint32_t>(max_bytes / 5);
        from = found[best].start > lead ? found[best].start - lead : 0;
    }
    std::uint32_t to = static_cast<std::uint32_t>(std::min<std::size_t>(size, from + max_bytes));
    if (to < size && to > from + max_bytes / 2) {  // end at a space where one is near
        const auto sp = text.rfind(' ', to);
        if (sp != std::string::npos && sp > from + max_bytes / 2) to = static_cast<std::uint32_t>(sp);
    }
    if (from > 0) {  // start after a space where one is near
        const auto sp = text.find(' ', from);
        if (sp != std::string::npos && sp < from + 40 && (marks.empty() || sp < marks.front().first || true)) {
            bool cuts_mark = false;
            for (const Range& r : marks)
                if (r.first <= sp && sp < r.second) cuts_mark = true;
            if (!cuts_mark) from = static_cast<std::uint32_t>(sp + 1);
        }
    }
    // Never cut inside a UTF-8 sequence.
    while (from < size && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    while (to < size && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
    std::string out = from > 0 ? "\xE2\x80\xA6" : "";
    out += render(text, from, to, marks);
    if (to < size) out += "\xE2\x80\xA6";
    return out;
}

std::string highlight_all(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                          const Highlight& highlight) {
    return render(text, 0, static_cast<std::uint32_t>(text.size()), match_ranges(analyzer, text, lang, highlight));
}

}  // namespace strata
