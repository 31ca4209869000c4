#include "support/line_protocol_reader.hpp"

#include <cerrno>
#include <cstdlib>

namespace kpi::fuzz {
namespace {

// The end of the element starting at `pos`: the first of `stops` not escaped by a backslash.
std::size_t scan(std::string_view line, std::size_t pos, std::string_view stops) {
    while (pos < line.size() && stops.find(line[pos]) == std::string_view::npos) {
        pos += line[pos] == '\\' ? 2 : 1;
    }
    return std::min(pos, line.size());
}

std::string unescape(std::string_view text, std::string_view escapable) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && escapable.find(text[i + 1]) != std::string_view::npos) ++i;
        out.push_back(text[i]);
    }
    return out;
}

bool is_boolean(std::string_view v, bool& out) {
    for (std::string_view t : {"t", "T", "true", "True", "TRUE"}) {
        if (v == t) return out = true, true;
    }
    for (std::string_view f : {"f", "F", "false", "False", "FALSE"}) {
        if (v == f) return out = false, true;
    }
    return false;
}

std::optional<FieldValue> field_value(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return unescape(v.substr(1, v.size() - 2), "\"\\");
    bool b = false;
    if (is_boolean(v, b)) return b;
    const bool integer = !v.empty() && v.back() == 'i';
    const std::string number(integer ? v.substr(0, v.size() - 1) : v);
    if (number.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    if (integer) {
        const long long i = std::strtoll(number.c_str(), &end, 10);
        if (errno || *end) return std::nullopt;
        return static_cast<std::int64_t>(i);
    }
    const double d = std::strtod(number.c_str(), &end);  // ERANGE for subnormals, which are valid
    if (*end) return std::nullopt;
    return d;
}

std::optional<std::string> read_line(std::string_view line, Point& point) {
    // Key: measurement and tags, up to the first unescaped space.
    const std::size_t key_end = scan(line, 0, " ");
    const std::string_view key = line.substr(0, key_end);
    std::size_t pos = scan(key, 0, ",");
    point.measurement = unescape(key.substr(0, pos), ", ");
    if (point.measurement.empty()) return "empty measurement";
    while (pos < key.size()) {
        ++pos;  // the comma
        const std::size_t end = scan(key, pos, ",");
        const std::string_view tag = key.substr(pos, end - pos);
        const std::size_t eq = scan(tag, 0, "=");
        if (eq == tag.size() || eq == 0 || eq + 1 == tag.size()) return "malformed tag: " + std::string(tag);
        const std::string tag_key = unescape(tag.substr(0, eq), ",= ");
        if (point.tag(tag_key)) return "duplicate tag " + tag_key;
        point.set_tag(tag_key, unescape(tag.substr(eq + 1), ",= "));
        pos = end;
    }
    if (key_end >= line.size()) return "no fields";

    // Fields up to the next space outside a string value, then the optional timestamp.
    pos = key_end + 1;
    while (true) {
        const std::size_t eq = scan(line, pos, "= ,");
        if (eq >= line.size() || line[eq] != '=' || eq == pos) return "malformed field key";
        const std::string field_key = unescape(line.substr(pos, eq - pos), ",= ");
        std::size_t end = eq + 1;
        if (end < line.size() && line[end] == '"') {
            end = scan(line, end + 1, "\"");
            if (end >= line.size()) return "unclosed string";
            ++end;
        } else {
            end = scan(line, end, ", ");
        }
        auto value = field_value(line.substr(eq + 1, end - eq - 1));
        if (!value) return "malformed value of " + field_key;
        if (point.field(field_key)) return "duplicate field " + field_key;
        point.set_field(field_key, std::move(*value));
        pos = end;
        if (pos >= line.size() || line[pos] == ' ') break;
        ++pos;  // the comma
    }
    if (pos < line.size()) {
        const std::string stamp(line.substr(pos + 1));
        char* end = nullptr;
        errno = 0;
        const long long ns = std::strtoll(stamp.c_str(), &end, 10);
        if (stamp.empty() || errno || *end) return "malformed timestamp " + stamp;
        point.time = Timestamp{std::chrono::nanoseconds{ns}};
    }
    return std::nullopt;
}

// The end of the line starting at `pos`: the first newline outside a string field value
// (InfluxDB's scanLine, which lets string values hold newlines).
std::size_t line_end(std::string_view text, std::size_t pos) {
    bool in_fields = false, quoted = false;
    std::size_t equals = 0, commas = 0;  // a quote opens a value only after a key's `=`
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == '\\') {
            pos += 2;
            continue;
        }
        if (c == '\n' && !quoted) return pos;
        if (c == ' ') in_fields = true;
        if (in_fields && !quoted && c == '=') ++equals;
        if (in_fields && !quoted && c == ',') ++commas;
        if (in_fields && c == '"' && equals > commas) quoted = !quoted;
        ++pos;
    }
    return text.size();
}

}  // namespace

std::optional<std::vector<Point>> read_line_protocol(std::string_view text, std::string& error) {
    std::vector<Point> points;
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const std::size_t end = line_end(text, 0);
        std::string_view line = text.substr(0, end);
        text = end >= text.size() ? std::string_view() : text.substr(end + 1);
        const std::size_t start = line.find_first_not_of(std::string_view(" \t\0", 3));
        if (start == std::string_view::npos || line[start] == '#') continue;
        line.remove_prefix(start);
        Point point;
        if (auto why = read_line(line, point)) {
            error = "line " + std::to_string(number) + ": " + *why;
            return std::nullopt;
        }
        points.push_back(std::move(point));
    }
    return points;
}

}  // namespace kpi::fuzz
