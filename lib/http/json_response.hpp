#pragma once
// Turning an HTTP answer into a JSON document, or into an error message that names the
// URL, the status and what was wrong (HTML instead of JSON, truncated, empty...).

#include <optional>
#include <simdjson.h>
#include <string>

#include "http/client.hpp"

namespace kpi {

// On success returns the root element (valid while `parser` lives and is not reused).
// On failure returns nullopt and sets `error`, e.g.
//   "GET https://x/api/records: HTTP 502: Bad Gateway"
//   "GET https://x/api/records: HTTP 200 but the body is HTML, not JSON: <!DOCTYPE html>..."
//   "GET https://x/api/records: HTTP 200 but the JSON is invalid (truncated?): ..."
std::optional<simdjson::dom::element> parse_json_response(const HttpResponse& response,
                                                          simdjson::dom::parser& parser, std::string& error);

// The text of a JSON number, integer or float, as a FieldValue; strings holding numbers
// ("12", "3.5") are accepted because several APIs (ServiceNow, UptimeRobot) send those.
std::optional<FieldValue> json_number(simdjson::dom::element element);

// The same as a double (integers converted), for values that are floats whatever their form.
std::optional<double> json_double(simdjson::dom::element element);

}  // namespace kpi
