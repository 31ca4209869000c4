#pragma once
// What a field means, from the declarations of the sources (SourceInfo::fields) and of the
// kpi_run health point: the `# HELP` of the Prometheus sinks.

#include <optional>
#include <string>
#include <string_view>

#include "sources/source.hpp"

namespace kpi {

// The description of `field` when `info` declares it, with a placeholder filled in
// (`uptime_ratio_<window>` matches `uptime_ratio_30d`: "... the last 30d ...").
std::optional<std::string> describe_declared_field(const FieldInfo& info, std::string_view measurement,
                                                   std::string_view field);

// The declared description, or a generic one for fields nobody declared (the json
// source's, a renamed --measurement, NDJSON from elsewhere). A FieldDescriber.
std::string field_help(std::string_view measurement, std::string_view field);

}  // namespace kpi
