#include "analysis/kwic_text.h"

#include <algorithm>

namespace strata {

namespace {

using Entries = std::vector<TokenOffsets::Entry>;

// The index of the first entry of the word that entry @p i belongs to.
std::size_t word_start(const Entries& e, std::size_t i) {
    while (i > 0 && e[i].continues) --i;
    return i;
}

// One past the last entry of the word that starts at entry @p i.
std::size_t word_end(const Entries& e, std::size_t i) {
    ++i;
    while (i < e.size() && e[i].continues) ++i;
    return i;
}

std::string slice(const std::string& text, std::uint32_t from, std::uint32_t to) {
    if (from >= to || from >= text.size()) return {};
    std::string s = text.substr(from, std::min<std::size_t>(to, text.size()) - from);
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s;
}

}  // namespace

KwicLine cut_line(const std::string& text, const TokenOffsets& o, const Occurrence& occ, int context) {
    const Entries& e = o.entries;
    KwicLine line;
    if (!o.covers(occ.start) || !o.covers(occ.end - 1)) return line;
    const std::size_t first = occ.start - o.first, last = occ.end - 1 - o.first;
    const std::uint32_t match_from = e[first].start, match_to = e[last].end;
    line.match = slice(text, match_from, match_to);
    std::size_t j = first;
    for (int n = 0; n < context && j > 0; ++n) j = word_start(e, j - 1);
    line.left = slice(text, j < first ? e[j].start : match_from, match_from);
    std::size_t k = last + 1;
    for (int n = 0; n < context && k < e.size(); ++n) k = word_end(e, k);
    line.right = slice(text, match_to, k > last + 1 ? e[k - 1].end : match_to);
    return line;
}

std::string neighbour_word(const std::string& text, const TokenOffsets& o, const Occurrence& occ, int side) {
    const Entries& e = o.entries;
    if (!o.covers(occ.start) || !o.covers(occ.end - 1)) return {};
    if (side < 0) {
        std::size_t j = occ.start - o.first, end = j;
        for (int n = 0; n < -side; ++n) {
            if (j == 0) return {};
            end = j;
            j = word_start(e, j - 1);
        }
        return slice(text, e[j].start, e[end - 1].end);
    }
    std::size_t k = occ.end - o.first, begin = k;
    for (int n = 0; n < side; ++n) {
        if (k >= e.size()) return {};
        begin = k;
        k = word_end(e, k);
    }
    return slice(text, e[begin].start, e[k - 1].end);
}

}  // namespace strata
