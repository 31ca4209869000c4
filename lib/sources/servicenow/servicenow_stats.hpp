#pragma once
// Reading Aggregate API answers:
//   {"result":{"stats":{"count":"12","max":{"reassignment_count":"3"},"avg":{"calendar_stc":"3600.5"}}}}
// ServiceNow writes every number as a string, and an empty string where there is no value
// (e.g. the average over no records).

#include <cstdint>
#include <map>
#include <optional>
#include <simdjson.h>
#include <string>
#include <string_view>

namespace kpi::servicenow {

// The aggregates of one answer, as ServiceNow wrote them. A JSON number is kept as its
// text and null as "", so that callers deal with one form.
struct StatsAnswer {
    std::optional<std::string> count;
    std::map<std::string, std::string> avg;  // field -> value
    std::map<std::string, std::string> max;
};

// Throws RuntimeError saying why: an error answer (with ServiceNow's message and detail;
// these come with HTTP 200 too), or no `result.stats` object.
StatsAnswer read_stats_answer(simdjson::dom::element root);
// The same from text; also throws when the text is not JSON.
StatsAnswer parse_stats_answer(std::string_view body);

// "User Not Authenticated: Required to provide Auth information" from an error answer
// `{"error":{"message":...,"detail":...},"status":"failure"}`; nullopt for any other body.
std::optional<std::string> error_message(std::string_view body);

// "12" -> 12, "" -> nullopt. An integral value written with a fraction ("3.0") is accepted.
// Anything else throws RuntimeError naming `what` (e.g. "stats.count").
std::optional<std::int64_t> integer_value(std::string_view text, std::string_view what);
// "3600.5" -> 3600.5, "" -> nullopt; anything else (including nan and inf) throws.
std::optional<double> float_value(std::string_view text, std::string_view what);

}  // namespace kpi::servicenow
