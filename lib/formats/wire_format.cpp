#include "formats/wire_format.hpp"

#include "formats/graphite_plaintext.hpp"
#include "formats/influx_line.hpp"
#include "formats/monit_json.hpp"

namespace kpi {

const WireFormat& influx_line_format() {
    static const WireFormat format{
        .name = "influx",
        .summary = "line protocol",
        .render = [](const std::vector<Point>& points, const WireOptions&, std::string& out, WireReport& report) {
            for (const auto& p : points) {
                if (auto why = append_line_protocol(out, p)) {
                    ++report.rejected;
                    report.errors.push_back("point " + p.measurement + " not representable: " + *why);
                }
            }
        },
    };
    return format;
}

const WireFormat& prometheus_text_format() {
    static const WireFormat format{
        .name = "prometheus",
        .summary = "the Pushgateway and textfile exposition",
        .render = [](const std::vector<Point>& points, const WireOptions& options, std::string& out,
                     WireReport& report) { out += to_prometheus_text(points, &report.notes, options.describe); },
    };
    return format;
}

const WireFormat& graphite_plaintext_format() {
    static const WireFormat format{
        .name = "graphite",
        .summary = "Carbon plaintext, with --prefix",
        .render = [](const std::vector<Point>& points, const WireOptions& options, std::string& out,
                     WireReport& report) { out += to_graphite_plaintext(points, options.graphite_prefix, &report.notes); },
    };
    return format;
}

const WireFormat& monit_json_format() {
    static const WireFormat format{
        .name = "monit",
        .summary = "the JSON list the monit sink posts, with --producer",
        .render = [](const std::vector<Point>& points, const WireOptions& options, std::string& out,
                     WireReport& report) {
            const std::string text = to_monit_json(points, options.monit_producer, &report.notes);
            out += text;
            if (!text.empty()) out.push_back('\n');
        },
    };
    return format;
}

}  // namespace kpi
