// Compiles the installed FreeDict dictionaries (Debian's dict-freedict-*) into the one
// lookup table the daemon loads (text/translate.h): one section per direction, opened by
//   TAB from_lang TAB to_lang
// then its lines, headword TAB translation1|translation2|... (or =headword: an accent-
// folded alias of that headword), sorted bytewise by (from_lang, to_lang, headword), so
// that the reader can binary-search the file as it lies in memory. Headwords and translations are NFKC case-folded by the
// analyzer. Each direction merges its own dictionary (first, in sense order) with the
// reverse dictionary read backwards, since Debian's dictionaries are lopsided (eng-ces has
// 150,000 headwords, ces-eng 500). Accent-folded headwords are added as aliases.
//
// Only what query translation can use is kept: headwords that the analyzer reads as one
// word (a query's words are looked up one by one), and two-word headwords that at least
// two dictionaries, of different language pairs, know as a unit ("machine learning",
// "künstliche intelligenz"; not Ding's "korkiger wein" or "sich fühlen"), which a
// caller can look up for adjacent query words. Only the corpus languages are read.
//
// Then the bilingual dictionaries of Debian's Apertium pairs (apertium-eng-spa,
// apertium-spa-ita, apertium-es-pt; see apertium_bidix.h) add their lemma translations
// after FreeDict's: English to and from Spanish, English to and from Italian and
// Portuguese through Spanish, and the Romance pairs directly. FreeDict's English-Spanish
// and English-Italian dictionaries are small; without these, "research" has no Italian.
//
// Usage: strata-compile-dictionaries OUTPUT [DICTD_DIR [APERTIUM_DIR]]
//        (defaults /usr/share/dictd, /usr/share/apertium)
// Missing dictionaries are skipped; with none the output is empty.

#include "strata/analyzer.h"
#include "text/freedict.h"
#include "apertium_bidix.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <bitset>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using strata::Analyzer;
using strata::freedict::corpus_languages;

