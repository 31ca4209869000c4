#pragma once
// The node_exporter textfile collector sink (DESIGN §5): the Prometheus text format
// written to `--path`, atomically (core/atomic_file.hpp).

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo textfile_sink();

}  // namespace kpi
