#include "core/ndjson.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <simdjson.h>
#include <unordered_set>
#include <utility>

#include "core/json_text.hpp"
#include "core/printable.hpp"
#include "core/shutdown.hpp"
#include "core/time.hpp"

namespace kpi {

namespace {

// The points of a pass share one time: its text is formatted once, not once a point.
const std::string& rfc3339_text(Timestamp time) {
    thread_local Timestamp last{};
    thread_local std::string text;
    if (text.empty() || time != last) {
        text = format_rfc3339(time);
        last = time;
    }
    return text;
}

}  // namespace

void append_ndjson(std::string& out, const Point& point) {
    out += "{\"measurement\":";
    append_json_string(out, point.measurement);
    out += ",\"tags\":{";
    for (std::size_t i = 0; i < point.tags.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, point.tags[i].key);
        out.push_back(':');
        append_json_string(out, point.tags[i].value);
    }
    out += "},\"fields\":{";
    for (std::size_t i = 0; i < point.fields.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, point.fields[i].key);
        out.push_back(':');
        append_json_value(out, point.fields[i].value);
    }
    out.push_back('}');
    if (point.time) {
        out += ",\"time\":\"";
        out += rfc3339_text(*point.time);
        out.push_back('"');
    }
    out += "}\n";
}

std::string to_ndjson(const Point& point) {
    std::string out;
    append_ndjson(out, point);
    return out;
}

struct NdjsonReader::Impl {
    simdjson::dom::parser parser;
    std::vector<char> buffer;
};

NdjsonReader::NdjsonReader(PointHandler on_point, ErrorHandler on_error)
    : impl_(new Impl), on_point_(std::move(on_point)), on_error_(std::move(on_error)) {}

NdjsonReader::~NdjsonReader() { delete impl_; }

