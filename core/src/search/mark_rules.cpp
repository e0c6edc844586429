#include "search/mark_rules.h"

#include <algorithm>
#include <atomic>
#include <set>

namespace strata {

namespace {

bool has_form(const std::vector<std::string>& forms, const Token& t) {
    for (const std::string& f : forms)
        if (f == t.text || (!t.folded.empty() && f == t.folded) || (!t.base.empty() && f == t.base)) return true;
    return false;
}

}  // namespace

MarkRules::MarkRules(const Highlight& highlight) : h_(highlight) {
    static std::atomic<std::uint64_t> made{0};
    id_ = ++made;
    empty_ = highlight.terms.empty() && highlight.phrases.empty();
    terms_.reserve(highlight.terms.size());
    terms_.insert(highlight.terms.begin(), highlight.terms.end());
    markable_ = terms_;
    typed_.insert(highlight.typed.begin(), highlight.typed.end());
    for (const std::string& t : highlight.terms)
        if (t.size() >= 2 && t.back() == '*') prefixes_.emplace_back(std::string_view(t).substr(0, t.size() - 1));
    for (std::size_t i = 0; i < highlight.phrases.size(); ++i) {
        for (const std::string& f : highlight.phrases[i].front()) by_first_.emplace(f, i);
        for (const std::vector<std::string>& word : highlight.phrases[i]) markable_.insert(word.begin(), word.end());
    }
}

MarkRules::Stems MarkRules::stems(std::string_view lang) const {
    Stems s;
    s.prefix.append("Z").append(Analyzer::stem_language(lang)).append(":");
    const auto first = h_.terms.lower_bound(s.prefix);
    s.wanted = first != h_.terms.end() && first->compare(0, s.prefix.size(), s.prefix) == 0;
    return s;
}

bool MarkRules::prefix_match(std::string_view word) const {
    for (std::string_view p : prefixes_)
        if (word.substr(0, p.size()) == p) return true;
    return false;
}

bool MarkRules::has_stem(const Stems& s, std::string_view stem) const {
    s.term.assign(s.prefix).append(stem);
    return has(s.term);
}

void MarkRules::mark_word(const Token& t, const Stems& s, std::vector<SnippetMark>& out) const {
    bool marked = false;
    for (const std::string* form : {&t.text, &t.folded, &t.base}) {
        if (form->empty() || !has(*form)) continue;
        out.push_back({t.start, t.end, weight(*form)});
        marked = true;
        break;
    }
    if (!marked && !t.stem.empty() && has_stem(s, t.stem)) out.push_back({t.start, t.end, weight(s.term)});
    if (has_wildcards() && (prefix_match(t.text) || (!t.folded.empty() && prefix_match(t.folded))))
        out.push_back({t.start, t.end, 2});
}

void MarkRules::mark_phrases(const std::vector<const Token*>& words, std::size_t i, std::vector<SnippetMark>& out) const {
    std::set<std::size_t> candidates;
    for (const std::string* f : {&words[i]->text, &words[i]->folded, &words[i]->base}) {
        if (f->empty()) continue;
        const auto [b, e] = by_first_.equal_range(*f);
        for (auto it = b; it != e; ++it) candidates.insert(it->second);
    }
    for (const std::size_t p : candidates) {
        const auto& phrase = h_.phrases[p];
        if (i + phrase.size() > words.size()) continue;
        bool all = true;
        for (std::size_t k = 1; k < phrase.size() && all; ++k) all = has_form(phrase[k], *words[i + k]);
        if (all) out.push_back({words[i]->start, words[i + phrase.size() - 1]->end, static_cast<int>(phrase.size())});
    }
}

void sort_marks(std::vector<SnippetMark>& marks) {
    std::sort(marks.begin(), marks.end(), [](const SnippetMark& a, const SnippetMark& b) {
        if (a.start != b.start) return a.start < b.start;
        return a.end != b.end ? a.end < b.end : a.weight < b.weight;
    });
}

}  // namespace strata
