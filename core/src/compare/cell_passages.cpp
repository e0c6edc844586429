#include "compare/cell_passages.h"

#include "index/passage_data.h"
#include "search/snippet.h"

#include <cmath>

namespace strata {

const std::pair<std::string, int>& CellPassages::title_and_year(const std::string& doc) {
    auto it = documents_.find(doc);
    if (it != documents_.end()) return it->second;
    const nlohmann::json rec = searcher_.record(db_, doc);
    std::pair<std::string, int> v{rec.is_null() ? "" : rec.value("title", ""), rec.is_null() ? 0 : rec.value("year", 0)};
    return documents_.emplace(doc, std::move(v)).first->second;
}

nlohmann::json CellPassages::made(const ReadPassage& p) {
    const PassageData& d = p.data;
    if (!d.ok) return nullptr;
    const auto& [title, year] = title_and_year(d.doc);
    return {{"doc", d.doc},
            {"title", title},
            {"year", year},
            {"n", d.n},
            {"section", d.section},
            {"page", shown_page(d.page)},
            {"snippet", make_snippet(searcher_.analyzer(), StoredPassage{p.doc, d.text, d.lang, &p.offsets}, rules_)}};
}

void CellPassages::read(const std::vector<Xapian::docid>& ids) {
    for (const auto& [id, p] : read_passages(db_, ids, !rules_.empty()))
        if (!made_.count(id)) made_.emplace(id, made(p));
}

nlohmann::json CellPassages::best(Xapian::docid id, double weight) {
    auto it = made_.find(id);
    if (it == made_.end()) it = made_.emplace(id, made(read_passages(db_, {id}, !rules_.empty()).at(id))).first;
    nlohmann::json out = it->second;
    if (!out.is_null()) out["score"] = std::round(weight * 1000) / 1000;
    return out;
}

}  // namespace strata
