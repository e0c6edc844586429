#include "search/facet_table.h"

#include "index/packed.h"
#include "strata/schema.h"

#include <algorithm>
#include <chrono>

namespace strata {

namespace {

// A facet key as the numbers of its seven fields, each in its field's dictionary of raw
// strings (the empty string included): 28 bytes a distinct key while the column is read.
using KeyParts = std::array<std::uint32_t, 7>;

struct KeyPartsHash {
    std::size_t operator()(const KeyParts& k) const noexcept {
        std::size_t h = 0;
        for (std::uint32_t v : k) h = h * 0x9e3779b97f4a7c15ULL + v;
        return h;
    }
};

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Orders two different fields of keys as the whole keys' strings order: the first differing
// byte decides; where one field is a prefix of the other, the shorter one's separator
// ('\x1f', or the key's end after the last field) meets the longer one's next byte.
int compare_field(std::string_view a, std::string_view b, bool last) {
    const std::size_t n = std::min(a.size(), b.size());
    if (const int c = a.substr(0, n).compare(b.substr(0, n)); c != 0) return c;
    if (a.size() == b.size()) return 0;
    const bool a_shorter = a.size() < b.size();
    const auto next = static_cast<unsigned char>(a_shorter ? b[n] : a[n]);
    const bool shorter_first = last || next > 0x1f;  // a field never holds '\x1f'
    return a_shorter == shorter_first ? -1 : 1;
}

class KeyDictionary {
public:
    // The parts of @p key, or nullopt for a malformed key (not seven fields).
    std::optional<KeyParts> parts(std::string_view key) {
        const std::optional<FacetTable::KeyFields> fields = FacetTable::split(key);
        if (!fields) return std::nullopt;
        KeyParts out;
        for (std::size_t f = 0; f < out.size(); ++f) {
            auto& ids = ids_[f];
            auto it = ids.find((*fields)[f]);
            if (it == ids.end()) {
                it = ids.emplace(std::string((*fields)[f]), static_cast<std::uint32_t>(text_[f].size())).first;
                text_[f].push_back(&it->first);
            }
            out[f] = it->second;
        }
        return out;
    }
    // Whether @p a's key sorts before @p b's as strings.
    bool less(const KeyParts& a, const KeyParts& b) const {
        for (std::size_t f = 0; f < a.size(); ++f)
            if (a[f] != b[f]) return compare_field(*text_[f][a[f]], *text_[f][b[f]], f + 1 == a.size()) < 0;
        return false;
    }
    std::string join(const KeyParts& k) const {
        std::string key;
        for (std::size_t f = 0; f < k.size(); ++f) {
            if (f > 0) key += '\x1f';
            key += *text_[f][k[f]];
        }
        return key;
    }

private:
    std::array<std::unordered_map<std::string, std::uint32_t, TransparentHash, std::equal_to<>>, 7> ids_;
    std::array<std::vector<const std::string*>, 7> text_;
};

}  // namespace

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

std::optional<FacetTable::KeyFields> FacetTable::split(std::string_view key) {
    KeyFields f;
    std::size_t n = 0, start = 0;
    for (;;) {
        const std::size_t sep = key.find('\x1f', start);
        if (n == f.size()) return std::nullopt;  // more fields than a key has
        f[n++] = key.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
        if (sep == std::string_view::npos) break;
        start = sep + 1;
    }
    if (n < f.size()) return std::nullopt;
    return f;
}

std::uint32_t FacetTable::append(std::string_view key) {
    const std::optional<KeyFields> fields = split(key);
    if (!fields) return kNone;
    const KeyFields& f = *fields;
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
    // Each passage's key is cut into numbered fields as it is read, and only the distinct
    // keys of the current run of one document's passages are looked up: no map of every
    // distinct key's text (at 1 GB of corpus that map was the largest part of the daemon's
    // peak). row_of_ holds a key's number in `distinct` until the rows are numbered.
    KeyDictionary dict;
    std::vector<KeyParts> distinct;
    std::unordered_map<KeyParts, std::uint32_t, KeyPartsHash> in_run;
    row_of_.assign(db.get_lastdocid() + 1, FacetTable::kNone);
    for (auto it = db.valuestream_begin(schema::kSlotFacetKey); it != db.valuestream_end(schema::kSlotFacetKey); ++it) {
        const std::optional<KeyParts> parts = dict.parts(*it);
        if (!parts || it.get_docid() >= row_of_.size()) continue;  // a malformed key has no row
        if (!in_run.empty() && in_run.begin()->first[0] != (*parts)[0]) in_run.clear();
        const auto [k, added] = in_run.try_emplace(*parts, static_cast<std::uint32_t>(distinct.size()));
        if (added) distinct.push_back(*parts);
        row_of_[it.get_docid()] = k->second;
    }
    in_run = {};
    // Rows in key order; a document whose passages were not adjacent repeats a key.
    std::vector<std::uint32_t> order(distinct.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return dict.less(distinct[a], distinct[b]); });
    std::vector<std::uint32_t> row_of_key(distinct.size(), FacetTable::kNone);
    for (std::size_t i = 0; i < order.size(); ++i) {
        const bool repeat = i > 0 && distinct[order[i]] == distinct[order[i - 1]];
        row_of_key[order[i]] = repeat ? row_of_key[order[i - 1]] : table_.append(dict.join(distinct[order[i]]));
    }
    row_passages_.assign(table_.rows().size(), 0);
    for (std::uint32_t& row : row_of_) {
        if (row == FacetTable::kNone) continue;
        row = row_of_key[row];
        if (row != FacetTable::kNone) ++row_passages_[row];
    }
    doc_passages_.assign(table_.docs(), 0);
    for (std::size_t r = 0; r < row_passages_.size(); ++r) doc_passages_[table_.rows()[r].doc] += row_passages_[r];
    const std::string prefix(schema::kDocId);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) ++documents_;
}

