#include "sources/uptimerobot/uptimerobot_api.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include "core/errors.hpp"
#include "core/time.hpp"
#include "http/client.hpp"
#include "http/json_response.hpp"
#include "http/redact.hpp"

namespace kpi::uptimerobot {

namespace {

using simdjson::dom::element;

std::optional<std::int64_t> integer_of(element value) {
    auto number = json_number(value);
    if (!number) return std::nullopt;
    if (const auto* i = std::get_if<std::int64_t>(&*number)) return *i;
    return std::nullopt;
}

std::optional<std::string_view> string_of(element value) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
    return text;
}

std::optional<element> member(element object, std::string_view key) {
    element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
    return value;
}

std::optional<std::string_view> string_at(element object, std::string_view key) {
    auto value = member(object, key);
    return value ? string_of(*value) : std::nullopt;
}

std::optional<std::int64_t> integer_at(element object, std::string_view key) {
    auto value = member(object, key);
    return value ? integer_of(*value) : std::nullopt;
}

std::optional<double> number_at(element object, std::string_view key) {
    auto value = member(object, key);
    return value ? json_double(*value) : std::nullopt;
}

element parse_json(simdjson::dom::parser& parser, std::string_view body) {
    element doc;
    if (auto error = parser.parse(body.data(), body.size()).get(doc)) {
        throw RuntimeError(std::string("malformed answer (") + simdjson::error_message(error) +
                           "), starting: " + error_message(body));
    }
    return doc;
}

// Rounding keeps 99.871 / 100 printing as 0.99871, not 0.9987100000000001.
double round12(double value) { return std::round(value * 1e12) / 1e12; }

std::string join_messages(element value) {
    if (auto text = string_of(value)) return std::string(*text);
    simdjson::dom::array list;
    if (value.get_array().get(list) != simdjson::SUCCESS) return {};
    std::string out;
    for (element item : list) {
        if (auto text = string_of(item)) {
            if (!out.empty()) out += "; ";
            out += *text;
        }
    }
    return out;
}

std::string messages_at(element object, std::string_view key) {
    auto value = member(object, key);
    return value ? join_messages(*value) : std::string();
}

// v2: {"stat":"fail","error":{"type":"invalid_parameter","parameter_name":"api_key",
// "passed_value":"<the key!>","message":"api_key is invalid."}}. passed_value is never read.
std::string v2_fail_message(element doc) {
    std::string out = "UptimeRobot answered stat=fail";
    auto error = member(doc, "error");
    if (!error) return out;
    if (auto type = string_at(*error, "type")) out += ": " + std::string(*type);
    if (auto parameter = string_at(*error, "parameter_name")) {
        out += " (parameter " + std::string(*parameter) + ")";
    }
    if (auto message = string_at(*error, "message")) out += ": " + std::string(*message);
    return out;
}

bool is_v2_fail(element doc) {
    auto stat = string_at(doc, "stat");
    return stat && *stat == "fail";
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] == '%' && i + 2 < text.size()) {
            int value = 0;
            auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec == std::errc() && end == text.data() + i + 3) {
                out.push_back(static_cast<char>(value));
                i += 2;
            } else {
                out.push_back('%');
            }
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

}  // namespace

Window parse_window(const std::string& text) {
    auto duration = parse_duration(text);
    if (!duration) throw SettingError("\"" + text + "\": not a duration (write 1d, 7d, 30d)");
    constexpr auto kDay = std::chrono::hours(24);
    if (*duration % kDay != Duration::zero()) {
        throw SettingError("\"" + text + "\": UptimeRobot reports uptime over whole days (write 1d, 7d, 30d)");
    }
    Window window;
    window.days = static_cast<int>(*duration / kDay);
    window.field = "uptime_ratio_" + std::to_string(window.days) + "d";
    return window;
}

std::vector<Window> distinct_windows(const std::vector<Window>& windows) {
    std::vector<Window> out;
    for (const auto& window : windows) {
        if (std::find(out.begin(), out.end(), window) == out.end()) out.push_back(window);
    }
    return out;
}

std::optional<std::int64_t> up_from_status(std::int64_t status) {
    switch (status) {
        case 2: return 1;
        case 8:
        case 9: return 0;
        default: return std::nullopt;
    }
}

