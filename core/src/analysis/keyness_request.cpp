// KeynessRequest parsing, the G²/Log Ratio formula, and the CSV form of an answer.
#include "strata/errors.h"
#include "strata/export.h"
#include "strata/keyness.h"
#include "strata/text.h"

#include <charconv>
#include <cmath>
#include <set>

namespace strata {

namespace {

std::string single(const ParamMap& params, const std::string& name) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return "";
    if (it->second.size() > 1) throw InvalidRequest("invalid_parameter", "parameter '" + name + "' is given more than once");
    return it->second.front();
}

int whole_number(const ParamMap& params, const std::string& name, int fallback) {
    const std::string v = single(params, name);
    if (v.empty()) return fallback;
    int n = 0;
    const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size())
        throw InvalidRequest("invalid_parameter", "parameter '" + name + "' must be a whole number");
    return n;
}

// x·ln(x / e), with 0·ln 0 = 0.
double plogp(double x, double e) { return x > 0 ? x * std::log(x / e) : 0.0; }

}  // namespace

KeynessRequest KeynessRequest::from_params(const ParamMap& params) {
    static const std::set<std::string> known = {"target", "reference", "unit", "side", "min_count", "per_page",
                                                "country", "region", "theme", "year", "lang", "type", "format"};
    for (const auto& [name, values] : params)
        if (!known.count(name) && name.rfind('_', 0) != 0)
            throw InvalidRequest("invalid_parameter", "unknown parameter '" + name.substr(0, 60) + "'");
    KeynessRequest r;
    r.target = std::string(text::trim(single(params, "target")));
    r.reference = std::string(text::trim(single(params, "reference")));
    for (const char* f : {"country", "region", "theme", "year", "lang", "type"})
        if (auto it = params.find(f); it != params.end())
            for (const std::string& v : it->second) r.filters.add(f, v);
    const std::string unit = text::ascii_lower(single(params, "unit"));
    if (unit == "concept") r.unit = Unit::kConcept;
    else if (!unit.empty() && unit != "word")
        throw InvalidRequest("invalid_parameter", "parameter 'unit' must be word or concept");
    const std::string side = text::ascii_lower(single(params, "side"));
    if (side == "target") r.side = Side::kTarget;
    else if (side == "reference") r.side = Side::kReference;
    else if (!side.empty() && side != "both")
        throw InvalidRequest("invalid_parameter", "parameter 'side' must be both, target or reference");
    r.min_count = whole_number(params, "min_count", r.min_count);
    r.per_page = whole_number(params, "per_page", r.per_page);
    return r;
}

void KeynessRequest::validate(const SearchLimits& limits) const {
    if (target.empty())
        throw InvalidRequest("invalid_parameter", "parameter 'target' is required: field filters such as country:MX");
    if (target.size() > limits.max_query_bytes || reference.size() > limits.max_query_bytes)
        throw TooLarge("target or reference is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
    if (min_count < 1 || min_count > 1000000)
        throw InvalidRequest("invalid_parameter", "parameter 'min_count' must be between 1 and 1000000");
    if (per_page < 1 || per_page > 1000)
        throw InvalidRequest("invalid_parameter", "parameter 'per_page' must be between 1 and 1000");
}

// Dunning (1993): G² = 2 Σ O ln(O/E) over the two cells of the term, E from the pooled rate.
// Hardie (2014): Log Ratio = log2 of the ratio of the relative frequencies; a zero count
// becomes 0.5 so that a term absent from one side gets a finite, comparable ratio.
KeynessScore keyness_score(double a, double b, double c, double d) {
    KeynessScore s;
    if (c <= 0 || d <= 0) return s;
    const double e1 = c * (a + b) / (c + d), e2 = d * (a + b) / (c + d);
    s.log_likelihood = 2.0 * (plogp(a, e1) + plogp(b, e2));
    s.log_ratio = std::log2(((a > 0 ? a : 0.5) / c) / ((b > 0 ? b : 0.5) / d));
    return s;
}

const std::vector<std::string>& keyness_columns() {
    static const std::vector<std::string> cols = [] {
        std::vector<std::string> c = {"term",           "label",           "side",           "target_count",
                                      "reference_count", "target_per_million", "reference_per_million",
                                      "log_likelihood", "log_ratio",       "target_documents", "target_tokens",
                                      "reference_tokens"};
        c.insert(c.end(), provenance_columns().begin(), provenance_columns().end());
        return c;
    }();
    return cols;
}

std::vector<nlohmann::json> keyness_records(const nlohmann::json& k) {
    nlohmann::json tail = {{"target_tokens", k.at("target").at("tokens")}, {"reference_tokens", k.at("reference").at("tokens")}};
    tail.update(provenance_record(k));
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& row : k.at("rows")) {
        nlohmann::json rec = row;
        rec.update(tail);
        out.push_back(std::move(rec));
    }
    return out;
}

std::string keyness_csv(const nlohmann::json& k) { return records_csv(keyness_columns(), keyness_records(k)); }

}  // namespace strata
