#include "search/snippet.h"

#include "strata/text.h"

#include <algorithm>
#include <string_view>
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

std::vector<Range> match_ranges(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                const std::set<std::string>& terms) {
    std::vector<Range> out;
    if (terms.empty() || text.empty()) return out;
    // Every token is looked up several times: hash the terms once.
    const std::unordered_set<std::string_view> term_set(terms.begin(), terms.end());
    auto has = [&](std::string_view t) { return term_set.count(t) > 0; };
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
    std::string run_prev;
    auto flush_run = [&] {
        for (std::size_t k = 0; k < run_chars.size(); ++k) {
            const std::string one = text.substr(run_chars[k].first, run_chars[k].second - run_chars[k].first);
            if (has(one)) out.push_back(run_chars[k]);
            if (k + 1 < run_chars.size()) {
                const std::string two = text.substr(run_chars[k].first, run_chars[k + 1].second - run_chars[k].first);
                // Bigrams are of normalised text; the source may differ (full width) — compare normalised.
                if (has(analyzer.normalize(two, lang))) out.emplace_back(run_chars[k].first, run_chars[k + 1].second);
            }
        }
        run_chars.clear();
    };
    std::uint32_t run_end = 0;
    std::string stem = stem_prefix;
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::kCjk) {
            if (!run_chars.empty() && t.start != run_end) flush_run();
            for (std::size_t i = t.start; i < t.end;) {
                const std::size_t b = i;
                text::decode_utf8(text, i);
                run_chars.emplace_back(static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(i));
            }
            run_end = t.end;
            if (has(t.text)) out.emplace_back(t.start, t.end);
            continue;
        }
        flush_run();
        bool stem_hit = false;
        if (!t.stem.empty()) {
            stem.resize(stem_prefix.size());
            stem += t.stem;
            stem_hit = has(stem);
        }
        const bool hit = has(t.text) || (!t.folded.empty() && has(t.folded)) || (!t.base.empty() && has(t.base)) || stem_hit ||
                         (has_wildcards && (prefix_match(terms, t.text) || (!t.folded.empty() && prefix_match(terms, t.folded))));
        if (hit) out.emplace_back(t.start, t.end);
    }
    flush_run();
    std::sort(out.begin(), out.end());
    std::vector<Range> merged;
    for (const Range& r : out) {
        if (!merged.empty() && r.first <= merged.back().second) merged.back().second = std::max(merged.back().second, r.second);
        else merged.push_back(r);
    }
    return merged;
}

std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                         const std::set<std::string>& terms, std::size_t max_bytes) {
    const std::vector<Range> marks = match_ranges(analyzer, text, lang, terms);
    const auto size = static_cast<std::uint32_t>(text.size());
    std::uint32_t from = 0;
    if (!marks.empty() && size > max_bytes) {
        // The window holding the most marks, starting a little before its first mark.
        std::size_t best = 0, best_count = 0;
        for (std::size_t i = 0; i < marks.size(); ++i) {
            std::size_t count = 0;
            for (std::size_t j = i; j < marks.size() && marks[j].second <= marks[i].first + max_bytes; ++j) ++count;
            if (count > best_count) best = i, best_count = count;
        }
        const std::uint32_t lead = static_cast<std::uint32_t>(max_bytes / 5);
        from = marks[best].first > lead ? marks[best].first - lead : 0;
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
                          const std::set<std::string>& terms) {
    return render(text, 0, static_cast<std::uint32_t>(text.size()), match_ranges(analyzer, text, lang, terms));
}

}  // namespace strata
