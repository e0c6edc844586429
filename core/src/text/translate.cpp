#include "text/translate.h"

#include "strata/analyzer.h"

#include <algorithm>
#include <optional>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata {

class TableFile {
public:
    /// Opens @p path; nullptr when it is missing, unreadable or 4 GB or more (offsets are
    /// 32-bit).
    static std::shared_ptr<const TableFile> open(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return nullptr;
        struct stat st {};
        if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) >= UINT32_MAX) {
            ::close(fd);
            return nullptr;
        }
        return std::shared_ptr<const TableFile>(new TableFile(fd, static_cast<std::size_t>(st.st_size)));
    }
    ~TableFile() { ::close(fd_); }
    TableFile(const TableFile&) = delete;
    TableFile& operator=(const TableFile&) = delete;

    [[nodiscard]] std::size_t size() const { return size_; }
    /// Up to @p n bytes from @p offset (fewer at the end of the file or on an error).
    [[nodiscard]] std::string read(std::size_t offset, std::size_t n) const {
        std::string out(n, '\0');
        std::size_t got = 0;
        while (got < n) {
            const ssize_t r = ::pread(fd_, out.data() + got, n - got, static_cast<off_t>(offset + got));
            if (r <= 0) break;
            got += static_cast<std::size_t>(r);
        }
        out.resize(got);
        return out;
    }

private:
    TableFile(int fd, std::size_t size) : fd_(fd), size_(size) {}
    int fd_;
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

namespace {

// Calls @p fn with every line of @p file and its offset, reading a chunk at a time.
template <class Fn>
void for_each_line(const TableFile& file, Fn&& fn) {
    constexpr std::size_t kChunk = 1u << 20;
    std::string buf;
    std::size_t base = 0;  // file offset of buf[0]
    for (std::size_t at = 0; at < file.size();) {
        const std::string more = file.read(at, kChunk);
        if (more.empty()) break;
        at += more.size();
        buf += more;
        std::size_t from = 0;
        for (std::size_t nl; (nl = buf.find('\n', from)) != std::string::npos; from = nl + 1)
            fn(std::string_view(buf).substr(from, nl - from), base + from);
        buf.erase(0, from);
        base += from;
    }
    if (!buf.empty()) fn(std::string_view(buf), base);
}

// The headword of a line of a section, or "" when the loader skips the line (no tab, or
// a tab first).
std::string_view headword(std::string_view line) {
    const std::size_t tab = line.find('\t');
    return tab == std::string_view::npos || tab == 0 ? std::string_view() : line.substr(0, tab);
}

}  // namespace

Translator Translator::load(const std::string& path) {
    Translator t;
    t.file_ = TableFile::open(path);
    if (!t.file_) return t;
    Section* current = nullptr;
    std::size_t in_block = 0;
    for_each_line(*t.file_, [&](std::string_view line, std::size_t at) {
        const std::size_t tab = line.find('\t', 1);
        if (!line.empty() && line.front() == '\t' && tab != std::string_view::npos) {
            // "TAB from TAB to" opens a direction's section.
            current = &t.lines_[{std::string(line.substr(1, tab - 1)), std::string(line.substr(tab + 1))}];
            in_block = 0;
        } else if (current && !headword(line).empty()) {
            if (in_block++ % kBlockLines == 0) {
                current->blocks.push_back({static_cast<std::uint32_t>(at), 0});
                current->firsts.emplace_back(headword(line));
            }
            current->blocks.back().end = static_cast<std::uint32_t>(at + line.size());
            ++t.size_;
        }
    });
    for (auto& [dir, section] : t.lines_) {
        section.blocks.shrink_to_fit();
        section.firsts.shrink_to_fit();
    }
    return t;
}

std::optional<std::string> Translator::line_of(std::string_view word, const Direction& dir) const {
    const auto it = lines_.find(dir);
    if (it == lines_.end() || word.empty()) return std::nullopt;
    const Section& sec = it->second;
    // Block b is the first that begins at or after @p word: its first line is @p word's
    // first line unless the block before it holds one too.
    const auto first = std::lower_bound(sec.firsts.begin(), sec.firsts.end(), word,
                                        [](const std::string& f, std::string_view w) { return f < w; });
    const std::size_t b = static_cast<std::size_t>(first - sec.firsts.begin());
    if (b > 0)
        if (std::optional<std::string> line = scan(sec.blocks[b - 1], word)) return line;
    if (b < sec.blocks.size() && sec.firsts[b] == word) return scan(sec.blocks[b], word);
    return std::nullopt;
}

std::optional<std::string> Translator::scan(const Block& block, std::string_view word) const {
    const std::string text = file_->read(block.begin, block.end - block.begin);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        const std::string_view line = std::string_view(text).substr(at, nl - at);
        const std::string_view head = headword(line);
        if (head == word) return std::string(line.substr(head.size() + 1));
        if (!head.empty() && head > word) break;
        at = nl + 1;
    }
    return std::nullopt;
}

std::vector<std::string> Translator::lookup_exact(std::string_view word, const Direction& dir, bool alias) const {
    const std::optional<std::string> line = line_of(word, dir);
    if (!line) return {};
    const std::string_view d = *line;
    // An accent-folded alias: "=ética" stands for the line of "ética".
    if (!d.empty() && d[0] == '=' && !alias) return lookup_exact(d.substr(1), dir, true);
    std::vector<std::string> out;
    for (std::size_t at = 0; at <= d.size();) {
        std::size_t bar = d.find('|', at);
        if (bar == std::string_view::npos) bar = d.size();
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
    for (const auto& [dir, section] : lines_) {
        if (dir.first == "en") langs.insert(dir.second);
        if (dir.second == "en") langs.insert(dir.first);
    }
    return {langs.begin(), langs.end()};
}

}  // namespace strata
