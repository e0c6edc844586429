#include "strata/langdetect.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <string>

namespace strata {

DetectedLanguage detect_language(std::string_view text) {
    DetectedLanguage out;
    if (text.empty()) return out;
    // CLD2 reads at most what it needs; cap the work on huge inputs.
    const int len = static_cast<int>(std::min<std::size_t>(text.size(), 64 * 1024));
    CLD2::Language langs[3];
    int percents[3];
    int text_bytes = 0;
    bool reliable = false;
    const CLD2::Language lang =
        CLD2::DetectLanguageSummary(text.data(), len, true, langs, percents, &text_bytes, &reliable);
    if (lang == CLD2::UNKNOWN_LANGUAGE) return out;
    std::string code = CLD2::LanguageCode(lang);
    if (code == "zh") code = "zh-Hans";
    else if (code == "zh-Hant") code = "zh-Hant";
    else if (code == "no") code = "nb";
    else if (code == "iw") code = "he";
    else if (code == "tl") code = "fil";
    out.tag = code;
    out.percent = percents[0];
    out.reliable = reliable;
    return out;
}

}  // namespace strata
