#include "config.h"

#include "strata/errors.h"
#include "strata/index_handle.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <set>

namespace strata::searchd {

namespace {

std::string where(const std::string& file, const YAML::Node& n, const std::string& key) {
    std::string s = file;
    if (n.Mark().line >= 0) s += ":" + std::to_string(n.Mark().line + 1);
    return s + ": key '" + key + "'";
}

template <class T>
void read(const std::string& file, const YAML::Node& parent, const std::string& key, T& out, const std::string& path) {
    const YAML::Node n = parent[key];
    if (!n) return;
    try {
        out = n.as<T>();
    } catch (const YAML::Exception&) {
        throw ConfigError(where(file, n, path) + ": wrong type");
    }
}

void read_list(const std::string& file, const YAML::Node& parent, const std::string& key, std::vector<std::string>& out) {
    const YAML::Node n = parent[key];
    if (!n) return;
    if (n.IsScalar()) {
        out = {n.Scalar()};
        return;
    }
    if (!n.IsSequence()) throw ConfigError(where(file, n, key) + ": must be a string or a list of strings");
    out.clear();
    for (const auto& x : n) {
        if (!x.IsScalar()) throw ConfigError(where(file, x, key) + ": must be a list of strings");
        out.push_back(x.Scalar());
    }
}

void check_keys(const std::string& file, const YAML::Node& node, const std::set<std::string>& allowed, const std::string& prefix) {
    for (const auto& kv : node) {
        const std::string k = kv.first.Scalar();
        if (!allowed.count(k)) throw ConfigError(where(file, kv.first, prefix + k) + ": unknown key");
    }
}

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

int env_int(const char* name, int fallback) {
    const char* v = env(name);
    if (!v) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (*end != '\0') throw ConfigError(std::string("environment variable ") + name + " must be a whole number");
    return static_cast<int>(n);
}

}  // namespace

std::pair<std::string, unsigned short> split_listen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon + 1 >= listen.size())
        throw ConfigError("key 'listen': '" + listen + "' is not host:port");
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    char* end = nullptr;
    const std::string port_s = listen.substr(colon + 1);
    const long port = std::strtol(port_s.c_str(), &end, 10);
    if (*end != '\0' || port < 0 || port > 65535) throw ConfigError("key 'listen': port '" + port_s + "' is not 0-65535");
    if (host.empty()) throw ConfigError("key 'listen': host is empty");
    return {host, static_cast<unsigned short>(port)};
}

void ServerConfig::validate() const {
    (void)split_listen(listen);
    if (index.empty()) throw ConfigError("key 'index': at least one index directory or host:port is required");
    if (threads < 1 || threads > 1024) throw ConfigError("key 'threads': must be between 1 and 1024");
    if (max_queued < 1) throw ConfigError("key 'limits.max_queued': must be 1 or more");
    if (max_inflight < 0) throw ConfigError("key 'limits.max_inflight': must be 0 (automatic) or more");
    if (max_running < 0 || max_running > 1024) throw ConfigError("key 'limits.max_running': must be 0 (automatic) to 1024");
    if (search.max_per_page < 1 || search.max_per_page > 1000) throw ConfigError("key 'limits.max_per_page': must be 1-1000");
    if (search.max_query_bytes < 16 || search.max_query_bytes > (1u << 20)) throw ConfigError("key 'limits.max_query_bytes': must be 16 to 1048576");
    if (max_body_bytes < 1024) throw ConfigError("key 'limits.max_body_bytes': must be at least 1024");
    if (max_batch < 1 || max_batch > 100000) throw ConfigError("key 'limits.max_batch': must be 1-100000");
    if (search.max_seconds <= 0 || search.max_seconds > 600)
        throw ConfigError("key 'limits.max_query_seconds': must be more than 0 and at most 600");
    if (request_timeout_ms < 100) throw ConfigError("key 'limits.request_timeout_ms': must be at least 100");
}

