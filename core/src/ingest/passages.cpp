#include "strata/passages.h"

#include "strata/text.h"

#include <algorithm>
#include <cctype>

namespace strata {

namespace {

// Byte offsets just after sentence ends in [start, end): ". ", "? ", "! ", "。", "？", "！", "। ".
std::vector<std::uint32_t> sentence_cuts(const std::string& s, std::uint32_t start, std::uint32_t end) {
    std::vector<std::uint32_t> cuts;
    for (std::uint32_t i = start; i < end; ++i) {
        const char c = s[i];
        if ((c == '.' || c == '?' || c == '!' || c == ';') && i + 1 < end && (s[i + 1] == ' ' || s[i + 1] == '\n')) {
            cuts.push_back(i + 1);
        } else if (i + 3 <= end) {
            const std::string_view tri(s.data() + i, 3);
            if (tri == "\xE3\x80\x82" || tri == "\xEF\xBC\x9F" || tri == "\xEF\xBC\x81" || tri == "\xE0\xA5\xA4")
                cuts.push_back(i + 3);
        }
    }
    return cuts;
}

// A byte that ends a word on either side of an emphasis marker: space, punctuation, or the
// edge of the text (UTF-8 letters are word bytes).
bool word_edge(std::string_view s, std::size_t i) {
    if (i >= s.size()) return true;
    const auto c = static_cast<unsigned char>(s[i]);
    return c < 0x80 && !std::isalnum(c);
}

// A single '*' or '_' at @p i that opens emphasis (before a word, after its edge) or closes it.
bool opens(std::string_view s, std::size_t i) {
    return i + 1 < s.size() && s[i + 1] != ' ' && s[i + 1] != '\n' && (i == 0 || word_edge(s, i - 1));
}
bool closes(std::string_view s, std::size_t i) { return i > 0 && s[i - 1] != ' ' && s[i - 1] != '\n' && word_edge(s, i + 1); }

// Markdown's inline markers (**bold**, __bold__, *emphasis*, _emphasis_, `code`) are not
// text: they would show in snippets, passages and citations. A lone '*' or '_' that opens
// no pair (2 * 3, snake_case) is text and stays. The offsets still give the source range.
std::string strip_inline_markdown(std::string_view s) {
    std::vector<bool> drop(s.size(), false);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if ((c == '*' || c == '_') && i + 1 < s.size() && s[i + 1] == c) {
            drop[i] = drop[i + 1] = true;
            ++i;
        } else if (c == '`') {
            drop[i] = true;
        } else if ((c == '*' || c == '_') && !drop[i] && opens(s, i)) {
            for (std::size_t j = i + 2; j < s.size() && s[j] != '\n'; ++j) {
                if (s[j] != c || !closes(s, j) || (j + 1 < s.size() && s[j + 1] == c)) continue;
                drop[i] = drop[j] = true;
                break;
            }
        }
    }
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!drop[i]) out += s[i];
    return out;
}

// Packs pieces of paragraphs into passages under the current heading path.
class PassagePacker {
public:
    PassagePacker(const ExtractedDocument& doc, PassageLimits limits) : doc_(doc), limits_(limits) {}

    // A heading ends the open passage and becomes part of the next ones' section name.
    void heading(const Block& b) {
        flush();
        const std::size_t level = static_cast<std::size_t>(b.level < 1 ? 1 : b.level);
        // The document title (level 1) is not a section of its own.
        heading_path_.resize(level);
        const std::string_view heading = std::string_view(doc_.text).substr(b.start, b.end - b.start);
        heading_path_[level - 1] = text::squeeze_space(doc_.format == "md" ? strip_inline_markdown(heading) : std::string(heading));
        if (level == 1) heading_path_[0].clear();
    }

    // Adds doc.text[s, e) to the open passage, first closing it when the piece would take
    // it past max_words and it already has min_words.
    void piece(std::uint32_t s, std::uint32_t e, int page) {
        const std::string_view chunk(doc_.text.data() + s, e - s);
        const std::size_t w = text::approx_words(chunk);
        if (w == 0) return;
        if (open_ && cur_.words + w > limits_.max_words && cur_.words >= limits_.min_words) flush();
        if (!open_) {
            cur_.section = section_name();
            cur_.page = page;
            cur_.start = s;
            open_ = true;
        } else {
            cur_.text += "\n\n";
        }
        cur_.text += doc_.format == "md" ? strip_inline_markdown(text::trim(chunk)) : std::string(text::trim(chunk));
        cur_.end = e;
        cur_.page_end = page;
        cur_.words += w;
    }

