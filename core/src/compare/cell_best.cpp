#include "compare/cell_best.h"

#include "search/country_groups.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace strata {

namespace {

class CellBestSpy : public Xapian::MatchSpy {
public:
    CellBestSpy(const FacetColumn& column, const std::vector<Xapian::docid>& ids, FacetField row, FacetField col)
        : column_(column), ids_(ids), row_(row), col_(col) {}

    void operator()(const Xapian::Document& doc, double weight) override {
        const Xapian::docid id = doc.get_docid();
        if (!std::binary_search(ids_.begin(), ids_.end(), id)) return;
        const std::uint32_t r = column_.row(id);
        if (r == FacetTable::kNone) return;
        const FacetTable& table = column_.table();
        const FacetTable::Row& x = table.rows()[r];
        if (x.value[row_] == FacetTable::kNone) return;
        table.for_each_value(x, col_, [&](std::uint32_t c) {
            CellBest& b = best_[(static_cast<std::uint64_t>(x.value[row_]) << 32) | c];
            if (b.id == 0 || weight > b.weight || (weight == b.weight && id < b.id)) b = {weight, id};
        });
    }
    std::string name() const override { return "strata::CellBestSpy"; }

    std::map<std::pair<std::string, std::string>, CellBest> cells() const {
        std::map<std::pair<std::string, std::string>, CellBest> out;
        const FacetTable& table = column_.table();
        for (const auto& [key, best] : best_)
            out[{table.value(row_, static_cast<std::uint32_t>(key >> 32)), table.value(col_, static_cast<std::uint32_t>(key & 0xffffffffu))}] = best;
        return out;
    }

private:
    const FacetColumn& column_;
    const std::vector<Xapian::docid>& ids_;
    FacetField row_, col_;
    std::unordered_map<std::uint64_t, CellBest> best_;
};

}  // namespace

// Country-group rows (income, bloc): each group cell's best is the best of its countries'
// cells, with the same order as the one pass (higher weight, then lower docid).
std::map<std::pair<std::string, std::string>, CellBest> group_best(
    const std::map<std::pair<std::string, std::string>, CellBest>& by_country, const ReferenceData& ref,
    const std::string& field) {
    std::map<std::pair<std::string, std::string>, CellBest> out;
    for (const auto& [key, best] : by_country)
        for (const std::string& g : groups_of(ref, field, key.first)) {
            CellBest& b = out[{g, key.second}];
            if (b.id == 0 || best.weight > b.weight || (best.weight == b.weight && best.id < b.id)) b = best;
        }
    return out;
}

std::map<std::pair<std::string, std::string>, CellBest> best_by_cell(
    Xapian::Database& db, const Xapian::Query& q, const FacetColumn& column, const std::vector<Xapian::docid>& ids,
    FacetField row, FacetField col) {
    CellBestSpy spy(column, ids, row, col);
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.add_matchspy(&spy);
    enq.get_mset(0, 0, db.get_doccount());
    return spy.cells();
}

}  // namespace strata
