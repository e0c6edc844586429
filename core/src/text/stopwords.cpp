#include "text/stopwords.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <unordered_map>

#ifndef STRATA_DATA_DIR
#define STRATA_DATA_DIR ""
#endif

namespace strata {

const StopWords& StopWords::builtin() {
    static const StopWords words = [] {
        StopWords sw = load(std::string(STRATA_DATA_DIR) + "/stopwords.tsv");
        sw.add_missing_languages(load(std::string(STRATA_DATA_DIR) + "/stopwords-freedict.tsv"));
        return sw;
    }();
    return words;
}

void StopWords::add_missing_languages(const StopWords& other) {
    std::set<std::string> have;
    for (const auto& [word, langs] : langs_) have.insert(langs.begin(), langs.end());
    for (const auto& [word, langs] : other.langs_)
        for (const std::string& l : langs)
            if (!have.count(l)) {
                auto& mine = langs_[word];
                if (std::find(mine.begin(), mine.end(), l) == mine.end()) mine.push_back(l);
            }
}

StopWords StopWords::load(const std::string& path) {
    StopWords sw;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos || tab + 1 >= line.size()) continue;
        sw.langs_[line.substr(tab + 1)].push_back(line.substr(0, tab));
    }
    return sw;
}

namespace {

// @p word with the Greek vowels' accents and diaereses removed (ά → α, ΐ → ι); nothing else
// changes. Each of these letters and its plain vowel take two bytes in UTF-8.
std::string without_greek_accents(std::string_view word) {
    static const std::unordered_map<std::string_view, std::string_view> plain = {
        {"ά", "α"}, {"έ", "ε"}, {"ή", "η"}, {"ί", "ι"}, {"ό", "ο"}, {"ύ", "υ"},
        {"ώ", "ω"}, {"ΐ", "ι"}, {"ΰ", "υ"}, {"ϊ", "ι"}, {"ϋ", "υ"}};
    std::string out(word);
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        const auto it = plain.find(std::string_view(out).substr(i, 2));
        if (it != plain.end()) out.replace(i, 2, it->second);
    }
    return out;
}

}  // namespace

const std::vector<std::string>& StopWords::languages_of(std::string_view word) const {
    static const std::vector<std::string> none;
    if (const auto it = langs_.find(std::string(word)); it != langs_.end()) return it->second;
    // Lucene's Greek list is written as its analyzer leaves words: lowercase, without accents.
    // Greek letters start with the byte 0xCE or 0xCF in UTF-8; other words are not copied.
    if (word.find_first_of("\xCE\xCF") == std::string_view::npos) return none;
    const std::string bare = without_greek_accents(word);
    if (bare == word) return none;
    const auto it = langs_.find(bare);
    return it == langs_.end() ? none : it->second;
}

}  // namespace strata
