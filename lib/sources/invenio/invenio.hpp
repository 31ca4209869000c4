#pragma once
#include "sources/source.hpp"

namespace kpi {
// `invenio`: a survey of Invenio installations: flavour, version, record count and front
// page response time of each site, from what the site itself serves.
SourceInfo invenio_source();
}  // namespace kpi
