#include "strata/analyzer.h"

#include "strata/text.h"
#include "text/morphology.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>

namespace strata {

namespace {

constexpr std::size_t kMaxTermBytes = 120;  // Xapian's limit is 245; longer "words" are junk

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Normal and accent-folded forms of recent non-ASCII words (ICU normalisation is the
// costly part of tokenising), for other languages [0] and for Turkic ones [1].
struct NormalForm {
    std::string normalized, folded;
};
using NormalFormCache = std::unordered_map<std::string, NormalForm, TransparentHash, std::equal_to<>>;
constexpr std::size_t kNormalFormCacheMax = 200000;

struct ThreadCaches {
    std::unordered_map<std::string, std::unique_ptr<icu::BreakIterator>> breakers;
    NormalFormCache normal_forms[2];
};

ThreadCaches& caches() {
    thread_local ThreadCaches c;
    return c;
}

icu::BreakIterator& word_breaker(std::string_view lang) {
    auto& map = caches().breakers;
    std::string key(lang);
    auto it = map.find(key);
    if (it != map.end()) return *it->second;
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale = lang.empty() ? icu::Locale::getRoot()
                                      : icu::Locale::forLanguageTag(icu::StringPiece(lang.data(), lang.size()), status);
    if (U_FAILURE(status)) {
        status = U_ZERO_ERROR;
        locale = icu::Locale::getRoot();
    }
    std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createWordInstance(locale, status));
    if (U_FAILURE(status) || !bi) {
        status = U_ZERO_ERROR;
        bi.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    }
    if (!bi) throw std::runtime_error("ICU could not create a word break iterator");
    return *map.emplace(std::move(key), std::move(bi)).first->second;
}

const icu::Normalizer2& nfkc_casefold() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || !n) throw std::runtime_error("ICU NFKC_Casefold is unavailable");
    return *n;
}

const icu::Normalizer2& nfd() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || !n) throw std::runtime_error("ICU NFD is unavailable");
    return *n;
}

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

bool turkic(std::string_view lang) {
    return lang.substr(0, 2) == "tr" || lang.substr(0, 2) == "az";
}

TokenKind classify(UChar32 c, int32_t rule_status) {
    if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_NUMBER_LIMIT) return TokenKind::kNumber;
    UErrorCode err = U_ZERO_ERROR;
    switch (uscript_getScript(c, &err)) {
        case USCRIPT_HAN:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_BOPOMOFO:
            return TokenKind::kCjk;
        case USCRIPT_HANGUL:
            return TokenKind::kHangul;
        case USCRIPT_THAI:
        case USCRIPT_LAO:
        case USCRIPT_KHMER:
        case USCRIPT_MYANMAR:
            return TokenKind::kSouthEastAsian;
        default:
            break;
    }
    // The prolonged sound mark and iteration marks are "common" but belong to kana runs.
    if (c == 0x30FC || c == 0x3005) return TokenKind::kCjk;
    return TokenKind::kWord;
}

std::string to_utf8(const icu::UnicodeString& u) {
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::string normalize_unicode(icu::UnicodeString u, std::string_view lang) {
    if (turkic(lang)) {
        // Turkish: İ → i and I → ı, as a Turkish reader lower-cases them.
        u.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x130)), icu::UnicodeString(static_cast<UChar32>('i')));
        u.findAndReplace(icu::UnicodeString(static_cast<UChar32>('I')), icu::UnicodeString(static_cast<UChar32>(0x131)));
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out = nfkc_casefold().normalize(u, status);
    if (U_FAILURE(status)) return to_utf8(u);
    return to_utf8(out);
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// Korean particles (josa) and a few copula endings, longest first.
constexpr std::array<std::string_view, 34> kKoreanParticles = {
    "에서는", "으로는", "에게서", "이라는", "으로서", "으로써", "까지는", "에서", "에게", "으로",
    "부터", "까지", "과의", "와의", "에는", "에도", "이나", "라는", "이며", "이고",
    "이다", "과", "와", "의", "은", "는", "이", "가", "을", "를", "에", "로", "도", "만",
};

// Bytes of an elided article or preposition at the start of @p word ("l'", "dell'",
// "qu'", with ' or ’), or 0. Only known elisions count, so English "don't" stays whole.
std::size_t elision_length(std::string_view word) {
    static const std::array<std::string_view, 24> prefixes = {
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "lorsqu", "puisqu", "jusqu", "quelqu",
        "dell", "nell", "all", "dall", "sull", "coll", "un", "quell", "quest", "nessun", "tutt"};
    for (std::size_t i = 1; i < word.size() && i <= 6; ++i) {
        std::size_t len = 0;
        if (word[i] == '\'') len = 1;
        else if (word.compare(i, 3, "\xE2\x80\x99") == 0) len = 3;
        if (!len) continue;
        if (i + len >= word.size()) return 0;
        const std::string prefix = text::ascii_lower(word.substr(0, i));
        return std::find(prefixes.begin(), prefixes.end(), prefix) != prefixes.end() ? i + len : 0;
    }
    return 0;
}

}  // namespace