Point to_point(const MonitorReport& monitor, const std::vector<Window>& windows) {
    Point point;
    point.measurement = "uptime";
    // An empty tag value has no form in line protocol; monitor_id still tells monitors apart.
    if (!monitor.name.empty()) point.set_tag("monitor", monitor.name);
    point.set_tag("monitor_id", std::to_string(monitor.id));
    for (std::size_t i = 0; i < windows.size() && i < monitor.uptime_ratios.size(); ++i) {
        if (monitor.uptime_ratios[i]) point.set_field(windows[i].field, *monitor.uptime_ratios[i]);
    }
    if (monitor.response_time_seconds) point.set_field("response_time_seconds", *monitor.response_time_seconds);
    if (monitor.status) {
        if (auto up = up_from_status(*monitor.status)) point.set_field("up", *up);
        point.set_field("status", *monitor.status);
    }
    return point;
}

std::optional<double> percent_to_ratio(double percent) {
    if (!std::isfinite(percent) || percent < 0 || percent > 100) return std::nullopt;
    return round12(percent / 100);
}

std::optional<double> milliseconds_to_seconds(double milliseconds) {
    if (!std::isfinite(milliseconds) || milliseconds <= 0) return std::nullopt;
    return round12(milliseconds / 1000);
}

Selection select_monitors(const std::vector<std::string>& listed_names, const std::vector<std::string>& wanted) {
    Selection selection;
    for (std::size_t i = 0; i < listed_names.size(); ++i) {
        if (wanted.empty() || std::find(wanted.begin(), wanted.end(), listed_names[i]) != wanted.end()) {
            selection.indices.push_back(i);
        }
    }
    for (const auto& name : wanted) {
        const bool listed = std::find(listed_names.begin(), listed_names.end(), name) != listed_names.end();
        const bool noted = std::find(selection.missing.begin(), selection.missing.end(), name) != selection.missing.end();
        if (!listed && !noted) selection.missing.push_back(name);
    }
    return selection;
}

// ---- v2 -----------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> v2_form(std::string_view api_key,
                                                         const std::vector<Window>& windows,
                                                         std::int64_t offset) {
    std::string ratios;
    for (const auto& window : windows) {
        if (!ratios.empty()) ratios.push_back('-');
        ratios += std::to_string(window.days);
    }
    return {
        {"api_key", std::string(api_key)},
        {"format", "json"},
        {"custom_uptime_ratios", ratios},
        // average_response_time comes with the response times (the last 24 hours).
        {"response_times", "1"},
        {"offset", std::to_string(offset)},
        {"limit", std::to_string(kV2PageSize)},
    };
}

V2Page parse_v2_page(std::string_view body, std::size_t window_count) {
    simdjson::dom::parser parser;
    element doc = parse_json(parser, body);
    if (is_v2_fail(doc)) throw RuntimeError(v2_fail_message(doc));

    simdjson::dom::array monitors;
    if (doc["monitors"].get_array().get(monitors) != simdjson::SUCCESS) {
        throw RuntimeError("malformed answer: no \"monitors\" list, starting: " + error_message(body));
    }
    V2Page page;
    std::size_t index = 0;
    for (element item : monitors) {
        ++index;
        MonitorReport report;
        auto id = integer_at(item, "id");
        if (!id) throw RuntimeError("malformed answer: monitor #" + std::to_string(index) + " has no id");
        report.id = *id;
        report.name = std::string(string_at(item, "friendly_name").value_or(""));
        report.status = integer_at(item, "status");

        report.uptime_ratios.assign(window_count, std::nullopt);
        if (auto ratios = member(item, "custom_uptime_ratio")) {
            if (auto text = string_of(*ratios)) {
                // "99.871-99.950": one percentage per window, in the order they were asked for.
                std::size_t i = 0;
                std::string_view rest = *text;
                while (i < window_count && !rest.empty()) {
                    auto dash = rest.find('-');
                    std::string_view part = rest.substr(0, dash);
                    double percent = 0;
                    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), percent);
                    if (ec == std::errc() && end == part.data() + part.size() && !part.empty()) {
                        report.uptime_ratios[i] = percent_to_ratio(percent);
                    }
                    ++i;
                    rest = dash == std::string_view::npos ? std::string_view{} : rest.substr(dash + 1);
                }
            } else if (auto percent = json_double(*ratios); percent && window_count > 0) {
                report.uptime_ratios[0] = percent_to_ratio(*percent);
            }
        }
        if (auto average = number_at(item, "average_response_time")) {
            report.response_time_seconds = milliseconds_to_seconds(*average);
        }
        page.monitors.push_back(std::move(report));
    }

    page.total = static_cast<std::int64_t>(page.monitors.size());
    if (auto pagination = member(doc, "pagination")) {
        page.offset = integer_at(*pagination, "offset").value_or(0);
        page.limit = integer_at(*pagination, "limit").value_or(kV2PageSize);
        page.total = integer_at(*pagination, "total").value_or(page.total);
    }
    // The server's numbers are trusted only within what the API documents: a page holds at
    // most 50, and negative offsets or totals mean nothing.
    page.limit = std::clamp<std::int64_t>(page.limit, 1, kV2PageSize);
    page.total = std::max<std::int64_t>(page.total, 0);
    page.offset = std::clamp<std::int64_t>(page.offset, 0, page.total);
    return page;
}

