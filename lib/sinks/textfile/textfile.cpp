#include "sinks/textfile/textfile.hpp"

#include <spdlog/spdlog.h>

#include "core/atomic_file.hpp"
#include "field_help.hpp"
#include "formats/prometheus_text.hpp"

namespace kpi {
namespace {

struct TextfileSettings {
    std::string path;
};

const SettingsSchema<TextfileSettings>& textfile_schema() {
    static const auto schema = SettingsSchema<TextfileSettings>{}.add(
        &TextfileSettings::path, {.name = "path",
                                  .help = "the file to write; end it in .prom for the textfile collector",
                                  .placeholder = "FILE",
                                  .required = true});
    return schema;
}

class TextfileSink final : public Sink {
public:
    TextfileSink(std::string name, std::string path) : name_(std::move(name)), path_(std::move(path)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        PrometheusExposition batch(field_help);
        for (const auto& point : points) batch.add(point);
        std::vector<std::string> notes;
        batch.take_notes(&notes);
        for (const auto& note : notes) spdlog::warn("sink {}: {}", name_, note);

        DeliveryResult result;
        if (batch.empty()) return result;
        // The file holds the whole run: every batch is written with the ones before it.
        PrometheusExposition file = written_;
        file.merge(batch);
        if (auto error = write_file_atomically(path_, to_prometheus_text(file.families()))) {
            result.undelivered = points;
            result.errors.push_back(std::move(*error));
            return result;
        }
        written_ = std::move(file);
        return result;
    }

private:
    std::string name_;
    std::string path_;
    PrometheusExposition written_;
};

}  // namespace

SinkInfo textfile_sink() {
    return SinkInfo{
        .type = "textfile",
        .summary = "write a .prom file for node_exporter's textfile collector",
        .description =
            "Writes the points in the Prometheus text format to --path, for node_exporter's textfile collector "
            "(--collector.textfile.directory). The names, labels and values are those of the pushgateway sink: "
            "each numeric field is a gauge <measurement>_<field> with the tags as labels (uptime_ratio_1d, "
            "records for the field total of records), with a HELP line, booleans are 1 and 0, "
            "string fields are left out with a warning, and samples carry no timestamp.\n\n"
            "The file is replaced atomically: the text goes to a hidden temporary file in the same directory, "
            "which is synced and renamed over --path, so the collector never reads half a file; on any error "
            "the temporary file is removed and the old file stays. Each run replaces the file with its own "
            "points (all batches of the run together); a run without any numeric value leaves the file as it "
            "was. A new file is created with mode 0644, an existing "
            "one keeps its mode.",
        .options = textfile_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records --tag service=zenodo | "
                   "kpi publish textfile --path /var/lib/prometheus/node-exporter/kpi.prom",
        .wire_format = &prometheus_text_format(),
        .make = make_sink(textfile_schema(),
                          [](TextfileSettings settings, const SinkConfig& config, SinkContext&) -> std::unique_ptr<Sink> {
                              return std::make_unique<TextfileSink>(config.name, std::move(settings.path));
                          }),
    };
}

}  // namespace kpi
