#pragma once
// hits.total of an Invenio search answer (Invenio v3, InvenioRDM, InvenioILS, Zenodo): the
// one reader the records and invenio sources share.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>

namespace kpi {

// An integer, or Elasticsearch 7+/OpenSearch's {"value": N, "relation": "eq"}. nullopt with
// `why` set when there is none, when it is negative, or when it is only a lower bound
// ("gte"): an error, never a wrong KPI.
std::optional<std::int64_t> read_hits_total(simdjson::dom::element root, std::string& why);

}  // namespace kpi
