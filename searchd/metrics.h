/** @file metrics.h
 *  @brief Request counters and a latency histogram in Prometheus text format.
 */
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace strata::searchd {

class Metrics {
public:
    /// Records one finished request.
    void observe(const std::string& route, int status, double seconds);
    /// Prometheus exposition text, with the index gauges given by the caller.
    [[nodiscard]] std::string render(const std::vector<std::pair<std::string, double>>& gauges) const;

private:
    static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    struct Histogram {
        std::vector<unsigned long long> counts = std::vector<unsigned long long>(std::size(kBuckets), 0);
        unsigned long long total = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, unsigned long long> requests_;
    std::map<std::string, Histogram> latency_;
};

}  // namespace strata::searchd
