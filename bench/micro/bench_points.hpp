#pragma once
// Points for the data-path benchmarks: the `uptime` shape UptimeRobot's source emits (three
// tags, four fields, one time per pass), as NDJSON lines and as Points. Header-only: the
// CMake glob takes *_bench.cpp files only.

#include <cstddef>
#include <string>
#include <vector>

#include "core/ndjson.hpp"
#include "core/point.hpp"

namespace kpi::bench {

// `count` NDJSON lines of 213 bytes, 50 monitors over and over (bench/ndjson_throughput.sh
// writes the same lines).
inline std::string uptime_ndjson(std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        text += "{\"measurement\":\"uptime\",\"tags\":{\"service\":\"zenodo\",\"monitor\":\"Website " +
                std::to_string(i % 50) + "\",\"monitor_id\":\"" + std::to_string(7000 + i % 50) +
                "\"},\"fields\":{\"uptime_ratio_1d\":0.9996,\"response_time_seconds\":0.624861,\"up\":1,\"status\":2},"
                "\"time\":\"2026-11-28T14:11:00Z\"}\n";
    }
    return text;
}

inline std::vector<Point> uptime_points(std::size_t count) { return parse_ndjson(uptime_ndjson(count)); }

}  // namespace kpi::bench
