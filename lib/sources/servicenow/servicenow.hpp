#pragma once
// `servicenow`: open tickets, reassignments and resolve times of an assignment group, per
// table, from a ServiceNow instance's Aggregate API (DESIGN §4).

#include "sources/source.hpp"

namespace kpi {

SourceInfo servicenow_source();

}  // namespace kpi
