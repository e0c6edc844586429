#include "strata/indexer.h"

#include "index/document_builder.h"
#include "strata/analyzer.h"
#include "strata/index_store.h"
#include "strata/lexicon.h"
#include "strata/reference.h"
#include "strata/schema.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace fs = std::filesystem;

namespace strata {

namespace {

constexpr std::size_t kMaxAhead = 64;  // documents analysed ahead of the writer, at most

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string meta_or_empty(const Xapian::Database& db, const std::string& key) {
    try {
        return db.get_metadata(key);
    } catch (const Xapian::Error&) {
        return {};
    }
}

std::uint64_t to_u64(const std::string& s) {
    try {
        return s.empty() ? 0 : std::stoull(s);
    } catch (...) {
        return 0;
    }
}

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

unsigned shard_of(const std::string& id, unsigned shards) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : id) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<unsigned>(h % std::max(1u, shards)) + 1;
}

IndexSummary run_indexer(const IndexOptions& opt) {
    const auto t0 = std::chrono::steady_clock::now();
    IndexSummary summary;
    IndexLock lock(opt.index_dir);
    IndexStore store(opt.index_dir);

    const ReferenceData ref = load_reference(opt.corpus_dir);
    const Analyzer analyzer;
    const LexiconMatcher lexicon(analyzer, ref);
    const BuildContext ctx{analyzer, ref, lexicon};
    const std::string salt = "schema=" + std::to_string(schema::kSchemaVersion) + ";ref=" + ref.hash;

    if (opt.shards < 1 || opt.shard < 1 || opt.shard > opt.shards)
        throw ConfigError("--shard must be i/n with 1 <= i <= n");
    CorpusScan scan = scan_corpus(opt.corpus_dir);
    summary.failures = scan.issues;
    if (opt.shards > 1) {
        std::erase_if(scan.documents, [&](const DocumentMeta& d) { return shard_of(d.id, opt.shards) != opt.shard; });
    }

    // Decide between an update of the live generation and a fresh one.
    const std::optional<fs::path> live = store.live();
    std::optional<Xapian::Database> old;
    if (live) {
        try {
            old.emplace(live->string());
        } catch (const Xapian::Error& e) {
            summary.warnings.push_back("live index unreadable (" + e.get_description() + "); rebuilding");
        }
    }
    bool fresh = opt.rebuild || !old ||
                 meta_or_empty(*old, std::string(schema::kMetaSchemaVersion)) != std::to_string(schema::kSchemaVersion) ||
                 meta_or_empty(*old, std::string(schema::kMetaReferenceHash)) != ref.hash;
    const std::uint64_t old_generation = old ? to_u64(meta_or_empty(*old, "strata:generation")) : 0;

    std::vector<std::string> stored(scan.documents.size());
    std::set<std::string> indexed_ids;
    std::map<std::string, std::string> source_of;  // id → metadata path as last indexed
    if (old && !fresh) {
        for (auto it = old->metadata_keys_begin(std::string(schema::kMetaHashPrefix));
             it != old->metadata_keys_end(std::string(schema::kMetaHashPrefix)); ++it) {
            const std::string id = (*it).substr(schema::kMetaHashPrefix.size());
            indexed_ids.insert(id);
            source_of[id] = old->get_metadata("src:" + id);
        }
        for (std::size_t i = 0; i < scan.documents.size(); ++i)
            stored[i] = old->get_metadata(std::string(schema::kMetaHashPrefix) + scan.documents[i].id);
    }
    old.reset();

    std::vector<std::uint64_t> sizes;
    sizes.reserve(scan.documents.size());
    for (const DocumentMeta& d : scan.documents) {
        std::error_code ec;
        const std::uintmax_t n = fs::file_size(d.text_path, ec);
        sizes.push_back(ec ? 0 : n);
    }
    IndexProgress progress{0, scan.documents.size(), 0, 0, 0};
    for (std::uint64_t n : sizes) progress.bytes_total += n;

    // Counts a document's outcome; true when it is to be written.
    std::set<std::string> present;
    std::set<std::string> protected_ids;  // failed now, but an older good version stays
    auto account = [&](BuiltDocument& b, const DocumentMeta& meta) {
        present.insert(meta.id);
        for (std::string& w : b.warnings) summary.warnings.push_back(std::move(w));
        ++progress.done;
        progress.bytes_done += b.bytes;
        progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (b.failed) {
            ++summary.failed;
            summary.failures.push_back(b.issue);
            protected_ids.insert(meta.id);
            return false;
        }
        if (b.unchanged) {
            ++summary.unchanged;
            return false;
        }
        summary.passages += b.passages.size();
        summary.bytes += b.bytes;
        ++(indexed_ids.count(meta.id) ? summary.changed : summary.added);
        return true;
    };

    const unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    const fs::path target = fresh ? store.prepare_next() : *live;
    std::optional<Xapian::WritableDatabase> writable;
    if (fresh && threads > 1 && scan.documents.size() >= 2) {
        // A rebuild on several cores: each lane analyses and writes a contiguous range of
        // documents into its own sub-index (a single Xapian writer would be the bottleneck),
        // then the sub-indexes are merged in lane order, so document ids come out as a single
        // writer would number them. Lanes skip fsync: they are scratch until merged.
        const unsigned lanes = static_cast<unsigned>(std::min<std::size_t>(threads, scan.documents.size()));
        const std::vector<std::size_t> bounds = split_by_bytes(sizes, lanes);
        const fs::path scratch = store.prepare_scratch();
        // The sub-indexes are garbage once merged, and after a failure (a full disk, say).
        struct RemoveScratch {
            fs::path dir;
            ~RemoveScratch() {
                std::error_code ec;
                fs::remove_all(dir, ec);
            }
        } remove_scratch{scratch};
        auto lane_path = [&](unsigned k) { return (scratch / ("lane-" + std::to_string(k))).string(); };
        std::mutex mu;  // guards summary, progress and the sets above
        std::vector<std::exception_ptr> errors(lanes);
        std::atomic<bool> failed{false};  // one lane failed: the others stop early
        std::vector<std::thread> workers;
        for (unsigned k = 0; k < lanes; ++k) {
            workers.emplace_back([&, k] {
                try {
                    Xapian::WritableDatabase lane(lane_path(k), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS |
                                                                    Xapian::DB_NO_SYNC);
                    for (std::size_t i = bounds[k]; i < bounds[k + 1] && !failed; ++i) {
                        BuiltDocument b = analyse(scan.documents[i], ctx, stored[i], salt);
                        bool write;
                        {
                            std::lock_guard lock(mu);
                            write = account(b, scan.documents[i]);
                            if (opt.on_progress) opt.on_progress(progress);
                        }
                        if (write) write_document(lane, b, scan.documents[i]);
                    }
                    lane.commit();
                } catch (...) {
                    errors[k] = std::current_exception();
                    failed = true;
                }
            });
        }
        for (std::thread& w : workers) w.join();
        for (const std::exception_ptr& e : errors)
            if (e) std::rethrow_exception(e);
        // Lanes finish in any order: report failures and warnings in corpus order.
        std::stable_sort(summary.failures.begin(), summary.failures.end(),
                         [](const CorpusIssue& a, const CorpusIssue& b) { return a.file < b.file; });
        std::stable_sort(summary.warnings.begin(), summary.warnings.end());
        Xapian::Database merged;
        for (unsigned k = 0; k < lanes; ++k) merged.add_database(Xapian::Database(lane_path(k)));
        merged.compact(target.string(), Xapian::DBCOMPACT_MULTIPASS);
        merged.close();
        writable.emplace(target.string(), Xapian::DB_OPEN);
    } else {
        writable.emplace(target.string(), fresh ? (Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS)
                                                : Xapian::DB_OPEN);
        Xapian::WritableDatabase& db = *writable;
        if (!fresh) db.begin_transaction();
        Pipeline pipeline(scan.documents, ctx, stored, salt, threads);
        for (std::size_t i = 0; i < scan.documents.size(); ++i) {
            BuiltDocument b = pipeline.take(i);
            const DocumentMeta& meta = scan.documents[i];
            const bool existed = indexed_ids.count(meta.id) > 0;
            if (account(b, meta)) {
                if (existed) db.delete_document(std::string(schema::kDocId) + meta.id);
                write_document(db, b, meta);
            }
            if (opt.on_progress) opt.on_progress(progress);
        }
    }
    Xapian::WritableDatabase& db = *writable;

    // A metadata file that failed to load keeps its document's last good version.
    for (const CorpusIssue& issue : scan.issues)
        for (const auto& [id, src] : source_of)
            if (!src.empty() && src == issue.file) protected_ids.insert(id);
    for (const std::string& id : indexed_ids) {
        if (present.count(id) || protected_ids.count(id)) continue;
        db.delete_document(std::string(schema::kDocId) + id);
        for (const char* prefix : {"hash:", "doc:", "src:"}) db.set_metadata(prefix + id, "");
        ++summary.deleted;
    }

    const bool changed = fresh || summary.added || summary.changed || summary.deleted;
    summary.generation = changed ? old_generation + 1 : old_generation;
    if (changed) {
        db.set_metadata(std::string(schema::kMetaSchemaVersion), std::to_string(schema::kSchemaVersion));
        db.set_metadata(std::string(schema::kMetaReferenceHash), ref.hash);
        db.set_metadata("strata:generation", std::to_string(summary.generation));
        db.set_metadata(std::string(schema::kMetaBuiltAt), now_iso());
        db.set_metadata(kMetaThemes, ref.sources.themes);
        db.set_metadata(kMetaConcepts, ref.sources.concepts);
        db.set_metadata(kMetaCountries, ref.sources.countries);
    }
    if (fresh) {
        db.commit();
        db.close();
        store.publish(target);
        summary.rebuilt = true;
    } else if (changed) {
        db.commit_transaction();
        db.close();
    } else {
        db.cancel_transaction();
        db.close();
    }
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return summary;
}

IndexStats read_index_stats(const fs::path& index_dir) {
    if (!index_exists(index_dir)) throw Unavailable("no index at " + index_dir.string());
    Xapian::Database db(index_dir.string());
    IndexStats s;
    s.generation = to_u64(db.get_metadata("strata:generation"));
    s.built_at = db.get_metadata(std::string(schema::kMetaBuiltAt));
    s.passages = db.get_doccount();
    const std::string prefix(schema::kMetaDocPrefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
        const nlohmann::json rec = nlohmann::json::parse(db.get_metadata(*it), nullptr, false);
        if (rec.is_discarded()) continue;
        ++s.documents;
        ++s.languages[rec.value("language", "")];
        ++s.countries[rec.value("country", "")];
        ++s.years[std::to_string(rec.value("year", 0))];
        ++s.types[rec.value("type", "")];
    }
    std::error_code ec;
    if (auto live = IndexStore(index_dir).live())
        for (const auto& e : fs::recursive_directory_iterator(*live, ec))
            if (e.is_regular_file(ec)) s.disk_bytes += e.file_size(ec);
    return s;
}

}  // namespace strata
