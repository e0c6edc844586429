#include "metrics.h"

#include <sstream>

namespace strata::searchd {

void Metrics::observe(const std::string& route, int status, double seconds) {
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
    Histogram& h = latency_[route];
    for (std::size_t i = 0; i < std::size(kBuckets); ++i)
        if (seconds <= kBuckets[i]) ++h.counts[i];
    ++h.total;
    h.sum += seconds;
}

std::string Metrics::render(const std::vector<std::pair<std::string, double>>& gauges) const {
    std::ostringstream out;
    std::lock_guard lock(mu_);
    out << "# HELP strata_http_requests_total HTTP requests by route and status.\n"
        << "# TYPE strata_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "strata_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
    out << "# HELP strata_http_request_duration_seconds Request latency by route.\n"
        << "# TYPE strata_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        for (std::size_t i = 0; i < std::size(kBuckets); ++i)
            out << "strata_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
                << h.counts[i] << "\n";
        out << "strata_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.total << "\n"
            << "strata_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
            << "strata_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.total << "\n";
    }
    for (const auto& [name, value] : gauges) {
        out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
    }
    return out.str();
}

}  // namespace strata::searchd