namespace {

std::string describe(simdjson::error_code code) {
    switch (code) {
        case simdjson::UTF8_ERROR: return "invalid UTF-8";
        case simdjson::TAPE_ERROR:
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "invalid JSON: unbalanced or truncated object";
        case simdjson::UNCLOSED_STRING: return "invalid JSON: unclosed string";
        case simdjson::NUMBER_ERROR: return "invalid JSON: malformed number";
        default: return std::string("invalid JSON: ") + simdjson::error_message(code);
    }
}

std::string in_quotes(std::string_view key) { return "\"" + printable(key) + "\""; }

// Tags in the order given; sorted once at the end, where duplicates meet.
std::string read_tags(simdjson::dom::object tags, Point& point) {
    point.tags.reserve(tags.size());
    for (auto [key, value] : tags) {
        std::string_view text;
        if (value.get(text) != simdjson::SUCCESS) return "tag " + in_quotes(key) + " must be a string";
        point.tags.push_back(Tag{std::string(key), std::string(text)});
    }
    std::sort(point.tags.begin(), point.tags.end(), [](const Tag& a, const Tag& b) { return a.key < b.key; });
    const auto twice =
        std::adjacent_find(point.tags.begin(), point.tags.end(), [](const Tag& a, const Tag& b) { return a.key == b.key; });
    if (twice != point.tags.end()) return "duplicate tag " + in_quotes(twice->key);
    return {};
}

// Fields in the order given. A point has a handful of fields: comparing with those read
// so far costs less than hashing; a set of names keeps the check linear for long lists.
std::string read_fields(simdjson::dom::object fields, Point& point) {
    constexpr std::size_t kFewFields = 16;
    const std::size_t count = fields.size();
    point.fields.reserve(count);
    std::unordered_set<std::string_view> names;
    for (auto [key, value] : fields) {
        const bool repeated =
            count <= kFewFields
                ? std::any_of(point.fields.begin(), point.fields.end(),
                              [name = key](const Field& f) { return f.key == name; })  // clang 14: no binding captures
                : !names.insert(key).second;
        if (repeated) return "duplicate field " + in_quotes(key);
        FieldValue field;
        switch (value.type()) {
            case simdjson::dom::element_type::INT64: field = value.get_int64().value_unsafe(); break;
            case simdjson::dom::element_type::UINT64:
                return "field " + in_quotes(key) + ": integer out of range (more than 2^63-1)";
            case simdjson::dom::element_type::DOUBLE:
                field = value.get_double().value_unsafe();
                if (!std::isfinite(std::get<double>(field))) return "field " + in_quotes(key) + ": number out of range";
                break;
            case simdjson::dom::element_type::BOOL: field = value.get_bool().value_unsafe(); break;
            case simdjson::dom::element_type::STRING: field = std::string(value.get_string().value_unsafe()); break;
            case simdjson::dom::element_type::NULL_VALUE:
                return "field " + in_quotes(key) + " is null (leave an unknown value out)";
            default: return "field " + in_quotes(key) + " must be a number, boolean or string";
        }
        point.fields.push_back(Field{std::string(key), std::move(field)});
    }
    return {};
}

// Builds a point from a parsed object, or returns why it is not one. A key given twice is
// an error (JSON leaves it open, and last-wins would silently drop a value).
std::string to_point(simdjson::dom::element root, Point& point) {
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) return "a point must be a JSON object";
    static constexpr std::array<std::string_view, 4> kKeys{"measurement", "tags", "fields", "time"};
    std::array<bool, kKeys.size()> seen{};
    for (auto [key, value] : object) {
        const auto known = std::find(kKeys.begin(), kKeys.end(), key);
        if (known == kKeys.end()) return "unknown key " + in_quotes(key);
        if (std::exchange(seen[static_cast<std::size_t>(known - kKeys.begin())], true)) {
            return "duplicate key " + in_quotes(key);
        }
        if (key == "measurement") {
            std::string_view m;
            if (value.get(m) != simdjson::SUCCESS) return "\"measurement\" must be a string";
            point.measurement = m;
        } else if (key == "tags") {
            if (value.is_null()) continue;
            simdjson::dom::object tags;
            if (value.get(tags) != simdjson::SUCCESS) return "\"tags\" must be an object";
            if (auto why = read_tags(tags, point); !why.empty()) return why;
        } else if (key == "fields") {
            simdjson::dom::object fields;
            if (value.get(fields) != simdjson::SUCCESS) return "\"fields\" must be an object";
            if (auto why = read_fields(fields, point); !why.empty()) return why;
        } else {
            std::string_view text;
            if (value.get(text) != simdjson::SUCCESS) return "\"time\" must be an RFC 3339 string";
            // The points of a pass share one time: its text is parsed once, not once a point.
            thread_local std::string last_text;
            thread_local Timestamp last_time{};
            if (text.empty() || text != last_text) {
                std::string why;
                auto t = parse_rfc3339(text, &why);
                if (!t) return "\"time\" " + in_quotes(text) + " is " + why;
                last_text = text;
                last_time = *t;
            }
            point.time = last_time;
        }
    }
    if (auto why = validate(point)) return *why;
    return {};
}

bool is_blank(const char* data, std::size_t length) {
    for (std::size_t i = 0; i < length; ++i) {
        if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') return false;
    }
    return true;
}

}  // namespace

void NdjsonReader::parse_line(const char* data, std::size_t length) {
    ++line_;
    if (length > 0 && data[length - 1] == '\r') --length;
    if (is_blank(data, length)) return;
    simdjson::dom::element root;
    // The buffer always has SIMDJSON_PADDING readable bytes past any line, so no copy is needed.
    auto error = impl_->parser.parse(reinterpret_cast<const uint8_t*>(data), length, false).get(root);
    if (error) {
        on_error_(LineError{line_, describe(error)});
        return;
    }
    Point point;
    if (auto why = to_point(root, point); !why.empty()) {
        on_error_(LineError{line_, std::move(why)});
        return;
    }
    if (!point.time) point.time = now();
    on_point_(std::move(point));
}

