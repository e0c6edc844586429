/** @file backend.h
 *  @brief Where the CLI searches: an index directory (embedded) or a daemon (HTTP). Both
 *         return the same API JSON, so output is identical in either mode.
 */
#pragma once

#include "strata/search.h"

#include <functional>
#include <memory>
#include <string>

namespace strata::cli {

class Backend {
public:
    virtual ~Backend() = default;
    /// GET @p path with @p params (path like "/v1/search"); throws strata::Error subclasses.
    virtual nlohmann::json get(const std::string& path, const ParamMap& params) = 0;
    /// Runs a POST /v1/batch body; @p emit gets each result line in input order. Returns the
    /// number of failed queries.
    virtual std::size_t batch(const nlohmann::json& body, const std::function<void(const nlohmann::json&)>& emit) = 0;
};

/// Searches an index directory in-process.
[[nodiscard]] std::unique_ptr<Backend> embedded_backend(const std::string& index_dir);
/// Talks to strata-searchd at @p url (http://host:port), with an optional bearer token.
[[nodiscard]] std::unique_ptr<Backend> http_backend(const std::string& url, const std::string& token);

}  // namespace strata::cli
