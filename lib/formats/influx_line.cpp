#include "formats/influx_line.hpp"

#include "core/json_text.hpp"

namespace kpi {
namespace {

// Line protocol escapes by position: measurement (comma, space), tag keys/values and field
// keys (comma, equals, space), string field values (double quote, backslash).
void append_escaped(std::string& out, std::string_view text, std::string_view special) {
    for (char c : text) {
        if (special.find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
}

bool has_newline(std::string_view text) { return text.find_first_of("\n\r") != std::string_view::npos; }

}  // namespace

std::optional<std::string> append_line_protocol(std::string& out, const Point& point) {
    if (has_newline(point.measurement)) return "measurement contains a newline";
    for (const auto& t : point.tags) {
        if (has_newline(t.key) || has_newline(t.value)) return "tag \"" + t.key + "\" contains a newline";
    }
    for (const auto& f : point.fields) {
        if (has_newline(f.key)) return "field key \"" + f.key + "\" contains a newline";
    }
    if (point.fields.empty()) return "no fields";

    append_escaped(out, point.measurement, ", ");
    for (const auto& t : point.tags) {
        if (t.value.empty()) continue;  // InfluxDB has no empty tag values: an empty tag is no tag
        out.push_back(',');
        append_escaped(out, t.key, ",= ");
        out.push_back('=');
        append_escaped(out, t.value, ",= ");
    }
    out.push_back(' ');
    bool first = true;
    for (const auto& f : point.fields) {
        if (!first) out.push_back(',');
        first = false;
        append_escaped(out, f.key, ",= ");
        out.push_back('=');
        std::visit(
            [&out](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::int64_t>) {
                    append_json_int(out, v);
                    out.push_back('i');
                } else if constexpr (std::is_same_v<T, double>) {
                    append_shortest_double(out, v);
                } else if constexpr (std::is_same_v<T, bool>) {
                    out += v ? "true" : "false";
                } else {
                    out.push_back('"');
                    append_escaped(out, v, "\"\\");
                    out.push_back('"');
                }
            },
            f.value);
    }
    if (point.time) {
        out.push_back(' ');
        append_json_int(out, point.time->time_since_epoch().count());
    }
    out.push_back('\n');
    return std::nullopt;
}

}  // namespace kpi
