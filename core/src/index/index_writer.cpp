#include "index/index_writer.h"

#include "strata/schema.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace fs = std::filesystem;

namespace strata {

namespace {

constexpr std::size_t kMaxAhead = 64;  // documents analysed ahead of the writer, at most

// Passages a lane writes between commits. Xapian buffers each term's new postings in an
// ordered map until it flushes (every 10,000 documents by default); with a passage per
// Xapian document those maps grow long, and inserting into them took a third of the
// indexer's CPU (perf). Committing every 250 passages cut the CPU of a 20 MB rebuild on two
// lanes from 73 s to 42 s and its peak memory from 670 to 175 MB (100 MB: 442 s to 194 s;
// on one writer, flushing every 250, 500, 2,000 passages: 37, 45, 54 s). Lanes commit
// rather than lower XAPIAN_FLUSH_THRESHOLD: a full disk during Xapian's own flush inside
// add_document() aborts the process (Xapian 1.4.22), while a failed commit() throws.
// The merge compacts the lanes, so the extra commits leave no trace in the index.
constexpr std::size_t kLaneCommitPassages = 250;

// build_document(), with an unexpected exception turned into a failure of that document.
BuiltDocument analyse(const DocumentMeta& meta, const BuildContext& ctx, const std::string& stored,
                      const std::string& salt) {
    BuiltDocument b;
    try {
        b = build_document(meta, ctx, stored, salt);
    } catch (const std::exception& e) {
        b = {};
        b.failed = true;
        b.issue = {meta.text_path.string(), 0, "", std::string("analysis failed: ") + e.what()};
    } catch (const Xapian::Error& e) {
        b = {};
        b.failed = true;
        b.issue = {meta.text_path.string(), 0, "", "analysis failed: " + e.get_description()};
    }
    b.id = meta.id;
    return b;
}

// Writes an analysed, changed document: its passages, spelling words and records.
void write_document(Xapian::WritableDatabase& db, const BuiltDocument& b, const DocumentMeta& meta) {
    for (const Xapian::Document& p : b.passages) db.add_document(p);
    for (const auto& [word, freq] : b.spelling) db.add_spelling(word, 1);
    db.set_metadata(std::string(schema::kMetaHashPrefix) + meta.id, b.hash);
    db.set_metadata(std::string(schema::kMetaDocPrefix) + meta.id,
                    b.record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    db.set_metadata("src:" + meta.id, meta.meta_path.string());
}

// Splits documents 0..sizes.size() into `parts` contiguous ranges of about equal bytes;
// returns the parts + 1 boundaries.
std::vector<std::size_t> split_by_bytes(const std::vector<std::uint64_t>& sizes, unsigned parts) {
    std::uint64_t total = 0;
    for (std::uint64_t s : sizes) total += s;
    std::vector<std::size_t> bounds{0};
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i < sizes.size() && bounds.size() < parts; ++i) {
        acc += sizes[i];
        if (acc * parts >= total * bounds.size()) bounds.push_back(i + 1);
    }
    while (bounds.size() <= parts) bounds.push_back(sizes.size());
    return bounds;
}

// What the lanes of a parallel rebuild share.
struct Lanes {
    Lanes(const WriteJob& j, Tally& t) : job(j), tally(t) {}

    const WriteJob& job;
    Tally& tally;
    std::mutex mu;                    // guards the tally and the progress callback
    std::atomic<bool> failed{false};  // one lane failed: the others stop early
};

// One lane: analyses and writes documents [begin, end) into its own sub-index. It skips
// fsync: the sub-index is scratch until merged.
void write_lane(Lanes& lanes, std::size_t begin, std::size_t end, const std::string& path) {
    const WriteJob& job = lanes.job;
    Xapian::WritableDatabase lane(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
    std::size_t uncommitted = 0;
    for (std::size_t i = begin; i < end && !lanes.failed; ++i) {
        BuiltDocument b = analyse(job.documents[i], job.ctx, job.plan.stored[i], job.salt);
        bool write;
        {
            std::lock_guard lock(lanes.mu);
            write = lanes.tally.account(b, job.documents[i]);
            if (job.options.on_progress) job.options.on_progress(lanes.tally.progress());
        }
        if (!write) continue;
        write_document(lane, b, job.documents[i]);
        uncommitted += b.passages.size();
        if (uncommitted >= kLaneCommitPassages) {
            lane.commit();
            uncommitted = 0;
        }
    }
    lane.commit();
}

// Runs one thread per lane; rethrows the first lane's error, in lane order.
void run_lanes(Lanes& lanes, const std::vector<std::size_t>& bounds, const std::vector<std::string>& paths) {
    std::vector<std::exception_ptr> errors(paths.size());
    std::vector<std::thread> workers;
    for (std::size_t k = 0; k < paths.size(); ++k) {
        workers.emplace_back([&, k] {
            try {
                write_lane(lanes, bounds[k], bounds[k + 1], paths[k]);
            } catch (...) {
                errors[k] = std::current_exception();
                lanes.failed = true;
            }
        });
    }
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

// Lanes finish in any order: report failures and warnings in corpus order.
void sort_in_corpus_order(IndexSummary& summary) {
    std::stable_sort(summary.failures.begin(), summary.failures.end(),
                     [](const CorpusIssue& a, const CorpusIssue& b) { return a.file < b.file; });
    std::stable_sort(summary.warnings.begin(), summary.warnings.end());
}

// Analyses documents on worker threads; hands them to the caller in corpus order.
class Pipeline {
public:
    Pipeline(const std::vector<DocumentMeta>& docs, const BuildContext& ctx, const std::vector<std::string>& stored,
             const std::string& salt, unsigned threads)
        : docs_(docs), ctx_(ctx), stored_(stored), salt_(salt), results_(docs.size()) {
        for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
    }
    ~Pipeline() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        for (auto& w : workers_) w.join();
    }

    BuiltDocument take(std::size_t i) {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return results_[i].has_value(); });
        BuiltDocument out = std::move(*results_[i]);
        results_[i].reset();
        taken_ = i + 1;
        cv_.notify_all();
        return out;
    }

private:
    void work() {
        for (;;) {
            std::size_t i;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return stop_ || next_ >= docs_.size() || next_ < taken_ + kMaxAhead; });
                if (stop_ || next_ >= docs_.size()) return;
                i = next_++;
            }
            BuiltDocument b = analyse(docs_[i], ctx_, stored_[i], salt_);
            {
                std::lock_guard lock(mu_);
                results_[i] = std::move(b);
            }
            cv_.notify_all();
        }
    }

    const std::vector<DocumentMeta>& docs_;
    const BuildContext& ctx_;
    const std::vector<std::string>& stored_;
    const std::string& salt_;
    std::vector<std::optional<BuiltDocument>> results_;
    std::vector<std::thread> workers_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::size_t next_ = 0, taken_ = 0;
    bool stop_ = false;
};

}  // namespace

