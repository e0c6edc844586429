#include "index/posting_cache.h"

#include "index/packed.h"

namespace strata {

namespace {

// Postings read between two looks at the clock, as clause counting looks.
constexpr std::uint32_t kClockEvery = 4096;

// Calls @p each for every docid of @p gaps, in order.
template <class F>
void for_each_gap(const std::string& gaps, F&& each) {
    Xapian::docid id = 0;
    std::uint64_t gap = 0;
    for (std::size_t i = 0; packed::get_varint(gaps, i, gap);) each(id += static_cast<Xapian::docid>(gap));
}

// The memory an entry takes: its passages, its key twice (the map's and the list's), and
// about 160 bytes of nodes, control block and object.
std::size_t cost(const std::string& key, const TermPassages& p) { return p.bytes() + 2 * key.size() + 160; }

}  // namespace

TermPassages::TermPassages(const std::vector<Xapian::docid>& ids, Xapian::docid last) : count_(ids.size()) {
    Xapian::docid prev = 0;
    for (const Xapian::docid id : ids) packed::put_varint(gaps_, id - prev), prev = id;
    if ((std::size_t{last} / 64 + 1) * sizeof(std::uint64_t) > 2 * gaps_.size()) return;
    // The bitmap is no more than twice the gaps' size: kept instead.
    words_.assign(last / 64 + 1, 0);
    for (const Xapian::docid id : ids) words_[id / 64] |= std::uint64_t{1} << (id % 64);
    std::string().swap(gaps_);
}

void TermPassages::add_to(std::vector<std::uint64_t>& words) const {
    if (!words_.empty()) {
        for (std::size_t w = 0; w < words_.size() && w < words.size(); ++w) words[w] |= words_[w];
        return;
    }
    for_each_gap(gaps_, [&](Xapian::docid id) {
        if (id / 64 < words.size()) words[id / 64] |= std::uint64_t{1} << (id % 64);
    });
}

std::vector<Xapian::docid> TermPassages::ids() const {
    if (!words_.empty()) return packed::set_bits(words_);
    std::vector<Xapian::docid> out;
    out.reserve(count_);
    for_each_gap(gaps_, [&](Xapian::docid id) { out.push_back(id); });
    return out;
}

std::string index_identity(Xapian::Database& db) {
    std::string id = db.get_uuid();
    if (id.empty()) return id;
    return id + ':' + std::to_string(db.get_revision()) + ':' + std::to_string(db.get_lastdocid());
}

PostingCache& PostingCache::shared() {
    static PostingCache cache(kSharedBytes);
    return cache;
}

// The key of @p what (T: a term, Q: a query's description) in this revision of @p db; ""
// when nothing of it may be kept.
std::string PostingCache::key_of(Xapian::Database& db, char kind, const std::string& what) const {
    std::string key = max_bytes_ > 0 ? index_identity(db) : std::string();
    if (key.empty()) return key;
    key += '\x1f';
    key += kind;
    key += what;
    return key;
}

std::shared_ptr<const TermPassages> PostingCache::postings(Xapian::Database& db, const std::string& term,
                                                           std::optional<std::chrono::steady_clock::time_point> deadline) {
    const std::string key = key_of(db, 'T', term);
    if (!key.empty())
        if (auto hit = find(key)) return hit;
    std::vector<Xapian::docid> ids;
    std::uint32_t seen = 0;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        if (deadline && ++seen % kClockEvery == 0 && std::chrono::steady_clock::now() >= *deadline) return nullptr;
        ids.push_back(*it);
    }
    auto read = std::make_shared<const TermPassages>(ids, db.get_lastdocid());
    if (!key.empty()) keep(key, read);
    return read;
}

std::shared_ptr<const TermPassages> PostingCache::matches(Xapian::Database& db, const std::string& description,
                                                          const std::function<Match()>& match) {
    const std::string key = key_of(db, 'Q', description);
    if (!key.empty())
        if (auto hit = find(key)) return hit;
    const Match m = match();
    auto found = std::make_shared<const TermPassages>(m.ids, db.get_lastdocid());
    if (!key.empty() && m.complete) keep(key, found);
    return found;
}

std::shared_ptr<const TermPassages> PostingCache::find(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    move_to(it->second, true);  // met again: protected
    // The protected segment keeps four fifths of the budget; its oldest go back to probation.
    while (protected_bytes_ > max_bytes_ / 5 * 4) move_to(entries_.at(protected_.back()), false);
    return it->second.passages;
}

void PostingCache::keep(const std::string& key, std::shared_ptr<const TermPassages> p) {
    if (cost(key, *p) > max_bytes_ / 8) return;
    const std::lock_guard lock(mutex_);
    if (entries_.count(key)) return;  // another request read it meanwhile
    probation_.push_front(key);
    probation_bytes_ += cost(key, *p);
    entries_.emplace(key, Entry{std::move(p), false, probation_.begin()});
    evict();
}

// Moves @p e to the front of the protected segment or of probation.
void PostingCache::move_to(Entry& e, bool to_protected) {
    const std::size_t b = cost(*e.at, *e.passages);
    Order& from = e.is_protected ? protected_ : probation_;
    Order& to = to_protected ? protected_ : probation_;
    (e.is_protected ? protected_bytes_ : probation_bytes_) -= b;
    (to_protected ? protected_bytes_ : probation_bytes_) += b;
    to.splice(to.begin(), from, e.at);
    e.is_protected = to_protected;
}

// Drops the oldest entries of probation (then of the protected segment) until within budget.
void PostingCache::evict() {
    while (probation_bytes_ + protected_bytes_ > max_bytes_) {
        Order& from = probation_.empty() ? protected_ : probation_;
        const auto it = entries_.find(from.back());
        const std::size_t b = cost(it->first, *it->second.passages);
        (it->second.is_protected ? protected_bytes_ : probation_bytes_) -= b;
        from.pop_back();
        entries_.erase(it);
    }
}

std::size_t PostingCache::bytes() const {
    const std::lock_guard lock(mutex_);
    return probation_bytes_ + protected_bytes_;
}

std::size_t PostingCache::entries() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace strata
