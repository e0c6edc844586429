#include "text/morphology.h"

#include <hunspell/hunspell.hxx>
#include <libstemmer.h>
#include <libvoikko/voikko.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

namespace strata::morphology {

namespace {

constexpr std::size_t kStemCacheMax = 200000;

// Base language → Snowball algorithm of Xapian 1.4. Their stems must not change: indexes
// and golden tests depend on them.
const std::map<std::string, std::string, std::less<>>& xapian_names() {
    static const std::map<std::string, std::string, std::less<>> names = {
        {"ar", "arabic"},     {"hy", "armenian"},   {"eu", "basque"},   {"ca", "catalan"},
        {"da", "danish"},     {"nl", "dutch"},      {"en", "english"},  {"fi", "finnish"},
        {"fr", "french"},     {"de", "german"},     {"hu", "hungarian"}, {"id", "indonesian"},
        {"ga", "irish"},      {"it", "italian"},    {"lt", "lithuanian"}, {"ne", "nepali"},
        {"nb", "norwegian"},  {"nn", "norwegian"},  {"no", "norwegian"}, {"pt", "portuguese"},
        {"ro", "romanian"},   {"ru", "russian"},    {"es", "spanish"},  {"sv", "swedish"},
        {"ta", "tamil"},      {"tr", "turkish"},
    };
    return names;
}

// Snowball 2.2 algorithms that Xapian 1.4 lacks.
const std::map<std::string, std::string, std::less<>>& snowball_names() {
    static const std::map<std::string, std::string, std::less<>> names = {
        {"el", "greek"}, {"hi", "hindi"}, {"sr", "serbian"}, {"yi", "yiddish"}};
    return names;
}

// Hunspell dictionaries for languages with no Snowball stemmer. Estonian is left out on
// purpose: Debian's myspell-et (2003) stems "strateegiat" to "strateegiaga" and
// "tehisintellekt" to "tehis", so inflections would not meet and compounds would collide.
const std::map<std::string, std::string, std::less<>>& hunspell_names() {
    static const std::map<std::string, std::string, std::less<>> names = {
        {"bg", "bg_BG"}, {"cs", "cs_CZ"}, {"hr", "hr_HR"}, {"lv", "lv_LV"},
        {"pl", "pl_PL"}, {"sk", "sk_SK"}, {"sl", "sl_SI"}, {"uk", "uk_UA"}};
    return names;
}

const std::vector<std::filesystem::path>& hunspell_dirs() {
    static const std::vector<std::filesystem::path> dirs = {"/usr/share/hunspell", "/usr/share/myspell",
                                                            "/usr/share/myspell/dicts"};
    return dirs;
}

std::string casefold(const icu::UnicodeString& u) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    std::string out;
    if (U_FAILURE(status) || !n) {
        u.toUTF8String(out);
        return out;
    }
    n->normalize(u, status).toUTF8String(out);
    return out;
}

// The rule for several candidate stems: fewest characters, then the alphabetically first.
bool better(const std::string& a, const std::string& b) {
    const int32_t la = icu::UnicodeString::fromUTF8(a).countChar32();
    const int32_t lb = icu::UnicodeString::fromUTF8(b).countChar32();
    return la != lb ? la < lb : a < b;
}

struct ConverterCloser {
    void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
struct SnowballDeleter {
    void operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }
};
struct VoikkoCloser {
    void operator()(VoikkoHandle* h) const noexcept { voikkoTerminate(h); }
};

}  // namespace

/// A loaded Hunspell dictionary, used under a lock, converting to and from its encoding.
class HunspellDictionary {
public:
    HunspellDictionary(const std::filesystem::path& aff, const std::filesystem::path& dic)
        : hunspell_(std::make_unique<Hunspell>(aff.c_str(), dic.c_str())) {
        const std::string& enc = hunspell_->get_dict_encoding();
        if (enc == "UTF-8" || enc == "utf-8") return;
        UErrorCode status = U_ZERO_ERROR;
        converter_.reset(ucnv_open(enc.c_str(), &status));
        if (U_FAILURE(status)) converter_.reset();
        // A character the dictionary's charset lacks makes the word unknown, never '?'.
        if (converter_) ucnv_setFromUCallBack(converter_.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
        usable_ = converter_ && U_SUCCESS(status);
    }

    /// Hunspell's stems of @p u, case-folded UTF-8.
    std::vector<std::string> stems(const icu::UnicodeString& u) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<std::string> out;
        if (!usable_) return out;
        const std::optional<std::string> encoded = encode(u);
        if (!encoded) return out;
        for (const std::string& s : hunspell_->stem(*encoded)) out.push_back(casefold(decode(s)));
        return out;
    }

private:
    std::optional<std::string> encode(const icu::UnicodeString& u) const {
        std::string out;
        if (!converter_) {
            u.toUTF8String(out);
            return out;
        }
        ucnv_reset(converter_.get());
        UErrorCode status = U_ZERO_ERROR;
        out.resize(static_cast<std::size_t>(u.length()) * 4 + 4);
        const int32_t n = u.extract(out.data(), static_cast<int32_t>(out.size()), converter_.get(), status);
        if (U_FAILURE(status) || n < 0 || static_cast<std::size_t>(n) >= out.size()) return std::nullopt;
        out.resize(static_cast<std::size_t>(n));
        return out;
    }

