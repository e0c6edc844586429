#include "text/stopwords.h"

#include <fstream>

#ifndef STRATA_DATA_DIR
#define STRATA_DATA_DIR ""
#endif

namespace strata {

const StopWords& StopWords::builtin() {
    static const StopWords words = load(std::string(STRATA_DATA_DIR) + "/stopwords.tsv");
    return words;
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
