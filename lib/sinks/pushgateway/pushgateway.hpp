#pragma once
// The Prometheus Pushgateway sink (DESIGN §5): the Prometheus text format pushed to
// `<url>/metrics/job/<job>[/<label>/<value>...]`.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo pushgateway_sink();

// `/metrics/job/kpi/env/prod`; a value that is empty, holds a `/` or is a dot segment is
// written `<name>@base64/<URL-safe base64>`, every other value percent-encoded.
std::string pushgateway_group_path(std::string_view job,
                                   const std::vector<std::pair<std::string, std::string>>& grouping);

}  // namespace kpi