    void flush() {
        if (open_ && cur_.words > 0) out_.push_back(std::move(cur_));
        cur_ = Passage{};
        open_ = false;
    }

    void forget_headings() { heading_path_.clear(); }
    [[nodiscard]] bool empty() const { return out_.empty() && !open_; }

    std::vector<Passage> take() {
        flush();
        return std::move(out_);
    }

private:
    std::string section_name() const {
        std::string s;
        for (const std::string& h : heading_path_) {
            if (h.empty()) continue;
            if (!s.empty()) s += " \xE2\x80\xBA ";  // ›
            s += h;
        }
        return s;
    }

    const ExtractedDocument& doc_;
    const PassageLimits limits_;
    std::vector<Passage> out_;
    std::vector<std::string> heading_path_;  // by level
    Passage cur_;
    bool open_ = false;
};

// Where the piece of a long paragraph that starts at @p s ends: at the sentence end nearest
// below max_words; @p ci walks @p cuts across calls.
std::uint32_t next_cut(const std::string& text, std::uint32_t s, std::uint32_t end, const std::vector<std::uint32_t>& cuts,
                       std::size_t& ci, std::size_t max_words) {
    std::uint32_t best = 0;
    for (; ci < cuts.size(); ++ci) {
        if (cuts[ci] <= s) continue;
        if (text::approx_words(std::string_view(text.data() + s, cuts[ci] - s)) > max_words) break;
        best = cuts[ci];
    }
    if (best != 0) return best;
    // No sentence end in reach: cut after max_words spaces.
    std::size_t words = 0;
    best = s;
    while (best < end && words < max_words) {
        if (text[best] == ' ') ++words;
        ++best;
    }
    // Unspaced scripts: fall back to a byte budget on a character boundary.
    if (best == end && text::approx_words(std::string_view(text.data() + s, best - s)) > max_words) {
        best = std::min<std::uint32_t>(end, s + static_cast<std::uint32_t>(max_words) * 6);
        while (best < end && (static_cast<unsigned char>(text[best]) & 0xC0) == 0x80) ++best;
    }
    return best;
}

// A paragraph longer than max_words: each piece up to a cut is a passage of its own.
void add_long_paragraph(PassagePacker& packer, const ExtractedDocument& doc, const Block& b, const PassageLimits& limits) {
    const std::vector<std::uint32_t> cuts = sentence_cuts(doc.text, b.start, b.end);
    std::size_t ci = 0;
    std::uint32_t s = b.start;
    while (s < b.end) {
        const std::uint32_t cut = next_cut(doc.text, s, b.end, cuts, ci, limits.max_words);
        packer.flush();
        packer.piece(s, cut, b.page);
        s = cut;
        while (s < b.end && (doc.text[s] == ' ' || doc.text[s] == '\n')) ++s;
    }
    packer.flush();
}

}  // namespace

std::vector<Passage> split_passages(const ExtractedDocument& doc, PassageLimits limits) {
    PassagePacker packer(doc, limits);
    for (const Block& b : doc.blocks) {
        if (b.heading) {
            packer.heading(b);
        } else if (text::approx_words(std::string_view(doc.text.data() + b.start, b.end - b.start)) <= limits.max_words) {
            packer.piece(b.start, b.end, b.page);
        } else {
            add_long_paragraph(packer, doc, b, limits);
        }
    }
    packer.flush();
    // A document of headings alone (a two-word note reads like a plain-text heading, a
    // markdown file may be a title only) still has text: its headings become its passage.
    // Only a document without words has no passage.
    if (packer.empty()) {
        packer.forget_headings();
        for (const Block& b : doc.blocks)
            if (b.heading) packer.piece(b.start, b.end, b.page);
    }
    return packer.take();
}

}  // namespace strata
