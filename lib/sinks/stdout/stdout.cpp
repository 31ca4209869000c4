#include "sinks/stdout/stdout.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/ndjson.hpp"
#include "field_help.hpp"

namespace kpi {
namespace {

constexpr const char* kNdjson = "ndjson";

struct StdoutSettings {
    std::string format;
    std::string prefix;
    std::string producer;
};

SettingsSchema<StdoutSettings> stdout_schema(const std::vector<const WireFormat*>& formats) {
    std::vector<std::string> choices{kNdjson};
    for (const auto* format : formats) choices.push_back(format->name);
    return SettingsSchema<StdoutSettings>{}
        .add(&StdoutSettings::format, {.name = "format", .help = "output format", .placeholder = "FORMAT",
                                       .default_value = kNdjson, .choices = choices})
        .add(&StdoutSettings::prefix, {.name = "prefix", .help = "graphite: the series prefix", .placeholder = "PREFIX",
                                       .default_value = "kpi"})
        .add(&StdoutSettings::producer, {.name = "producer", .help = "monit: the producer name", .placeholder = "NAME",
                                         .default_value = "kpi"});
}

class StdoutSink : public Sink {
public:
    // `format` null: NDJSON.
    StdoutSink(const WireFormat* format, const StdoutSettings& settings) : format_(format) {
        options_.graphite_prefix = settings.prefix;
        options_.monit_producer = settings.producer;
        options_.describe = field_help;
    }

    DeliveryResult deliver(const std::vector<Point>& points) override {
        DeliveryResult result;
        // One buffer for the whole run: a stream of batches reuses its pages instead of
        // growing (and faulting in) a fresh string for every batch.
        std::string& out = buffer_;
        out.clear();
        if (format_) {
            WireReport report;
            format_->render(points, options_, out, report);
            result.rejected = report.rejected;
            result.errors = std::move(report.errors);
            // What the real sink would leave out, said the same way.
            for (const auto& note : report.notes) spdlog::warn("{}", note);
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
    const WireFormat* format_;
    WireOptions options_;
    std::string buffer_;  // the text of the batch being written
};

}  // namespace

SinkInfo stdout_sink(std::vector<const WireFormat*> formats) {
    std::string described;
    for (const auto* format : formats) {
        described += (described.empty() ? "" : ", ") + format->name + " (" + format->summary + ")";
    }
    const auto schema = stdout_schema(formats);
    return SinkInfo{
        .type = "stdout",
        .summary = "print points as NDJSON, or as another sink's wire format (a dry run)",
        .description = "Writes points to standard output, one JSON object per line. With --format it prints what "
                       "the sink sending that format would send instead, and sends nothing: " +
                       described + ".",
        .options = schema.specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish stdout --format influx",
        .make = make_sink(schema,
                          [formats](StdoutSettings settings, const SinkConfig&, SinkContext&) -> std::unique_ptr<Sink> {
                              const WireFormat* chosen = nullptr;
                              for (const auto* format : formats) {
                                  if (format->name == settings.format) chosen = format;
                              }
                              return std::make_unique<StdoutSink>(chosen, settings);
                          }),
    };
}

}  // namespace kpi
