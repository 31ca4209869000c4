#include "run_health.hpp"

namespace kpi {

const std::vector<FieldInfo>& run_health_fields() {
    static const std::vector<FieldInfo> fields{
        {.measurement = kRunHealthMeasurement, .name = "success",
         .description = "Whether the source's last kpi run-all pass succeeded (1) or failed (0)"},
        {.measurement = kRunHealthMeasurement, .name = "duration_seconds",
         .description = "How long the source took in its last kpi run-all pass, in seconds"},
        {.measurement = kRunHealthMeasurement, .name = "points",
         .description = "Points the source emitted in its last kpi run-all pass"},
    };
    return fields;
}

}  // namespace kpi
