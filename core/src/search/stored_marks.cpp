// Snippet marks of a stored passage, read from the index (snippet.h): the marked words are
// found among the passage's terms, placed by their positions and the stored token offsets,
// and only those words are analysed again.
#include "index/token_offsets.h"
#include "search/mark_rules.h"
#include "search/snippet.h"
#include "strata/schema.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace strata {

namespace {

// Prefixed terms begin with a capital ASCII letter; words are case folded.
bool is_word_term(const std::string& t) { return !t.empty() && !(t[0] >= 'A' && t[0] <= 'Z'); }

// The stems of words of one language, per thread, in a direct-mapped table: a look-up
// probes one slot, and most words of a passage recur in the next passages.
class StemTable {
public:
    explicit StemTable(std::string lang) : lang_(std::move(lang)), slots_(kSlots) {}
    const std::string& stem(const Analyzer& analyzer, const std::string& word) {
        Slot& s = slots_[std::hash<std::string_view>{}(word) & (kSlots - 1)];
        if (!s.filled || s.word != word) {
            s.word = word;
            s.stem = analyzer.stem(word, lang_);
            s.filled = true;
        }
        return s.stem;
    }

private:
    static constexpr std::size_t kSlots = 4096;
    struct Slot {
        std::string word, stem;
        bool filled = false;
    };
    std::string lang_;
    std::vector<Slot> slots_;
};

StemTable& stem_table(const std::string& lang) {
    thread_local std::unordered_map<std::string, std::unique_ptr<StemTable>> tables;
    std::unique_ptr<StemTable>& t = tables[lang];
    if (!t) t = std::make_unique<StemTable>(lang);
    return *t;
}

// The positions of @p t that lie in the passage text.
void add_positions(const Xapian::TermIterator& t, const TokenOffsets& offsets, std::vector<Xapian::termpos>& out) {
    for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos)
        if (offsets.covers(*pos)) out.push_back(*pos);
}

// The positions of the passage text where a word stands that the rules may mark: one of
// its forms is a highlight term or a form of a phrase word, begins like a wildcard, or
// (the word itself) has a stem whose term is both in the highlight and in the passage (a
// word of the text adds its stem term to the passage). Sorted, unique.
std::vector<Xapian::termpos> marked_positions(const Analyzer& analyzer, const StoredPassage& p, const MarkRules& rules,
                                              const MarkRules::Stems& stems, const TokenOffsets& offsets) {
    std::vector<Xapian::termpos> out;
    std::vector<std::string> stems_here;  // the highlight's stems that the passage has
    // Words that sort before the stem terms (they begin with a digit), kept until all the
    // passage's stem terms are known, with their positions.
    std::vector<std::pair<std::string, std::vector<Xapian::termpos>>> early;
    StemTable* table = stems.wanted ? &stem_table(p.lang) : nullptr;
    auto has_stem_here = [&](const std::string& word) {
        if (stems_here.empty()) return false;
        const std::string& stem = table->stem(analyzer, word);
        return std::find(stems_here.begin(), stems_here.end(), stem) != stems_here.end();
    };
    for (auto t = p.doc.termlist_begin(); t != p.doc.termlist_end(); ++t) {
        const std::string term = *t;
        if (!is_word_term(term)) {
            if (table && term.compare(0, stems.prefix.size(), stems.prefix) == 0 && rules.has(term))
                stems_here.push_back(term.substr(stems.prefix.size()));
            continue;
        }
        if (rules.has(term) || rules.in_phrase(term) || (rules.has_wildcards() && rules.prefix_match(term))) {
            add_positions(t, offsets, out);
        } else if (table && term < stems.prefix) {
            early.emplace_back(term, std::vector<Xapian::termpos>{});
            add_positions(t, offsets, early.back().second);
        } else if (table && has_stem_here(term)) {
            add_positions(t, offsets, out);
        }
    }
    for (const auto& [word, positions] : early)
        if (has_stem_here(word)) out.insert(out.end(), positions.begin(), positions.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// The tokens at @p positions, each analysed alone from its stored byte range; false when
// one is a Han or Kana word or does not analyse as one whole word.
bool tokens_at(const Analyzer& analyzer, const StoredPassage& p, const TokenOffsets& offsets,
               const std::vector<Xapian::termpos>& positions, std::vector<Token>& out) {
    out.reserve(positions.size());
    for (const Xapian::termpos pos : positions) {
        const TokenOffsets::Entry& e = offsets.at(pos);
        if (e.continues || e.end <= e.start || e.end > p.text.size()) return false;
        std::vector<Token> one = analyzer.tokenize(std::string_view(p.text).substr(e.start, e.end - e.start), p.lang, pos);
        if (one.size() != 1 || one[0].start != 0 || one[0].end != e.end - e.start || one[0].kind == TokenKind::kCjk)
            return false;
        one[0].start = e.start;
        one[0].end = e.end;
        out.push_back(std::move(one[0]));
    }
    return true;
}

}  // namespace

std::optional<std::vector<SnippetMark>> marks_from_index(const Analyzer& analyzer, const StoredPassage& p,
                                                         const MarkRules& rules) {
    if (rules.empty() || p.text.empty()) return std::vector<SnippetMark>{};
    const TokenOffsets offsets = decode_offsets(p.doc.get_value(schema::kSlotOffsets));
    // Han and Kana words of several characters are marked by character and by bigram,
    // which the terms of the passage do not tell.
    const bool cjk = std::any_of(offsets.entries.begin(), offsets.entries.end(),
                                 [](const TokenOffsets::Entry& e) { return e.continues; });
    if (offsets.entries.empty() || cjk) return std::nullopt;
    std::vector<Token> tokens;
    const MarkRules::Stems stems = rules.stems(p.lang);
    if (!tokens_at(analyzer, p, offsets, marked_positions(analyzer, p, rules, stems, offsets), tokens)) return std::nullopt;
    if (stems.wanted) analyzer.stem_tokens(tokens, p.lang);

    std::vector<SnippetMark> out;
    for (const Token& t : tokens) rules.mark_word(t, stems, out);
    if (!rules.highlight().phrases.empty()) {
        // A phrase stands on consecutive positions, each of them a marked position.
        std::vector<const Token*> run;
        for (std::size_t i = 0; i <= tokens.size(); ++i) {
            if (i == tokens.size() || (!run.empty() && tokens[i].pos != run.back()->pos + 1)) {
                for (std::size_t k = 0; k < run.size(); ++k) rules.mark_phrases(run, k, out);
                run.clear();
            }
            if (i < tokens.size()) run.push_back(&tokens[i]);
        }
    }
    sort_marks(out);
    return out;
}

std::vector<SnippetMark> find_marks(const Analyzer& analyzer, const StoredPassage& p, const MarkRules& rules) {
    std::optional<std::vector<SnippetMark>> marks = marks_from_index(analyzer, p, rules);
    return marks ? std::move(*marks) : find_marks(analyzer, p.text, p.lang, rules);
}

}  // namespace strata
