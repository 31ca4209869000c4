#pragma once
#include "sinks/sink.hpp"

namespace kpi {
// InfluxDB 1.x /write (database) or 2.x /api/v2/write (org, bucket, token): line
// protocol, batches of 5000 lines, gzip.
SinkInfo influxdb_sink();
}  // namespace kpi
