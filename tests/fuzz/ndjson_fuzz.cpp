// The NDJSON point reader on any bytes: no crash, leak or UB, every point it accepts is
// valid (DESIGN §3), and a point written back as NDJSON reads back the same (less the
// fraction of its second, which the output form drops).

#include <chrono>
#include <cstdint>
#include <cstdlib>

#include "core/ndjson.hpp"
#include "support/fuzz_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kpi;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<LineError> errors;
    for (Point point : parse_ndjson(text, &errors)) {
        if (auto why = validate(point)) fuzz::property_failed("ndjson", "accepted an invalid point: " + *why, {point}, "");
        point.time = std::chrono::floor<std::chrono::seconds>(*point.time);
        const std::string line = to_ndjson(point);
        std::vector<LineError> again_errors;
        const auto again = parse_ndjson(line, &again_errors);
        if (again.size() != 1 || again.front() != point) {
            fuzz::property_failed("ndjson",
                                  again_errors.empty() ? "reads back as another point"
                                                       : "does not read back: " + again_errors.front().reason,
                                  {point}, line);
        }
    }
    for (const auto& error : errors) {
        if (error.line == 0 || error.reason.empty()) std::abort();
    }
    return 0;
}
