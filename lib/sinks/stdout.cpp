#include "sinks/stdout.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/ndjson.hpp"
#include "field_help.hpp"
#include "formats/graphite_plaintext.hpp"
#include "formats/influx_line.hpp"
#include "formats/monit_json.hpp"
#include "formats/prometheus_text.hpp"

namespace kpi {
namespace {

class StdoutSink : public Sink {
public:
    StdoutSink(std::string format, std::string prefix, std::string producer)
        : format_(std::move(format)), prefix_(std::move(prefix)), producer_(std::move(producer)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        DeliveryResult result;
        // One buffer for the whole run: a stream of batches reuses its pages instead of
        // growing (and faulting in) a fresh string for every batch.
        std::string& out = buffer_;
        out.clear();
        std::vector<std::string> notes;
        if (format_ == "influx") {
            for (const auto& p : points) {
                if (auto why = append_line_protocol(out, p)) {
                    ++result.rejected;
                    result.errors.push_back("point " + p.measurement + " not representable: " + *why);
                }
            }
        } else if (format_ == "prometheus") {
            out = to_prometheus_text(points, &notes, field_help);
        } else if (format_ == "graphite") {
            out = to_graphite_plaintext(points, prefix_, &notes);
        } else if (format_ == "monit") {
            out = to_monit_json(points, producer_, &notes);
            if (!out.empty()) out.push_back('\n');
        } else {
            for (const auto& p : points) append_ndjson(out, p);
        }
        // What the real sink would leave out, said the same way.
        for (const auto& note : notes) spdlog::warn("{}", note);
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
            result.errors.push_back("cannot write to stdout");
            result.undelivered = points;
        }
        return result;
    }

private:
    std::string format_;
    std::string prefix_;    // graphite
    std::string producer_;  // monit
    std::string buffer_;    // the text of the batch being written
};

}  // namespace

SinkInfo stdout_sink() {
    return SinkInfo{
        .type = "stdout",
        .summary = "print points as NDJSON, or as another sink's wire format (a dry run)",
        .description = "Writes points to standard output, one JSON object per line. With --format it prints what "
                       "the named sink would send instead, and sends nothing: influx (line protocol), prometheus "
                       "(the Pushgateway and textfile exposition), graphite (Carbon plaintext, with --prefix) or "
                       "monit (the JSON list the monit sink posts, with --producer).",
        .options = {{.name = "format",
                     .kind = OptionKind::String,
                     .help = "output format",
                     .placeholder = "FORMAT",
                     .default_value = "ndjson",
                     .choices = {"ndjson", "influx", "prometheus", "graphite", "monit"}},
                    {.name = "prefix", .kind = OptionKind::String, .help = "graphite: the series prefix",
                     .placeholder = "PREFIX", .default_value = "kpi"},
                    {.name = "producer", .kind = OptionKind::String, .help = "monit: the producer name",
                     .placeholder = "NAME", .default_value = "kpi"}},
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish stdout --format influx",
        .make = [](const SinkConfig& c, SinkContext&) -> std::unique_ptr<Sink> {
            return std::make_unique<StdoutSink>(c.options.get_or("format", "ndjson"), c.options.get_or("prefix", "kpi"),
                                                c.options.get_or("producer", "kpi"));
        },
    };
}

}  // namespace kpi
