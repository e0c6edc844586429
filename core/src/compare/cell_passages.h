/** @file cell_passages.h
 *  @brief Internal: the JSON of the cells' best passages, each distinct passage read and
 *         snippeted once per comparison.
 *
 *  A passage tagged with several themes is often the best of several cells of one row
 *  (about two cells in five of a default matrix share their passage with another). Its
 *  JSON depends on the passage and the query alone, so it is made for the first cell and
 *  copied for the others, with the cell's score.
 */
#pragma once

#include "index/passage_data.h"
#include "search/mark_rules.h"
#include "strata/search.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace strata {

class CellPassages {
public:
    /// For one comparison: its searcher (analyzer, records), database and snippet rules.
    CellPassages(const Searcher& searcher, Xapian::Database& db, const MarkRules& rules)
        : searcher_(searcher), db_(db), rules_(rules) {}

    /// Passage @p id as a cell's best, with @p weight as its score: doc, title, year, n,
    /// section, page, score and snippet; null when its stored data does not parse.
    [[nodiscard]] nlohmann::json best(Xapian::docid id, double weight);
    /// Makes the JSON of passages @p ids ahead of best(), reading them in docid order
    /// (read_passages()): the same JSON, with fewer block reads than cell by cell.
    void read(const std::vector<Xapian::docid>& ids);

private:
    [[nodiscard]] nlohmann::json made(const ReadPassage& p);
    /// The title and year of document @p doc, read once per comparison.
    [[nodiscard]] const std::pair<std::string, int>& title_and_year(const std::string& doc);

    const Searcher& searcher_;
    Xapian::Database& db_;
    const MarkRules& rules_;
    std::unordered_map<Xapian::docid, nlohmann::json> made_;  // without the score
    std::unordered_map<std::string, std::pair<std::string, int>> documents_;
};

}  // namespace strata
