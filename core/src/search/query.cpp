#include "strata/query.h"

#include "search/query_lexer.h"
#include "strata/errors.h"
#include "strata/reference.h"
#include "strata/schema.h"
#include "strata/text.h"
#include "text/stopwords.h"
#include "text/translate.h"

#include <algorithm>
#include <map>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace strata {

namespace {

using query_syntax::Lexeme;
using query_syntax::SyntaxError;
using query_syntax::Tok;

// ---------------------------------------------------------------- term building
bool script_is(const std::string& s, UScriptCode want) {
    std::size_t i = 0;
    while (i < s.size()) {
        const char32_t c = text::decode_utf8(s, i);
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode sc = uscript_getScript(static_cast<UChar32>(c), &err);
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) continue;
        return sc == want;
    }
    return false;
}

// The script a stemmed language is written in; USCRIPT_COMMON when several (Serbian) or
// when unlisted. A query word is only stemmed by the languages of its script.
UScriptCode stem_script(const std::string& base) {
    static const std::map<std::string, UScriptCode> scripts = [] {
        std::map<std::string, UScriptCode> m;
        for (const char* l : {"en", "es", "pt", "fr", "de", "it", "nl", "sv", "da", "nb", "fi", "hu", "tr", "id", "ro",
                              "ca", "lt", "eu", "ga", "pl", "cs", "sk", "hr", "sl", "lv"})
            m[l] = USCRIPT_LATIN;
        for (const char* l : {"ru", "bg", "uk"}) m[l] = USCRIPT_CYRILLIC;
        m["el"] = USCRIPT_GREEK;
        m["ar"] = USCRIPT_ARABIC;
        m["hi"] = USCRIPT_DEVANAGARI;
        return m;
    }();
    const auto it = scripts.find(base);
    return it == scripts.end() ? USCRIPT_COMMON : it->second;
}

class Builder {
public:
    Builder(const QueryContext& ctx, ParsedQuery& out) : ctx_(ctx), out_(out) {}

    /// Consecutive bare words, one query per part: with cross-language expansion, the
    /// longest runs of up to four words that name a concept ("inteligencia artificial")
    /// make one part; every other word makes its own. Stop words make none.
    std::vector<Clause> word_run(const std::vector<std::string>& words) {
        std::vector<Clause> parts;
        for (std::size_t i = 0; i < words.size();) {
            const std::size_t used = concept_run(words, i, parts);
            if (!used && (!is_stop_word(words[i]) || names_something(words, i))) {
                last_direct_ = Xapian::Query();
                Xapian::Query w = word(words[i], true);
                if (!w.empty()) parts.push_back({w, Clause::Role::kOptional, last_direct_, words[i], exact_word(words[i])});
            }
            i += used ? used : 1;
        }
        return parts;
    }

    /// Decides which languages' stop words a query drops: those whose lists hold the most
    /// of its bare words (with lang=, those languages). A query made only of stop words
    /// keeps them.
    void choose_stop_languages(const std::vector<std::string>& bare_words) {
        std::map<std::string, std::size_t> hits;
        std::size_t stops = 0, words = 0;
        for (const std::string& w : bare_words) {
            if (is_acronym(w)) continue;  // "AI" names something: it is no Italian "ai"
            for (const Token& t : ctx_.analyzer.tokenize(w, single_lang())) {
                ++words;
                const auto& langs = StopWords::builtin().languages_of(t.text);
                stops += langs.empty() ? 0 : 1;
                for (const std::string& l : langs) ++hits[l];
            }
        }
        if (stops == words) return;
        std::size_t best = 0;
        for (const auto& [l, n] : hits) best = std::max(best, n);
        for (const auto& [l, n] : hits)
            if (n == best) stop_langs_.insert(l);
        if (!ctx_.lang_filter.empty()) {
            stop_langs_.clear();
            for (const std::string& l : ctx_.lang_filter) stop_langs_.insert(Analyzer::stem_language(l));
        }
    }

