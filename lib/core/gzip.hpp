#pragma once
#include <string>
#include <string_view>

namespace kpi {
// gzip (RFC 1952) of `data`, for request bodies sent with Content-Encoding: gzip.
std::string gzip_compress(std::string_view data);
}  // namespace kpi
