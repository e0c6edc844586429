#include "index/token_offsets.h"

#include "index/packed.h"
#include "strata/text.h"

namespace strata {

namespace {

using packed::get_varint;
using packed::put_varint;

std::size_t count_code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) text::decode_utf8(s, i);
    return n;
}

// The entries of one Han or Kana word: one per character of its normalised form. When
// normalisation changed the number of characters, the first entry takes the whole word.
void add_cjk(std::vector<TokenOffsets::Entry>& out, const Token& t, std::string_view text) {
    const std::string_view word = text.substr(t.start, t.end - t.start);
    const std::size_t n = count_code_points(t.text);
    if (count_code_points(word) != n) {
        out.push_back({t.start, t.end, false});
        for (std::size_t k = 1; k < n; ++k) out.push_back({t.end, t.end, true});
        return;
    }
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t b = i;
        text::decode_utf8(word, i);
        out.push_back({t.start + static_cast<std::uint32_t>(b), t.start + static_cast<std::uint32_t>(i), b != 0});
    }
}

}  // namespace

std::string encode_offsets(const std::vector<Token>& tokens, std::string_view text) {
    std::string out;
    if (tokens.empty()) return out;
    std::vector<TokenOffsets::Entry> entries;
    entries.reserve(tokens.size());
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::kCjk) add_cjk(entries, t, text);
        else entries.push_back({t.start, t.end, false});
    }
    put_varint(out, tokens.front().pos);
    put_varint(out, entries.size());
    std::uint32_t prev = 0;
    for (const TokenOffsets::Entry& e : entries) {
        put_varint(out, e.start - prev);
        put_varint(out, (static_cast<std::uint64_t>(e.end - e.start) << 1) | (e.continues ? 1 : 0));
        prev = e.end;
    }
    return out;
}

OffsetsHead offsets_head(std::string_view value) {
    OffsetsHead h;
    std::uint64_t first = 0;
    if (!get_varint(value, h.entries_at, first) || !get_varint(value, h.entries_at, h.count) || h.count > value.size())
        return {};
    h.first = static_cast<Xapian::termpos>(first);
    h.valid = true;
    return h;
}

TokenOffsets decode_offsets(std::string_view value) {
    const OffsetsHead head = offsets_head(value);
    if (!head.valid) return {};
    TokenOffsets out;
    out.first = head.first;
    out.entries.reserve(head.count);
    std::size_t i = head.entries_at;
    std::uint64_t at = 0;
    for (std::uint64_t k = 0; k < head.count; ++k) {
        std::uint64_t gap = 0, len = 0;
        if (!get_varint(value, i, gap) || !get_varint(value, i, len)) return {};
        const std::uint64_t start = at + gap, end = start + (len >> 1);
        if (end > UINT32_MAX) return {};
        out.entries.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end), (len & 1) != 0});
        at = end;
    }
    return out;
}

}  // namespace strata