namespace {

constexpr std::size_t kMaxTranslations = 6;
constexpr std::size_t kMaxWords = 3;           // in a translation
constexpr std::size_t kMaxHeadwordWords = 2;   // words are looked up, and compounds ("data protection")

// Translations into English that carry no meaning on their own.
bool english_stop_word(const std::string& w) {
    static const std::set<std::string> stop = {
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but",
        "not", "no", "be", "is", "are", "was", "were", "been", "it", "its", "this", "that", "these", "those",
        "as", "so", "if", "then", "than", "there", "here", "he", "she", "they", "we", "you", "i", "me",
        "him", "her", "them", "us", "my", "your", "his", "our", "their", "do", "does", "did", "have", "has",
        "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "up", "out",
        "very", "too", "also", "just", "all", "any", "some", "one", "what", "which", "who", "whom",
        "when", "where", "why", "how", "about", "into", "over", "under", "etc"};
    return stop.count(w) > 0;
}

std::size_t word_count(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool keep(const std::string& t, const std::string& to) {
    if (t.empty() || word_count(t) > kMaxWords || code_points(t) < 2) return false;
    if (t.find_first_of("\t\n|") != std::string::npos || t.find("...") != std::string::npos || t[0] == '=') return false;
    return !(to == "en" && english_stop_word(t));
}

// A (possibly multi-word) headword, as the analyzer would normalise it.
std::string normalized(const Analyzer& a, const std::string& s, const std::string& lang) {
    return a.normalize(s, lang);
}

// Words and two-word phrases of each language (by hash) → the other languages of the
// dictionaries that have them, as a headword or as a whole translation (bit i: entry i of
// corpus_languages()). A word that dictionaries of several language pairs know is a common one.
struct Attested {
    std::map<std::string, std::unordered_map<std::uint64_t, std::bitset<32>>> by_lang;
    std::map<std::string, std::bitset<32>> partners;  // languages with a dictionary to or from it

    // How many partner languages must know a word of @p lang: three for English (23
    // partners) and two for German (its 400,000 Ding headwords are mostly rare compounds);
    // one (no filter) for the others, whose dictionaries are small enough that a second
    // partner would drop common words (Spanish "datos").
    std::size_t needed(const std::string& lang, bool phrase) const {
        const auto p = partners.find(lang);
        const std::size_t n = p == partners.end() ? 0 : p->second.count();
        if (phrase) return 2;
        return lang == "en" ? 3 : lang == "de" ? std::min<std::size_t>(2, n) : std::min<std::size_t>(1, n);
    }
    bool known(const std::string& lang, const std::string& s, bool phrase) const {
        const auto l = by_lang.find(lang);
        if (l == by_lang.end()) return false;
        const auto it = l->second.find(std::hash<std::string>{}(s));
        return it != l->second.end() && it->second.count() >= needed(lang, phrase);
    }
};

std::size_t language_bit(const std::string& code) {
    std::size_t i = 0;
    for (const auto& [iso3, iso1] : corpus_languages()) {
        if (iso1 == code) return i;
        ++i;
    }
    return i;
}

// Whether a normalised headword is worth a line: one word as the analyzer segments it, or
// two words that dictionaries of two language pairs know as a unit; either known to
// enough dictionaries (Attested::needed).
bool useful_headword(const Analyzer& a, const Attested& attested, const std::string& head, const std::string& lang) {
    if (head.empty()) return false;
    const std::vector<strata::Token> tokens = a.tokenize(head, lang);
    if (tokens.size() == 1) return tokens[0].text == head && attested.known(lang, head, false);
    if (tokens.size() != 2 || tokens[0].text + ' ' + tokens[1].text != head) return false;
    return attested.known(lang, head, true);
}

struct Candidate {
    std::string word;
    std::size_t rank;  // position in the article it came from; 0 = first sense
};

using Table = std::map<std::string, std::vector<Candidate>>;  // headword → translations in order

// Adds dictionary @p dict (from → to) forwards, or (reverse) read backwards into to → from.
void add_dictionary(Table& table, const std::vector<strata::freedict::Entry>& dict, const Analyzer& a,
                    const Attested& attested, const std::string& from, const std::string& to, bool reverse) {
    for (const auto& e : dict) {
        const std::string head = normalized(a, e.headword, reverse ? to : from);
        if (head.empty()) continue;
        if (!reverse && !useful_headword(a, attested, head, from)) continue;
        if (reverse && !keep(head, from)) continue;
        for (std::size_t r = 0; r < e.translations.size(); ++r) {
            std::string t = normalized(a, e.translations[r], reverse ? from : to);
            if (reverse) {
                if (word_count(t) <= kMaxHeadwordWords && useful_headword(a, attested, t, to))
                    table[t].push_back({head, r});
            } else if (keep(t, to)) {
                table[head].push_back({std::move(t), r});
            }
        }
    }
}

// Records the words and two-word phrases of dictionary @p from → @p to in @p attested.
void attest(Attested& attested, const std::vector<strata::freedict::Entry>& dict, const Analyzer& a,
            const std::string& from, const std::string& to) {
    auto& of_from = attested.by_lang[from];
    auto& of_to = attested.by_lang[to];
    const std::hash<std::string> hash;
    for (const auto& e : dict) {
        if (word_count(e.headword) <= kMaxHeadwordWords) of_from[hash(normalized(a, e.headword, from))].set(language_bit(to));
        for (const auto& t : e.translations)
            if (word_count(t) <= kMaxHeadwordWords) of_to[hash(normalized(a, t, to))].set(language_bit(from));
    }
}

std::vector<std::string> best(std::vector<Candidate> forward, std::vector<Candidate> backward) {
    // Backward candidates: only articles whose first translation is this word; later
    // senses bring noise (spa-eng "jesús" → "Jesus, health" made "health" → "jesús").
    std::erase_if(backward, [](const Candidate& c) { return c.rank > 0; });
    std::vector<std::string> out;
    for (auto* list : {&forward, &backward})
        for (const Candidate& c : *list) {
            if (out.size() >= kMaxTranslations) return out;
            if (std::find(out.begin(), out.end(), c.word) == out.end()) out.push_back(c.word);
        }
    return out;
}

std::vector<strata::freedict::Entry> read_if_present(const fs::path& dir, const std::string& a, const std::string& b) {
    const fs::path prefix = dir / ("freedict-" + a + "-" + b);
    if (!fs::exists(prefix.string() + ".index") || !fs::exists(prefix.string() + ".dict.dz")) return {};
    try {
        return strata::freedict::read_dictionary(prefix.string());
    } catch (const std::exception& e) {
        std::cerr << "compile-dictionaries: skipping " << prefix << ": " << e.what() << "\n";
        return {};
    }
}

using Merged = std::map<std::string, std::vector<std::string>>;      // headword → translations
using Sections = std::map<std::pair<std::string, std::string>, Merged>;  // (from, to), ISO 639-1

// The FreeDict translations of one direction: its own dictionary first, then the reverse one.
Merged merge_direction(const fs::path& dir, const Analyzer& a, const Attested& attested, const std::string& from3,
                       const std::string& to3) {
    const std::string from = corpus_languages().at(from3), to = corpus_languages().at(to3);
    Table forward, backward;
    add_dictionary(forward, read_if_present(dir, from3, to3), a, attested, from, to, false);
    add_dictionary(backward, read_if_present(dir, to3, from3), a, attested, to, from, true);
    Merged merged;
    for (auto& [head, cands] : forward) merged[head] = best(cands, backward[head]);
    for (auto& [head, cands] : backward)
        if (!merged.count(head)) merged[head] = best({}, cands);
    return merged;
}

// The one-word words the table knows in @p lang, as headwords or as translations into it:
// the words Apertium is asked about.
std::vector<std::string> words_of(const Sections& sections, const std::string& lang) {
    std::set<std::string> words;
    const auto one_word = [](const std::string& w) { return !w.empty() && w[0] != '=' && w.find(' ') == std::string::npos; };
    for (const auto& [dir_pair, merged] : sections)
        for (const auto& [head, translations] : merged) {
            if (dir_pair.first == lang && !translations.empty() && one_word(head) && one_word(translations[0]))
                words.insert(head);
            if (dir_pair.second == lang)
                for (const auto& w : translations)
                    if (one_word(w)) words.insert(w);
        }
    return {words.begin(), words.end()};
}

// Lemma translations of @p heads along Apertium directions langs[0] → langs[1] → …, each
// headword tried as every content part of speech: headword → last language's words.
Merged through_apertium(const fs::path& apertium_dir, const Analyzer& a, const std::vector<std::string>& langs,
                        const std::vector<std::string>& heads) {
    std::map<std::string, std::vector<strata::apertium::Lemma>> at;  // headword → lemmas in langs[i]
    for (const auto& h : heads)
        for (const auto& tag : strata::apertium::content_tags()) at[h].push_back({h, tag});
    for (std::size_t i = 0; i + 1 < langs.size(); ++i) {
        const fs::path bidix = strata::apertium::find_bidix(apertium_dir, langs[i], langs[i + 1]);
        if (bidix.empty()) return {};
        std::set<strata::apertium::Lemma> asked;
        for (const auto& [h, lemmas] : at) asked.insert(lemmas.begin(), lemmas.end());
        const auto found = strata::apertium::lookup(bidix, {asked.begin(), asked.end()});
        for (auto& [h, lemmas] : at) {
            std::vector<strata::apertium::Lemma> next;
            for (const auto& l : lemmas)
                if (const auto f = found.find(l); f != found.end()) next.insert(next.end(), f->second.begin(), f->second.end());
            lemmas = std::move(next);
        }
    }
    Merged out;
    for (const auto& [h, lemmas] : at)
        for (const auto& l : lemmas) {
            std::string w = normalized(a, l.word, langs.back());
            if (keep(w, langs.back()) && std::find(out[h].begin(), out[h].end(), w) == out[h].end()) out[h].push_back(std::move(w));
        }
    return out;
}

// Adds the Apertium translations after FreeDict's, up to kMaxTranslations a headword:
// English to and from Spanish directly and to and from Italian and Portuguese through
// Spanish, and the Romance pairs directly. The directions into Italian and Portuguese come
// first, so that their words are then asked about the way back. A missing pair adds nothing.
void add_apertium(Sections& sections, const fs::path& apertium_dir, const Analyzer& a) {
    const std::vector<std::vector<std::string>> chains = {
        {"en", "es"}, {"en", "es", "it"}, {"en", "es", "pt"}, {"es", "it"}, {"es", "pt"},
        {"es", "en"}, {"it", "es", "en"}, {"pt", "es", "en"}, {"it", "es"}, {"pt", "es"}};
    for (const auto& chain : chains) {
        const Merged found = through_apertium(apertium_dir, a, chain, words_of(sections, chain.front()));
        Merged& into = sections[{chain.front(), chain.back()}];
        std::size_t added = 0;
        for (const auto& [head, words] : found) {
            std::vector<std::string>& list = into[head];
            if (!list.empty() && list[0][0] == '=') continue;  // an alias line
            for (const auto& w : words)
                if (list.size() < kMaxTranslations && std::find(list.begin(), list.end(), w) == list.end()) {
                    list.push_back(w);
                    ++added;
                }
        }
        std::cerr << "compile-dictionaries: apertium";
        for (const auto& l : chain) std::cerr << ' ' << l;
        std::cerr << ": " << added << " translations\n";
    }
}

// The lines of one direction, sorted by headword, with accent-folded aliases ("etica" for
// "ética") unless the folded form is a headword itself: "=ética" refers to the headword's
// line; several headwords' translations merge.
std::vector<std::string> direction_lines(Merged merged) {
    std::map<std::string, std::vector<std::string>> aliases, alias_of;
    for (const auto& [head, words] : merged) {
        if (words.empty()) continue;
        const std::string f = Analyzer::fold(head);
        if (f == head || merged.count(f)) continue;
        alias_of[f].push_back(head);
        auto& into = aliases[f];
        for (const auto& w : words)
            if (into.size() < kMaxTranslations && std::find(into.begin(), into.end(), w) == into.end()) into.push_back(w);
    }
    for (auto& [f, heads] : alias_of)
        if (heads.size() == 1) aliases[f] = {"=" + heads.front()};
    merged.merge(aliases);
    std::vector<std::string> lines;
    for (const auto& [head, words] : merged) {
        if (words.empty() || head.find_first_of("\t\n") != std::string::npos) continue;
        std::string line = head + '\t';
        for (std::size_t i = 0; i < words.size(); ++i) line += (i ? "|" : "") + words[i];
        lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

// The installed FreeDict pairs of corpus languages, by ISO 639-3 code.
std::set<std::pair<std::string, std::string>> installed_pairs(const fs::path& dir) {
    std::set<std::pair<std::string, std::string>> installed;
    if (!fs::is_directory(dir)) return installed;
    for (const auto& f : fs::directory_iterator(dir)) {
        const std::string name = f.path().filename().string();
        if (name.rfind("freedict-", 0) != 0 || f.path().extension() != ".index") continue;
        const std::string pair = name.substr(9, name.size() - 9 - 6);
        const auto dash = pair.find('-');
        if (dash == std::string::npos) continue;
        const std::string a = pair.substr(0, dash), b = pair.substr(dash + 1);
        if (corpus_languages().count(a) && corpus_languages().count(b)) installed.insert({a, b});
    }
    return installed;
}

// FreeDict's sections: every direction with a dictionary either way.
Sections freedict_sections(const fs::path& dir, const Analyzer& analyzer) {
    const auto installed = installed_pairs(dir);
    Attested attested;
    for (const auto& [a, b] : installed) {
        const std::string from = corpus_languages().at(a), to = corpus_languages().at(b);
        attested.partners[from].set(language_bit(to));
        attested.partners[to].set(language_bit(from));
        attest(attested, read_if_present(dir, a, b), analyzer, from, to);
    }
    std::set<std::pair<std::string, std::string>> directions;
    for (const auto& [a, b] : installed) directions.insert({{a, b}, {b, a}});
    Sections sections;
    for (const auto& [a, b] : directions) {
        Merged merged = merge_direction(dir, analyzer, attested, a, b);
        std::cerr << "compile-dictionaries: " << a << "-" << b << ": " << merged.size() << " headwords\n";
        if (!merged.empty()) sections[{corpus_languages().at(a), corpus_languages().at(b)}] = std::move(merged);
    }
    return sections;
}

// Sections in (from, to) order, each opened by a line "TAB from TAB to"; written to a
// temporary file and renamed, so that a reader never sees half a table.
bool write_table(const fs::path& out_path, const Sections& sections) {
    fs::create_directories(out_path.parent_path());
    const fs::path tmp = out_path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        for (const auto& [dir_pair, merged] : sections) {
            const std::vector<std::string> lines = direction_lines(merged);
            if (lines.empty()) continue;
            out << '\t' << dir_pair.first << '\t' << dir_pair.second << '\n';
            for (const auto& l : lines) out << l << '\n';
        }
        if (!out) {
            std::cerr << "compile-dictionaries: cannot write " << tmp << "\n";
            return false;
        }
    }
    fs::rename(tmp, out_path);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::cerr << "usage: strata-compile-dictionaries OUTPUT [DICTD_DIR [APERTIUM_DIR]]\n";
        return 2;
    }
    const fs::path dir = argc > 2 ? fs::path(argv[2]) : fs::path("/usr/share/dictd");
    const fs::path apertium_dir = argc > 3 ? fs::path(argv[3]) : fs::path("/usr/share/apertium");
    const Analyzer analyzer;
    Sections sections = freedict_sections(dir, analyzer);
    add_apertium(sections, apertium_dir, analyzer);
    return write_table(argv[1], sections) ? 0 : 1;
}
