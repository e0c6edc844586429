#include "strata/index_handle.h"

#include "strata/index_store.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>

namespace fs = std::filesystem;

namespace strata {

namespace {

struct ThreadDb {
    std::unique_ptr<Xapian::Database> db;
    std::string live;
    std::chrono::steady_clock::time_point checked;
};

std::uint64_t next_handle_id() {
    static std::atomic<std::uint64_t> next{1};
    return next++;
}

// Handles come and go (tests, tools): a thread keeps the databases of the newest few.
constexpr std::size_t kHandlesPerThread = 8;

}  // namespace

bool is_remote(const std::string& shard) {
    const auto colon = shard.rfind(':');
    if (colon == std::string::npos || colon + 1 >= shard.size()) return false;
    std::error_code ec;
    if (fs::exists(shard, ec)) return false;
    return shard.find_first_not_of("0123456789", colon + 1) == std::string::npos;
}

bool IndexHandle::single_local() const { return shards_.size() == 1 && !is_remote(shards_[0]); }

IndexHandle::IndexHandle(std::vector<std::string> shards, std::chrono::milliseconds check_every)
    : shards_(std::move(shards)), check_every_(check_every), id_(next_handle_id()) {
    if (shards_.empty()) throw ConfigError("no index configured");
}

std::string IndexHandle::live_key() const {
    std::string key;
    for (const std::string& s : shards_) {
        if (is_remote(s)) {
            key += s;
        } else {
            const auto live = IndexStore(s).live();
            key += live ? live->string() : std::string("-");
        }
        key += '|';
    }
    return key;
}

Xapian::Database& IndexHandle::database(bool force_reopen) const {
    thread_local std::map<std::uint64_t, ThreadDb> dbs;
    if (!dbs.count(id_))
        while (dbs.size() >= kHandlesPerThread) dbs.erase(dbs.begin());
    ThreadDb& t = dbs[id_];
    const auto now = std::chrono::steady_clock::now();
    if (!t.db || force_reopen || now - t.checked >= check_every_) {
        t.checked = now;
        const std::string live = live_key();
        // A retry connects afresh: reopen() on a remote shard whose server died can fail with
        // a network error that does not say which shard it was; a new connection names it.
        if (!t.db || live != t.live || force_reopen) {
            auto db = std::make_unique<Xapian::Database>();
            for (const std::string& s : shards_) {
                if (is_remote(s)) {
                    const auto colon = s.rfind(':');
                    try {
                        db->add_database(Xapian::Remote::open(s.substr(0, colon),
                                                              static_cast<unsigned>(std::stoul(s.substr(colon + 1))), 10000, 5000));
                    } catch (const Xapian::Error& e) {
                        throw Unavailable("shard " + s + " is unavailable: " + e.get_description());
                    }
                } else {
                    if (!index_exists(s)) throw Unavailable("no index at " + s + " (run strata-index first)");
                    db->add_database(Xapian::Database(s));
                }
            }
            t.db = std::move(db);
            t.live = live;
        } else {
            t.db->reopen();
        }
    }
    return *t.db;
}

std::string IndexHandle::version() const {
    return with_db([&](Xapian::Database& db) {
        std::string v = live_key();
        v += std::to_string(db.get_doccount());
        v += '/';
        v += db.get_metadata("strata:generation");
        return v;
    });
}

}  // namespace strata
