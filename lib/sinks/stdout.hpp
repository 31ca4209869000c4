#pragma once
#include "sinks/sink.hpp"

namespace kpi {
// NDJSON on stdout, or with --format any sink's wire format: a dry run that sends nothing.
SinkInfo stdout_sink();
}  // namespace kpi
