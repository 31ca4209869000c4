#pragma once
#include <vector>

#include "sinks/sink.hpp"

namespace kpi {
// NDJSON on stdout, or with --format one of `formats` (the wire formats the other sinks
// declare): a dry run that sends nothing.
SinkInfo stdout_sink(std::vector<const WireFormat*> formats);
}  // namespace kpi
