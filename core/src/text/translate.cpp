#include "text/translate.h"

#include "strata/analyzer.h"

#include <algorithm>
#include <set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata {

class MappedFile {
public:
    /// Maps @p path; nullptr when it is missing, empty, unreadable or 4 GB or more (offsets
    /// are 32-bit).
    static std::shared_ptr<const MappedFile> open(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return nullptr;
        struct stat st {};
        void* p = MAP_FAILED;
        if (::fstat(fd, &st) == 0 && st.st_size > 0 && static_cast<std::uint64_t>(st.st_size) < UINT32_MAX)
            p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
        ::close(fd);
        if (p == MAP_FAILED) return nullptr;
        return std::shared_ptr<const MappedFile>(new MappedFile(static_cast<const char*>(p), static_cast<std::size_t>(st.st_size)));
    }
    ~MappedFile() { ::munmap(const_cast<char*>(data_), size_); }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view view() const { return {data_, size_}; }

    /// Lets the kernel drop the pages of [@p from, @p to) from this process (they are read
    /// again from the file if touched): a scan of the whole table then keeps a window of it
    /// resident, not all of it.
    void release(std::size_t from, std::size_t to) const {
        const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        from = (from + page - 1) / page * page;  // whole pages inside the range only
        to = to / page * page;
        if (to > from) ::madvise(const_cast<char*>(data_) + from, to - from, MADV_DONTNEED);
    }

private:
    MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
    const char* data_;
    std::size_t size_;
};

namespace {

constexpr std::size_t kMaxTranslations = 6;
constexpr std::size_t kMinBeforePivot = 2;  // fewer direct translations than this: pivot too
constexpr std::size_t kPivotFanOut = 3;     // intermediate words followed, and words taken from each

std::string language(std::string_view lang) {
    std::string l(lang.substr(0, lang.find_first_of("-_")));
    for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "no" || l == "nn") return "nb";
    return l;
}

// Simple singulars of a plural that is not a headword itself: English "policies" →
// "policy", "taxes" → "tax"; Spanish, Portuguese and French "datos" → "dato".
std::vector<std::string> singulars(std::string_view w, const std::string& lang) {
    std::vector<std::string> out;
    auto ends = [&](std::string_view s) { return w.size() > s.size() + 1 && w.substr(w.size() - s.size()) == s; };
    if (lang == "en") {
        if (ends("ies")) out.push_back(std::string(w.substr(0, w.size() - 3)) + "y");
        if (ends("ses") || ends("xes") || ends("zes") || ends("ches") || ends("shes"))
            out.emplace_back(w.substr(0, w.size() - 2));
        if (ends("s") && !ends("ss") && !ends("us") && !ends("is")) out.emplace_back(w.substr(0, w.size() - 1));
    } else if (lang == "es" || lang == "pt" || lang == "fr") {
        if (ends("s")) out.emplace_back(w.substr(0, w.size() - 1));
        if (ends("es")) out.emplace_back(w.substr(0, w.size() - 2));
        if (lang == "fr" && ends("x")) out.emplace_back(w.substr(0, w.size() - 1));
    }
    return out;
}

void add_unique(std::vector<std::string>& out, const std::vector<std::string>& more) {
    for (const auto& w : more) {
        if (out.size() >= kMaxTranslations) return;
        if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    }
}

}  // namespace

const Translator& Translator::builtin() {
    static const Translator t = load(std::string(STRATA_DATA_DIR) + "/translations.tsv");
    return t;
}

Translator Translator::load(const std::string& path) {
    Translator t;
    t.file_ = MappedFile::open(path);
    if (!t.file_) return t;
    t.data_ = t.file_->view();
    const std::string_view d = t.data_;
    constexpr std::size_t kWindow = 4u << 20;  // resident at most while scanning
    std::size_t released = 0;
    std::vector<std::uint32_t>* current = nullptr;
    for (std::size_t at = 0; at < d.size();) {
        if (at - released >= kWindow) {
            t.file_->release(released, at);
            released = at;
        }
        std::size_t nl = d.find('\n', at);
        if (nl == std::string_view::npos) nl = d.size();
        const std::string_view line = d.substr(at, nl - at);
        const std::size_t tab = line.find('\t', 1);
        if (!line.empty() && line.front() == '\t' && tab != std::string_view::npos) {
            // "TAB from TAB to" opens a direction's section.
            current = &t.lines_[{std::string(line.substr(1, tab - 1)), std::string(line.substr(tab + 1))}];
        } else if (current && tab != std::string_view::npos && tab > 0) {
            current->push_back(static_cast<std::uint32_t>(at));
            ++t.size_;
        }
        at = nl + 1;
    }
    t.file_->release(0, d.size());
    for (auto& [dir, offs] : t.lines_) offs.shrink_to_fit();
    return t;
}

