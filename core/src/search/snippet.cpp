#include "search/snippet.h"

#include "search/mark_rules.h"
#include "strata/text.h"

#include <algorithm>
#include <string_view>

namespace strata {

namespace {

using Range = std::pair<std::uint32_t, std::uint32_t>;

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

std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                    const Highlight& highlight) {
    return find_marks(analyzer, text, lang, MarkRules(highlight));
}

std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                    const MarkRules& rules) {
    std::vector<SnippetMark> out;
    if (rules.empty() || text.empty()) return out;
    std::vector<Token> tokens = analyzer.tokenize(text, lang);
    const MarkRules::Stems stems = rules.stems(lang);
    if (stems.wanted) analyzer.stem_tokens(tokens, lang);

    // Han/Kana runs: characters with their byte ranges.
    std::vector<Range> run_chars;
    auto flush_run = [&] {
        for (std::size_t k = 0; k < run_chars.size(); ++k) {
            const std::string one = text.substr(run_chars[k].first, run_chars[k].second - run_chars[k].first);
            if (rules.has(one)) out.push_back({run_chars[k].first, run_chars[k].second, rules.weight(one)});
            if (k + 1 < run_chars.size()) {
                const std::string two = text.substr(run_chars[k].first, run_chars[k + 1].second - run_chars[k].first);
                // Bigrams are of normalised text; the source may differ (full width) — compare normalised.
                const std::string bigram = analyzer.normalize(two, lang);
                if (rules.has(bigram)) out.push_back({run_chars[k].first, run_chars[k + 1].second, rules.weight(bigram)});
            }
        }
        run_chars.clear();
    };
    std::uint32_t run_end = 0;
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
            if (rules.has(t.text)) out.push_back({t.start, t.end, rules.weight(t.text)});
            continue;
        }
        flush_run();
        words.push_back(&t);
        rules.mark_word(t, stems, out);
    }
    flush_run();
    if (!rules.highlight().phrases.empty())
        for (std::size_t i = 0; i < words.size(); ++i) rules.mark_phrases(words, i, out);
    sort_marks(out);
    return out;
}

namespace {

std::vector<Range> merged(const std::vector<SnippetMark>& found) {
    std::vector<Range> out;
    for (const SnippetMark& m : found) {
        if (!out.empty() && m.start <= out.back().second) out.back().second = std::max(out.back().second, m.end);
        else out.emplace_back(m.start, m.end);
    }
    return out;
}

std::string snippet_of(const std::string& text, const std::vector<SnippetMark>& found, std::size_t max_bytes) {
    const std::vector<Range> marks = merged(found);
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
    if (from > 0) {  // start after a space where one is near, unless that cuts a mark
        const auto sp = text.find(' ', from);
        if (sp != std::string::npos && sp < from + 40) {
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

}  // namespace

std::vector<Range> match_ranges(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                                const Highlight& highlight) {
    return merged(find_marks(analyzer, text, lang, highlight));
}

std::vector<Range> match_ranges(const Analyzer& analyzer, const StoredPassage& passage, const MarkRules& rules) {
    return merged(find_marks(analyzer, passage, rules));
}

std::string make_snippet(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                         const Highlight& highlight, std::size_t max_bytes) {
    return snippet_of(text, find_marks(analyzer, text, lang, highlight), max_bytes);
}

std::string make_snippet(const Analyzer& analyzer, const StoredPassage& passage, const MarkRules& rules,
                         std::size_t max_bytes) {
    return snippet_of(passage.text, find_marks(analyzer, passage, rules), max_bytes);
}

std::string highlight_all(const Analyzer& analyzer, const std::string& text, const std::string& lang,
                          const Highlight& highlight) {
    return render(text, 0, static_cast<std::uint32_t>(text.size()), match_ranges(analyzer, text, lang, highlight));
}

std::string highlight_all(const Analyzer& analyzer, const StoredPassage& passage, const MarkRules& rules) {
    return render(passage.text, 0, static_cast<std::uint32_t>(passage.text.size()), match_ranges(analyzer, passage, rules));
}

}  // namespace strata
