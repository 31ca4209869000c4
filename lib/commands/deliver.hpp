#pragma once
// Delivering points to one configured sink and reporting what became of them.

#include <vector>

#include "config/config.hpp"
#include "sinks/sink.hpp"

namespace kpi {

// Sends the sink's spool, then `points`; spools what the sink did not take (DESIGN §8).
// Returns true when everything was delivered. Failures are logged with the sink's name.
bool deliver_points(Sink& sink, const SinkConfig& config, const std::vector<Point>& points,
                    const SpoolSettings& spool);

}  // namespace kpi