std::vector<std::int64_t> v2_remaining_offsets(const V2Page& first) {
    std::vector<std::int64_t> offsets;
    // A page without monitors means there is nothing more, whatever `total` claims.
    if (first.monitors.empty()) return offsets;
    // offset <= total and limit <= 50 (parse_v2_page), so nothing below can overflow.
    if (first.total - first.offset <= first.limit) return offsets;
    const std::int64_t next = first.offset + first.limit;
    const std::int64_t pages = (first.total - next - 1) / first.limit + 1;
    if (pages > kMaxPages - 1) {
        throw RuntimeError("implausible pagination: total " + std::to_string(first.total) + " monitors at " +
                           std::to_string(first.limit) + " a page would take " + std::to_string(pages + 1) +
                           " pages, more than the " + std::to_string(kMaxPages) + " any account needs");
    }
    offsets.reserve(static_cast<std::size_t>(pages));
    for (std::int64_t offset = next; offset < first.total; offset += first.limit) offsets.push_back(offset);
    return offsets;
}

// ---- v3 -----------------------------------------------------------------------------

std::optional<std::int64_t> v3_status_code(std::string_view word) {
    if (word == "PAUSED") return 0;
    if (word == "STARTED") return 1;
    if (word == "UP") return 2;
    if (word == "LOOKS_DOWN") return 8;
    if (word == "DOWN") return 9;
    return std::nullopt;
}

std::string v3_monitors_target(const std::optional<std::string>& cursor) {
    std::string target = "/v3/monitors?limit=" + std::to_string(kV3PageSize);
    if (cursor) target += "&cursor=" + url_encode(*cursor);
    return target;
}

std::int64_t v3_statistics_requests(std::size_t monitors, std::size_t windows) {
    return static_cast<std::int64_t>(monitors) * static_cast<std::int64_t>(windows + 1);
}

std::string v3_uptime_target(std::int64_t monitor_id, int days, Timestamp end) {
    const Timestamp start = end - std::chrono::hours(24) * days;
    return "/v3/monitors/" + std::to_string(monitor_id) + "/stats/uptime?from=" +
           url_encode(format_rfc3339(start)) + "&to=" + url_encode(format_rfc3339(end));
}

std::string v3_response_time_target(std::int64_t monitor_id) {
    // Without from/to the API reports the last 24 hours, as v2's average_response_time does.
    return "/v3/monitors/" + std::to_string(monitor_id) + "/stats/response-time";
}

std::optional<std::string> cursor_from_next_link(std::string_view link) {
    auto query = link.find('?');
    if (query == std::string_view::npos) return std::nullopt;
    std::string_view rest = link.substr(query + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        if (pair.starts_with("cursor=")) {
            std::string value = percent_decode(pair.substr(7));
            if (!value.empty()) return value;
        }
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    }
    return std::nullopt;
}