    Xapian::Query word(const std::string& raw, bool positive, bool may_expand = true) {
        count_term();
        origin_ = {raw, "query"};
        if (raw.size() > 1 && raw.back() == '*') return wildcard(raw.substr(0, raw.size() - 1));
        std::vector<Token> toks = ctx_.analyzer.tokenize(raw, single_lang());
        if (toks.empty()) return Xapian::Query();
        if (positive) {
            for (const Token& t : toks) out_.words.push_back(t.text);
            if (toks.size() == 1 && is_acronym(raw)) out_.acronyms.insert(toks[0].text);
        }
        Xapian::Query q = toks.size() == 1 && toks[0].kind != TokenKind::kCjk ? single(toks[0], stem_langs())
                                                                              : phrase(toks);
        if (positive && may_expand && ctx_.crosslingual) {
            // The thesaurus's concepts take precedence over word-by-word translation.
            const std::size_t concepts = out_.expansions.size();
            q = expand(raw, toks, q);
            if (out_.expansions.size() == concepts && toks.size() == 1 && toks[0].kind == TokenKind::kWord)
                q = translate(raw, toks[0], q);
        }
        return q;
    }

    Xapian::Query phrase_text(const std::string& body) {
        count_term();
        origin_ = {'"' + body + '"', "query"};
        std::vector<Token> toks = ctx_.analyzer.tokenize(body, single_lang());
        if (toks.empty()) return Xapian::Query();
        // Quoted phrases stay exact: no stems, no translations.
        return toks.size() == 1 && toks[0].kind != TokenKind::kCjk ? single(toks[0], {}) : phrase(toks);
    }

private:
    void count_term() {
        if (++terms_ > ctx_.limits.max_terms)
            throw InvalidRequest("query_too_complex", "query has more than " + std::to_string(ctx_.limits.max_terms) +
                                                          " words or phrases");
    }

    // Typed in capitals with two letters or more ("GDPR", "RGPD"), or with a digit ("5G").
    static bool is_acronym(const std::string& raw) {
        std::size_t upper = 0;
        bool digit = false;
        for (char c : raw) {
            if (c >= 'a' && c <= 'z') return false;
            upper += c >= 'A' && c <= 'Z';
            digit = digit || (c >= '0' && c <= '9');
        }
        return upper >= 2 || (digit && upper >= 1);
    }

    /// Whether word @p i starts with a capital where the word before it does not: a stop word
    /// capitalised inside lowercase text names something ("transformación digital del Estado").
    static bool names_something(const std::vector<std::string>& words, std::size_t i) {
        const auto starts_upper = [](const std::string& w) {
            if (w.empty()) return false;
            UChar32 c;
            int32_t at = 0;
            U8_NEXT(w.data(), at, static_cast<int32_t>(w.size()), c);
            return c > 0 && u_isupper(c);
        };
        return i > 0 && starts_upper(words[i]) && !starts_upper(words[i - 1]);
    }

    std::string single_lang() const { return ctx_.lang_filter.size() == 1 ? ctx_.lang_filter[0] : std::string(); }

    std::vector<std::string> stem_langs() const {
        return ctx_.lang_filter.empty() ? ctx_.stem_languages : ctx_.lang_filter;
    }

    // All the forms one token may take in a document, at one position.
    /// The exact forms of a bare word of one token (see Clause::exact), or an empty query.
    Xapian::Query exact_word(const std::string& raw) const {
        if (raw.back() == '*') return Xapian::Query();
        const std::vector<Token> toks = ctx_.analyzer.tokenize(raw, single_lang());
        if (toks.size() != 1 || toks[0].kind != TokenKind::kWord) return Xapian::Query();
        const std::vector<std::string> f = forms(toks[0]);
        return Xapian::Query(Xapian::Query::OP_OR, f.begin(), f.end());
    }

    static std::vector<std::string> forms(const Token& t) {
        std::vector<std::string> f{t.text};
        if (!t.folded.empty()) f.push_back(t.folded);
        if (!t.base.empty()) f.push_back(t.base);
        return f;
    }

    // A term snippets mark; typed unless it comes from a translation.
    void mark(const std::string& term) {
        out_.highlight.terms.insert(term);
        if (!translating_) out_.highlight.typed.insert(term);
    }

    // Marks the words of a phrase as the phrase they make, never one by one (a bare "AI" is
    // no match of "AI ethics"); words beside a CJK run (@p whole false) one by one.
    void mark_phrase(std::vector<std::vector<std::string>> words, bool whole) {
        std::vector<std::vector<std::vector<std::string>>>& phrases = out_.highlight.phrases;
        if (whole && words.size() >= 2) {
            if (std::find(phrases.begin(), phrases.end(), words) == phrases.end()) phrases.push_back(std::move(words));
            return;
        }
        for (const std::vector<std::string>& w : words)
            for (const std::string& x : w) mark(x);
    }