bool is_cjk_kind(TokenKind kind) { return kind == TokenKind::kCjk; }

std::string Analyzer::stem_language(std::string_view lang) {
    const auto dash = lang.find('-');
    return text::ascii_lower(lang.substr(0, dash));
}

bool Analyzer::has_stemmer(std::string_view lang) {
    return morphology::has_stemmer(stem_language(lang));
}

std::string Analyzer::stem(std::string_view word, std::string_view lang) const {
    morphology::Stemmer* stemmer = morphology::thread_stemmer(stem_language(lang));
    return stemmer ? (*stemmer)(word) : std::string();
}

std::string Analyzer::normalize(std::string_view s, std::string_view lang) const {
    if (is_ascii(s) && !turkic(lang)) return text::ascii_lower(s);
    return normalize_unicode(icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size())), lang);
}

std::string Analyzer::fold(std::string_view normalized) {
    if (is_ascii(normalized)) return std::string(normalized);
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed =
        nfd().normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(normalized.data(), normalized.size())), status);
    if (U_FAILURE(status)) return std::string(normalized);
    std::string out;
    out.reserve(normalized.size());
    UScriptCode base_script = USCRIPT_COMMON;
    for (int32_t i = 0; i < decomposed.length();) {
        const UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) {
            // Drop marks over Latin, Greek and Arabic letters; over Cyrillic only the
            // diaeresis (ё → е); elsewhere marks are part of the letter (Devanagari, Thai…).
            const bool drop = base_script == USCRIPT_LATIN || base_script == USCRIPT_GREEK ||
                              base_script == USCRIPT_ARABIC ||
                              (base_script == USCRIPT_CYRILLIC && c == 0x0308);
            if (!drop) text::append_utf8(out, static_cast<char32_t>(c));
            continue;
        }
        UErrorCode err = U_ZERO_ERROR;
        const UScriptCode sc = uscript_getScript(c, &err);
        if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) base_script = sc;
        switch (c) {
            case 0x0131: out += 'i'; break;            // ı
            case 0x00F8: out += 'o'; break;            // ø
            case 0x0111: case 0x00F0: out += 'd'; break;  // đ ð
            case 0x0142: out += 'l'; break;            // ł
            case 0x00E6: out += "ae"; break;           // æ
            case 0x0153: out += "oe"; break;           // œ
            case 0x00FE: out += "th"; break;           // þ
            case 0x0640: break;                        // Arabic tatweel
            case 0x0649: text::append_utf8(out, 0x064A); break;  // alef maksura → yeh
            case 0x0629: text::append_utf8(out, 0x0647); break;  // teh marbuta → heh
            default: text::append_utf8(out, static_cast<char32_t>(c));
        }
    }
    // Marks that were kept (Cyrillic breve, Devanagari…) recompose with their letters.
    UErrorCode nfc_status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(nfc_status);
    if (U_FAILURE(nfc_status) || !nfc) return out;
    const icu::UnicodeString composed = nfc->normalize(icu::UnicodeString::fromUTF8(out), nfc_status);
    return U_FAILURE(nfc_status) ? out : to_utf8(composed);
}

std::vector<std::string> Analyzer::bigrams(std::string_view run) {
    std::vector<std::string> chars;
    for (std::size_t i = 0; i < run.size();) {
        const std::size_t b = i;
        text::decode_utf8(run, i);
        chars.emplace_back(run.substr(b, i - b));
    }
    std::vector<std::string> out;
    for (std::size_t k = 0; k + 1 < chars.size(); ++k) out.push_back(chars[k] + chars[k + 1]);
    return out;
}

std::string Analyzer::strip_korean_particle(std::string_view word) {
    for (std::string_view p : kKoreanParticles) {
        if (word.size() > p.size() && word.substr(word.size() - p.size()) == p) {
            const std::string_view stem = word.substr(0, word.size() - p.size());
            if (code_points(stem) >= 2) return std::string(stem);
        }
    }
    return {};
}

