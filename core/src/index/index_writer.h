/** @file index_writer.h
 *  @brief Internal: analysing a run's documents and writing them, by one writer in corpus
 *         order or, on a rebuild, by parallel lanes whose sub-indexes are merged.
 */
#pragma once

#include "index/document_builder.h"
#include "strata/corpus.h"
#include "strata/index_store.h"
#include "strata/indexer.h"

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace strata {

/// What the live generation holds, read before writing; it decides between an update of the
/// live generation and a fresh one.
struct UpdatePlan {
    bool fresh = true;                 ///< write a new generation (else update the live one)
    std::uint64_t old_generation = 0;  ///< the live generation's number (0 without one)
    std::vector<std::string> stored;   ///< per scanned document: its hash in the live generation, or ""
    std::set<std::string> indexed_ids;              ///< documents of the live generation (update only)
    std::map<std::string, std::string> source_of;   ///< id → metadata path as last indexed (update only)
};

/// Everything the writers read; all of it outlives the writing.
struct WriteJob {
    const std::vector<DocumentMeta>& documents;  ///< in corpus order
    const UpdatePlan& plan;
    const std::vector<std::uint64_t>& sizes;     ///< source bytes per document
    const BuildContext& ctx;
    const std::string& salt;                     ///< hashed with each document
    const IndexOptions& options;
};

/// Counts each document's outcome into the run's summary and progress. Not thread-safe:
/// parallel lanes call it under one mutex.
class Tally {
public:
    Tally(IndexSummary& summary, const WriteJob& job, std::chrono::steady_clock::time_point t0);

    /// Counts @p b (taking its warnings); true when it is to be written.
    [[nodiscard]] bool account(BuiltDocument& b, const DocumentMeta& meta);

    [[nodiscard]] const IndexProgress& progress() const { return progress_; }
    [[nodiscard]] IndexSummary& summary() { return summary_; }
    /// Documents seen in the corpus in this run.
    [[nodiscard]] const std::set<std::string>& present() const { return present_; }
    /// Documents that failed in this run, whose last good version stays.
    [[nodiscard]] const std::set<std::string>& failed() const { return failed_; }

private:
    IndexSummary& summary_;
    const std::set<std::string>& indexed_ids_;
    const std::chrono::steady_clock::time_point t0_;
    IndexProgress progress_;
    std::set<std::string> present_, failed_;
};

/// A rebuild on several cores: one lane per thread analyses and writes a contiguous range of
/// documents into its own sub-index, then the sub-indexes are merged in lane order into
/// @p target. Returns @p target opened for writing.
[[nodiscard]] Xapian::WritableDatabase write_in_lanes(const WriteJob& job, Tally& tally, IndexStore& store,
                                                      const std::filesystem::path& target, unsigned threads);

/// One writer: documents are analysed on @p threads threads and written in corpus order,
/// into a fresh @p target or in a transaction of the live one (left open for the caller).
[[nodiscard]] Xapian::WritableDatabase write_in_order(const WriteJob& job, Tally& tally,
                                                      const std::filesystem::path& target, unsigned threads);

}  // namespace strata