    // Marks the translations built in its lifetime as translations.
    struct Translating {
        bool& flag;
        explicit Translating(bool& f) : flag(f) { flag = true; }
        ~Translating() { flag = false; }
    };

    Xapian::Query single(const Token& t, const std::vector<std::string>& langs) {
        const std::vector<std::string> f = forms(t);
        for (const std::string& x : f) mark(x);
        Xapian::Query q(Xapian::Query::OP_SYNONYM, f.begin(), f.end());
        TermPattern pattern;
        pattern.items = {f};
        pattern.offsets = {0};
        if (t.kind != TokenKind::kWord) {
            record(std::move(pattern));
            return q;
        }
        std::vector<std::string> stems;
        for (const std::string& lang : langs) {
            const std::string base = Analyzer::stem_language(lang);
            if (!Analyzer::has_stemmer(base)) continue;
            // A word's script decides which stemmers can apply to it.
            const UScriptCode script = stem_script(base);
            if (script != USCRIPT_COMMON && !script_is(t.text, script)) continue;
            std::string term = std::string(schema::kStem) + base + ":" + ctx_.analyzer.stem(t.text, base);
            if (std::find(stems.begin(), stems.end(), term) == stems.end()) stems.push_back(std::move(term));
        }
        for (const std::string& s : stems) mark(s);
        pattern.stems = stems;
        record(std::move(pattern));
        if (stems.empty()) return q;
        // One word, one synonym group: its forms and stems weigh as one term (the exact
        // form, indexed beside its stem, still counts twice).
        std::vector<std::string> all = f;
        all.insert(all.end(), stems.begin(), stems.end());
        return Xapian::Query(Xapian::Query::OP_SYNONYM, all.begin(), all.end());
    }

