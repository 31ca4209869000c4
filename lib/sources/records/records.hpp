#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sources/source.hpp"

namespace kpi {
// Record counts from an Invenio / InvenioRDM REST search endpoint: total, and new ones.
SourceInfo records_source();

// hits.total of a search answer (JSON text), as the source reads it; nullopt with `why`
// set when the answer has no count the source would report.
std::optional<std::int64_t> parse_records_total(std::string_view body, std::string& why);
}  // namespace kpi
