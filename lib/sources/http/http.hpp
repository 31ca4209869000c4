#pragma once
#include "sources/source.hpp"

namespace kpi {
// `http`: probes URLs directly (no third party): up, status, timings, size, certificate expiry.
SourceInfo http_source();
}  // namespace kpi