    // Tokens in sequence: a phrase over their forms; Han/Kana runs become bigram items. With
    // @p tag (a concept term the indexer put on every passage where one of the concept's
    // forms occurs), the words are ANDed under the tag instead: the tag already decides the
    // match, the words give the weight, and no position lists are read.
    Xapian::Query phrase(const std::vector<Token>& toks, const Xapian::Query& tag = Xapian::Query()) {
        std::vector<Xapian::Query> items;
        std::vector<std::vector<std::string>> words;  // the forms of each word, for snippets
        Xapian::termpos first = toks.front().pos, last = first;
        TermPattern pattern;
        Xapian::termpos end = first + 1;  // one past the last position covered
        auto add_item = [&](std::vector<std::string> terms, Xapian::termpos at, Xapian::termpos width) {
            pattern.items.push_back(std::move(terms));
            pattern.offsets.push_back(at - first);
            end = std::max(end, at + width);
        };
        std::string run;
        Xapian::termpos run_pos = 0;
        std::uint32_t run_end = 0;
        auto flush_run = [&] {
            if (run.empty()) return;
            const std::vector<std::string> bg = Analyzer::bigrams(run);
            if (bg.empty()) {
                items.emplace_back(run);  // a lone character
                mark(run);
                add_item({run}, run_pos, 1);
            }
            Xapian::termpos p = run_pos;
            for (const std::string& b : bg) {
                items.emplace_back(b);
                mark(b);
                add_item({b}, p, 2);
                last = std::max(last, p++);
            }
            run.clear();
        };
        for (const Token& t : toks) {
            if (t.kind == TokenKind::kCjk) {
                if (!run.empty() && t.start != run_end) flush_run();
                if (run.empty()) run_pos = t.pos;
                run += t.text;
                run_end = t.end;
                continue;
            }
            flush_run();
            std::vector<std::string> f = forms(t);
            items.emplace_back(Xapian::Query::OP_OR, f.begin(), f.end());
            add_item(f, t.pos, 1);
            words.push_back(std::move(f));
            last = std::max(last, t.pos);
        }
        flush_run();
        const bool whole = words.size() == items.size();
        mark_phrase(std::move(words), whole);
        pattern.span = end - first;
        record(std::move(pattern));
        if (items.size() == 1) return items.front();
        if (!tag.empty())
            return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, items.begin(), items.end()), tag);
        const auto window = static_cast<Xapian::termcount>(last - first + 1);
        return Xapian::Query(Xapian::Query::OP_PHRASE, items.begin(), items.end(), std::max<Xapian::termcount>(window, items.size()));
    }

    Xapian::Query wildcard(const std::string& stem) {
        const std::string prefix = ctx_.analyzer.normalize(stem, single_lang());
        if (prefix.empty()) return Xapian::Query();
        prefixes_.push_back(prefix);
        TermPattern pattern;
        pattern.prefix = prefix;
        record(std::move(pattern));
        return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, ctx_.limits.max_wildcard,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }

    Xapian::Query expand(const std::string& raw, const std::vector<Token>& toks, const Xapian::Query& direct) {
        if (!ctx_.lexicon || !ctx_.ref) return direct;
        const std::vector<std::size_t> found = ctx_.lexicon->concepts_for_query(toks);
        if (found.empty()) return direct;
        const Translating translating(translating_);
        std::vector<Xapian::Query> alternatives;
        for (std::size_t ci : found) {
            const Concept& c = ctx_.ref->concepts[ci];
            Expansion e{raw, c.id, c.label, {}};
            const Xapian::Query tag(schema::term(schema::kConcept, c.id));
            alternatives.push_back(tag);
            for (const auto& [lang, terms] : c.terms) {
                if (!in_index(lang)) continue;  // a language no document has adds only cost
                for (const std::string& term : terms) {
                    std::vector<Token> t = ctx_.analyzer.tokenize(term, lang);
                    if (t.empty()) continue;
                    origin_ = {term, "concept"};
                    alternatives.push_back(t.size() == 1 && t[0].kind != TokenKind::kCjk ? single(t[0], {lang}) : phrase(t, tag));
                    e.terms[lang].push_back(term);
                }
            }
            out_.expansions.push_back(std::move(e));
        }
        // Pirkola's structured translation: the word and all its translations form one
        // synonym group, so a translated match competes on its own weight and a word with
        // many translations weighs as one word.
        last_direct_ = direct;
        alternatives.insert(alternatives.begin(), direct);
        return Xapian::Query(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
    }

    /// The word and its dictionary translations into the index's other languages, as one
    /// synonym group (structured query translation). The source language is the first, in
    /// order, of the query's stop-word languages, English, and the index's languages whose
    /// dictionary has the word as a headword.
    Xapian::Query translate(const std::string& raw, const Token& t, const Xapian::Query& direct) {
        const Translator& dict = Translator::builtin();
        std::vector<std::string> sources(stop_langs_.begin(), stop_langs_.end());
        sources.push_back("en");
        for (const std::string& l : ctx_.stem_languages) sources.push_back(l);
        for (const std::string& from : sources) {
            std::vector<std::string> targets;
            for (const std::string& l : ctx_.stem_languages)
                if (l != from) targets.push_back(l);
            const auto found = dict.translate(t.text, from, targets);
            if (found.empty()) continue;
            const Translating translating(translating_);
            Expansion e{raw, "", "dictionary translation (" + from + ")", {}};
            std::vector<Xapian::Query> alternatives{direct};
            for (const auto& [lang, words] : found) {
                for (const std::string& w : words) {
                    const std::vector<Token> tt = ctx_.analyzer.tokenize(w, lang);
                    if (tt.empty()) continue;
                    origin_ = {w, "translation"};
                    alternatives.push_back(tt.size() == 1 && tt[0].kind != TokenKind::kCjk ? single(tt[0], {lang}) : phrase(tt));
                    e.terms[lang].push_back(w);
                }
            }
            out_.expansions.push_back(std::move(e));
            last_direct_ = direct;
            return Xapian::Query(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
        }
        return direct;
    }

    bool in_index(const std::string& lang) const {
        const std::string base = Analyzer::stem_language(lang);
        return ctx_.stem_languages.empty() ||
               std::find(ctx_.stem_languages.begin(), ctx_.stem_languages.end(), base) != ctx_.stem_languages.end();
    }

    bool is_stop_word(const std::string& raw) const {
        if (stop_langs_.empty() || raw.back() == '*' || is_acronym(raw)) return false;
        const std::vector<Token> toks = ctx_.analyzer.tokenize(raw, single_lang());
        if (toks.size() != 1) return false;
        for (const std::string& l : StopWords::builtin().languages_of(toks[0].text))
            if (stop_langs_.count(l)) return true;
        return false;
    }

    /// The run of words from @p i that names a concept, as one part; returns the number of
    /// words used (0 when none does).
    std::size_t concept_run(const std::vector<std::string>& words, std::size_t i, std::vector<Clause>& parts) {
        if (!ctx_.crosslingual || !ctx_.lexicon) return 0;
        for (std::size_t len = std::min<std::size_t>(4, words.size() - i); len >= 2; --len) {
            std::string joined;
            bool plain = true;
            for (std::size_t k = i; k < i + len; ++k) {
                plain = plain && words[k].back() != '*';
                joined += (k > i ? " " : "") + words[k];
            }
            if (!plain) continue;
            const std::vector<Token> toks = ctx_.analyzer.tokenize(joined, single_lang());
            if (toks.empty() || ctx_.lexicon->concepts_for_query(toks).empty()) continue;
            std::vector<Xapian::Query> direct;
            for (std::size_t k = i; k < i + len; ++k) {
                if (is_stop_word(words[k]) && !names_something(words, k)) continue;
                Xapian::Query w = word(words[k], true, false);
                if (!w.empty()) direct.push_back(w);
            }
            if (direct.empty()) continue;
            last_direct_ = Xapian::Query();
            Xapian::Query q = expand(joined, toks, Xapian::Query(Xapian::Query::OP_AND, direct.begin(), direct.end()));
            parts.push_back({q, Clause::Role::kOptional, last_direct_, joined, {}});
            return len;
        }
        return 0;
    }

    // Keeps a positive pattern, said to come from origin_ (patterns of excluded parts are
    // not occurrences).
    void record(TermPattern p) {
        if (excluded_ > 0) return;
        p.text = origin_.first;
        p.via = origin_.second;
        for (const TermPattern& q : patterns_)
            if (q.items == p.items && q.offsets == p.offsets && q.stems == p.stems && q.prefix == p.prefix) return;
        patterns_.push_back(std::move(p));
    }

    const QueryContext& ctx_;
    ParsedQuery& out_;
    std::size_t terms_ = 0;
    std::pair<std::string, std::string> origin_{"", "query"};  // text and via of the patterns being built
    std::set<std::string> stop_langs_;
    Xapian::Query last_direct_;  // the typed part of the last expansion
    bool translating_ = false;   // building translations, not the words as typed

public:
    std::vector<std::string> prefixes_;  // wildcard prefixes, for highlighting
    std::vector<TermPattern> patterns_;  // positive words and phrases, for counting occurrences
    int excluded_ = 0;                   // > 0 while an excluded part is built
    [[nodiscard]] const std::set<std::string>& stop_languages() const { return stop_langs_; }
};

// ---------------------------------------------------------------- parser
/// The passages that carry the positive items (any of them at the top level, where
/// documents are matched as wholes; all of them inside parentheses) and no excluded one.
Xapian::Query combine(const std::vector<Clause>& items, bool top) {
    std::vector<Xapian::Query> pos, neg;
    for (const Clause& c : items) (c.role == Clause::Role::kExcluded ? neg : pos).push_back(c.query);
    if (pos.empty() && neg.empty()) return Xapian::Query();
    Xapian::Query p = pos.empty() ? match_all() : Xapian::Query(top ? Xapian::Query::OP_OR : Xapian::Query::OP_AND, pos.begin(), pos.end());
    if (neg.empty()) return p;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, p, Xapian::Query(Xapian::Query::OP_OR, neg.begin(), neg.end()));
}