std::vector<std::string> Translator::lookup_exact(std::string_view word, const Direction& dir, bool alias) const {
    const auto it = lines_.find(dir);
    if (it == lines_.end() || word.empty()) return {};
    const std::string_view d = data_;
    auto head = [&](std::uint32_t off) { return d.substr(off, d.find('\t', off) - off); };
    const auto& offs = it->second;
    const auto hit = std::lower_bound(offs.begin(), offs.end(), word,
                                      [&](std::uint32_t off, std::string_view w) { return head(off) < w; });
    if (hit == offs.end() || head(*hit) != word) return {};
    const std::size_t start = *hit + word.size() + 1;
    std::size_t end = d.find('\n', start);
    if (end == std::string_view::npos) end = d.size();
    // An accent-folded alias: "=ética" stands for the line of "ética".
    if (start < end && d[start] == '=' && !alias)
        return lookup_exact(d.substr(start + 1, end - start - 1), dir, true);
    std::vector<std::string> out;
    for (std::size_t at = start; at <= end;) {
        std::size_t bar = d.find('|', at);
        if (bar == std::string_view::npos || bar > end) bar = end;
        if (bar > at) out.emplace_back(d.substr(at, bar - at));
        at = bar + 1;
    }
    return out;
}

std::vector<std::string> Translator::lookup(std::string_view word, const std::string& from,
                                            const std::string& to) const {
    const Direction dir{from, to};
    std::vector<std::string> out = lookup_exact(word, dir);
    if (!out.empty()) return out;
    const std::string folded = Analyzer::fold(word);
    if (folded != word)
        if (out = lookup_exact(folded, dir); !out.empty()) return out;
    for (const std::string& base : singulars(folded, from))
        if (out = lookup_exact(base, dir); !out.empty()) return out;
    return out;
}

std::vector<std::string> Translator::via(std::string_view word, const std::string& from, const std::string& pivot,
                                         const std::string& to) const {
    if (from == pivot || to == pivot) return {};
    std::vector<std::string> middle = lookup(word, from, pivot);
    if (middle.size() > kPivotFanOut) middle.resize(kPivotFanOut);
    // Where the target language's dictionary back into the source language knows a bridged
    // word, it must translate back to the source word: "health" → "Befinden" → "opinar"
    // (pt→en: "think, opine") and → "trovare" (it→en: "find") are not "health".
    std::vector<std::string> sources{std::string(word)};
    if (lines_.count({to, from})) {
        const std::string folded = Analyzer::fold(word);
        sources.push_back(folded);
        for (std::string& s : singulars(folded, from)) sources.push_back(std::move(s));
    }
    auto confirmed = [&](const std::string& w) {
        if (!lines_.count({to, from})) return true;
        const std::vector<std::string> back = lookup(w, to, from);
        // A one-sense entry is too thin to veto ("data" → "material" only in eng-spa).
        return back.size() < 2 || std::any_of(sources.begin(), sources.end(), [&](const std::string& s) {
            return std::find(back.begin(), back.end(), s) != back.end();
        });
    };
    // A pivot word is often polysemous ("health" → "Befinden" → "opinión"): keep the
    // translations that lead back to their pivot word, else those of the first (main) sense
    // that has any.
    std::vector<std::string> agreed, first;
    for (std::size_t i = 0; i < middle.size(); ++i) {
        std::vector<std::string> last = lookup(middle[i], pivot, to);
        if (last.size() > kPivotFanOut) last.resize(kPivotFanOut);
        std::erase_if(last, [&](const std::string& w) { return !confirmed(w); });
        if (first.empty()) first = last;  // the first pivot word that leads anywhere
        for (const std::string& w : last) {
            const std::vector<std::string> back = lookup(w, to, pivot);
            if (std::find(back.begin(), back.end(), middle[i]) != back.end()) add_unique(agreed, {w});
        }
    }
    return agreed.empty() ? first : agreed;
}

std::map<std::string, std::vector<std::string>> Translator::translate(std::string_view word,
                                                                     std::string_view from_lang,
                                                                     const std::vector<std::string>& to_langs) const {
    std::map<std::string, std::vector<std::string>> result;
    if (lines_.empty() || word.empty()) return result;
    const std::string from = language(from_lang);
    for (const std::string& to_lang : to_langs) {
        const std::string to = language(to_lang);
        if (to == from || result.count(to)) continue;
        std::vector<std::string> out = lookup(word, from, to);
        if (out.size() > kMaxTranslations) out.resize(kMaxTranslations);
        for (const char* pivot : {"en", "de"})
            if (out.size() < kMinBeforePivot) add_unique(out, via(word, from, pivot, to));
        if (!out.empty()) result.emplace(to, std::move(out));
    }
    return result;
}

std::vector<std::string> Translator::languages() const {
    std::set<std::string> langs;
    for (const auto& [dir, offs] : lines_) {
        if (dir.first == "en") langs.insert(dir.second);
        if (dir.second == "en") langs.insert(dir.first);
    }
    return {langs.begin(), langs.end()};
}

}  // namespace strata
