// Property: every point the line protocol writer accepts reads back (InfluxDB 1.x's rules,
// support/line_protocol_reader) as the same point, less its empty tags; a point it refuses
// has what line protocol cannot carry: a newline in a name or tag, a backslash ending one
// or before a character its position escapes, a measurement starting with `#`, tab or NUL.

#include <cstdint>

#include "formats/influx_line.hpp"
#include "support/fuzz_points.hpp"
#include "support/line_protocol_reader.hpp"

namespace {

// Whether `text` can stand in a position whose escaped characters are `escaped`.
bool writable(std::string_view text, std::string_view escaped) {
    if (text.find_first_of("\r\n") != std::string_view::npos) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && (i + 1 == text.size() || escaped.find(text[i + 1]) != std::string_view::npos)) {
            return false;
        }
    }
    return true;
}

bool representable(const kpi::Point& point) {
    const char first = point.measurement.front();
    if (first == '#' || first == '\t' || first == '\0' || !writable(point.measurement, ", ")) return false;
    for (const auto& tag : point.tags) {
        if (!writable(tag.key, ",= ") || (!tag.value.empty() && !writable(tag.value, ",= "))) return false;
    }
    for (const auto& field : point.fields) {
        if (!writable(field.key, ",= ")) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kpi;
    for (const Point& point : fuzz::points_from_bytes(data, size)) {
        std::string line;
        const auto refused = append_line_protocol(line, point);
        if (refused) {
            if (representable(point)) fuzz::property_failed("line protocol", "refused: " + *refused, {point}, line);
            continue;
        }
        std::string error;
        auto read = fuzz::read_line_protocol(line, error);
        if (!read) fuzz::property_failed("line protocol", "does not parse: " + error, {point}, line);
        Point expected = point;
        std::erase_if(expected.tags, [](const Tag& tag) { return tag.value.empty(); });
        if (read->size() != 1 || read->front() != expected) {
            fuzz::property_failed("line protocol",
                                  read->empty() ? "read back as no point" : "read back as " + fuzz::describe(read->front()),
                                  {point}, line);
        }
    }
    return 0;
}
