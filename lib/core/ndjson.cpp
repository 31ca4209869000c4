#include "core/ndjson.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <simdjson.h>

#include "core/json_text.hpp"
#include "core/time.hpp"

namespace kpi {

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
        out += format_rfc3339(*point.time);
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

// Builds a point from a parsed object, or returns why it is not one.
std::string to_point(simdjson::dom::element root, Point& point) {
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) return "a point must be a JSON object";
    for (auto [key, value] : object) {
        if (key == "measurement") {
            std::string_view m;
            if (value.get(m) != simdjson::SUCCESS) return "\"measurement\" must be a string";
            point.measurement = m;
        } else if (key == "tags") {
            if (value.is_null()) continue;
            simdjson::dom::object tags;
            if (value.get(tags) != simdjson::SUCCESS) return "\"tags\" must be an object";
            for (auto [tk, tv] : tags) {
                std::string_view text;
                if (tv.get(text) != simdjson::SUCCESS) return "tag \"" + std::string(tk) + "\" must be a string";
                point.set_tag(tk, text);
            }
        } else if (key == "fields") {
            simdjson::dom::object fields;
            if (value.get(fields) != simdjson::SUCCESS) return "\"fields\" must be an object";
            for (auto [fk, fv] : fields) {
                const std::string name(fk);
                switch (fv.type()) {
                    case simdjson::dom::element_type::INT64: point.set_field(name, fv.get_int64().value_unsafe()); break;
                    case simdjson::dom::element_type::UINT64:
                        return "field \"" + name + "\": integer out of range (more than 2^63-1)";
                    case simdjson::dom::element_type::DOUBLE:
                        point.set_field(name, fv.get_double().value_unsafe());
                        break;
                    case simdjson::dom::element_type::BOOL: point.set_field(name, fv.get_bool().value_unsafe()); break;
                    case simdjson::dom::element_type::STRING:
                        point.set_field(name, std::string(fv.get_string().value_unsafe()));
                        break;
                    case simdjson::dom::element_type::NULL_VALUE:
                        return "field \"" + name + "\" is null (leave an unknown value out)";
                    default: return "field \"" + name + "\" must be a number, boolean or string";
                }
            }
        } else if (key == "time") {
            std::string_view text;
            if (value.get(text) != simdjson::SUCCESS) return "\"time\" must be an RFC 3339 string";
            auto t = parse_rfc3339(text);
            if (!t) return "\"time\" is not RFC 3339: \"" + std::string(text) + "\"";
            point.time = *t;
        } else {
            return "unknown key \"" + std::string(key) + "\"";
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

bool NdjsonReader::read_fd(int fd) {
    constexpr std::size_t kBlock = 1 << 20;
    auto& buf = impl_->buffer;
    buf.resize(kBlock + simdjson::SIMDJSON_PADDING);
    std::size_t filled = 0;
    bool eof = false;
    while (!eof) {
        if (buf.size() - simdjson::SIMDJSON_PADDING - filled < kBlock / 2) {
            buf.resize(buf.size() * 2);  // a line longer than the block: grow, never truncate
        }
        ssize_t n = ::read(fd, buf.data() + filled, buf.size() - simdjson::SIMDJSON_PADDING - filled);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (n == 0) eof = true;
        filled += static_cast<std::size_t>(n);
        // Parse every complete line in place; keep the partial tail for the next read.
        std::size_t start = 0;
        while (start < filled) {
            const void* nl = std::memchr(buf.data() + start, '\n', filled - start);
            if (nl == nullptr) break;
            std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data());
            parse_line(buf.data() + start, end - start);
            start = end + 1;
        }
        if (eof && start < filled) {
            std::memset(buf.data() + filled, 0, simdjson::SIMDJSON_PADDING);
            parse_line(buf.data() + start, filled - start);
            start = filled;
        }
        std::memmove(buf.data(), buf.data() + start, filled - start);
        filled -= start;
    }
    return true;
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

