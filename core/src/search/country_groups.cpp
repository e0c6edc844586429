#include "search/country_groups.h"

#include <cctype>

namespace strata {

bool is_country_group(std::string_view field) { return field == "income" || field == "bloc"; }

std::vector<std::string> groups_of(const ReferenceData& ref, std::string_view field, const std::string& code) {
    const Country* c = ref.country(code);
    if (!c) return {};
    if (field == "bloc") return c->blocs;
    if (field == "income" && !c->income.empty()) return {c->income};
    return {};
}

std::map<std::string, std::size_t> group_counts(const ReferenceData& ref, std::string_view field,
                                                const std::map<std::string, std::size_t>& by_country) {
    std::map<std::string, std::size_t> out;
    for (const auto& [code, n] : by_country)
        for (const std::string& g : groups_of(ref, field, code)) out[g] += n;
    return out;
}

std::string group_label(const ReferenceData& ref, std::string_view field, const std::string& value) {
    if (field == "bloc") {
        const Bloc* b = ref.bloc(value);
        return b ? b->name : value;
    }
    std::string label = value + " income";
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    return label;
}

}  // namespace strata
