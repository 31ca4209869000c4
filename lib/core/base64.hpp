#pragma once
// Base64 (RFC 4648): the standard alphabet for HTTP basic auth, the URL-safe one for
// Pushgateway grouping keys. Both padded.

#include <string>
#include <string_view>

namespace kpi {

std::string base64_encode(std::string_view bytes);
std::string base64_url_encode(std::string_view bytes);

}  // namespace kpi
