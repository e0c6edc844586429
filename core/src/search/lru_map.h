/** @file lru_map.h
 *  @brief Internal: the least-recently-used map behind the daemon's caches of parses
 *  (query_cache.h) and of phrase matches (clause_count.cpp).
 */
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace strata {

/// A bounded least-recently-used map from a string key; not thread-safe.
template <class V>
class LruMap {
public:
    explicit LruMap(std::size_t capacity) : capacity_(capacity) {}

    /// The value of @p key, or nullptr; a hit becomes the most recent entry.
    [[nodiscard]] V* find(const std::string& key) {
        const auto it = by_key_.find(key);
        if (it == by_key_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &it->second->second;
    }
    /// Stores @p v under @p key as the most recent entry, dropping the least recently used
    /// one when full.
    void put(const std::string& key, V v) {
        if (capacity_ == 0) return;
        if (V* old = find(key)) {
            *old = std::move(v);
            return;
        }
        if (order_.size() >= capacity_) drop_oldest();
        order_.emplace_front(key, std::move(v));
        by_key_.emplace(key, order_.begin());
    }
    void clear() {
        order_.clear();
        by_key_.clear();
    }
    /// Whether @p key is kept, without making it the most recent entry.
    [[nodiscard]] bool contains(const std::string& key) const { return by_key_.count(key) > 0; }
    /// The least recently used entry (the map must not be empty), and dropping it.
    [[nodiscard]] const std::pair<std::string, V>& oldest() const { return order_.back(); }
    void drop_oldest() {
        by_key_.erase(order_.back().first);
        order_.pop_back();
    }
    [[nodiscard]] std::size_t size() const { return order_.size(); }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }

private:
    using Item = std::pair<std::string, V>;
    std::size_t capacity_;
    std::list<Item> order_;  // most recent first
    std::unordered_map<std::string, typename std::list<Item>::iterator> by_key_;
};

}  // namespace strata
