#pragma once
// The base URL option of the sinks that append a path to it (influxdb, pushgateway).

#include <string>

namespace kpi {

// `http://host:8086/` -> `http://host:8086`, so that `+ "/write"` makes one slash;
// throws SettingError when nothing is left.
std::string base_url(const std::string& text);

}  // namespace kpi
