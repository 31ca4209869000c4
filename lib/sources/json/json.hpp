#pragma once
#include "sources/source.hpp"

namespace kpi {
// `json`: any JSON endpoint, one field per --field NAME=/json/pointer (RFC 6901).
SourceInfo json_source();
}  // namespace kpi
