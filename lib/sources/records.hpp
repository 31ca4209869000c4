#pragma once
#include "sources/source.hpp"

namespace kpi {
// Record counts from an Invenio / InvenioRDM REST search endpoint: total, and new ones.
SourceInfo records_source();
}  // namespace kpi
