#pragma once
// Points as a survey and a week of run-all passes would write them, generated (no real
// service's numbers) for the report tests and the README screenshots (scripts/screenshots).

#include <cstdint>
#include <string>

namespace kpi::test {

// One `kpi collect invenio` pass at `time` (seconds since the epoch): 24 fictional sites in
// 9 countries, every flavour, some unreachable, one not Invenio.
std::string sample_survey_ndjson(std::int64_t time);
inline constexpr int kSampleSurveySites = 24;

// Hourly run-all passes over the 7 days before `end`, appended as `publish file` would:
// records, uptime, http_probe and kpi_run, with a few failed sources and a 4-hour outage
// of the whole harvest (no passes) on the third day.
std::string sample_week_ndjson(std::int64_t end);

}  // namespace kpi::test
