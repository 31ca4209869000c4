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
// request is sent.
std::vector<std::unique_ptr<Source>> build_sources(const std::vector<SourceConfig>& sources);

// Runs built sources (sources[i] built from configs[i]). A source that throws, from
// start() or from any callback of its requests, fails alone: its error is reported and the
// other sources' points are all delivered. `health` adds the kpi_run points of DESIGN §4.
// `on_finished` (may be empty) hears of each source as soon as it is done. The
// configurations are dropped once every source has started: over 10,000 sources they are
// a fifth of the pass's memory, and nothing after start() reads them.
HarvestResult harvest(std::vector<SourceConfig> configs, const std::vector<std::unique_ptr<Source>>& sources,
                      HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished = {});

// build_sources, then harvest.
HarvestResult harvest(std::vector<SourceConfig> configs, HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished = {});

}  // namespace kpi
