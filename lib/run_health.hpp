#pragma once
// The fields of the kpi_run health point every run-all pass emits per source (DESIGN §4).

#include <vector>

#include "sources/source.hpp"

namespace kpi {

inline constexpr const char* kRunHealthMeasurement = "kpi_run";

const std::vector<FieldInfo>& run_health_fields();

}  // namespace kpi
