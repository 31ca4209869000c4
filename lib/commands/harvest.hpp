#pragma once
// One harvest pass: every source started on one HTTP client, run concurrently to the end.

#include <functional>
#include <memory>
#include <vector>

#include "sources/source.hpp"

namespace kpi {

struct HarvestResult {
    std::vector<Point> points;  // in source order, then the kpi_run health points
    std::size_t failed_sources = 0;
};

// Builds every source first, so that an inconsistent option is a UsageError before any
// request is sent. `health` adds the kpi_run points of DESIGN §4.
// `on_finished` (may be empty) hears of each source as soon as it is done.
HarvestResult harvest(const std::vector<SourceConfig>& sources, HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished = {});

}  // namespace kpi
