/** @file index_handle.h
 *  @brief Readers' access to an index: one Xapian::Database per thread, reopened when the
 *         indexer commits or publishes a new generation.
 */
#pragma once

#include "strata/errors.h"

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace strata {

/// Whether @p shard names a remote server (host:port) rather than a local directory.
[[nodiscard]] bool is_remote(const std::string& shard);

/// The shards an index is made of: local index directories or remote "host:port" of
/// xapian-tcpsrv servers.
class IndexHandle {
public:
    explicit IndexHandle(std::vector<std::string> shards,
                         std::chrono::milliseconds check_every = std::chrono::milliseconds(200));

    /// Runs @p fn with this thread's database, reopening it when stale and retrying on
    /// Xapian::DatabaseModifiedError (the indexer committed under the reader).
    template <class Fn>
    auto with_db(Fn&& fn) const -> decltype(fn(std::declval<Xapian::Database&>())) {
        for (int attempt = 0;; ++attempt) {
            try {
                return fn(database(attempt > 0));
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt >= 3) throw Unavailable("the index kept changing during the request; try again");
            } catch (const Xapian::DatabaseOpeningError& e) {
                throw Unavailable("index unavailable: " + e.get_description());
            } catch (const Xapian::NetworkError& e) {
                // The reopen that follows names the shard that is down.
                if (attempt >= 1) throw Unavailable("a shard is unavailable: " + e.get_description());
            }
        }
    }

    /// A key that changes whenever the live generation or revision changes.
    [[nodiscard]] std::string version() const;

    [[nodiscard]] const std::vector<std::string>& shards() const { return shards_; }
    /// Whether the index is one local database (no shards, no remote server).
    [[nodiscard]] bool single_local() const;

private:
    Xapian::Database& database(bool force_reopen) const;
    [[nodiscard]] std::string live_key() const;  // which generations are live now

    std::vector<std::string> shards_;
    std::chrono::milliseconds check_every_;
    // Names this handle's databases in each thread: a number no other handle of the process
    // has, not its address, which a later handle may reuse.
    std::uint64_t id_;
};

}  // namespace strata