    icu::UnicodeString decode(const std::string& s) const {
        if (!converter_) return icu::UnicodeString::fromUTF8(s);
        ucnv_reset(converter_.get());
        UErrorCode status = U_ZERO_ERROR;
        return icu::UnicodeString(s.data(), static_cast<int32_t>(s.size()), converter_.get(), status);
    }

    std::mutex mutex_;
    std::unique_ptr<Hunspell> hunspell_;
    std::unique_ptr<UConverter, ConverterCloser> converter_;
    bool usable_ = true;
};

std::shared_ptr<HunspellDictionary> open_hunspell(const std::filesystem::path& dir, std::string_view name) {
    static std::mutex mutex;  // Hunspell's loader keeps global state
    const std::filesystem::path aff = dir / (std::string(name) + ".aff");
    const std::filesystem::path dic = dir / (std::string(name) + ".dic");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(aff, ec) || !std::filesystem::is_regular_file(dic, ec)) return nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    return std::make_shared<HunspellDictionary>(aff, dic);
}

std::string hunspell_stem(HunspellDictionary& dict, const std::string& word) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
    std::vector<std::string> stems = dict.stems(u);
    if (stems.empty() && !u.isEmpty()) {
        // Proper nouns are capitalised in the dictionary ("Warszawa"), our words never are.
        const UChar32 first = u.char32At(0);
        const UChar32 title = u_totitle(first);
        if (title != first) {
            u.replace(0, U16_LENGTH(first), title);
            stems = dict.stems(u);
        }
    }
    if (stems.empty()) return word;
    std::string best = stems.front();
    for (const std::string& s : stems)
        if (better(s, best)) best = s;
    return best;
}

namespace {

// The process's dictionary for a Hunspell language, loaded on first use; nullptr if missing.
std::shared_ptr<HunspellDictionary> shared_hunspell(std::string_view lang) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<HunspellDictionary>, std::less<>> loaded;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = loaded.find(lang); it != loaded.end()) return it->second;
    std::shared_ptr<HunspellDictionary> dict;
    if (auto name = hunspell_names().find(lang); name != hunspell_names().end())
        for (const auto& dir : hunspell_dirs())
            if ((dict = open_hunspell(dir, name->second))) break;
    loaded.emplace(std::string(lang), dict);
    return dict;
}

bool hunspell_available(std::string_view lang) {
    static const std::set<std::string, std::less<>> available = [] {
        std::set<std::string, std::less<>> s;
        std::error_code ec;
        for (const auto& [code, name] : hunspell_names())
            for (const auto& dir : hunspell_dirs())
                if (std::filesystem::is_regular_file(dir / (name + ".aff"), ec) &&
                    std::filesystem::is_regular_file(dir / (name + ".dic"), ec))
                    s.insert(code);
        return s;
    }();
    return available.count(lang) > 0;
}

bool snowball_available(std::string_view lang) {
    static const std::set<std::string, std::less<>> available = [] {
        std::set<std::string, std::less<>> s;
        for (const auto& [code, name] : snowball_names()) {
            std::unique_ptr<sb_stemmer, SnowballDeleter> st(sb_stemmer_new(name.c_str(), "UTF_8"));
            if (st) s.insert(code);
        }
        return s;
    }();
    return available.count(lang) > 0;
}

/// Voikko's Finnish analyser, one per process, used under a lock.
class Voikko {
public:
    /// The process's analyser, or nullptr when libvoikko or its Finnish data is missing.
    static Voikko* instance() {
        static const std::unique_ptr<Voikko> v = []() -> std::unique_ptr<Voikko> {
            const char* error = nullptr;
            VoikkoHandle* h = voikkoInit(&error, "fi", nullptr);
            if (!h) return nullptr;
            return std::unique_ptr<Voikko>(new Voikko(h));
        }();
        return v.get();
    }

    /// The chosen base form of @p word (case-folded), or nullopt when Voikko does not know it.
    std::optional<std::string> base_form(const std::string& word) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::optional<std::string> best;
        voikko_mor_analysis** analyses = voikkoAnalyzeWordCstr(handle_.get(), word.c_str());
        for (voikko_mor_analysis** a = analyses; a && *a; ++a) {
            char* base = voikko_mor_analysis_value_cstr(*a, "BASEFORM");
            if (!base) continue;
            std::string folded = casefold(icu::UnicodeString::fromUTF8(base));
            voikko_free_mor_analysis_value_cstr(base);
            if (!folded.empty() && (!best || better(folded, *best))) best = std::move(folded);
        }
        if (analyses) voikko_free_mor_analysis(analyses);
        return best;
    }

private:
    explicit Voikko(VoikkoHandle* h) : handle_(h) {}
    std::mutex mutex_;
    std::unique_ptr<VoikkoHandle, VoikkoCloser> handle_;
};