class Parser {
public:
    Parser(std::vector<Lexeme> lx, Builder& b, Filters& top_filters)
        : lx_(std::move(lx)), b_(b), top_(top_filters) {}

    Xapian::Query parse() {
        // Field filters are hoisted into the request's filters only where they constrain
        // the whole query: at the top level, with no top-level OR.
        int depth = 0;
        bool top_or = false;
        for (const Lexeme& l : lx_) {
            if (l.type == Tok::kLParen) ++depth;
            else if (l.type == Tok::kRParen) --depth;
            else if (l.type == Tok::kOr && depth == 0) top_or = true;
        }
        Xapian::Query q = or_expr(0, !top_or);
        if (pos_ != lx_.size()) throw SyntaxError{"unexpected '" + lx_[pos_].text + "'"};
        if (top_or && !q.empty()) clauses_ = {Clause{q, Clause::Role::kRequired, {}, text_of(0, lx_.size()), {}}};
        return q;
    }

private:
    bool at(Tok t) const { return pos_ < lx_.size() && lx_[pos_].type == t; }

    // The lexemes [from, to) as text: phrases quoted, fields as field:value.
    std::string text_of(std::size_t from, std::size_t to) const {
        std::string out;
        for (std::size_t i = from; i < to && i < lx_.size(); ++i) {
            if (!out.empty()) out += ' ';
            const Lexeme& l = lx_[i];
            out += l.type == Tok::kPhrase ? '"' + l.text + '"' : l.type == Tok::kField ? l.field + ':' + l.text : l.text;
        }
        return out;
    }

