#pragma once
// Delivering points to one configured sink and reporting what became of them.

#include <vector>

#include "config/config.hpp"
#include "sinks/sink.hpp"

namespace kpi {

// Returns true when every point was delivered. Failures are logged with the sink's name.
bool deliver_points(Sink& sink, const SinkConfig& config, const std::vector<Point>& points,
                    const SpoolSettings& spool);

}  // namespace kpi