namespace {

struct Segment {
    std::uint32_t start, end;
    TokenKind kind;
};

// Word-break classes of the characters the fast segmenter handles (UAX #29 names).
enum class WB : std::uint8_t { kOther, kLetter, kNumeric, kMidNumLet, kMidNum, kDecline };

WB wb_class(char32_t c) {
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return WB::kLetter;
        if (c >= '0' && c <= '9') return WB::kNumeric;
        if (c == '.' || c == '\'') return WB::kMidNumLet;
        if (c == ',' || c == ';') return WB::kMidNum;
        // ICU's root rules leave ':' out of MidLetter; '_' (ExtendNumLet), '@' and rare
        // controls follow rules not reproduced here.
        if (c == '_' || c == '@' || c == 0x0B || c == 0x0C || c == 0x85) return WB::kDecline;
        return WB::kOther;
    }
    if (c == 0x2018 || c == 0x2019) return WB::kMidNumLet;
    if (c == 0x00A0 || c == 0x2013 || c == 0x2014 || c == 0x201C || c == 0x201D || c == 0x2022 || c == 0x20AC ||
        c == 0x00AB || c == 0x00BB || c == 0x2026 || c == 0x00B0 || c == 0x00A7)
        return WB::kOther;
    // Precomposed letters of Latin-1, Latin Extended-A/B, Greek and Cyrillic.
    const bool simple_block = (c >= 0x00C0 && c <= 0x024F) || (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x04FF);
    if (simple_block && u_isalpha(static_cast<UChar32>(c))) return WB::kLetter;
    return WB::kDecline;  // anything else: ICU decides
}

// The words of @p s under UAX #29 rules WB5-WB12, for text made only of the characters
// wb_class() knows; false (and nothing) when the text needs ICU. A test checks that the
// result equals ICU's on random text over that alphabet.
bool fast_segments(std::string_view s, std::vector<Segment>& out) {
    std::vector<std::pair<std::uint32_t, WB>> cps;  // byte offset, class
    cps.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const char32_t c = text::decode_utf8(s, i);
        const WB k = wb_class(c);
        if (k == WB::kDecline) return false;
        cps.emplace_back(static_cast<std::uint32_t>(at), k);
    }
    const auto n = cps.size();
    auto end_of = [&](std::size_t k) { return k + 1 < n ? cps[k + 1].first : static_cast<std::uint32_t>(s.size()); };
    for (std::size_t i = 0; i < n;) {
        const WB c0 = cps[i].second;
        if (c0 != WB::kLetter && c0 != WB::kNumeric) {
            ++i;
            continue;
        }
        std::size_t j = i;  // last index in the word
        for (;;) {
            if (j + 1 >= n) break;
            const WB cur = cps[j].second, next = cps[j + 1].second;
            if (next == WB::kLetter || next == WB::kNumeric) {
                ++j;
                continue;
            }
            if (j + 2 >= n) break;
            const WB after = cps[j + 2].second;
            if (cur == WB::kLetter && after == WB::kLetter && next == WB::kMidNumLet) {
                j += 2;
                continue;
            }
            if (cur == WB::kNumeric && after == WB::kNumeric && (next == WB::kMidNum || next == WB::kMidNumLet)) {
                j += 2;
                continue;
            }
            break;
        }
        // Like ICU's rule status, the word's last character decides letter or number ("g7").
        out.push_back({cps[i].first, end_of(j), cps[j].second == WB::kNumeric ? TokenKind::kNumber : TokenKind::kWord});
        i = j + 1;
    }
    return true;
}

std::vector<Segment> icu_segments(std::string_view input, std::string_view lang) {
    std::vector<Segment> out;
    const icu::UnicodeString us = icu::UnicodeString::fromUTF8(icu::StringPiece(input.data(), input.size()));
    icu::BreakIterator& bi = word_breaker(lang);
    bi.setText(us);
    // Walk UTF-16 indices and UTF-8 byte offsets forward together.
    int32_t u16 = 0;
    std::uint32_t byte = 0;
    auto advance_to = [&](int32_t target) {
        while (u16 < target) {
            const UChar32 c = us.char32At(u16);
            u16 += U16_LENGTH(c);
            byte += U8_LENGTH(c);
        }
    };
    int32_t start = bi.first();
    for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
        const int32_t status = bi.getRuleStatus();
        if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
        advance_to(start);
        const std::uint32_t b0 = byte;
        advance_to(end);
        out.push_back({b0, byte, classify(us.char32At(start), status)});
    }
    return out;
}

}  // namespace

std::vector<Token> Analyzer::tokenize(std::string_view input, std::string_view lang, Xapian::termpos first_pos) const {
    return tokenize_impl(input, lang, first_pos, true);
}

std::vector<Token> Analyzer::tokenize_reference(std::string_view input, std::string_view lang,
                                                Xapian::termpos first_pos) const {
    return tokenize_impl(input, lang, first_pos, false);
}

