// Writes the function words that FreeDict's dictionaries into English mark by their part of
// speech (prepositions, conjunctions, pronouns, particles: see freedict::is_function_word)
// as "lang<TAB>word" lines, in the analyzer's form of a query word. StopWords reads them for
// the languages Snowball has no list for (Polish, among the corpus languages). Dictionaries
// that mark no parts of speech (Czech, Greek, Croatian) give none.
#include "strata/analyzer.h"
#include "text/freedict.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The function words of one dictionary: every headword whose articles, together, say so.
std::set<std::string> function_words(const strata::Analyzer& analyzer, const fs::path& prefix, const std::string& lang) {
    std::map<std::string, std::vector<std::string>> parts;  // headword → the tags of all its articles
    for (const auto& e : strata::freedict::read_dictionary(prefix.string()))
        if (e.headword.find(' ') == std::string::npos)
            parts[e.headword].insert(parts[e.headword].end(), e.parts_of_speech.begin(), e.parts_of_speech.end());
    std::set<std::string> out;
    for (const auto& [head, tags] : parts) {
        if (!strata::freedict::is_function_word(head, tags)) continue;
        const std::vector<strata::Token> toks = analyzer.tokenize(head, lang);
        if (toks.size() == 1) out.insert(toks[0].text);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: strata-dictionary-stopwords OUTPUT [DICTD_DIR]\n";
        return 2;
    }
    const fs::path out_path = argv[1], dir = argc > 2 ? fs::path(argv[2]) : fs::path("/usr/share/dictd");
    const strata::Analyzer analyzer;
    fs::create_directories(out_path.parent_path());
    const fs::path tmp = out_path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary);
        for (const auto& [iso3, lang] : strata::freedict::corpus_languages()) {
            const fs::path prefix = dir / ("freedict-" + iso3 + "-eng");
            if (iso3 == "eng" || !fs::exists(prefix.string() + ".index")) continue;
            const std::set<std::string> words = function_words(analyzer, prefix, lang);
            std::cerr << "dictionary-stopwords: " << iso3 << ": " << words.size() << " function words\n";
            for (const std::string& w : words) out << lang << '\t' << w << '\n';
        }
        if (!out) {
            std::cerr << "dictionary-stopwords: cannot write " << tmp << "\n";
            return 1;
        }
    }
    fs::rename(tmp, out_path);
    return 0;
}
