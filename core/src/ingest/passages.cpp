#include "strata/passages.h"

#include "strata/text.h"

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

// Markdown's inline markers (**bold**, __bold__, `code`) are not text: they would show in
// snippets. The offsets still give the source range.
std::string strip_inline_markdown(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((s[i] == '*' || s[i] == '_') && i + 1 < s.size() && s[i + 1] == s[i]) {
            ++i;
            continue;
        }
        if (s[i] == '`') continue;
        out += s[i];
    }
    return out;
}

}  // namespace

std::vector<Passage> split_passages(const ExtractedDocument& doc, PassageLimits limits) {
    std::vector<Passage> out;
    std::vector<std::string> heading_path;  // by level
    Passage cur;
    bool open = false;

    auto section_name = [&] {
        std::string s;
        for (const std::string& h : heading_path) {
            if (h.empty()) continue;
            if (!s.empty()) s += " \xE2\x80\xBA ";  // ›
            s += h;
        }
        return s;
    };
    auto flush = [&] {
        if (open && cur.words > 0) out.push_back(std::move(cur));
        cur = Passage{};
        open = false;
    };
    auto add_piece = [&](std::uint32_t s, std::uint32_t e, int page) {
        const std::string_view piece(doc.text.data() + s, e - s);
        const std::size_t w = text::approx_words(piece);
        if (w == 0) return;
        if (open && cur.words + w > limits.max_words && cur.words >= limits.min_words) flush();
        if (!open) {
            cur.section = section_name();
            cur.page = page;
            cur.start = s;
            open = true;
        } else {
            cur.text += "\n\n";
        }
        cur.text += doc.format == "md" ? strip_inline_markdown(text::trim(piece)) : std::string(text::trim(piece));
        cur.end = e;
        cur.page_end = page;
        cur.words += w;
    };

    for (const Block& b : doc.blocks) {
        if (b.heading) {
            flush();
            const std::size_t level = static_cast<std::size_t>(b.level < 1 ? 1 : b.level);
            // The document title (level 1) is not a section of its own.
            heading_path.resize(level);
            heading_path[level - 1] = text::squeeze_space(std::string_view(doc.text).substr(b.start, b.end - b.start));
            if (level == 1) heading_path[0].clear();
            continue;
        }
        const std::string_view para(doc.text.data() + b.start, b.end - b.start);
        if (text::approx_words(para) <= limits.max_words) {
            add_piece(b.start, b.end, b.page);
            continue;
        }
        // Long paragraph: cut at the sentence end nearest below max_words.
        std::uint32_t s = b.start;
        const std::vector<std::uint32_t> cuts = sentence_cuts(doc.text, b.start, b.end);
        std::size_t ci = 0;
        while (s < b.end) {
            std::uint32_t best = 0;
            for (; ci < cuts.size(); ++ci) {
                if (cuts[ci] <= s) continue;
                if (text::approx_words(std::string_view(doc.text.data() + s, cuts[ci] - s)) > limits.max_words) break;
                best = cuts[ci];
            }
            if (best == 0) {
                // No sentence end in reach: cut after max_words spaces.
                std::size_t words = 0;
                best = s;
                while (best < b.end && words < limits.max_words) {
                    if (doc.text[best] == ' ') ++words;
                    ++best;
                }
                // Unspaced scripts: fall back to a byte budget on a character boundary.
                if (best == b.end && text::approx_words(std::string_view(doc.text.data() + s, best - s)) > limits.max_words) {
                    best = std::min<std::uint32_t>(b.end, s + static_cast<std::uint32_t>(limits.max_words) * 6);
                    while (best < b.end && (static_cast<unsigned char>(doc.text[best]) & 0xC0) == 0x80) ++best;
                }
            }
            flush();
            add_piece(s, best, b.page);
            s = best;
            while (s < b.end && (doc.text[s] == ' ' || doc.text[s] == '\n')) ++s;
        }
        flush();
    }
    flush();
    // A document of headings alone (a two-word note reads like a plain-text heading, a
    // markdown file may be a title only) still has text: its headings become its passage.
    // Only a document without words has no passage.
    if (out.empty()) {
        heading_path.clear();
        for (const Block& b : doc.blocks)
            if (b.heading) add_piece(b.start, b.end, b.page);
        flush();
    }
    return out;
}

}  // namespace strata