    Xapian::Query or_expr(int depth, bool top) {
        if (depth > 32) throw SyntaxError{"parentheses nested too deeply"};
        Xapian::Query left = and_expr(depth, top);
        bool any_or = false;
        std::vector<Xapian::Query> alts{left};
        while (at(Tok::kOr)) {
            ++pos_;
            any_or = true;
            if (pos_ >= lx_.size() || at(Tok::kRParen) || at(Tok::kOr) || at(Tok::kAnd))
                throw SyntaxError{"OR needs something on its right"};
            alts.push_back(and_expr(depth, false));
        }
        if (!any_or) return left;
        return Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
    }

    /// A sequence of items joined by adjacency, AND or NOT. At the top level each item
    /// becomes a clause (see Clause); inside parentheses the items are ANDed.
    Xapian::Query and_expr(int depth, bool top) {
        std::vector<Clause> items;
        bool expect = true, and_pending = false;
        while (pos_ < lx_.size() && !at(Tok::kOr) && !at(Tok::kRParen)) {
            if (at(Tok::kAnd)) {
                if (expect) throw SyntaxError{"AND needs something on its left"};
                ++pos_;
                if (pos_ >= lx_.size() || at(Tok::kRParen) || at(Tok::kOr)) throw SyntaxError{"AND needs something on its right"};
                // Both sides of an explicit AND are required.
                if (!items.empty() && items.back().role == Clause::Role::kOptional) items.back().role = Clause::Role::kRequired;
                expect = and_pending = true;
                continue;
            }
            const Clause::Role role = and_pending ? Clause::Role::kRequired : Clause::Role::kOptional;
            and_pending = false;
            expect = false;
            if (at(Tok::kWord)) {
                // A run of bare words is built together, so that a concept named by several
                // words can expand as one.
                std::vector<std::string> run;
                while (at(Tok::kWord)) run.push_back(lx_[pos_++].text);
                for (Clause& c : b_.word_run(run)) {
                    c.role = role;
                    items.push_back(std::move(c));
                }
                continue;
            }
            Clause::Role r = role;
            if (at(Tok::kNot) || at(Tok::kMinus)) {
                r = Clause::Role::kExcluded;
                ++pos_;
                if (pos_ >= lx_.size() || at(Tok::kRParen) || at(Tok::kOr) || at(Tok::kAnd))
                    throw SyntaxError{"NOT needs something on its right"};
            } else if (at(Tok::kPlus)) {
                r = Clause::Role::kRequired;
                ++pos_;
            }
            const bool negate = r == Clause::Role::kExcluded;
            const std::size_t from = pos_;
            b_.excluded_ += negate ? 1 : 0;
            Xapian::Query q = unary(depth, top && !negate, !negate);
            b_.excluded_ -= negate ? 1 : 0;
            if (!q.empty()) items.push_back({std::move(q), r, {}, text_of(from, pos_), {}});
        }
        if (items.empty() && pos_ < lx_.size() && at(Tok::kRParen) && depth == 0) throw SyntaxError{"unbalanced ')'"};
        if (top) {
            for (Clause& c : items) clauses_.push_back(c);
            return combine(items, true);
        }
        // Inside parentheses, or beside a top-level OR, every positive item is required.
        for (Clause& c : items)
            if (c.role == Clause::Role::kOptional) c.role = Clause::Role::kRequired;
        return combine(items, false);
    }

