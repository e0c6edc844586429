// Compiles the installed FreeDict dictionaries (Debian's dict-freedict-*) into the one
// lookup table the daemon loads (text/translate.h):
//   from_lang TAB to_lang TAB headword TAB translation1|translation2|...
// sorted bytewise by (from_lang, to_lang, headword), so that the reader can binary-search
// the file as it lies in memory. Headwords and translations are NFKC case-folded by the
// analyzer. Each direction merges its own dictionary (first, in sense order) with the
// reverse dictionary read backwards, since Debian's dictionaries are lopsided (eng-ces has
// 150,000 headwords, ces-eng 500). Accent-folded headwords are added as aliases.
//
// Usage: strata-compile-dictionaries OUTPUT [DICTD_DIR]   (default /usr/share/dictd)
// Missing dictionaries are skipped; with none the output is empty.

#include "strata/analyzer.h"
#include "text/freedict.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using strata::Analyzer;

namespace {

constexpr std::size_t kMaxTranslations = 6;
constexpr std::size_t kMaxWords = 3;           // in a translation
constexpr std::size_t kMaxHeadwordWords = 2;   // words are looked up, and compounds ("data protection")

// FreeDict's ISO 639-3 names of the corpus languages → Strata's ISO 639-1 codes.
const std::map<std::string, std::string>& languages() {
    static const std::map<std::string, std::string> m = {
        {"eng", "en"}, {"spa", "es"}, {"por", "pt"}, {"ita", "it"}, {"pol", "pl"}, {"fra", "fr"},
        {"deu", "de"}, {"nld", "nl"}, {"swe", "sv"}, {"fin", "fi"}, {"dan", "da"}, {"nor", "nb"},
        {"ces", "cs"}, {"ell", "el"}, {"hun", "hu"}, {"tur", "tr"}, {"rus", "ru"}, {"lit", "lt"},
        {"hrv", "hr"}, {"bul", "bg"}, {"jpn", "ja"}, {"ara", "ar"}, {"hin", "hi"}, {"ind", "id"},
        {"slk", "sk"}, {"slv", "sl"}, {"srp", "sr"}, {"isl", "is"}, {"afr", "af"}, {"swh", "sw"},
    };
    return m;
}

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
    if (t.find_first_of("\t\n|") != std::string::npos) return false;
    return !(to == "en" && english_stop_word(t));
}

// A (possibly multi-word) headword, as the analyzer would normalise it.
std::string normalized(const Analyzer& a, const std::string& s, const std::string& lang) {
    return a.normalize(s, lang);
}

struct Candidate {
    std::string word;
    std::size_t rank;  // position in the article it came from; 0 = first sense
};

using Table = std::map<std::string, std::vector<Candidate>>;  // headword → translations in order

// Adds dictionary @p dict (from → to) forwards, or (reverse) read backwards into to → from.
void add_dictionary(Table& table, const std::vector<strata::freedict::Entry>& dict, const Analyzer& a,
                    const std::string& from, const std::string& to, bool reverse) {
    for (const auto& e : dict) {
        const std::string head = normalized(a, e.headword, reverse ? to : from);
        if (head.empty()) continue;
        for (std::size_t r = 0; r < e.translations.size(); ++r) {
            std::string t = normalized(a, e.translations[r], reverse ? from : to);
            if (reverse) {
                if (keep(head, from) && !t.empty() && word_count(t) <= kMaxHeadwordWords) table[t].push_back({head, r});
            } else if (word_count(head) <= kMaxHeadwordWords && keep(t, to)) {
                table[head].push_back({std::move(t), r});
            }
        }
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

// The lines of one direction, sorted by headword.
std::vector<std::string> compile_direction(const fs::path& dir, const Analyzer& a, const std::string& from3,
                                           const std::string& to3) {
    const std::string from = languages().at(from3), to = languages().at(to3);
    Table forward, backward;
    add_dictionary(forward, read_if_present(dir, from3, to3), a, from, to, false);
    add_dictionary(backward, read_if_present(dir, to3, from3), a, to, from, true);
    std::map<std::string, std::vector<std::string>> merged;
    for (auto& [head, cands] : forward) merged[head] = best(cands, backward[head]);
    for (auto& [head, cands] : backward)
        if (!merged.count(head)) merged[head] = best({}, cands);
    // Accent-folded aliases ("etica" for "ética"), unless the folded form is a headword itself.
    std::map<std::string, std::vector<std::string>> aliases;
    for (const auto& [head, words] : merged) {
        const std::string f = Analyzer::fold(head);
        if (f == head || merged.count(f)) continue;
        auto& into = aliases[f];
        for (const auto& w : words)
            if (into.size() < kMaxTranslations && std::find(into.begin(), into.end(), w) == into.end()) into.push_back(w);
    }
    merged.merge(aliases);
    std::vector<std::string> lines;
    for (const auto& [head, words] : merged) {
        if (words.empty() || head.find_first_of("\t\n") != std::string::npos) continue;
        std::string line = from + '\t' + to + '\t' + head + '\t';
        for (std::size_t i = 0; i < words.size(); ++i) line += (i ? "|" : "") + words[i];
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: strata-compile-dictionaries OUTPUT [DICTD_DIR]\n";
        return 2;
    }
    const fs::path out_path = argv[1];
    const fs::path dir = argc > 2 ? fs::path(argv[2]) : fs::path("/usr/share/dictd");
    // Directions with a dictionary either way.
    std::set<std::pair<std::string, std::string>> directions;
    if (fs::is_directory(dir))
        for (const auto& f : fs::directory_iterator(dir)) {
            const std::string name = f.path().filename().string();
            if (name.rfind("freedict-", 0) != 0 || f.path().extension() != ".index") continue;
            const std::string pair = name.substr(9, name.size() - 9 - 6);
            const auto dash = pair.find('-');
            if (dash == std::string::npos) continue;
            const std::string a = pair.substr(0, dash), b = pair.substr(dash + 1);
            if (!languages().count(a) || !languages().count(b)) continue;
            directions.insert({a, b});
            directions.insert({b, a});
        }
    const Analyzer analyzer;
    std::vector<std::string> lines;
    for (const auto& [a, b] : directions) {
        std::vector<std::string> part = compile_direction(dir, analyzer, a, b);
        std::cerr << "compile-dictionaries: " << a << "-" << b << ": " << part.size() << " headwords\n";
        lines.insert(lines.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    std::sort(lines.begin(), lines.end());
    fs::create_directories(out_path.parent_path());
    const fs::path tmp = out_path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        for (const auto& l : lines) out << l << '\n';
        if (!out) {
            std::cerr << "compile-dictionaries: cannot write " << tmp << "\n";
            return 1;
        }
    }
    fs::rename(tmp, out_path);
    return 0;
}