void NdjsonReader::line_too_long(std::size_t length_so_far) {
    ++line_;
    on_error_(LineError{line_, "line longer than the limit of " + std::to_string(max_line_bytes_) + " bytes (" +
                                   std::to_string(length_so_far) +
                                   " bytes so far; --max-line-bytes raises it); skipped to the next line"});
}

namespace {

// Waits until `fd` has input, waking up regularly to see whether shutdown was requested:
// a signal may be handled by another thread and then interrupts nothing here.
// False once shutdown is requested.
bool wait_for_input(int fd) {
    while (!shutdown_requested()) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 200);
        if (ready > 0 || (ready < 0 && errno != EINTR)) return true;  // input, its end, or an error read() reports
    }
    return false;
}

}  // namespace

bool NdjsonReader::read_fd(int fd, std::string& error) {
    constexpr std::size_t kBlock = 1 << 20;
    constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;
    // A line of max_line_bytes_ stays in the buffer while the next block is read after it.
    const std::size_t largest = max_line_bytes_ + kBlock + kPadding;
    const std::size_t give_up = std::max(kMaxUnendedLineBytes, max_line_bytes_);
    auto& buf = impl_->buffer;
    buf.resize(std::min(largest, kBlock + kPadding));
    std::size_t filled = 0;
    std::size_t skipping = 0;  // > 0 while skipping an overlong line: its length so far
    for (;;) {
        if (!wait_for_input(fd)) {
            interrupted_ = true;
            return true;
        }
        if (buf.size() - kPadding - filled < kBlock / 2 && buf.size() < largest) {
            buf.resize(std::min(largest, buf.size() * 2));
        }
        const ssize_t n = ::read(fd, buf.data() + filled, buf.size() - kPadding - filled);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = std::strerror(errno);
            return false;
        }
        const bool eof = n == 0;
        filled += static_cast<std::size_t>(n);
        std::size_t start = 0;
        if (skipping > 0) {
            // The rest of an overlong line is dropped as it comes, never held.
            const void* nl = std::memchr(buf.data(), '\n', filled);
            if (nl == nullptr) {
                skipping += filled;
                filled = 0;
                if (skipping > give_up) {
                    error = "line " + std::to_string(line_) + " has no end in " + std::to_string(skipping) +
                            " bytes: this is not NDJSON";
                    return false;
                }
                if (eof) return true;
                continue;
            }
            start = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
            skipping = 0;
        }
        // Parse every complete line in place; keep the partial tail for the next read.
        while (start < filled) {
            const void* nl = std::memchr(buf.data() + start, '\n', filled - start);
            if (nl == nullptr) break;
            const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data());
            if (end - start > max_line_bytes_) {
                line_too_long(end - start);
            } else {
                parse_line(buf.data() + start, end - start);
            }
            start = end + 1;
        }
        const std::size_t tail = filled - start;
        if (tail > max_line_bytes_) {
            line_too_long(tail);
            skipping = tail;
            filled = 0;
            if (eof) return true;
            continue;
        }
        if (eof) {
            if (tail > 0) {
                std::memset(buf.data() + filled, 0, kPadding);
                parse_line(buf.data() + start, tail);
            }
            return true;
        }
        std::memmove(buf.data(), buf.data() + start, tail);
        filled = tail;
    }
}

void NdjsonReader::read_text(std::string_view text) {
    simdjson::padded_string padded(text);
    const char* data = padded.data();
    std::size_t start = 0;
    while (start < text.size()) {
        const void* nl = std::memchr(data + start, '\n', text.size() - start);
        std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : text.size();
        parse_line(data + start, end - start);
        start = end + 1;
    }
}

std::vector<Point> parse_ndjson(std::string_view text, std::vector<LineError>* errors) {
    std::vector<Point> points;
    NdjsonReader reader([&](Point&& p) { points.push_back(std::move(p)); },
                        [&](const LineError& e) {
                            if (errors) errors->push_back(e);
                        });
    reader.read_text(text);
    return points;
}

}  // namespace kpi

