#include "formats/influx_line.hpp"

#include "core/json_text.hpp"

namespace kpi {
namespace {

// Line protocol escapes by position: measurement (comma, space), tag keys/values and field
// keys (comma, equals, space), string field values (double quote, backslash). A newline
// has no escape in names, so there it is refused. One table lookup a byte does both, in the
// same pass that copies the unescaped runs whole.
enum : unsigned char { kPlain = 0, kEscape = 1, kRefuse = 2 };

struct EscapeSet {
    unsigned char action[256] = {};
    constexpr EscapeSet(std::string_view escaped, std::string_view refused) {
        for (char c : escaped) action[static_cast<unsigned char>(c)] = kEscape;
        for (char c : refused) action[static_cast<unsigned char>(c)] = kRefuse;
    }
};

constexpr EscapeSet kMeasurement{", ", "\n\r"};
constexpr EscapeSet kTagOrKey{",= ", "\n\r"};
constexpr EscapeSet kStringValue{"\"\\", ""};

// Appends `text` escaped; false (with `out` partly written) when it holds a refused byte.
bool append_escaped(std::string& out, std::string_view text, const EscapeSet& set) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char action = set.action[static_cast<unsigned char>(text[i])];
        if (action == kPlain) [[likely]] continue;
        if (action == kRefuse) return false;
        out.append(text.data() + run, i - run);
        out.push_back('\\');
        run = i;  // the special character itself starts the next run
    }
    out.append(text.data() + run, text.size() - run);
    return true;
}

bool has_newline(std::string_view text) { return text.find_first_of("\n\r") != std::string_view::npos; }

void append_field_value(std::string& out, const FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        append_json_int(out, *i);
        out.push_back('i');
    } else if (const auto* d = std::get_if<double>(&value)) {
        append_shortest_double(out, *d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else {
        out.push_back('"');
        append_escaped(out, std::get<std::string>(value), kStringValue);
        out.push_back('"');
    }
}

// Why `point` has no line, found after the single pass stopped at a refused byte (or
// found no field): the first offending element in the order they are written.
std::string why_not_representable(const Point& point) {
    if (has_newline(point.measurement)) return "measurement contains a newline";
    for (const auto& t : point.tags) {
        if (has_newline(t.key) || has_newline(t.value)) return "tag \"" + t.key + "\" contains a newline";
    }
    for (const auto& f : point.fields) {
        if (has_newline(f.key)) return "field key \"" + f.key + "\" contains a newline";
    }
    return "no fields";
}

bool append_line(std::string& out, const Point& point) {
    if (!append_escaped(out, point.measurement, kMeasurement)) return false;
    for (const auto& t : point.tags) {
        if (t.value.empty()) {  // InfluxDB has no empty tag values: an empty tag is no tag
            if (has_newline(t.key)) return false;
            continue;
        }
        out.push_back(',');
        if (!append_escaped(out, t.key, kTagOrKey)) return false;
        out.push_back('=');
        if (!append_escaped(out, t.value, kTagOrKey)) return false;
    }
    if (point.fields.empty()) return false;
    char separator = ' ';
    for (const auto& f : point.fields) {
        out.push_back(separator);
        separator = ',';
        if (!append_escaped(out, f.key, kTagOrKey)) return false;
        out.push_back('=');
        append_field_value(out, f.value);
    }
    if (point.time) {
        out.push_back(' ');
        append_json_int(out, point.time->time_since_epoch().count());
    }
    out.push_back('\n');
    return true;
}

}  // namespace

std::optional<std::string> append_line_protocol(std::string& out, const Point& point) {
    const std::size_t start = out.size();
    if (append_line(out, point)) return std::nullopt;
    out.resize(start);
    return why_not_representable(point);
}

}  // namespace kpi