int ServerConfig::inflight_limit() const {
    // Past a few requests per core, more concurrency only lengthens queues: shed instead.
    if (max_inflight > 0) return max_inflight;
    return std::max(16, 8 * static_cast<int>(std::thread::hardware_concurrency()));
}

int ServerConfig::running_limit() const {
    // Over local indexes, searches and compares are CPU-bound: past one per core at once they
    // add no throughput, only the working memory of more requests held together and more
    // threads' caches (1 GB corpus, eight clients: 357-378 MB with every HTTP thread running
    // requests, 241-245 MB with two workers, at the same requests per second). A remote shard
    // does its work elsewhere, so there every HTTP thread may run a request.
    if (max_running > 0) return max_running;
    if (std::any_of(index.begin(), index.end(), [](const std::string& s) { return is_remote(s); })) return threads;
    return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

ServerConfig load_config(const std::string& file) {
    ServerConfig c;
    if (!file.empty()) {
        YAML::Node root;
        try {
            root = YAML::LoadFile(file);
        } catch (const YAML::BadFile&) {
            throw ConfigError(file + ": cannot read the configuration file");
        } catch (const YAML::Exception& e) {
            throw ConfigError(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
        }
        if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
        if (!root.IsMap()) throw ConfigError(file + ": the configuration must be a YAML mapping");
        check_keys(file, root, {"listen", "index", "corpus", "web_root", "threads", "limits", "cors_origins", "token", "logging"}, "");
        read(file, root, "listen", c.listen, "listen");
        read_list(file, root, "index", c.index);
        read(file, root, "corpus", c.corpus, "corpus");
        read(file, root, "web_root", c.web_root, "web_root");
        read(file, root, "threads", c.threads, "threads");
        read_list(file, root, "cors_origins", c.cors_origins);
        read(file, root, "token", c.token, "token");
        if (const YAML::Node l = root["limits"]) {
            if (!l.IsMap()) throw ConfigError(where(file, l, "limits") + ": must be a mapping");
            check_keys(file, l, {"max_query_bytes", "max_per_page", "max_page_depth", "max_terms", "max_wildcard",
                                 "max_body_bytes", "max_batch", "request_timeout_ms", "max_queued", "max_inflight", "max_running", "max_query_seconds"},
                       "limits.");
            read(file, l, "max_query_bytes", c.search.max_query_bytes, "limits.max_query_bytes");
            read(file, l, "max_per_page", c.search.max_per_page, "limits.max_per_page");
            read(file, l, "max_page_depth", c.search.max_page_depth, "limits.max_page_depth");
            read(file, l, "max_terms", c.search.max_terms, "limits.max_terms");
            read(file, l, "max_wildcard", c.search.max_wildcard, "limits.max_wildcard");
            read(file, l, "max_body_bytes", c.max_body_bytes, "limits.max_body_bytes");
            read(file, l, "max_batch", c.max_batch, "limits.max_batch");
            read(file, l, "request_timeout_ms", c.request_timeout_ms, "limits.request_timeout_ms");
            read(file, l, "max_queued", c.max_queued, "limits.max_queued");
            read(file, l, "max_inflight", c.max_inflight, "limits.max_inflight");
            read(file, l, "max_running", c.max_running, "limits.max_running");
            read(file, l, "max_query_seconds", c.search.max_seconds, "limits.max_query_seconds");
        }
        if (const YAML::Node lg = root["logging"]) {
            if (!lg.IsMap()) throw ConfigError(where(file, lg, "logging") + ": must be a mapping");
            check_keys(file, lg, {"access_log"}, "logging.");
            read(file, lg, "access_log", c.access_log, "logging.access_log");
        }
    }
    if (const char* v = env("STRATA_LISTEN")) c.listen = v;
    if (const char* v = env("STRATA_INDEX")) c.index = {v};
    if (const char* v = env("STRATA_CORPUS")) c.corpus = v;
    if (const char* v = env("STRATA_TOKEN")) c.token = v;
    c.threads = env_int("STRATA_THREADS", c.threads);
    return c;
}

}  // namespace strata::searchd
