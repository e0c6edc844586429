#include "strata/index_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace strata {

namespace {

constexpr const char* kGenPrefix = "gen-";

std::optional<std::string> read_stub_target(const fs::path& stub) {
    std::ifstream in(stub);
    if (!in) return std::nullopt;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string backend, target;
        if (ls >> backend >> target && backend == "glass") return target;
    }
    return std::nullopt;
}

// The number of a "gen-NNNNNN" directory name, or -1.
int generation_number(const std::string& name) {
    if (name.size() < 10 || name.size() > 13 || name.rfind(kGenPrefix, 0) != 0) return -1;
    int n = 0;
    for (std::size_t i = 4; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return -1;
        n = n * 10 + (name[i] - '0');
    }
    return n;
}

std::vector<fs::path> generations(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory(ec) && generation_number(e.path().filename().string()) >= 0) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

void fsync_path(const fs::path& p, bool directory) {
    const int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

IndexLock::IndexLock(const fs::path& index_dir) {
    std::error_code ec;
    fs::create_directories(index_dir, ec);
    if (ec) throw Unavailable("cannot create index directory " + index_dir.string() + ": " + ec.message());
    const fs::path lock = index_dir / ".lock";
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Unavailable("cannot open " + lock.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        fd_ = -1;
        throw Unavailable("index " + index_dir.string() + " is locked: another strata-index is writing it");
    }
}

IndexLock::~IndexLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::optional<fs::path> IndexStore::live() const {
    const auto target = read_stub_target(stub());
    if (!target) return std::nullopt;
    const fs::path p = dir_ / *target;
    std::error_code ec;
    if (!fs::is_directory(p, ec)) return std::nullopt;
    return p;
}

fs::path IndexStore::prepare_next() {
    const auto current = live();
    int next = 1;
    for (const fs::path& g : generations(dir_)) next = std::max(next, generation_number(g.filename().string()) + 1);
    // Leftovers of a crashed rebuild (newer than the live one) are garbage.
    for (const fs::path& g : generations(dir_)) {
        if (current && g == *current) continue;
        if (!current || generation_number(g.filename().string()) > generation_number(current->filename().string())) {
            std::error_code ec;
            fs::remove_all(g, ec);
        }
    }
    char name[32];
    std::snprintf(name, sizeof name, "%s%06d", kGenPrefix, next);
    const fs::path p = dir_ / name;
    fs::create_directories(p);
    return p;
}

fs::path IndexStore::prepare_scratch() {
    const fs::path p = dir_ / ".scratch";
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

void IndexStore::publish(const fs::path& generation) {
    const auto previous = live();
    const fs::path tmp = dir_ / "XAPIANDB.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "glass " << generation.filename().string() << "\n";
        out.flush();
        if (!out) throw Unavailable("cannot write " + tmp.string());
    }
    fsync_path(tmp, false);
    fs::rename(tmp, stub());
    fsync_path(dir_, true);
    for (const fs::path& g : generations(dir_)) {
        if (g == generation || (previous && g == *previous)) continue;
        std::error_code ec;
        fs::remove_all(g, ec);
    }
    std::error_code ec;
    fs::remove_all(dir_ / ".scratch", ec);
}

bool index_exists(const fs::path& index_dir) { return IndexStore(index_dir).live().has_value(); }

}  // namespace strata
