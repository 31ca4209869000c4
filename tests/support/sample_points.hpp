#pragma once
// Realistic points of every measurement kpi emits, as a week of run-all passes would give
// them: for the Prometheus exposition checks (promtool) and the dashboard tests.

#include <vector>

#include "core/point.hpp"

namespace kpi::test {

// The services, monitors, prefixes, tables and sites the samples are tagged with.
inline const std::vector<std::string> kSampleServices{"zenodo", "cds-videos", "opendata"};
inline const std::vector<std::string> kSampleSources{"zenodo-records", "zenodo-uptime", "datacite-report",
                                                     "datacite-api",   "servicenow",    "matomo",
                                                     "probes",         "communities"};

// The points of one pass at `time`; `pass` (0, 1, ...) moves the numbers along the way a
// service's would: counts grow, ratios wobble, a source fails now and then.
std::vector<Point> sample_pass(Timestamp time, int pass);

// `days` days of `per_day` passes each, evenly spaced, the last one at `end`.
std::vector<Point> sample_passes(Timestamp end, int days, int per_day);

}  // namespace kpi::test
