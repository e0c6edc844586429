#include "strata/indexer.h"

#include "index/document_builder.h"
#include "index/index_writer.h"
#include "strata/analyzer.h"
#include "strata/index_store.h"
#include "strata/lexicon.h"
#include "strata/reference.h"
#include "strata/schema.h"

#include <xapian.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <thread>

namespace fs = std::filesystem;

namespace strata {

namespace {

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

// The read-only context of a run: the reference data, the one analyzer and the lexicon.
struct Analysis {
    explicit Analysis(const fs::path& corpus_dir)
        : ref(load_reference(corpus_dir)),
          analyzer(),
          lexicon(analyzer, ref),
          ctx{analyzer, ref, lexicon},
          salt("schema=" + std::to_string(schema::kSchemaVersion) + ";ref=" + ref.hash) {}

    const ReferenceData ref;
    const Analyzer analyzer;
    const LexiconMatcher lexicon;
    const BuildContext ctx;
    const std::string salt;  // hashed with every document: a new schema or reference data changes every hash
};

// The corpus documents of this shard; the corpus's own issues are failures of the run.
CorpusScan scan_shard(const IndexOptions& opt, IndexSummary& summary) {
    if (opt.shards < 1 || opt.shard < 1 || opt.shard > opt.shards)
        throw ConfigError("--shard must be i/n with 1 <= i <= n");
    CorpusScan scan = scan_corpus(opt.corpus_dir);
    summary.failures = scan.issues;
    if (opt.shards > 1) {
        std::erase_if(scan.documents, [&](const DocumentMeta& d) { return shard_of(d.id, opt.shards) != opt.shard; });
    }
    return scan;
}

std::optional<Xapian::Database> open_live(const std::optional<fs::path>& live, IndexSummary& summary) {
    if (!live) return std::nullopt;
    try {
        return Xapian::Database(live->string());
    } catch (const Xapian::Error& e) {
        summary.warnings.push_back("live index unreadable (" + e.get_description() + "); rebuilding");
        return std::nullopt;
    }
}

// The hashes, ids and metadata paths of what the live generation holds.
void read_indexed(const Xapian::Database& old, const std::vector<DocumentMeta>& docs, UpdatePlan& plan) {
    const std::string hash_prefix(schema::kMetaHashPrefix);
    for (auto it = old.metadata_keys_begin(hash_prefix); it != old.metadata_keys_end(hash_prefix); ++it) {
        const std::string id = (*it).substr(schema::kMetaHashPrefix.size());
        plan.indexed_ids.insert(id);
        plan.source_of[id] = old.get_metadata("src:" + id);
    }
    for (std::size_t i = 0; i < docs.size(); ++i) plan.stored[i] = old.get_metadata(hash_prefix + docs[i].id);
}

// Incremental by hash: an update of the live generation needs it readable and built with
// this schema and reference data; else, or on --rebuild, the run writes a fresh generation.
UpdatePlan plan_update(const std::optional<fs::path>& live, const IndexOptions& opt, const ReferenceData& ref,
                       const std::vector<DocumentMeta>& docs, IndexSummary& summary) {
    UpdatePlan plan;
    plan.stored.resize(docs.size());
    const std::optional<Xapian::Database> old = open_live(live, summary);
    if (!old) return plan;
    plan.fresh = opt.rebuild ||
                 meta_or_empty(*old, std::string(schema::kMetaSchemaVersion)) != std::to_string(schema::kSchemaVersion) ||
                 meta_or_empty(*old, std::string(schema::kMetaReferenceHash)) != ref.hash;
    plan.old_generation = to_u64(meta_or_empty(*old, "strata:generation"));
    if (!plan.fresh) read_indexed(*old, docs, plan);
    return plan;
}

std::vector<std::uint64_t> source_sizes(const std::vector<DocumentMeta>& docs) {
    std::vector<std::uint64_t> sizes;
    sizes.reserve(docs.size());
    for (const DocumentMeta& d : docs) {
        std::error_code ec;
        const std::uintmax_t n = fs::file_size(d.text_path, ec);
        sizes.push_back(ec ? 0 : n);
    }
    return sizes;
}

// Deletes the documents of the live generation that left the corpus. A document that failed
// in this run, or whose metadata file failed to load, keeps its last good version.
void remove_gone(Xapian::WritableDatabase& db, const CorpusScan& scan, const UpdatePlan& plan, const Tally& tally,
                 IndexSummary& summary) {
    std::set<std::string> kept = tally.failed();
    for (const CorpusIssue& issue : scan.issues)
        for (const auto& [id, src] : plan.source_of)
            if (!src.empty() && src == issue.file) kept.insert(id);
    for (const std::string& id : plan.indexed_ids) {
        if (tally.present().count(id) || kept.count(id)) continue;
        db.delete_document(std::string(schema::kDocId) + id);
        for (const char* prefix : {"hash:", "doc:", "src:"}) db.set_metadata(prefix + id, "");
        ++summary.deleted;
    }
}

bool run_changed(const UpdatePlan& plan, const IndexSummary& summary) {
    return plan.fresh || summary.added || summary.changed || summary.deleted;
}

// A run that changed anything makes the next generation, stamped with the schema and
// reference data it was built with (an update checks them; the daemon reads the references).
void stamp_generation(Xapian::WritableDatabase& db, const UpdatePlan& plan, const ReferenceData& ref,
                      IndexSummary& summary) {
    const bool changed = run_changed(plan, summary);
    summary.generation = changed ? plan.old_generation + 1 : plan.old_generation;
    if (!changed) return;
    db.set_metadata(std::string(schema::kMetaSchemaVersion), std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kMetaReferenceHash), ref.hash);
    db.set_metadata("strata:generation", std::to_string(summary.generation));
    db.set_metadata(std::string(schema::kMetaBuiltAt), now_iso());
    db.set_metadata(kMetaThemes, ref.sources.themes);
    db.set_metadata(kMetaConcepts, ref.sources.concepts);
    db.set_metadata(kMetaCountries, ref.sources.countries);
}

// A fresh generation goes live by the store's atomic switch; an update commits its
// transaction, or cancels it when nothing changed.
void commit_generation(Xapian::WritableDatabase& db, IndexStore& store, const fs::path& target, const UpdatePlan& plan,
                       IndexSummary& summary) {
    if (plan.fresh) {
        db.commit();
        db.close();
        store.publish(target);
        summary.rebuilt = true;
    } else if (run_changed(plan, summary)) {
        db.commit_transaction();
        db.close();
    } else {
        db.cancel_transaction();
        db.close();
    }
}

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
    const Analysis analysis(opt.corpus_dir);
    const CorpusScan scan = scan_shard(opt, summary);
    const std::optional<fs::path> live = store.live();
    const UpdatePlan plan = plan_update(live, opt, analysis.ref, scan.documents, summary);
    const std::vector<std::uint64_t> sizes = source_sizes(scan.documents);

    const WriteJob job{scan.documents, plan, sizes, analysis.ctx, analysis.salt, opt};
    Tally tally(summary, job, t0);
    const unsigned threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    const fs::path target = plan.fresh ? store.prepare_next() : *live;
    // Parallel lanes when a rebuild has cores to spare; one writer otherwise (every update).
    Xapian::WritableDatabase db = plan.fresh && threads > 1 && scan.documents.size() >= 2
                                      ? write_in_lanes(job, tally, store, target, threads)
                                      : write_in_order(job, tally, target, threads);

    remove_gone(db, scan, plan, tally, summary);
    stamp_generation(db, plan, analysis.ref, summary);
    commit_generation(db, store, target, plan, summary);
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
