#pragma once
// The parser of a --url that plugins append paths to (influxdb, pushgateway, uptimerobot,
// matomo): the one place that drops its trailing slashes.

#include <string>

namespace kpi {

// `http://host:8086/` -> `http://host:8086`, so that `+ "/write"` makes one slash;
// throws SettingError when nothing is left.
std::string base_url(const std::string& text);

}  // namespace kpi
