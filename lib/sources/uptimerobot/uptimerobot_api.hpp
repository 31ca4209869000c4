#pragma once
// The UptimeRobot APIs as pure functions: the request parameters an option set asks for,
// and what an answer means. No I/O here, so every quirk of the answers is unit-tested.
//
// v2 (legacy, still the default): POST /v2/getMonitors with a form body that carries the
// key (uptimerobot.com/api, "getMonitors"); offset/limit pagination, at most 50 a page;
// status as an integer code; `custom_uptime_ratios=1-7-30` answers percent strings joined
// by `-`, one per window ("99.871-99.950"); `response_times=1` adds average_response_time
// (ms). Rate limits: FREE plan 10 requests a minute, 429 with Retry-After.
//
// v3 (REST). What each request and answer relies on is UptimeRobot's published OpenAPI
// contract (cdn.uptimerobot.com/api/openapi.yaml, info.version 3.0, servers
// https://api.uptimerobot.com/v3), as kept by UptimeRobot's official CLI
// (github.com/uptimerobot/uptimerobot-cli, openapi/openapi.yaml) and read by its official
// Terraform provider (github.com/uptimerobot/terraform-provider-uptimerobot,
// internal/client/monitor.go):
//   GET /v3/monitors?limit=&cursor=   `limit` "Default: 50, Min: 1, Max: 200"; `cursor` a
//     number. Answer MonitorPaginationDto {"data": [...], "nextLink": string|null}; each
//     monitor has id, friendlyName and status (the list filter names PAUSED, STARTED, UP,
//     LOOKS_DOWN, DOWN). The provider also reads a `monitors` list and `nextCursorId`, and
//     takes a null or blank nextLink as the last page; it stops after 1000 pages.
//   GET /v3/monitors/{id}/stats/uptime?from=&to=   ISO 8601, "Maximum range is 90 days".
//     Answer MonitorUptimeStatsDto {"uptime": percent 0-100 (required), ...}.
//   GET /v3/monitors/{id}/stats/response-time   "Defaults to the last 24 hours". Answer
//     MonitorResponseTimeStatsDto {"summary": {"avg": ms or null, ...} (required), ...}.
//   Bearer authentication with the account's Main API Key (the provider's README).
//   Rate limits (uptimerobot.com/api/v3): FREE plan 10 requests a minute, PRO the plan's
//   monitor limit x 2 a minute (at most 5000); 429 with Retry-After, and X-RateLimit-Limit,
//   X-RateLimit-Remaining, X-RateLimit-Reset on answers.
// Errors are `{"message": "...", "code": "..."}` or NestJS' `{"message": [...], "error": "..."}`
// (the CLI's src/api/errors.ts reads message, or error, and code).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/point.hpp"
#include "plugin/settings.hpp"