Tally::Tally(IndexSummary& summary, const WriteJob& job, std::chrono::steady_clock::time_point t0)
    : summary_(summary), indexed_ids_(job.plan.indexed_ids), t0_(t0), progress_{0, job.documents.size(), 0, 0, 0} {
    for (std::uint64_t n : job.sizes) progress_.bytes_total += n;
}

bool Tally::account(BuiltDocument& b, const DocumentMeta& meta) {
    present_.insert(meta.id);
    for (std::string& w : b.warnings) summary_.warnings.push_back(std::move(w));
    ++progress_.done;
    progress_.bytes_done += b.bytes;
    progress_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    if (b.failed) {
        ++summary_.failed;
        summary_.failures.push_back(b.issue);
        failed_.insert(meta.id);
        return false;
    }
    if (b.unchanged) {
        ++summary_.unchanged;
        return false;
    }
    summary_.passages += b.passages.size();
    summary_.bytes += b.bytes;
    ++(indexed_ids_.count(meta.id) ? summary_.changed : summary_.added);
    return true;
}

// Lanes rather than one writer because a single Xapian writer is the bottleneck of a
// rebuild; merging in lane order numbers document ids as a single writer would.
Xapian::WritableDatabase write_in_lanes(const WriteJob& job, Tally& tally, IndexStore& store, const fs::path& target,
                                        unsigned threads) {
    const unsigned lanes = static_cast<unsigned>(std::min<std::size_t>(threads, job.documents.size()));
    const std::vector<std::size_t> bounds = split_by_bytes(job.sizes, lanes);
    const fs::path scratch = store.prepare_scratch();
    // The sub-indexes are garbage once merged, and after a failure (a full disk, say).
    struct RemoveScratch {
        fs::path dir;
        ~RemoveScratch() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } remove_scratch{scratch};
    std::vector<std::string> paths;
    for (unsigned k = 0; k < lanes; ++k) paths.push_back((scratch / ("lane-" + std::to_string(k))).string());

    Lanes shared{job, tally};
    run_lanes(shared, bounds, paths);
    sort_in_corpus_order(tally.summary());

    Xapian::Database merged;
    for (const std::string& path : paths) merged.add_database(Xapian::Database(path));
    merged.compact(target.string(), Xapian::DBCOMPACT_MULTIPASS);
    merged.close();
    return Xapian::WritableDatabase(target.string(), Xapian::DB_OPEN);
}

Xapian::WritableDatabase write_in_order(const WriteJob& job, Tally& tally, const fs::path& target, unsigned threads) {
    const bool fresh = job.plan.fresh;
    Xapian::WritableDatabase db(target.string(),
                                fresh ? (Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS) : Xapian::DB_OPEN);
    if (!fresh) db.begin_transaction();
    Pipeline pipeline(job.documents, job.ctx, job.plan.stored, job.salt, threads);
    for (std::size_t i = 0; i < job.documents.size(); ++i) {
        BuiltDocument b = pipeline.take(i);
        const DocumentMeta& meta = job.documents[i];
        const bool existed = job.plan.indexed_ids.count(meta.id) > 0;
        if (tally.account(b, meta)) {
            if (existed) db.delete_document(std::string(schema::kDocId) + meta.id);
            write_document(db, b, meta);
        }
        if (job.options.on_progress) job.options.on_progress(tally.progress());
    }
    return db;
}

}  // namespace strata
