#include "sinks/stdout.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/ndjson.hpp"
#include "formats/influx_line.hpp"

namespace kpi {
namespace {

class StdoutSink : public Sink {
public:
    explicit StdoutSink(std::string format) : format_(std::move(format)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        DeliveryResult result;
        std::string out;
        if (format_ == "influx") {
            for (const auto& p : points) {
                if (auto why = append_line_protocol(out, p)) {
                    ++result.rejected;
                    result.errors.push_back("point " + p.measurement + " not representable: " + *why);
                }
            }
        } else {
            for (const auto& p : points) append_ndjson(out, p);
        }
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
            result.errors.push_back("cannot write to stdout");
            result.undelivered = points;
        }
        return result;
    }

private:
    std::string format_;
};

}  // namespace

SinkInfo stdout_sink() {
    return SinkInfo{
        .type = "stdout",
        .summary = "print points as NDJSON, or as another sink's wire format (a dry run)",
        .description = "Writes points to standard output, one JSON object per line. With --format it prints what "
                       "the named sink would send instead (InfluxDB line protocol), and sends nothing.",
        .options = {{.name = "format",
                     .kind = OptionKind::String,
                     .help = "output format",
                     .placeholder = "FORMAT",
                     .default_value = "ndjson",
                     .choices = {"ndjson", "influx"}}},
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish stdout --format influx",
        .make = [](const SinkConfig& c, SinkContext&) -> std::unique_ptr<Sink> {
            return std::make_unique<StdoutSink>(c.options.get_or("format", "ndjson"));
        },
    };
}

}  // namespace kpi
