/** @file index_store.h
 *  @brief The on-disk layout of an index: generations behind a Xapian stub file.
 *
 *  INDEX_DIR/
 *    XAPIANDB        stub naming the live generation ("glass gen-000003"); replaced by rename
 *    gen-000003/     a Xapian glass database
 *    .lock           flock()ed by the one indexer allowed at a time
 *    .scratch/       sub-indexes of a parallel rebuild, merged into the new generation
 *
 *  Xapian opens INDEX_DIR itself through the stub. A rebuild writes a new generation and
 *  publishes it with an atomic rename; an update commits one Xapian transaction in the live
 *  generation. Either way a crash leaves the last good index serving.
 */
#pragma once

#include "strata/errors.h"

#include <filesystem>
#include <optional>
#include <string>

namespace strata {

/// Holds the indexer's exclusive lock on an index directory for its lifetime.
class IndexLock {
public:
    /// Creates @p index_dir if needed and locks it; throws Unavailable("… is locked …").
    explicit IndexLock(const std::filesystem::path& index_dir);
    ~IndexLock();
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

private:
    int fd_ = -1;
};

/// Reads and switches generations of an index directory.
class IndexStore {
public:
    explicit IndexStore(std::filesystem::path index_dir) : dir_(std::move(index_dir)) {}

    /// The live generation's directory, if the index has one.
    [[nodiscard]] std::optional<std::filesystem::path> live() const;

    /// A fresh, empty directory for the next generation (removes crash leftovers first).
    [[nodiscard]] std::filesystem::path prepare_next();

    /// An empty scratch directory for the sub-indexes of a parallel rebuild (leftovers of a
    /// crashed run are removed first). Removed again by publish().
    [[nodiscard]] std::filesystem::path prepare_scratch();

    /// Makes @p generation live (atomic rename of the stub, fsynced), then removes all but
    /// the previous generation, which readers may still have open.
    void publish(const std::filesystem::path& generation);

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
    [[nodiscard]] std::filesystem::path stub() const { return dir_ / "XAPIANDB"; }

private:
    std::filesystem::path dir_;
};

/// Whether @p index_dir holds a published index.
[[nodiscard]] bool index_exists(const std::filesystem::path& index_dir);

}  // namespace strata
