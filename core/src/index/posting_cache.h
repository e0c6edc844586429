/** @file posting_cache.h
 *  @brief Internal: the passages of a term, or of a match of a query, read once per
 *  revision of an index and kept for every request of the process, up to a budget of bytes.
 *
 *  Counting a clause reads every posting of its terms and matches its phrases (clause_count.h).
 *  Xapian decodes a posting list block by block, a system call per block, and a phrase
 *  match reads positions too; what is kept here is the passages as gaps in variable-length
 *  bytes, or as a bitmap where that is no more than twice as large, added to a clause's
 *  passages a word of 64 at a time. The answer is the same: what is kept is what the index
 *  holds, under its identity, revision and last docid, so an update or a new generation is
 *  a new key.
 *
 *  Entries are kept in two least-recently-used segments (probation and protected): one read
 *  once waits in probation, and one met again moves to the protected segment, which holds up
 *  to four fifths of the budget. A stream of new terms (one long research question) then
 *  evicts the other new terms, not the ones that requests keep meeting.
 */
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

/// The passages (docids) of one term, in increasing order.
class TermPassages {
public:
    /// Keeps @p ids (increasing) in whichever form is smaller, the bitmap when it is no more
    /// than twice the gaps' size.
    TermPassages(const std::vector<Xapian::docid>& ids, Xapian::docid last);
    /// Sets bit d of @p words (d / 64, d % 64) for every passage d; @p words must hold
    /// every docid up to the index's last.
    void add_to(std::vector<std::uint64_t>& words) const;
    /// The passages, in increasing order.
    [[nodiscard]] std::vector<Xapian::docid> ids() const;
    /// Bytes kept.
    [[nodiscard]] std::size_t bytes() const { return gaps_.size() + words_.size() * sizeof(std::uint64_t); }
    [[nodiscard]] std::size_t size() const { return count_; }

private:
    std::size_t count_ = 0;
    std::string gaps_;                  // LEB128 gaps from the previous docid (from 0)
    std::vector<std::uint64_t> words_;  // or a bitmap, when smaller
};

class PostingCache {
public:
    /// A cache holding up to @p max_bytes of passages (0: keeps nothing).
    explicit PostingCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    /// The process's cache, of kSharedBytes.
    static PostingCache& shared();
    static constexpr std::size_t kSharedBytes = std::size_t{32} << 20;

    /// The passages of @p term in @p db, kept or read now from its postings; null when the
    /// read passed @p deadline (what was read is then neither kept nor answered).
    [[nodiscard]] std::shared_ptr<const TermPassages> postings(Xapian::Database& db, const std::string& term,
                                                               std::optional<std::chrono::steady_clock::time_point> deadline);

    /// What a match found: its passages, and whether it ran to the end (else it is not kept).
    struct Match {
        std::vector<Xapian::docid> ids;  ///< increasing
        bool complete = true;
    };
    /// The passages kept under @p description (a query's, naming all it matches) for this
    /// revision of @p db, or those @p match finds now.
    [[nodiscard]] std::shared_ptr<const TermPassages> matches(Xapian::Database& db, const std::string& description,
                                                              const std::function<Match()>& match);

    /// Bytes kept now (passages, keys, and an estimate of each entry's nodes), and entries.
    [[nodiscard]] std::size_t bytes() const;
    [[nodiscard]] std::size_t entries() const;

private:
    using Order = std::list<std::string>;
    struct Entry {
        std::shared_ptr<const TermPassages> passages;
        bool is_protected = false;
        Order::iterator at;
    };

    [[nodiscard]] std::string key_of(Xapian::Database& db, char kind, const std::string& what) const;
    std::shared_ptr<const TermPassages> find(const std::string& key);
    void keep(const std::string& key, std::shared_ptr<const TermPassages> p);
    void move_to(Entry& e, bool to_protected);
    void evict();

    std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    Order probation_, protected_;  // most recent first
    std::size_t probation_bytes_ = 0, protected_bytes_ = 0;
};

/// The identity of one revision of @p db for cache keys: its UUID, revision and last
/// docid, or "" when it has no UUID (then nothing is kept).
[[nodiscard]] std::string index_identity(Xapian::Database& db);

}  // namespace strata
