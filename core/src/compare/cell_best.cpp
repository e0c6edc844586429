#include "compare/cell_best.h"

#include "search/country_groups.h"
#include "strata/schema.h"

#include <algorithm>
#include <cstdint>

namespace strata {

namespace {

class CellBestSpy : public Xapian::MatchSpy {
public:
    CellBestSpy(const FacetColumn& column, const std::vector<Xapian::docid>* ids, FacetField row, FacetField col,
                const std::vector<Xapian::valueno>& order_slots)
        : column_(column),
          ids_(ids),
          row_(row),
          col_(col),
          order_slots_(order_slots),
          columns_(column.table().values(col)),
          best_(column.table().values(row) * columns_) {}

    void operator()(const Xapian::Document& doc, double weight) override {
        const Xapian::docid id = doc.get_docid();
        if (ids_ && !std::binary_search(ids_->begin(), ids_->end(), id)) return;
        const std::uint32_t r = column_.row(id);
        if (r == FacetTable::kNone) return;
        const FacetTable& table = column_.table();
        const FacetTable::Row& x = table.rows()[r];
        if (x.value[row_] == FacetTable::kNone) return;
        table.for_each_value(x, col_, [&](std::uint32_t c) {
            const double w = c < order_slots_.size() && order_slots_[c] != Xapian::BAD_VALUENO
                                 ? Xapian::sortable_unserialise(doc.get_value(order_slots_[c]))
                                 : weight;
            CellBest& b = best_[x.value[row_] * columns_ + c];
            if (b.id == 0 || w > b.order || (w == b.order && id < b.id)) b = {weight, id, w};
        });
    }
    std::string name() const override { return "strata::CellBestSpy"; }

    std::map<std::pair<std::string, std::string>, CellBest> cells() const {
        std::map<std::pair<std::string, std::string>, CellBest> out;
        const FacetTable& table = column_.table();
        for (std::size_t i = 0; i < best_.size(); ++i)
            if (best_[i].id != 0)
                out[{table.value(row_, static_cast<std::uint32_t>(i / columns_)), table.value(col_, static_cast<std::uint32_t>(i % columns_))}] =
                    best_[i];
        return out;
    }

private:
    const FacetColumn& column_;
    const std::vector<Xapian::docid>* ids_;  // null: every passage the query matches
    FacetField row_, col_;
    const std::vector<Xapian::valueno>& order_slots_;  // by column value; BAD_VALUENO: by weight
    std::size_t columns_;          // values of the column field
    std::vector<CellBest> best_;  // by row value × columns_ + column value (id 0: none yet)
};

}  // namespace

// Country-group rows (income, bloc): each group cell's best is the best of its countries'
// cells, in the same order as the one pass (higher order key, then lower docid).
std::map<std::pair<std::string, std::string>, CellBest> group_best(
    const std::map<std::pair<std::string, std::string>, CellBest>& by_country, const ReferenceData& ref,
    const std::string& field) {
    std::map<std::pair<std::string, std::string>, CellBest> out;
    for (const auto& [key, best] : by_country)
        for (const std::string& g : groups_of(ref, field, key.first)) {
            CellBest& b = out[{g, key.second}];
            if (b.id == 0 || best.order > b.order || (best.order == b.order && best.id < b.id)) b = best;
        }
    return out;
}

std::map<std::pair<std::string, std::string>, CellBest> best_by_cell(
    Xapian::Database& db, const Xapian::Query& q, const FacetColumn& column, const std::vector<Xapian::docid>* ids,
    FacetField row, FacetField col, const std::vector<Xapian::valueno>& order_slots) {
    CellBestSpy spy(column, ids, row, col, order_slots);
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.add_matchspy(&spy);
    enq.get_mset(0, 0, db.get_doccount());
    return spy.cells();
}

Xapian::valueno theme_score_slot(const ReferenceData& ref, const std::string& theme) {
    const auto t = std::find_if(ref.themes.begin(), ref.themes.end(), [&](const Theme& x) { return x.id == theme; });
    return t == ref.themes.end() ? Xapian::BAD_VALUENO
                                 : schema::kSlotThemeScoreBase + static_cast<Xapian::valueno>(t - ref.themes.begin());
}

std::vector<Xapian::valueno> theme_score_slots(const FacetColumn& column, const ReferenceData& ref) {
    const FacetTable& table = column.table();
    std::vector<Xapian::valueno> slots(table.values(kThemeField));
    for (std::uint32_t c = 0; c < slots.size(); ++c) slots[c] = theme_score_slot(ref, table.value(kThemeField, c));
    return slots;
}

}  // namespace strata
