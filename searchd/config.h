/** @file config.h
 *  @brief strata-searchd configuration: one struct, loaded in layers (defaults, YAML file,
 *         environment, flags), validated once at start-up. Keys follow
 *         schemas/config.schema.json.
 */
#pragma once

#include "strata/search.h"

#include <string>
#include <vector>

namespace strata::searchd {

/// Every setting of the daemon, with its default.
struct ServerConfig {
    std::string listen = "127.0.0.1:8765";     ///< host:port; port 0 picks a free port
    std::vector<std::string> index = {"index"}; ///< shards: index directories or host:port
    std::string corpus;                         ///< where themes/concepts/countries.yaml are; "" = bundled
    std::string web_root;                       ///< static web UI files; "" = built-in location
    int threads = 16;                           ///< HTTP worker threads
    int max_queued = 256;                       ///< connections waiting for a worker
    int max_inflight = 0;                       ///< requests served at once before 429; 0 = 8 per core, at least 16
    int max_running = 0;                        ///< requests that read the index at once, the rest queue; 0 = one per core (at least 2), or threads with a remote shard
    SearchLimits search;                        ///< query, page and term bounds
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    int max_batch = 1000;                       ///< queries per POST /v1/batch
    int request_timeout_ms = 10000;             ///< socket read/write timeout
    std::vector<std::string> cors_origins;      ///< allowed Origin values; "*" for any
    std::string token;                          ///< bearer token for /v1 and /metrics; "" = open
    bool access_log = true;                     ///< JSON access log lines on stderr

    /// Throws ConfigError naming the key when a value is out of range.
    void validate() const;
    /// max_inflight with its automatic default resolved.
    [[nodiscard]] int inflight_limit() const;
    /// max_running with its automatic default resolved.
    [[nodiscard]] int running_limit() const;
};

/// Loads @p file (if not empty) over the defaults, then STRATA_* environment variables.
/// Throws ConfigError naming the file, line and key.
[[nodiscard]] ServerConfig load_config(const std::string& file);

/// Host and port of "host:port" (IPv6 as "[::1]:8765"); throws ConfigError.
[[nodiscard]] std::pair<std::string, unsigned short> split_listen(const std::string& listen);

}  // namespace strata::searchd