V3Page parse_v3_monitors(std::string_view body) {
    simdjson::dom::parser parser;
    element doc = parse_json(parser, body);
    // MonitorPaginationDto names the list `data`; the official Terraform provider also
    // accepts `monitors`, which some answers carry instead.
    simdjson::dom::array data;
    if (doc["data"].get_array().get(data) != simdjson::SUCCESS &&
        doc["monitors"].get_array().get(data) != simdjson::SUCCESS) {
        throw RuntimeError("malformed answer: no \"data\" (or \"monitors\") list, starting: " + error_message(body));
    }
    V3Page page;
    std::size_t index = 0;
    for (element item : data) {
        ++index;
        V3Monitor monitor;
        auto id = integer_at(item, "id");
        if (!id) throw RuntimeError("malformed answer: monitor #" + std::to_string(index) + " has no id");
        monitor.id = *id;
        monitor.name = std::string(string_at(item, "friendlyName").value_or(""));
        monitor.status_word = std::string(string_at(item, "status").value_or(""));
        monitor.status = v3_status_code(monitor.status_word);
        page.monitors.push_back(std::move(monitor));
    }
    // As the Terraform provider reads it: nextCursorId first, then nextLink's cursor.
    if (auto cursor_id = member(doc, "nextCursorId")) {
        auto number = integer_of(*cursor_id);
        if (!number) throw RuntimeError("malformed answer: nextCursorId is not an integer");
        page.next_cursor = std::to_string(*number);
        return page;
    }
    if (auto link = member(doc, "nextLink")) {
        auto text = string_of(*link);
        if (!text) throw RuntimeError("malformed answer: nextLink is not a string");
        const bool blank = std::all_of(text->begin(), text->end(), [](char c) { return c == ' ' || c == '\t'; });
        if (blank) return page;  // the last page
        page.next_cursor = cursor_from_next_link(*text);
        // A next page we cannot address would end the listing early and silently.
        if (!page.next_cursor) throw RuntimeError("malformed answer: nextLink without a cursor");
    }
    return page;
}

std::optional<double> parse_v3_uptime_ratio(std::string_view body) {
    simdjson::dom::parser parser;
    element doc = parse_json(parser, body);
    // MonitorUptimeStatsDto: `uptime` (percent 0-100) is required and not nullable.
    auto uptime = member(doc, "uptime");
    if (!uptime) throw RuntimeError("malformed answer: no \"uptime\", starting: " + error_message(body));
    auto percent = json_double(*uptime);
    if (!percent) throw RuntimeError("malformed answer: \"uptime\" is not a number");
    auto ratio = percent_to_ratio(*percent);
    if (!ratio) throw RuntimeError("malformed answer: \"uptime\" " + std::to_string(*percent) + " is not a percentage");
    return ratio;
}

std::optional<double> parse_v3_response_time_seconds(std::string_view body) {
    simdjson::dom::parser parser;
    element doc = parse_json(parser, body);
    // MonitorResponseTimeStatsDto: `summary` is required; its `avg` (ms) is null when no
    // check was measured, which leaves the field out rather than report 0.
    auto summary = member(doc, "summary");
    if (!summary) throw RuntimeError("malformed answer: no \"summary\", starting: " + error_message(body));
    auto average = member(*summary, "avg");
    if (!average) return std::nullopt;
    auto milliseconds = json_double(*average);
    if (!milliseconds) throw RuntimeError("malformed answer: \"summary.avg\" is not a number");
    return milliseconds_to_seconds(*milliseconds);
}

// ---- both ---------------------------------------------------------------------------

RateLimit read_rate_limit(const std::string* limit, const std::string* remaining) {
    auto count = [](const std::string* text) -> std::optional<std::int64_t> {
        if (text == nullptr) return std::nullopt;
        std::int64_t value = 0;
        const char* begin = text->data();
        const char* end = begin + text->size();
        while (begin != end && *begin == ' ') ++begin;
        while (end != begin && end[-1] == ' ') --end;
        auto [stop, ec] = std::from_chars(begin, end, value);
        if (ec != std::errc() || stop != end || begin == end || value < 0) return std::nullopt;
        return value;
    };
    return RateLimit{count(limit), count(remaining)};
}

std::string error_message(std::string_view body) {
    simdjson::dom::parser parser;
    element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
        return server_message(body);
    }
    if (is_v2_fail(doc)) return v2_fail_message(doc);
    // NestJS lists validation errors: {"message": ["limit must be ...", ...], "error": "Bad Request"}.
    std::string message = messages_at(doc, "message");
    if (message.empty()) message = messages_at(doc, "error");
    if (message.empty()) return server_message(body);
    if (auto code = string_at(doc, "code")) message += " (code " + std::string(*code) + ")";
    return server_message(message);
}

}  // namespace kpi::uptimerobot
