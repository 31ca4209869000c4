#include "sources/servicenow/servicenow_stats.hpp"

#include <charconv>
#include <cmath>
#include <simdjson.h>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace kpi::servicenow {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::string json_error(simdjson::error_code code) {
    switch (code) {
        case simdjson::TAPE_ERROR:
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        case simdjson::UNCLOSED_STRING: return "the answer is not JSON (truncated?)";
        case simdjson::EMPTY: return "the answer is empty";
        default: return std::string("the answer is not JSON: ") + simdjson::error_message(code);
    }
}

std::string string_or_empty(element value) {
    std::string_view text;
    return value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : std::string();
}

// One aggregate as text: strings as they are, numbers as written, null as "".
std::string aggregate_text(element value, std::string_view what) {
    switch (value.type()) {
        case simdjson::dom::element_type::STRING: return string_or_empty(value);
        case simdjson::dom::element_type::NULL_VALUE: return {};
        case simdjson::dom::element_type::INT64:
        case simdjson::dom::element_type::UINT64:
        case simdjson::dom::element_type::DOUBLE: return simdjson::minify(value);
        default: throw RuntimeError("stats." + std::string(what) + " is not a string or number");
    }
}

// {"calendar_stc":"3600.5", ...}; an absent object is an empty one.
std::map<std::string, std::string> aggregate_map(object stats, std::string_view name) {
    std::map<std::string, std::string> values;
    element entry;
    if (stats.at_key(name).get(entry) != simdjson::SUCCESS || entry.is_null()) return values;
    object fields;
    if (entry.get_object().get(fields) != simdjson::SUCCESS) {
        throw RuntimeError("stats." + std::string(name) + " is not an object");
    }
    for (auto [key, value] : fields) {
        std::string field(key);
        values[field] = aggregate_text(value, std::string(name) + "." + field);
    }
    return values;
}

std::optional<std::string> error_in(element root) {
    object error;
    if (root.at_key("error").get_object().get(error) != simdjson::SUCCESS) return std::nullopt;
    std::string message, detail;
    element text;
    if (error.at_key("message").get(text) == simdjson::SUCCESS) message = string_or_empty(text);
    if (error.at_key("detail").get(text) == simdjson::SUCCESS) detail = string_or_empty(text);
    if (message.empty()) message = "error answer without a message";
    if (!detail.empty() && detail != message) message += ": " + detail;
    return message;
}

RuntimeError not_a_number(std::string_view text, std::string_view what, std::string_view kind) {
    return RuntimeError("stats." + std::string(what) + " is not " + std::string(kind) + ": \"" +
                        std::string(text) + "\"");
}

}  // namespace

std::optional<std::string> error_message(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(body);
    element root;
    if (parser.parse(padded).get(root) != simdjson::SUCCESS) return std::nullopt;
    return error_in(root);
}

StatsAnswer parse_stats_answer(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(body);
    element root;
    if (auto code = parser.parse(padded).get(root)) throw RuntimeError(json_error(code));
    return read_stats_answer(root);
}

StatsAnswer read_stats_answer(element root) {
    if (auto error = error_in(root)) throw RuntimeError(*error);

    object stats;
    if (root.at_pointer("/result/stats").get_object().get(stats) != simdjson::SUCCESS) {
        throw RuntimeError("the answer has no result.stats object");
    }
    StatsAnswer answer;
    element count;
    if (stats.at_key("count").get(count) == simdjson::SUCCESS) answer.count = aggregate_text(count, "count");
    answer.avg = aggregate_map(stats, "avg");
    answer.max = aggregate_map(stats, "max");
    return answer;
}

std::optional<std::int64_t> integer_value(std::string_view text, std::string_view what) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
    // "3.0": an integral value written as a decimal is still that integer.
    double real = 0;
    auto [real_end, real_error] = std::from_chars(text.data(), text.data() + text.size(), real);
    if (real_error != std::errc() || real_end != text.data() + text.size() || !std::isfinite(real) ||
        std::trunc(real) != real || std::fabs(real) >= 9.2e18) {
        throw not_a_number(text, what, "an integer");
    }
    return static_cast<std::int64_t>(real);
}

std::optional<double> float_value(std::string_view text, std::string_view what) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        throw not_a_number(text, what, "a number");
    }
    return value;
}

}  // namespace kpi::servicenow
