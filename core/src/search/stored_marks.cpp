// Snippet marks of a stored passage from its stored token offsets (snippet.h): each word is
// cut from the text at its offsets and looked up (no word breaking); only the words that
// may be marked are analysed again, in full.
#include "index/token_offsets.h"
#include "search/mark_rules.h"
#include "search/snippet.h"
#include "strata/schema.h"
#include "text/morphology.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

namespace strata {

namespace {

// A word analysed alone, per thread, in a direct-mapped table: the words a page of
// snippets may mark are the query's few words, met again in passage after passage, and
// analysing one alone is deterministic (only its position and offsets vary, set by the
// caller).
class TokenTable {
public:
    TokenTable() : slots_(kSlots) {}
    // The tokens of @p word alone in @p lang: how many, and the first (when there is one).
    std::pair<std::size_t, const Token*> tokens(const Analyzer& analyzer, const std::string& lang, std::string_view word) {
        Slot& s = slots_[(std::hash<std::string_view>{}(word) ^ (std::hash<std::string_view>{}(lang) * 31)) & (kSlots - 1)];
        if (!s.filled || s.word != word || s.lang != lang) {
            std::vector<Token> one = analyzer.tokenize(word, lang);
            s.lang = lang;
            s.word = word;
            s.count = one.size();
            s.token = one.empty() ? Token{} : std::move(one[0]);
            s.filled = true;
        }
        return {s.count, s.count ? &s.token : nullptr};
    }

private:
    static constexpr std::size_t kSlots = 2048;  // about 400 KB per thread
    struct Slot {
        std::string lang, word;
        std::size_t count = 0;
        Token token;
        bool filled = false;
    };
    std::vector<Slot> slots_;
};

TokenTable& token_table() {
    thread_local TokenTable table;
    return table;
}

// What a set of rules makes of a word cut from a passage of one language: may be marked,
// cannot be, or does not analyse alone as one word.
enum class Verdict : std::uint8_t { kMarkable, kPlain, kNotOneWord };

// The verdicts on words, per thread, in a two-way set-associative table of compact slots
// (a word of up to kWordBytes bytes kept in its slot), each under the id of the rules and
// the language it was found for: a word that recurs in the passages of one request (a
// compare matrix reads hundreds of passages, some 80,000 words, 6,000 to 15,000 of them
// distinct) is looked up and stemmed once. A longer word is judged each time it is met.
class VerdictTable {
public:
    VerdictTable() : slots_(kSets * 2) {}
    // A small number for @p lang, the same for the thread's life (languages are few).
    std::uint16_t lang_id(const std::string& lang) {
        const auto it = std::find(langs_.begin(), langs_.end(), lang);
        if (it != langs_.end()) return static_cast<std::uint16_t>(it - langs_.begin());
        langs_.push_back(lang);
        return static_cast<std::uint16_t>(langs_.size() - 1);
    }
    // The verdict on @p word, or null when this table has none for these rules and language.
    const Verdict* find(std::uint64_t rules, std::uint16_t lang, std::string_view word) {
        if (word.size() > kWordBytes) return nullptr;
        hash_ = std::hash<std::string_view>{}(word) ^ (rules * 0x9e3779b97f4a7c15ULL) ^ lang;
        Slot* set = &slots_[(hash_ & (kSets - 1)) * 2];
        for (Slot* s = set; s < set + 2; ++s)
            if (s->hash == hash_ && s->rules == rules && s->lang == lang && s->len == word.size() &&
                std::memcmp(s->word, word.data(), word.size()) == 0) {
                set[0].recent = s == set;
                return &s->verdict;
            }
        return nullptr;
    }
    // Keeps @p v for the word of the last find(), in the way of its set not used last.
    void keep(std::uint64_t rules, std::uint16_t lang, std::string_view word, Verdict v) {
        if (word.size() > kWordBytes) return;
        Slot* set = &slots_[(hash_ & (kSets - 1)) * 2];
        Slot& s = set[0].recent ? set[1] : set[0];
        set[0].recent = &s == set;
        s.hash = hash_;
        s.rules = rules;
        s.lang = lang;
        s.len = static_cast<std::uint8_t>(word.size());
        s.verdict = v;
        std::memcpy(s.word, word.data(), word.size());
    }

private:
    static constexpr std::size_t kSets = 16384;    // 32,768 slots of 48 bytes: 1.5 MB per thread
    static constexpr std::size_t kWordBytes = 24;
    struct Slot {
        std::uint64_t hash = 0;
        std::uint64_t rules = 0;  // no MarkRules has id 0
        std::uint16_t lang = 0;
        std::uint8_t len = 0;
        Verdict verdict = Verdict::kPlain;
        bool recent = false;  // in a set's first slot: whether it was used last
        char word[kWordBytes] = {};
    };
    std::vector<Slot> slots_;
    std::vector<std::string> langs_;
    std::size_t hash_ = 0;  // of the last find()
};

// Turkish and Azeri case folding differs from ASCII's.
bool turkic(const std::string& lang) {
    const std::string l = Analyzer::stem_language(lang);
    return l == "tr" || l == "az";
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// What judging the words of one passage needs of its language, found once per passage.
struct PassageLanguage {
    const std::string& lang;
    bool stems;                    // whether the rules have stems in this language
    morphology::Stemmer* stemmer;  // this thread's for the language (it keeps every stem it made), or null
    bool turkic;

    PassageLanguage(const std::string& l, const MarkRules::Stems& s)
        : lang(l),
          stems(s.wanted),
          stemmer(s.wanted ? morphology::thread_stemmer(Analyzer::stem_language(l)) : nullptr),
          turkic(strata::turkic(l)) {}

    // Whether the stem of @p word (Analyzer::stem's, "" without a stemmer) is a highlight stem.
    [[nodiscard]] bool stem_marked(const MarkRules& rules, const MarkRules::Stems& s, std::string_view word) const {
        static const std::string none;
        return stems && rules.has_stem(s, stemmer ? (*stemmer)(word) : none);
    }
};

// Whether a word cut from a passage in @p pl's language may be marked (see marked_positions()).
Verdict judge(const Analyzer& analyzer, std::string_view raw, const PassageLanguage& pl, const MarkRules& rules,
              const MarkRules::Stems& stems) {
    bool hit = false;
    if (!pl.turkic && is_ascii(raw)) {
        std::string lower(raw);
        for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
        hit = rules.may_mark(lower) || pl.stem_marked(rules, stems, lower);
    } else {
        const auto [count, t] = token_table().tokens(analyzer, pl.lang, raw);
        if (count != 1) return Verdict::kNotOneWord;
        for (const std::string* form : {&t->text, &t->folded, &t->base}) hit = hit || (!form->empty() && rules.may_mark(*form));
        hit = hit || pl.stem_marked(rules, stems, t->text);
    }
    return hit ? Verdict::kMarkable : Verdict::kPlain;
}

// The positions of the passage text where a word stands that the rules may mark, found
// from the stored offsets alone: one of its forms is a highlight term or a form of a
// phrase word, begins like a wildcard, or has a highlight stem. A word in ASCII is its own
// lowercase (as the analyzer has it); any other is analysed alone. False when one does
// not analyse alone as one token. A word is judged once per request, give or take the
// table's collisions (VerdictTable).
bool marked_positions(const Analyzer& analyzer, const StoredPassage& p, const TokenOffsets& offsets,
                      const MarkRules& rules, const MarkRules::Stems& stems, std::vector<Xapian::termpos>& out) {
    thread_local VerdictTable verdicts;
    const std::uint16_t lang = verdicts.lang_id(p.lang);
    const PassageLanguage pl(p.lang, stems);
    for (std::size_t i = 0; i < offsets.entries.size(); ++i) {
        const TokenOffsets::Entry& e = offsets.entries[i];
        if (e.end <= e.start || e.end > p.text.size()) return false;
        const std::string_view raw = std::string_view(p.text).substr(e.start, e.end - e.start);
        const Verdict* known = verdicts.find(rules.id(), lang, raw);
        const Verdict v = known ? *known : judge(analyzer, raw, pl, rules, stems);
        if (!known) verdicts.keep(rules.id(), lang, raw, v);
        if (v == Verdict::kNotOneWord) return false;
        if (v == Verdict::kMarkable) out.push_back(offsets.first + static_cast<Xapian::termpos>(i));
    }
    return true;
}

// The tokens at @p positions, each analysed alone from its stored byte range; false when
// one is a Han or Kana word or does not analyse as one whole word.
bool tokens_at(const Analyzer& analyzer, const StoredPassage& p, const TokenOffsets& offsets,
               const std::vector<Xapian::termpos>& positions, std::vector<Token>& out) {
    out.reserve(positions.size());
    for (const Xapian::termpos pos : positions) {
        const TokenOffsets::Entry& e = offsets.at(pos);
        if (e.continues || e.end <= e.start || e.end > p.text.size()) return false;
        const auto [count, t] = token_table().tokens(analyzer, p.lang, std::string_view(p.text).substr(e.start, e.end - e.start));
        if (count != 1 || t->start != 0 || t->end != e.end - e.start || t->kind == TokenKind::kCjk) return false;
        out.push_back(*t);
        out.back().pos = pos;
        out.back().start = e.start;
        out.back().end = e.end;
    }
    return true;
}

}  // namespace

std::optional<std::vector<SnippetMark>> marks_from_index(const Analyzer& analyzer, const StoredPassage& p,
                                                         const MarkRules& rules) {
    if (rules.empty() || p.text.empty()) return std::vector<SnippetMark>{};
    const std::string read_here = p.offsets ? std::string() : p.doc.get_value(schema::kSlotOffsets);
    const TokenOffsets offsets = decode_offsets(p.offsets ? *p.offsets : read_here);  // no copy of the value
    // Han and Kana words of several characters are marked by character and by bigram,
    // which the terms of the passage do not tell.
    const bool cjk = std::any_of(offsets.entries.begin(), offsets.entries.end(),
                                 [](const TokenOffsets::Entry& e) { return e.continues; });
    if (offsets.entries.empty() || cjk) return std::nullopt;
    std::vector<Token> tokens;
    const MarkRules::Stems stems = rules.stems(p.lang);
    std::vector<Xapian::termpos> positions;
    if (!marked_positions(analyzer, p, offsets, rules, stems, positions) || !tokens_at(analyzer, p, offsets, positions, tokens))
        return std::nullopt;
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
