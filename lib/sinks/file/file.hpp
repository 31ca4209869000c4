#pragma once
#include "sinks/sink.hpp"

namespace kpi {
// Appends NDJSON to a file (created when missing), fsynced before success is reported;
// whole batches only, an unfinished last line repaired (see file.cpp).
SinkInfo file_sink();
}  // namespace kpi
