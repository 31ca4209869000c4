#include "formats/influx_line.hpp"

#include <charconv>
#include <string_view>

namespace kpi {
namespace {

// Line protocol escapes by position: measurement (comma, space), tag keys/values and field
// keys (comma, equals, space), string field values (double quote, backslash). A newline
// has no escape in names, so there it is refused. One table lookup a byte does both, in the
// same pass that copies the byte. InfluxDB reads a backslash as escaping whatever byte
// follows, but removes it only before the characters the element escapes: a backslash that
// ends an element, or stands before one of those, cannot be written so that it reads back.
enum : unsigned char { kPlain = 0, kEscape = 1, kRefuse = 2, kBackslash = 3 };

struct EscapeSet {
    unsigned char action[256] = {};
    constexpr EscapeSet(std::string_view escaped, std::string_view refused, bool backslash_checked) {
        for (char c : escaped) action[static_cast<unsigned char>(c)] = kEscape;
        for (char c : refused) action[static_cast<unsigned char>(c)] = kRefuse;
        if (backslash_checked) action[static_cast<unsigned char>('\\')] = kBackslash;
    }
    bool backslash_reads_back(std::string_view text, std::size_t at) const {
        return at + 1 < text.size() && action[static_cast<unsigned char>(text[at + 1])] != kEscape;
    }
};

constexpr EscapeSet kMeasurement{", ", "\n\r", true};
constexpr EscapeSet kTagOrKey{",= ", "\n\r", true};
constexpr EscapeSet kStringValue{"\"\\", "", false};

bool has_newline(std::string_view text) { return text.find_first_of("\n\r") != std::string_view::npos; }

// Writes one line past the end of `out` through a raw pointer: the line's worst-case size
// is made room for first, so the per-byte loop neither checks capacity nor calls memcpy
// for each short name (the appends were a quarter of `publish --format influx`).
class LineWriter {
public:
    LineWriter(std::string& out, std::size_t most) : out_(out), start_(out.size()) {
        out_.resize(start_ + most);
        next_ = out_.data() + start_;
    }

    void put(char c) { *next_++ = c; }
    void put(std::string_view text) {
        for (char c : text) *next_++ = c;
    }
    // `text` escaped; false when it holds a refused byte.
    bool put_escaped(std::string_view text, const EscapeSet& set) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            const unsigned char action = set.action[static_cast<unsigned char>(c)];
            if (action != kPlain) [[unlikely]] {
                if (action == kRefuse) return false;
                if (action == kEscape) *next_++ = '\\';
                if (action == kBackslash && !set.backslash_reads_back(text, i)) return false;
            }
            *next_++ = c;
        }
        return true;
    }
    template <typename Number>
    void put_number(Number value) {
        next_ = std::to_chars(next_, next_ + kNumberRoom, value).ptr;  // shortest round trip for doubles
    }
    void finish() { out_.resize(static_cast<std::size_t>(next_ - out_.data())); }
    void roll_back() { out_.resize(start_); }

    static constexpr std::size_t kNumberRoom = 32;  // "-1.2345678901234567e-308" and any int64

private:
    std::string& out_;
    std::size_t start_;
    char* next_;
};

// The most bytes `point`'s line can take: every name byte escaped, every number at its longest.
std::size_t most_line_bytes(const Point& point) {
    std::size_t most = 2 * point.measurement.size() + LineWriter::kNumberRoom + 2;  // time, spaces, newline
    for (const auto& t : point.tags) most += 2 * (t.key.size() + t.value.size()) + 2;
    for (const auto& f : point.fields) {
        most += 2 * f.key.size() + 2 + LineWriter::kNumberRoom;
        if (const auto* text = std::get_if<std::string>(&f.value)) most += 2 * text->size() + 2;
    }
    return most;
}

void put_field_value(LineWriter& line, const FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        line.put_number(*i);
        line.put('i');
    } else if (const auto* d = std::get_if<double>(&value)) {
        line.put_number(*d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        line.put(*b ? std::string_view("true") : std::string_view("false"));
    } else {
        line.put('"');
        line.put_escaped(std::get<std::string>(value), kStringValue);
        line.put('"');
    }
}

// Why `point` has no line, found after the single pass stopped at a refused byte (or
// found no field): the first offending element in the order they are written.
bool has_unwritable_backslash(std::string_view text, const EscapeSet& set) {
    for (std::size_t i = text.find('\\'); i != std::string_view::npos; i = text.find('\\', i + 1)) {
        if (!set.backslash_reads_back(text, i)) return true;
    }
    return false;
}

// InfluxDB skips a line starting with `#` (a comment) and strips leading tabs and NULs.
bool starts_unreadably(std::string_view measurement) {
    return !measurement.empty() && (measurement[0] == '#' || measurement[0] == '\t' || measurement[0] == '\0');
}

std::string why_not_representable(const Point& point) {
    if (has_newline(point.measurement)) return "measurement contains a newline";
    if (starts_unreadably(point.measurement)) {
        return "measurement starts with a character line protocol cannot begin a line with";
    }
    if (has_unwritable_backslash(point.measurement, kMeasurement)) return "measurement ends in or escapes a backslash";
    for (const auto& t : point.tags) {
        if (has_newline(t.key) || has_newline(t.value)) return "tag \"" + t.key + "\" contains a newline";
        if (t.value.empty()) continue;  // not written
        if (has_unwritable_backslash(t.key, kTagOrKey) || has_unwritable_backslash(t.value, kTagOrKey)) {
            return "tag \"" + t.key + "\" ends in a backslash or has one before , = or space";
        }
    }
    for (const auto& f : point.fields) {
        if (has_newline(f.key)) return "field key \"" + f.key + "\" contains a newline";
        if (has_unwritable_backslash(f.key, kTagOrKey)) {
            return "field key \"" + f.key + "\" ends in a backslash or has one before , = or space";
        }
    }
    return "no fields";
}

bool put_line(LineWriter& line, const Point& point) {
    if (starts_unreadably(point.measurement) || !line.put_escaped(point.measurement, kMeasurement)) return false;
    for (const auto& t : point.tags) {
        if (t.value.empty()) {  // InfluxDB has no empty tag values: an empty tag is no tag
            if (has_newline(t.key)) return false;
            continue;
        }
        line.put(',');
        if (!line.put_escaped(t.key, kTagOrKey)) return false;
        line.put('=');
        if (!line.put_escaped(t.value, kTagOrKey)) return false;
    }
    if (point.fields.empty()) return false;
    char separator = ' ';
    for (const auto& f : point.fields) {
        line.put(separator);
        separator = ',';
        if (!line.put_escaped(f.key, kTagOrKey)) return false;
        line.put('=');
        put_field_value(line, f.value);
    }
    if (point.time) {
        line.put(' ');
        line.put_number(point.time->time_since_epoch().count());
    }
    line.put('\n');
    return true;
}

}  // namespace

std::optional<std::string> append_line_protocol(std::string& out, const Point& point) {
    LineWriter line(out, most_line_bytes(point));
    if (put_line(line, point)) {
        line.finish();
        return std::nullopt;
    }
    line.roll_back();
    return why_not_representable(point);
}

}  // namespace kpi
