#pragma once
// The pure parts of the matomo source: request parameters, VisitsSummary.get answers and
// period stamps.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/point.hpp"

namespace kpi {

namespace matomo {

// One period's summary. Values Matomo did not report are nullopt.
struct VisitsSummary {
    std::optional<Timestamp> period_start;  // nullopt: the pass time stamps the point
    std::optional<std::int64_t> visits;           // nb_visits
    std::optional<std::int64_t> unique_visitors;  // nb_uniq_visitors
    std::optional<std::int64_t> actions;          // nb_actions
    std::optional<double> avg_time_on_site_seconds;  // avg_time_on_site
};

// The query string parameters (everything but token_auth, which goes in the POST body).
std::vector<std::pair<std::string, std::string>> query_params(std::int64_t site_id, std::string_view period,
                                                              std::string_view date);

// The first day (00:00 UTC) of the period that one date names, as --date or as the label
// of a period in an answer: day "2024-03-05" -> 2024-03-05; week -> its Monday; month
// "2024-03" or "2024-03-05" -> 2024-03-01; year "2024" -> January 1st. nullopt for ranges,
// for several dates ("2024-03-01,2024-03-31") and for relative dates (yesterday, last7),
// whose day is the site's own, in a timezone kpi does not know.
// Also nullopt for a date outside the years a Timestamp holds (1678-2261).
std::optional<Timestamp> period_start(std::string_view period, std::string_view date);

// Parses a VisitsSummary.get answer (format=JSON). Matomo answers:
// - one period: {"nb_visits": 12, "nb_uniq_visitors": 9, ...}, stamped per period_start(period, date);
// - one period without data: [] (older versions) or the same object with zeros. [] means
//   no visits: visits, unique_visitors and actions 0, the average left out (there is none);
// - several periods (date=last7, or a date range with period day/week/month/year):
//   {"2024-03-04": {...}, "2024-03-05": [], ...}, each stamped by its label;
// - {"result": "error", "message": "..."} with HTTP 200: RuntimeError with the message.
// Throws RuntimeError for malformed answers too.
std::vector<VisitsSummary> parse_visits_summary(std::string_view body, std::string_view period,
                                                std::string_view date);

// The `visits` point of one site and period.
Point to_point(const VisitsSummary& summary, std::int64_t site_id);

}  // namespace matomo

}  // namespace kpi
