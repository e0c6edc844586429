#include "text/stopwords.h"

#include <algorithm>
#include <fstream>
#include <set>

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

const std::vector<std::string>& StopWords::languages_of(std::string_view word) const {
    static const std::vector<std::string> none;
    const auto it = langs_.find(std::string(word));
    return it == langs_.end() ? none : it->second;
}

}  // namespace strata
