#pragma once
// The CERN MONIT sink (DESIGN §5): MONIT JSON documents POSTed to `--url`, a JSON list per batch.

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo monit_sink();

}  // namespace kpi
