#pragma once
// A sink's wire format as text: what the sink sends, which `kpi publish stdout --format NAME`
// prints instead (a dry run). Each sink that sends text declares its format (SinkInfo::
// wire_format); the stdout sink offers exactly the formats the sinks declare.

#include <cstddef>
#include <string>
#include <vector>

#include "core/point.hpp"
#include "formats/prometheus_text.hpp"

namespace kpi {

// The settings some formats take, as the sink that sends them would.
struct WireOptions {
    std::string graphite_prefix = "kpi";
    std::string monit_producer = "kpi";
    FieldDescriber describe = generic_field_description;  // Prometheus # HELP lines
};

// What rendering a batch left out: `notes` say what each sink would leave out (logged as
// warnings); `rejected` points could not be written at all, each with an error.
struct WireReport {
    std::vector<std::string> notes;
    std::vector<std::string> errors;
    std::size_t rejected = 0;
};

struct WireFormat {
    std::string name;     // "influx": the --format choice
    std::string summary;  // "line protocol", for --help
    // Appends the text of `points` to `out`.
    void (*render)(const std::vector<Point>& points, const WireOptions& options, std::string& out, WireReport& report);
};

const WireFormat& influx_line_format();
const WireFormat& prometheus_text_format();
const WireFormat& graphite_plaintext_format();
const WireFormat& monit_json_format();

}  // namespace kpi
