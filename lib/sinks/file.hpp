#pragma once
#include "sinks/sink.hpp"

namespace kpi {
// Appends NDJSON to a file (created when missing), fsynced before success is reported.
SinkInfo file_sink();
}  // namespace kpi