std::vector<Token> Analyzer::tokenize_impl(std::string_view input, std::string_view lang, Xapian::termpos first_pos,
                                           bool allow_fast) const {
    std::string sanitized;
    if (!text::is_valid_utf8(input)) {
        sanitized = text::sanitize_utf8(input);
        input = sanitized;
    }
    std::vector<Token> tokens;
    if (input.empty()) return tokens;
    std::vector<Segment> segments;
    if (!allow_fast || !fast_segments(input, segments)) {
        segments = icu_segments(input, lang);
    }
    tokens.reserve(segments.size());
    const bool turkic_lang = turkic(lang);
    Xapian::termpos pos = first_pos;
    for (const Segment& seg : segments) {
        Token t;
        t.kind = seg.kind;
        std::uint32_t b_start = seg.start;
        std::string_view word = input.substr(seg.start, seg.end - seg.start);
        if (t.kind == TokenKind::kWord) {
            // Elision (French, Italian, Catalan): "l'éthique" and "dell'etica" are searched
            // as "éthique" and "etica". Word break keeps them whole (apostrophe is MidNumLet).
            const std::size_t cut = elision_length(word);
            if (cut) {
                b_start += static_cast<std::uint32_t>(cut);
                word = word.substr(cut);
            }
        }
        if (is_ascii(word) && !turkic_lang) {
            t.text = text::ascii_lower(word);  // its own folded form
        } else {
            NormalFormCache& cache = caches().normal_forms[turkic_lang];
            auto nf = cache.find(word);
            if (nf == cache.end()) {
                if (cache.size() >= kNormalFormCacheMax) cache.clear();
                std::string normalized = normalize(word, lang);
                std::string folded = fold(normalized);
                nf = cache.emplace(std::string(word), NormalForm{std::move(normalized), std::move(folded)}).first;
            }
            t.text = nf->second.normalized;
            if (t.kind == TokenKind::kWord && nf->second.folded != t.text) t.folded = nf->second.folded;
        }
        if (t.text.empty() || t.text.size() > kMaxTermBytes) continue;
        t.start = b_start;
        t.end = seg.end;
        t.pos = pos;
        if (t.kind == TokenKind::kHangul) {
            t.base = strip_korean_particle(t.text);
        }
        pos += t.kind == TokenKind::kCjk ? static_cast<Xapian::termpos>(code_points(t.text)) : 1;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

void Analyzer::stem_tokens(std::vector<Token>& tokens, std::string_view lang) const {
    morphology::Stemmer* stemmer = morphology::thread_stemmer(stem_language(lang));
    if (!stemmer) return;
    for (Token& t : tokens)
        if (t.kind == TokenKind::kWord) t.stem = (*stemmer)(t.text);
}

Xapian::termpos Analyzer::index_text(Xapian::Document& doc, std::string_view text, std::string_view lang,
                                     Xapian::termpos first_pos) const {
    std::vector<Token> tokens = tokenize(text, lang, first_pos);
    stem_tokens(tokens, lang);
    return index_tokens(doc, tokens, lang, first_pos);
}

Xapian::termpos Analyzer::index_tokens(Xapian::Document& doc, const std::vector<Token>& tokens,
                                       std::string_view lang, Xapian::termpos first_pos) const {
    std::string stem_prefix("Z");
    stem_prefix.append(stem_language(lang)).append(":");
    std::string run;
    Xapian::termpos run_pos = 0;
    std::uint32_t run_end = 0;
    auto flush_run = [&] {
        Xapian::termpos p = run_pos;
        for (const std::string& bg : bigrams(run)) doc.add_posting(bg, p++);
        run.clear();
    };
    Xapian::termpos next = first_pos;
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::kCjk) {
            if (!run.empty() && t.start != run_end) flush_run();
            if (run.empty()) run_pos = t.pos;
            run += t.text;
            run_end = t.end;
            // Two-character words are exactly the bigram emitted for them.
            const auto n = static_cast<Xapian::termpos>(code_points(t.text));
            if (n != 2) doc.add_posting(t.text, t.pos);
            next = t.pos + n;
            continue;
        }
        if (!run.empty()) flush_run();
        doc.add_posting(t.text, t.pos);
        if (!t.folded.empty()) doc.add_posting(t.folded, t.pos);
        if (!t.base.empty()) doc.add_posting(t.base, t.pos);
        if (!t.stem.empty()) doc.add_term(stem_prefix + t.stem);
        next = t.pos + 1;
    }
    if (!run.empty()) flush_run();
    return next;
}

void Analyzer::index_prefixed(Xapian::Document& doc, std::string_view text, std::string_view lang,
                              std::string_view prefix) const {
    for (const Token& t : tokenize(text, lang)) {
        const std::string p(prefix);
        if (t.kind == TokenKind::kCjk) {
            for (const std::string& bg : bigrams(t.text)) doc.add_boolean_term(p + bg);
            if (code_points(t.text) == 1) doc.add_boolean_term(p + t.text);
            continue;
        }
        doc.add_boolean_term(p + t.text);
        if (!t.folded.empty()) doc.add_boolean_term(p + t.folded);
        if (!t.base.empty()) doc.add_boolean_term(p + t.base);
    }
}

}  // namespace strata