class XapianStemmer final : public Stemmer {
public:
    explicit XapianStemmer(const std::string& algorithm) : stem_(algorithm) {}

private:
    std::string compute(const std::string& word) override { return stem_(word); }
    Xapian::Stem stem_;
};

class SnowballStemmer final : public Stemmer {
public:
    explicit SnowballStemmer(const std::string& algorithm) : stem_(sb_stemmer_new(algorithm.c_str(), "UTF_8")) {}

private:
    std::string compute(const std::string& word) override {
        const sb_symbol* s = sb_stemmer_stem(stem_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                             static_cast<int>(word.size()));
        if (!s) return word;  // out of memory
        return {reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stem_.get()))};
    }
    std::unique_ptr<sb_stemmer, SnowballDeleter> stem_;
};

// The stems one slow stemmer (Hunspell, Voikko: tens of thousands of instructions a
// word) has made, shared by every thread: a word stemmed in one thread is not stemmed
// again in each of the daemon's other threads. Thread-safe.
class SharedStems {
public:
    template <class Compute>
    std::string get(const std::string& word, Compute&& compute) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (auto hit = stems_.find(word); hit != stems_.end()) return hit->second;
        }
        std::string stem = compute(word);
        std::lock_guard<std::mutex> lock(mutex_);
        if (stems_.size() >= kStemCacheMax) stems_.clear();
        stems_.emplace(word, stem);
        return stem;
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::string> stems_;
};

// The process's shared stems of Hunspell language @p lang.
SharedStems& shared_stems(std::string_view lang) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<SharedStems>, std::less<>> by_lang;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = by_lang.find(lang);
    if (it == by_lang.end()) it = by_lang.emplace(std::string(lang), std::make_unique<SharedStems>()).first;
    return *it->second;
}

class HunspellStemmer final : public Stemmer {
public:
    HunspellStemmer(std::shared_ptr<HunspellDictionary> dict, std::string_view lang)
        : dict_(std::move(dict)), shared_(shared_stems(lang)) {}

private:
    std::string compute(const std::string& word) override {
        return shared_.get(word, [&](const std::string& w) { return hunspell_stem(*dict_, w); });
    }
    std::shared_ptr<HunspellDictionary> dict_;
    SharedStems& shared_;
};

// Finnish: Snowball over Voikko's base form, so that Snowball's stems of a word's
// inflections (eettinen → eettin, eettiset → eettis) become one.
class VoikkoStemmer final : public Stemmer {
public:
    VoikkoStemmer() : voikko_(Voikko::instance()), stem_("finnish") {}

private:
    std::string compute(const std::string& word) override {
        if (!voikko_) return stem_(word);
        static SharedStems shared;
        return shared.get(word, [&](const std::string& w) {
            const std::optional<std::string> base = voikko_->base_form(w);
            return stem_(base ? *base : w);
        });
    }
    Voikko* voikko_;
    Xapian::Stem stem_;
};

std::unique_ptr<Stemmer> make_stemmer(std::string_view lang) {
    if (lang == "fi") return std::make_unique<VoikkoStemmer>();
    if (auto x = xapian_names().find(lang); x != xapian_names().end()) return std::make_unique<XapianStemmer>(x->second);
    if (auto s = snowball_names().find(lang); s != snowball_names().end() && snowball_available(lang))
        return std::make_unique<SnowballStemmer>(s->second);
    if (hunspell_names().count(lang))
        if (std::shared_ptr<HunspellDictionary> dict = shared_hunspell(lang))
            return std::make_unique<HunspellStemmer>(std::move(dict), lang);
    return nullptr;
}

}  // namespace

const std::string& Stemmer::operator()(std::string_view word) {
    if (auto hit = cache_.find(word); hit != cache_.end()) return hit->second;
    if (cache_.size() >= kStemCacheMax) cache_.clear();
    std::string key(word);
    std::string stemmed = compute(key);
    return cache_.emplace(std::move(key), std::move(stemmed)).first->second;
}

bool has_stemmer(std::string_view lang) {
    return xapian_names().count(lang) > 0 || snowball_available(lang) || hunspell_available(lang);
}

Source source(std::string_view lang) {
    if (lang == "fi") return Voikko::instance() ? Source::kVoikko : Source::kXapian;
    if (xapian_names().count(lang)) return Source::kXapian;
    if (snowball_available(lang)) return Source::kSnowball;
    if (hunspell_available(lang) && shared_hunspell(lang)) return Source::kHunspell;
    return Source::kNone;
}

std::string_view source_name(Source s) {
    switch (s) {
        case Source::kXapian: return "xapian";
        case Source::kSnowball: return "snowball";
        case Source::kHunspell: return "hunspell";
        case Source::kVoikko: return "voikko";
        case Source::kNone: break;
    }
    return "none";
}

Stemmer* thread_stemmer(std::string_view lang) {
    thread_local std::map<std::string, std::unique_ptr<Stemmer>, std::less<>> stemmers;
    if (auto it = stemmers.find(lang); it != stemmers.end()) return it->second.get();
    return stemmers.emplace(std::string(lang), make_stemmer(lang)).first->second.get();
}

}  // namespace strata::morphology
