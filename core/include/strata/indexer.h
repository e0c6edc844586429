/** @file indexer.h
 *  @brief Building and updating an index from a corpus directory.
 *
 *  Call order: make IndexOptions, call run_indexer(); it locks the index, reads the
 *  reference data and the corpus, and commits all or nothing. A rebuild runs one lane per
 *  thread, each analysing and writing a contiguous range of documents into its own
 *  sub-index, and merges the sub-indexes in order (document ids as one writer would give
 *  them). An update analyses changed documents on all cores and writes them with one writer
 *  in a transaction of the live generation.
 */
#pragma once

#include "strata/corpus.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace strata {

/// Progress after each document.
struct IndexProgress {
    std::size_t done = 0, total = 0;
    std::uint64_t bytes_done = 0, bytes_total = 0;
    double seconds = 0;
};

/// What to index, and how.
struct IndexOptions {
    std::filesystem::path corpus_dir;
    std::filesystem::path index_dir;
    bool rebuild = false;       ///< write a fresh generation even if nothing changed
    unsigned threads = 0;       ///< threads (and on a rebuild, sub-indexes written); 0 = all cores
    unsigned shard = 1;         ///< with shards > 1: write only shard `shard` (1-based) of `shards`
    unsigned shards = 1;
    std::function<void(const IndexProgress&)> on_progress;  ///< called after each document, one call at a time
};

/// The shard (1..shards) a document belongs to: a stable hash of its id (FNV-1a 64), so
/// the assignment never changes between runs or machines.
[[nodiscard]] unsigned shard_of(const std::string& id, unsigned shards);

/// The outcome of a run.
struct IndexSummary {
    std::size_t added = 0, changed = 0, deleted = 0, unchanged = 0, failed = 0;
    std::size_t passages = 0;        ///< passages written in this run
    std::uint64_t bytes = 0;         ///< source bytes analysed in this run
    double seconds = 0;
    bool rebuilt = false;            ///< a new generation was written
    std::uint64_t generation = 0;    ///< index generation after the run
    std::vector<CorpusIssue> failures;
    std::vector<std::string> warnings;

    [[nodiscard]] double mb_per_second() const { return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0; }
};

/// Runs the indexer. Throws Unavailable when the index is locked, ConfigError/InputError
/// when the reference data is unusable; per-document problems land in failures.
[[nodiscard]] IndexSummary run_indexer(const IndexOptions& options);

/// Counts describing an index, for `strata-index --stats` and /v1/stats.
struct IndexStats {
    std::uint64_t generation = 0;
    std::size_t documents = 0, passages = 0;
    std::map<std::string, std::size_t> languages, countries, years, types;  // documents per value
    std::string built_at;
    std::uint64_t disk_bytes = 0;
};

[[nodiscard]] IndexStats read_index_stats(const std::filesystem::path& index_dir);

}  // namespace strata