class FacetCounter::ColumnSpy : public Xapian::MatchSpy {
public:
    explicit ColumnSpy(const FacetColumn& column)
        : column_(column), counts_(column.table().rows().size()), counted_(counts_.size() / 64 + 1, 0) {}
    void operator()(const Xapian::Document& doc, double) override { add(doc.get_docid()); }
    void add(Xapian::docid id) {
        const std::uint32_t row = column_.row(id);
        if (row == FacetTable::kNone) return;
        if (counts_[row]++ == 0) counted_[row / 64] |= std::uint64_t{1} << (row % 64);
        if (keep_) ids_.push_back(id);
    }
    // Every row counted at once (count_all()).
    void add_all(const std::vector<std::uint32_t>& per_row) {
        counts_ = per_row;
        for (std::size_t r = 0; r < counts_.size(); ++r)
            if (counts_[r]) counted_[r / 64] |= std::uint64_t{1} << (r % 64);
    }
    // The rows with a count, in row order, from one bit per row.
    std::vector<std::uint32_t> counted_rows() const { return packed::set_bits(counted_); }
    std::string name() const override { return "strata::FacetCounter::ColumnSpy"; }
    std::vector<std::uint32_t>& counts() { return counts_; }
    std::vector<Xapian::docid>& ids() { return ids_; }
    bool keep_ = false;

private:
    const FacetColumn& column_;
    std::vector<std::uint32_t> counts_;
    std::vector<std::uint64_t> counted_;  // one bit per row with a count
    std::vector<Xapian::docid> ids_;
};

// count() of @p q, keeping its passages, for the PostingCache: a match that may have
// stopped at the time limit is not kept.
PostingCache::Match FacetCounter::count_for_cache(Xapian::Database& db, const Xapian::Query& q, double max_seconds) {
    const auto start = std::chrono::steady_clock::now();
    keep_docids();
    count(db, q, max_seconds);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return {take_docids(), max_seconds <= 0 || took.count() < max_seconds / 2};
}

std::shared_ptr<const TermPassages> FacetCounter::count_kept(Xapian::Database& db, const Xapian::Query& q, double max_seconds) {
    if (!column_spy_) {
        count(db, q, max_seconds);
        return nullptr;
    }
    bool counted = false;
    auto found = PostingCache::shared().matches(db, q.get_description(), [&] {
        counted = true;
        return count_for_cache(db, q, max_seconds);
    });
    if (!counted)
        for (const Xapian::docid id : found->ids()) column_spy_->add(id);
    return found;
}

std::shared_ptr<const TermPassages> FacetCounter::passages_kept(Xapian::Database& db, std::shared_ptr<const FacetColumn> column,
                                                                const Xapian::Query& q, double max_seconds) {
    std::optional<FacetCounter> counter;  // made only for a match not kept (its tables are rows long)
    return PostingCache::shared().matches(db, q.get_description(), [&] {
        counter.emplace(std::move(column));
        return counter->count_for_cache(db, q, max_seconds);
    });
}

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
    column_spy_->add_all(column_->row_passages());
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

std::vector<std::uint32_t> FacetCounter::counted_rows() {
    finish();
    if (column_spy_) return column_spy_->counted_rows();
    std::vector<std::uint32_t> out;
    for (std::uint32_t r = 0; r < own_counts_.size(); ++r)
        if (own_counts_[r]) out.push_back(r);
    return out;
}

const std::vector<std::uint32_t>& FacetCounter::counts() {
    finish();
    return column_spy_ ? column_spy_->counts() : own_counts_;
}

}  // namespace strata