namespace kpi::uptimerobot {

inline constexpr std::int64_t kV2PageSize = 50;   // the most v2 returns per page
inline constexpr std::int64_t kV3PageSize = 200;  // the most v3 accepts
inline constexpr int kV3MaxWindowDays = 90;       // v3 statistics cover at most 90 days
// No account has more pages than this (the official Terraform provider's bound too): 50,000
// monitors in v2, 200,000 in v3. An answer claiming more is broken or hostile, and an error.
inline constexpr std::int64_t kMaxPages = 1000;
// Page or statistics requests of one source in flight at once: the client's default per-host
// limit, so a large account never queues its whole listing at once.
inline constexpr std::size_t kRequestsInFlight = 4;

// One --window. The APIs count uptime in whole days, so that is all a window can be.
struct Window {
    int days = 1;
    std::string field;  // "uptime_ratio_7d"
    bool operator==(const Window&) const = default;
};

// One --window: `1d`, `7d`, `30d`, `1w`, `24h`... Throws SettingError quoting a text that
// is no duration or not whole days (the settings core adds where the value came from).
Window parse_window(const std::string& text);
// Each window once (`1w` and `7d` are one), in the order given.
std::vector<Window> distinct_windows(const std::vector<Window>& windows);

// What one monitor reports, whichever API version said it. Unknown values are nullopt.
struct MonitorReport {
    std::int64_t id = 0;
    std::string name;
    // UptimeRobot's v2 code: 0 paused, 1 not checked yet, 2 up, 8 seems down, 9 down.
    std::optional<std::int64_t> status;
    std::vector<std::optional<double>> uptime_ratios;  // one per window, 0..1
    std::optional<double> response_time_seconds;
};

// `up`: 1 for up, 0 for seems down and down; unknown (nullopt) for paused and not checked
// yet, which say nothing about whether the service answers.
std::optional<std::int64_t> up_from_status(std::int64_t status);

// The `uptime` point of one monitor: tags monitor and monitor_id; fields
// uptime_ratio_<window>..., response_time_seconds, up, status, each only when known.
Point to_point(const MonitorReport& monitor, const std::vector<Window>& windows);

// 99.871 -> 0.99871 (rounded to 12 decimals so that the printed value stays short);
// nullopt outside 0..100.
std::optional<double> percent_to_ratio(double percent);
// 624.861 -> 0.624861; nullopt for zero or less (no checks measured), never a fake 0.
std::optional<double> milliseconds_to_seconds(double milliseconds);

struct Selection {
    std::vector<std::size_t> indices;   // into the listed monitors, in listing order
    std::vector<std::string> missing;   // wanted names no monitor has
};
// Every monitor when `wanted` is empty; else each monitor whose friendly name is exactly
// one of `wanted` (all of them when several share a name).
Selection select_monitors(const std::vector<std::string>& listed_names, const std::vector<std::string>& wanted);

// ---- v2 -----------------------------------------------------------------------------

// The form fields of one getMonitors page. The key goes here, in the body, never the URL.
std::vector<std::pair<std::string, std::string>> v2_form(std::string_view api_key,
                                                         const std::vector<Window>& windows,
                                                         std::int64_t offset);

struct V2Page {
    std::vector<MonitorReport> monitors;
    std::int64_t offset = 0;          // 0 or more
    std::int64_t limit = kV2PageSize;  // clamped to 1..kV2PageSize whatever the answer says
    std::int64_t total = 0;           // monitors in the account, across all pages; 0 or more
};

// Parses a getMonitors answer. Throws RuntimeError for `"stat":"fail"` (with the API's
// error type and message, never the passed_value it echoes) and for malformed answers.
V2Page parse_v2_page(std::string_view body, std::size_t window_count);

// Offsets of the pages still to fetch after the first one. Throws RuntimeError when the
// answer's total and limit would need more than kMaxPages pages.
std::vector<std::int64_t> v2_remaining_offsets(const V2Page& first);

// ---- v3 -----------------------------------------------------------------------------

struct V3Monitor {
    std::int64_t id = 0;
    std::string name;
    std::string status_word;  // as sent, for messages
    std::optional<std::int64_t> status;
};

struct V3Page {
    std::vector<V3Monitor> monitors;
    std::optional<std::string> next_cursor;
};

// "UP" -> 2, "LOOKS_DOWN" -> 8, "DOWN" -> 9, "PAUSED" -> 0, "STARTED" -> 1: the v2 codes,
// so that `status` means the same whichever API version collected it.
std::optional<std::int64_t> v3_status_code(std::string_view word);

// "/v3/monitors?limit=200" and, after the first page, "&cursor=...".
std::string v3_monitors_target(const std::optional<std::string>& cursor);
// Requests a v3 pass needs for the statistics of `monitors` monitors: one per window, one
// for the response time.
std::int64_t v3_statistics_requests(std::size_t monitors, std::size_t windows);
// "/v3/monitors/42/stats/uptime?from=...&to=..." for `days` ending at `end`.
std::string v3_uptime_target(std::int64_t monitor_id, int days, Timestamp end);
std::string v3_response_time_target(std::int64_t monitor_id);

// The cursor parameter of a nextLink (absolute or relative). The link itself is not
// followed, so that --url keeps pointing at the host the operator chose.
std::optional<std::string> cursor_from_next_link(std::string_view link);

// Each throws RuntimeError for malformed answers. The listing's next page is `nextCursorId`
// when given, else the cursor of `nextLink`; a null, absent or blank nextLink ends it.
V3Page parse_v3_monitors(std::string_view body);
std::optional<double> parse_v3_uptime_ratio(std::string_view body);
std::optional<double> parse_v3_response_time_seconds(std::string_view body);

// ---- both ---------------------------------------------------------------------------

// The X-RateLimit-* headers of an answer (values as sent, or null when absent); a value
// that is not a whole number 0 or more reads as unknown.
struct RateLimit {
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> remaining;
};
RateLimit read_rate_limit(const std::string* limit, const std::string* remaining);

// The service's own words from an error body: a JSON `message` (or list of messages),
// `error`, and `code`; v2's `"stat":"fail"` error object; else a short excerpt of the text.
// The caller redacts it: an API may echo the key in its words.
std::string error_message(std::string_view body);

}  // namespace kpi::uptimerobot
