#pragma once
// `uptimerobot`: uptime ratio, average response time and status of UptimeRobot monitors
// (DESIGN §4), through API v2 (default) or v3.

#include "sources/source.hpp"

namespace kpi {

SourceInfo uptimerobot_source();

}  // namespace kpi
