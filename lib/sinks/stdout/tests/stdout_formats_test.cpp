// stdout's --format offers NDJSON and exactly the wire formats the registered sinks declare.

#include <gtest/gtest.h>

#include <algorithm>

#include "registry.hpp"
#include "sinks/stdout/stdout.hpp"

using namespace kpi;

namespace {

std::vector<std::string> format_choices(const SinkInfo& info) {
    for (const auto& spec : info.options) {
        if (spec.name == "format") return spec.choices;
    }
    return {};
}

}  // namespace

TEST(StdoutFormats, AreNdjsonAndTheFormatsTheSinksDeclare) {
    std::vector<std::string> expected{"ndjson"};
    for (const auto& sink : sink_registry()) {
        if (sink.wire_format &&
            std::find(expected.begin(), expected.end(), sink.wire_format->name) == expected.end()) {
            expected.push_back(sink.wire_format->name);
        }
    }
    EXPECT_EQ(format_choices(*find_sink("stdout")), expected);
    // The sinks that send text today: InfluxDB, Pushgateway and textfile, Graphite, MONIT.
    EXPECT_EQ(expected, (std::vector<std::string>{"ndjson", "influx", "prometheus", "graphite", "monit"}));
}

TEST(StdoutFormats, ANewSinksFormatNeedsNoChangeToStdout) {
    static const WireFormat csv{
        .name = "csv",
        .summary = "comma-separated measurement and field count",
        .render = [](const std::vector<Point>& points, const WireOptions&, std::string& out, WireReport&) {
            for (const auto& p : points) out += p.measurement + "," + std::to_string(p.fields.size()) + "\n";
        },
    };
    SinkInfo newcomer{.type = "csvsink", .wire_format = &csv};
    const auto formats = declared_wire_formats({newcomer});
    const auto info = stdout_sink(formats);
    EXPECT_EQ(format_choices(info), (std::vector<std::string>{"ndjson", "csv"}));
    EXPECT_NE(info.description.find("csv (comma-separated"), std::string::npos) << info.description;
}
