// libFuzzer target: the HTTP parameters of /v1/search and /v1/compare, and the JSON body of
// /v1/batch. Input: a query string, then (after a NUL) a JSON body.
#include "strata/batch.h"
#include "strata/errors.h"
#include "strata/search.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    const std::string query = input.substr(0, nul);
    const std::string body = nul == std::string::npos ? std::string() : input.substr(nul + 1);
    strata::ParamMap params;
    try {
        for (const auto& [k, v] : Poco::URI("/v1/search?" + query).getQueryParameters()) params[k].push_back(v);
    } catch (const Poco::Exception&) {
        return 0;  // the daemon answers 400 for a URI Poco cannot parse
    }
    try {
        strata::SearchRequest::from_params(params).validate(strata::SearchLimits{});
    } catch (const strata::InvalidRequest&) {
    } catch (const strata::TooLarge&) {
    }
    try {
        strata::CompareRequest::from_params(params).validate(strata::SearchLimits{});
    } catch (const strata::InvalidRequest&) {
    } catch (const strata::TooLarge&) {
    }
    try {
        const auto items = strata::parse_batch(strata::parse_json_body(body), 1000);
        for (const strata::BatchItem& item : items) {
            if (!item.error_code.empty()) continue;
            try {
                strata::SearchRequest::from_params(item.params).validate(strata::SearchLimits{});
            } catch (const strata::InvalidRequest&) {
            } catch (const strata::TooLarge&) {
            }
        }
    } catch (const strata::InvalidRequest&) {
    } catch (const strata::TooLarge&) {
    }
    return 0;
}
