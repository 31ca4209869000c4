#include "formats/influx_line.hpp"

#include <algorithm>

#include "core/json_text.hpp"

namespace kpi {
namespace {

// Line protocol escapes by position: measurement (comma, space), tag keys/values and field
// keys (comma, equals, space), string field values (double quote, backslash). A table per
// position keeps the hot loop to one lookup a byte, copying unescaped runs whole.
struct EscapeSet {
    bool special[256] = {};
    constexpr explicit EscapeSet(std::string_view chars) {
        for (char c : chars) special[static_cast<unsigned char>(c)] = true;
    }
};

constexpr EscapeSet kMeasurement{", "};
constexpr EscapeSet kTagOrKey{",= "};
constexpr EscapeSet kStringValue{"\"\\"};

void append_escaped(std::string& out, std::string_view text, const EscapeSet& set) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!set.special[static_cast<unsigned char>(text[i])]) continue;
        out.append(text.data() + run, i - run);
        out.push_back('\\');
        run = i;  // the special character itself starts the next run
    }
    out.append(text.data() + run, text.size() - run);
}

bool has_newline(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; });
}

// InfluxDB reads a backslash as escaping whatever byte follows, but removes it only before
// the characters the element escapes: a backslash that ends an element, or stands before
// one of those characters, cannot be written so that it reads back.
bool has_unwritable_backslash(std::string_view text, const EscapeSet& set) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && (i + 1 == text.size() || set.special[static_cast<unsigned char>(text[i + 1])])) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::string> append_line_protocol(std::string& out, const Point& point) {
    if (has_newline(point.measurement)) return "measurement contains a newline";
    // InfluxDB skips a line starting with `#` (a comment) and strips leading tabs and NULs.
    if (point.measurement.find_first_of(std::string_view("#\t\0", 3)) == 0) {
        return "measurement starts with a character line protocol cannot begin a line with";
    }
    if (has_unwritable_backslash(point.measurement, kMeasurement)) return "measurement ends in or escapes a backslash";
    for (const auto& t : point.tags) {
        if (has_newline(t.key) || has_newline(t.value)) return "tag \"" + t.key + "\" contains a newline";
        if (has_unwritable_backslash(t.key, kTagOrKey) || (!t.value.empty() && has_unwritable_backslash(t.value, kTagOrKey))) {
            return "tag \"" + t.key + "\" ends in a backslash or has one before , = or space";
        }
    }
    for (const auto& f : point.fields) {
        if (has_newline(f.key)) return "field key \"" + f.key + "\" contains a newline";
        if (has_unwritable_backslash(f.key, kTagOrKey)) {
            return "field key \"" + f.key + "\" ends in a backslash or has one before , = or space";
        }
    }
    if (point.fields.empty()) return "no fields";

    append_escaped(out, point.measurement, kMeasurement);
    for (const auto& t : point.tags) {
        if (t.value.empty()) continue;  // InfluxDB has no empty tag values: an empty tag is no tag
        out.push_back(',');
        append_escaped(out, t.key, kTagOrKey);
        out.push_back('=');
        append_escaped(out, t.value, kTagOrKey);
    }
    out.push_back(' ');
    bool first = true;
    for (const auto& f : point.fields) {
        if (!first) out.push_back(',');
        first = false;
        append_escaped(out, f.key, kTagOrKey);
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
                    append_escaped(out, v, kStringValue);
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
