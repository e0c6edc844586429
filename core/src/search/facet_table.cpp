#include "search/facet_table.h"

#include "strata/schema.h"

#include <algorithm>

namespace strata {

std::optional<FacetField> facet_field(std::string_view name) {
    for (std::size_t f = 0; f < kFacetFields; ++f)
        if (kFacetFieldNames[f] == name) return static_cast<FacetField>(f);
    return std::nullopt;
}

std::uint32_t FacetTable::Dictionary::id(std::string_view v) {
    if (v.empty()) return kNone;
    const auto [it, added] = ids.try_emplace(std::string(v), static_cast<std::uint32_t>(values.size()));
    if (added) values.emplace_back(v);
    return it->second;
}

std::uint32_t FacetTable::append(std::string_view key) {
    std::array<std::string_view, 7> f;
    std::size_t n = 0, start = 0;
    for (;;) {
        const std::size_t sep = key.find('\x1f', start);
        if (n == f.size()) return kNone;  // more fields than a key has
        f[n++] = key.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
        if (sep == std::string_view::npos) break;
        start = sep + 1;
    }
    if (n < f.size()) return kNone;
    Row row;
    // Keys come in order, so a new document id is either the last one or a new one.
    if (docs_.empty() || docs_.back() != f[0]) docs_.emplace_back(f[0]);
    row.doc = static_cast<std::uint32_t>(docs_.size() - 1);
    for (std::size_t i = 0; i < kThemeField; ++i) row.value[i] = dict_[i].id(f[i + 1]);
    row.themes_begin = static_cast<std::uint32_t>(theme_pool_.size());
    for (std::size_t s = 0; s <= f[6].size();) {
        const std::size_t comma = std::min(f[6].find(',', s), f[6].size());
        const std::uint32_t t = dict_[kThemeField].id(f[6].substr(s, comma - s));
        if (t != kNone) theme_pool_.push_back(t);
        s = comma + 1;
    }
    row.themes_end = static_cast<std::uint32_t>(theme_pool_.size());
    rows_.push_back(row);
    return static_cast<std::uint32_t>(rows_.size() - 1);
}

std::uint32_t FacetTable::find_doc(std::string_view id) const {
    const auto it = std::lower_bound(docs_.begin(), docs_.end(), id, [](const std::string& d, std::string_view v) { return d < v; });
    return it != docs_.end() && *it == id ? static_cast<std::uint32_t>(it - docs_.begin()) : kNone;
}

std::size_t FacetTable::memory_bytes() const {
    std::size_t n = rows_.capacity() * sizeof(Row) + theme_pool_.capacity() * 4;
    for (const std::string& d : docs_) n += sizeof d + d.capacity();
    for (const Dictionary& d : dict_)
        for (const std::string& v : d.values) n += 2 * (sizeof v + v.capacity()) + 16;
    return n;
}

FacetColumn::FacetColumn(const Xapian::Database& db) {
    // Distinct keys first, so that rows can be numbered in key order.
    std::unordered_map<std::string, std::uint32_t> key_ids;
    std::vector<std::pair<Xapian::docid, std::uint32_t>> postings;
    postings.reserve(db.get_doccount());
    for (auto it = db.valuestream_begin(schema::kSlotFacetKey); it != db.valuestream_end(schema::kSlotFacetKey); ++it) {
        const auto [k, added] = key_ids.try_emplace(*it, static_cast<std::uint32_t>(key_ids.size()));
        postings.emplace_back(it.get_docid(), k->second);
    }
    std::vector<const std::string*> keys(key_ids.size());
    for (const auto& [key, id] : key_ids) keys[id] = &key;
    std::vector<std::uint32_t> order(keys.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return *keys[a] < *keys[b]; });
    std::vector<std::uint32_t> row_of_key(keys.size(), FacetTable::kNone);
    for (std::uint32_t id : order) row_of_key[id] = table_.append(*keys[id]);
    row_of_.assign(db.get_lastdocid() + 1, FacetTable::kNone);
    row_passages_.assign(table_.rows().size(), 0);
    for (const auto& [docid, key] : postings) {
        if (docid >= row_of_.size()) continue;
        row_of_[docid] = row_of_key[key];
        if (row_of_[docid] != FacetTable::kNone) ++row_passages_[row_of_[docid]];
    }
    doc_passages_.assign(table_.docs(), 0);
    for (std::size_t r = 0; r < row_passages_.size(); ++r) doc_passages_[table_.rows()[r].doc] += row_passages_[r];
    const std::string prefix(schema::kDocId);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++documents_;
}

class FacetCounter::ColumnSpy : public Xapian::MatchSpy {
public:
    explicit ColumnSpy(const FacetColumn& column) : column_(column), counts_(column.table().rows().size()) {}
    void operator()(const Xapian::Document& doc, double) override { add(doc.get_docid()); }
    void add(Xapian::docid id) {
        const std::uint32_t row = column_.row(id);
        if (row == FacetTable::kNone) return;
        ++counts_[row];
        if (keep_) ids_.push_back(id);
    }
    std::string name() const override { return "strata::FacetCounter::ColumnSpy"; }
    std::vector<std::uint32_t>& counts() { return counts_; }
    std::vector<Xapian::docid>& ids() { return ids_; }
    bool keep_ = false;

private:
    const FacetColumn& column_;
    std::vector<std::uint32_t> counts_;
    std::vector<Xapian::docid> ids_;
};

void FacetCounter::keep_docids() {
    if (column_spy_) column_spy_->keep_ = true;
}

std::vector<Xapian::docid> FacetCounter::take_docids() {
    if (!column_spy_) return {};
    std::vector<Xapian::docid> ids = std::move(column_spy_->ids());
    if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
    return ids;
}

bool FacetCounter::count_all() {
    if (!column_spy_) return false;
    column_spy_->counts() = column_->row_passages();
    return true;
}

bool FacetCounter::count_docids(const std::vector<Xapian::docid>& ids) {
    if (!column_spy_) return false;
    for (Xapian::docid id : ids) column_spy_->add(id);
    return true;
}

void FacetCounter::count(Xapian::Database& db, const Xapian::Query& q, double max_seconds) {
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_time_limit(max_seconds);
    enq.add_matchspy(spy());
    enq.get_mset(0, 0, db.get_doccount());
}

FacetCounter::FacetCounter(std::shared_ptr<const FacetColumn> column) : column_(std::move(column)) {
    if (column_)
        column_spy_ = std::make_unique<ColumnSpy>(*column_);
    else
        value_spy_ = std::make_unique<Xapian::ValueCountMatchSpy>(schema::kSlotFacetKey);
}

FacetCounter::~FacetCounter() = default;

Xapian::MatchSpy* FacetCounter::spy() const {
    if (column_spy_) return column_spy_.get();
    return value_spy_.get();
}

void FacetCounter::finish() {
    if (finished_) return;
    finished_ = true;
    if (column_spy_) return;
    own_table_.emplace();
    for (auto it = value_spy_->values_begin(); it != value_spy_->values_end(); ++it) {
        const std::uint32_t row = own_table_->append(*it);  // the spy lists keys in order
        if (row != FacetTable::kNone) own_counts_.push_back(it.get_termfreq());
    }
}

const FacetTable& FacetCounter::table() {
    finish();
    return own_table_ ? *own_table_ : column_->table();
}

const std::vector<std::uint32_t>& FacetCounter::counts() {
    finish();
    return column_spy_ ? column_spy_->counts() : own_counts_;
}

}  // namespace strata