    Xapian::Query unary(int depth, bool top, bool positive) {
        if (pos_ >= lx_.size()) throw SyntaxError{"unexpected end of query"};
        const Lexeme& l = lx_[pos_++];
        switch (l.type) {
            case Tok::kLParen: {
                Xapian::Query q = or_expr(depth + 1, false);
                if (!at(Tok::kRParen)) throw SyntaxError{"unbalanced '('"};
                ++pos_;
                return q;
            }
            case Tok::kPhrase:
                return b_.phrase_text(l.text);
            case Tok::kField:
                if (top) {
                    // Field filters written apart must all hold, whether AND joins them or not.
                    top_.require(l.field, l.text);
                    return Xapian::Query();
                } else {
                    Filters f;
                    f.add(l.field, l.text);
                    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, f.to_query(), 0);
                }
            case Tok::kWord:
                return b_.word(l.text, positive);
            default:
                throw SyntaxError{"unexpected '" + l.text + "'"};
        }
    }

    std::vector<Lexeme> lx_;
    Builder& b_;
    Filters& top_;
    std::size_t pos_ = 0;

public:
    std::vector<Clause> clauses_;  // the top level's clauses (none when it has an OR)
};

}  // namespace

ParsedQuery parse_query(std::string_view q, const QueryContext& ctx) {
    if (q.size() > ctx.limits.max_bytes)
        throw InvalidRequest("query_too_long", "query is " + std::to_string(q.size()) + " bytes; the limit is " +
                                                   std::to_string(ctx.limits.max_bytes));
    std::string clean;
    if (!text::is_valid_utf8(q)) {
        clean = text::sanitize_utf8(q);
        q = clean;
    }
    ParsedQuery out;
    if (!clean.empty()) out.warnings.push_back("query had invalid UTF-8, replaced with U+FFFD");
    Builder builder(ctx, out);
    Xapian::Query text_query;
    try {
        std::vector<Lexeme> lexemes = query_syntax::lex(q, out.warnings);
        query_syntax::drop_dangling_operators(lexemes, out.warnings);
        query_syntax::unwrap_plain_groups(lexemes);
        const std::vector<const Lexeme*> lowercase_ops = query_syntax::lowercase_operators(lexemes);
        for (const Lexeme* w : lowercase_ops) out.operator_words.push_back(w->text);
        if (!lowercase_ops.empty()) out.as_operators = query_syntax::as_operators(q, lowercase_ops);
        std::vector<std::string> bare;
        for (const Lexeme& l : lexemes)
            if (l.type == Tok::kWord) bare.push_back(l.text);
        builder.choose_stop_languages(bare);
        Parser parser(std::move(lexemes), builder, out.filters);
        text_query = parser.parse();
        out.clauses = std::move(parser.clauses_);
    } catch (const SyntaxError& e) {
        // Search the words instead: operators and punctuation become plain words.
        out.filters = Filters{};
        out.words.clear();
        out.highlight = Highlight{};
        out.expansions.clear();
        builder.patterns_.clear();
        builder.excluded_ = 0;
        out.acronyms.clear();
        out.operator_words.clear();
        out.as_operators.clear();
        out.warnings.push_back("query syntax: " + e.message + "; searched for the words instead");
        std::vector<std::string> words;
        std::string cur;
        for (char c : q) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"') {
                // Operators are not searched as words ("AND" would be a required "and").
                if (!cur.empty() && cur != "AND" && cur != "OR" && cur != "NOT") words.push_back(std::move(cur));
                cur.clear();
            } else {
                cur += c;
            }
        }
        if (!cur.empty() && cur != "AND" && cur != "OR" && cur != "NOT") words.push_back(std::move(cur));
        builder.choose_stop_languages(words);
        out.clauses.clear();
        out.clauses = builder.word_run(words);
        text_query = combine(out.clauses, true);
    }
    // Wildcards: highlight every indexed form that starts with a prefix is too costly; mark
    // the prefixes themselves so the snippet code can match by prefix.
    for (const std::string& p : builder.prefixes_) out.highlight.terms.insert(p + "*");
    out.patterns = std::move(builder.patterns_);
    out.languages.assign(builder.stop_languages().begin(), builder.stop_languages().end());
    out.has_text = !text_query.empty() && !(text_query.get_type() == Xapian::Query::LEAF_MATCH_ALL);
    out.query = out.has_text ? text_query : match_all();
    return out;
}

}  // namespace strata
