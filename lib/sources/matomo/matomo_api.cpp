#include "sources/matomo/matomo_api.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include "core/errors.hpp"
#include "core/time.hpp"
#include "http/json_response.hpp"
#include "http/redact.hpp"

namespace kpi {

namespace matomo {

namespace {

using simdjson::dom::element;

// Counts are integers; a float is accepted when it is a whole number (12.0).
std::optional<std::int64_t> count_of(element value) {
    auto number = json_number(value);
    if (!number) return std::nullopt;
    if (const auto* i = std::get_if<std::int64_t>(&*number)) return *i;
    const double d = std::get<double>(*number);
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e15) return std::nullopt;
    return static_cast<std::int64_t>(d);
}

std::optional<element> member(element object, std::string_view key) {
    element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
    return value;
}

bool is_empty_container(element value) {
    simdjson::dom::array array;
    if (value.get_array().get(array) == simdjson::SUCCESS) return array.size() == 0;
    simdjson::dom::object object;
    if (value.get_object().get(object) == simdjson::SUCCESS) return object.size() == 0;
    return false;
}

// {"2024-03-04": {...}, "2024-03-05": []}: every member an object or an array.
bool is_keyed_by_period(element value) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS || object.size() == 0) return false;
    for (auto [key, item] : object) {
        if (!item.is_object() && !item.is_array()) return false;
    }
    return true;
}

// One period's values: an object of metrics, [] or {} for a period without visits, or a
// single-element list around the object (as some versions wrap it).
VisitsSummary read_period(element value) {
    VisitsSummary summary;
    if (is_empty_container(value)) {
        summary.visits = 0;
        summary.unique_visitors = 0;
        summary.actions = 0;
        return summary;
    }
    simdjson::dom::array wrapped;
    if (value.get_array().get(wrapped) == simdjson::SUCCESS) {
        if (wrapped.size() != 1 || !wrapped.at(0).is_object()) {
            throw RuntimeError("malformed answer: a list where the visits summary was expected");
        }
        value = wrapped.at(0).value();
    }
    if (!value.is_object()) throw RuntimeError("malformed answer: the visits summary is not an object");
    auto count = [&](std::string_view key) {
        auto v = member(value, key);
        return v ? count_of(*v) : std::nullopt;
    };
    summary.visits = count("nb_visits");
    summary.unique_visitors = count("nb_uniq_visitors");
    summary.actions = count("nb_actions");
    if (auto average = member(value, "avg_time_on_site")) summary.avg_time_on_site_seconds = json_double(*average);
    return summary;
}

// "2024", "2024-03" or "2024-03-05".
std::optional<std::chrono::year_month_day> leading_date(std::string_view text) {
    auto read = [&](std::size_t at, std::size_t digits) -> std::optional<int> {
        if (text.size() < at + digits) return std::nullopt;
        int value = 0;
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + digits, value);
        if (ec != std::errc() || end != text.data() + at + digits) return std::nullopt;
        return value;
    };
    auto year = read(0, 4);
    if (!year) return std::nullopt;
    unsigned month = 1, day = 1;
    std::size_t used = 4;
    if (text.size() > 4 && text[4] == '-') {
        auto m = read(5, 2);
        if (!m) return std::nullopt;
        month = static_cast<unsigned>(*m);
        used = 7;
        if (text.size() > 7 && text[7] == '-') {
            auto d = read(8, 2);
            if (!d) return std::nullopt;
            day = static_cast<unsigned>(*d);
            used = 10;
        }
    }
    if (used != text.size()) return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(*year), std::chrono::month(month), std::chrono::day(day)};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> query_params(std::int64_t site_id, std::string_view period,
                                                              std::string_view date) {
    return {
        {"module", "API"},
        {"method", "VisitsSummary.get"},
        {"idSite", std::to_string(site_id)},
        {"period", std::string(period)},
        {"date", std::string(date)},
        {"format", "JSON"},
    };
}

std::optional<Timestamp> period_start(std::string_view period, std::string_view date) {
    using namespace std::chrono;
    // A range, or several periods at once, has no single first day.
    if (period == "range" || date.find(',') != std::string_view::npos) return std::nullopt;
    auto ymd = leading_date(date);
    if (!ymd) return std::nullopt;
    const bool whole_date = date.size() == 10;
    // checked_timestamp: a server-named year such as 9999 is no time at all, never a wrapped one.
    if (period == "day" && whole_date) return checked_timestamp(sys_days(*ymd));
    if (period == "week" && whole_date) {
        const sys_days day(*ymd);
        const unsigned since_monday = weekday(day).iso_encoding() - 1;  // Matomo's weeks start on Monday
        return checked_timestamp(day - days(since_monday));
    }
    if (period == "month") return checked_timestamp(sys_days(ymd->year() / ymd->month() / 1));
    if (period == "year") return checked_timestamp(sys_days(ymd->year() / January / 1));
    return std::nullopt;
}

std::vector<VisitsSummary> parse_visits_summary(std::string_view body, std::string_view period,
                                                std::string_view date) {
    simdjson::dom::parser parser;
    element doc;
    if (auto error = parser.parse(body.data(), body.size()).get(doc)) {
        throw RuntimeError(std::string("malformed answer (") + simdjson::error_message(error) +
                           "), starting: " + server_message(body));
    }
    if (doc.is_object()) {
        std::string_view result;
        if (doc["result"].get_string().get(result) == simdjson::SUCCESS && result == "error") {
            std::string_view message;
            if (doc["message"].get_string().get(message) != simdjson::SUCCESS) message = "(no message)";
            throw RuntimeError("Matomo error: " + server_message(message));
        }
    }

    std::vector<VisitsSummary> summaries;
    if (is_keyed_by_period(doc)) {
        // Ordered by label so that points come out oldest first.
        std::map<std::string, VisitsSummary> by_label;
        simdjson::dom::object periods = doc.get_object().value_unsafe();
        for (auto [label, value] : periods) {
            VisitsSummary summary = read_period(value);
            // A week is labelled by its span, "2024-03-04,2024-03-10": its first day names it.
            summary.period_start = period_start(period, label.substr(0, label.find(',')));
            if (!summary.period_start) {
                // Points of different periods with the same stamp would overwrite each other.
                throw RuntimeError("malformed answer: period label \"" + std::string(label) +
                                   "\" is not a date");
            }
            by_label.emplace(std::string(label), summary);
        }
        for (auto& [label, summary] : by_label) summaries.push_back(summary);
        return summaries;
    }
    VisitsSummary summary = read_period(doc);
    summary.period_start = period_start(period, date);
    summaries.push_back(summary);
    return summaries;
}

Point to_point(const VisitsSummary& summary, std::int64_t site_id) {
    Point point;
    point.measurement = "visits";
    point.set_tag("site_id", std::to_string(site_id));
    if (summary.visits) point.set_field("visits", *summary.visits);
    if (summary.unique_visitors) point.set_field("unique_visitors", *summary.unique_visitors);
    if (summary.actions) point.set_field("actions", *summary.actions);
    // Always a float, so that the field keeps one type in InfluxDB whatever Matomo sends.
    if (summary.avg_time_on_site_seconds) point.set_field("avg_time_on_site_seconds", *summary.avg_time_on_site_seconds);
    point.time = summary.period_start;
    return point;
}

}  // namespace matomo

}  // namespace kpi
