#pragma once
// `matomo`: visits of Matomo (Piwik) sites through the Reporting API's VisitsSummary.get
// (DESIGN §4). Request building and answer parsing are in matomo_api.hpp.

#include "sources/source.hpp"

namespace kpi {

SourceInfo matomo_source();

}  // namespace kpi
