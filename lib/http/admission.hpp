#pragma once
// Which waiting request may start next: at most `max_total` in flight, at most `per_host`
// to any one host, hosts served in turn. Requests wait here rather than inside libcurl, so
// memory and per-loop work follow the connection limits, not the number of sources.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace kpi {

template <typename Item>
class Admission {
public:
    Admission(std::size_t max_total, std::size_t per_host)
        : max_total_(max_total ? max_total : 1), per_host_(per_host ? per_host : 1) {}

    // `front` puts the item before the others of its host (a retry or a redirect that
    // already waited its turn once).
    void enqueue(const std::string& host, Item item, bool front = false) {
        Host& h = hosts_[host];
        if (front) {
            h.waiting.push_front(std::move(item));
        } else {
            h.waiting.push_back(std::move(item));
        }
        ++waiting_;
        mark_ready(host, h);
    }

    // The next item allowed to start, with its host; it holds a slot until release(host).
    std::optional<std::pair<std::string, Item>> next() {
        while (in_flight_ < max_total_ && !ready_.empty()) {
            std::string host = std::move(ready_.front());
            ready_.pop_front();
            Host& h = hosts_[host];
            h.queued = false;
            if (h.waiting.empty() || h.in_flight >= per_host_) continue;
            Item item = std::move(h.waiting.front());
            h.waiting.pop_front();
            --waiting_;
            ++h.in_flight;
            ++in_flight_;
            mark_ready(host, h);  // round robin: back of the line when it has more
            return std::make_pair(std::move(host), std::move(item));
        }
        return std::nullopt;
    }

    void release(const std::string& host) {
        auto it = hosts_.find(host);
        if (it == hosts_.end() || it->second.in_flight == 0) return;
        Host& h = it->second;
        --h.in_flight;
        --in_flight_;
        if (h.in_flight == 0 && h.waiting.empty()) {
            hosts_.erase(it);
        } else {
            mark_ready(host, h);
        }
    }

    // Removes every waiting item (on shutdown), in host order.
    template <typename F>
    void drain(F&& each) {
        for (auto& [host, h] : hosts_) {
            while (!h.waiting.empty()) {
                Item item = std::move(h.waiting.front());
                h.waiting.pop_front();
                --waiting_;
                each(std::move(item));
            }
        }
        ready_.clear();
        for (auto& entry : hosts_) entry.second.queued = false;
    }

    std::size_t in_flight() const { return in_flight_; }
    std::size_t waiting() const { return waiting_; }
    std::size_t waiting_for(const std::string& host) const {
        auto it = hosts_.find(host);
        return it == hosts_.end() ? 0 : it->second.waiting.size();
    }

private:
    struct Host {
        std::deque<Item> waiting;
        std::size_t in_flight = 0;
        bool queued = false;  // in ready_
    };

    void mark_ready(const std::string& host, Host& h) {
        if (!h.queued && !h.waiting.empty() && h.in_flight < per_host_) {
            h.queued = true;
            ready_.push_back(host);
        }
    }

    std::size_t max_total_, per_host_;
    std::unordered_map<std::string, Host> hosts_;
    std::deque<std::string> ready_;  // hosts with a waiting item and a free slot
    std::size_t in_flight_ = 0;
    std::size_t waiting_ = 0;
};

}  // namespace kpi
