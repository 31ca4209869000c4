#include "sinks/pushgateway/pushgateway.hpp"

#include <spdlog/spdlog.h>

#include <set>
#include <span>

#include "core/base64.hpp"
#include "field_help.hpp"
#include "formats/prometheus_text.hpp"
#include "plugin/base_url.hpp"

namespace kpi {
namespace {

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

bool is_label_name(std::string_view name) {
    return !name.empty() && prometheus_label_name(name) == name;
}

struct PushgatewaySettings {
    std::string url;
    std::string job;
    KeyValues grouping;  // LABEL=VALUE, each name a label other than job, once
};

std::string job_name(const std::string& text) {
    if (text.empty()) throw SettingError("the job must not be empty (the Pushgateway needs a job name)");
    return text;
}

std::pair<std::string, std::string> grouping_label(const std::string& text) {
    const auto eq = text.find('=');
    const std::string name = text.substr(0, eq);
    if (eq == std::string::npos || !is_label_name(name) || name == "job") {
        throw SettingError("\"" + text +
                           "\" is not LABEL=VALUE with a Prometheus label name other than job "
                           "([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
    }
    return {name, text.substr(eq + 1)};
}

void grouping_labels_differ(const PushgatewaySettings& settings) {
    std::set<std::string> names;
    for (const auto& [name, value] : settings.grouping) {
        if (!names.insert(name).second) throw SettingError("grouping label \"" + name + "\" is given twice");
    }
}

const SettingsSchema<PushgatewaySettings>& pushgateway_schema() {
    using S = PushgatewaySettings;
    static const auto schema =
        SettingsSchema<S>{}
            .add(&S::url, {.name = "url", .help = "the Pushgateway's base URL", .placeholder = "URL",
                           .default_value = "http://localhost:9091"},
                 base_url)
            .add(&S::job, {.name = "job", .help = "the job label of the group", .placeholder = "NAME",
                           .default_value = "kpi"},
                 job_name)
            .add(&S::grouping,
                 {.name = "grouping", .kind = OptionKind::KeyValue,
                  .help = "a further label of the grouping key (repeatable)", .placeholder = "LABEL=VALUE"},
                 grouping_label)
            .check(grouping_labels_differ);
    return schema;
}

// The Pushgateway's router would take these apart or decode them, so they go as base64.
bool needs_base64(std::string_view value) {
    return value.empty() || value.find('/') != std::string_view::npos || value == "." || value == "..";
}

void append_segment(std::string& path, std::string_view name, std::string_view value) {
    path.push_back('/');
    path += name;
    if (needs_base64(value)) {
        path += "@base64/";
        // An empty value is written `=`, as the Pushgateway documents, so the path does not end in `/`.
        path += value.empty() ? std::string("=") : base64_url_encode(value);
    } else {
        path.push_back('/');
        path += url_encode(value);
    }
}

class PushgatewaySink final : public Sink {
public:
    PushgatewaySink(std::string name, SinkHttp& http, std::string group_url, std::set<std::string> grouping_labels)
        : name_(std::move(name)),
          http_(http),
          group_url_(std::move(group_url)),
          grouping_labels_(std::move(grouping_labels)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        PrometheusExposition batch(field_help);
        std::vector<std::vector<std::size_t>> points_of_family;
        for (std::size_t i = 0; i < points.size(); ++i) {
            for (std::size_t family : batch.add(points[i])) {
                if (family >= points_of_family.size()) points_of_family.resize(family + 1);
                points_of_family[family].push_back(i);
            }
        }
        log_notes(batch, points);
        DeliveryResult result;
        if (batch.empty()) return result;

        // A push replaces whole families, so each family goes out with what this run has
        // already pushed of it: the group ends up holding every sample of the run.
        std::vector<PrometheusFamily> outgoing;
        for (const auto& family : batch.families()) {
            PrometheusExposition combined;
            if (const auto* earlier = pushed_.find(family.name)) combined.add_family(*earlier);
            combined.add_family(family);
            outgoing.push_back(combined.families().front());
        }

        std::vector<bool> family_failed(outgoing.size(), false);
        push(outgoing, 0, outgoing.size(), family_failed, result.errors);

        std::vector<bool> point_failed(points.size(), false);
        for (std::size_t f = 0; f < points_of_family.size(); ++f) {
            if (!family_failed[f]) continue;
            for (std::size_t i : points_of_family[f]) point_failed[i] = true;
        }
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (point_failed[i]) result.undelivered.push_back(points[i]);
        }
        return result;
    }

private:
    // Pushes families [begin, end). A 413 splits them in halves, never inside a family.
    void push(const std::vector<PrometheusFamily>& families, std::size_t begin, std::size_t end,
              std::vector<bool>& failed, std::vector<std::string>& errors) {
        const std::span<const PrometheusFamily> part(families.data() + begin, end - begin);
        HttpRequest request;
        // The first push of a run replaces the group, dropping what earlier runs left in
        // it; the later ones (further batches, halves of a split) only add families.
        request.method = group_replaced_ ? "POST" : "PUT";
        request.url = group_url_;
        request.headers.emplace_back("Content-Type", kContentType);
        request.body = to_prometheus_text(part);
        HttpResponse response = http_.client().fetch(std::move(request));
        if (response.ok()) {
            group_replaced_ = true;
            for (const auto& family : part) pushed_.add_family(family);
            return;
        }
        if (response.status == 413 && part.size() > 1) {
            const std::size_t middle = begin + part.size() / 2;
            push(families, begin, middle, failed, errors);
            push(families, middle, end, failed, errors);
            return;
        }
        for (std::size_t f = begin; f < end; ++f) failed[f] = true;
        errors.push_back(response.describe());
    }

    void log_notes(PrometheusExposition& batch, const std::vector<Point>& points) const {
        std::vector<std::string> notes;
        batch.take_notes(&notes);
        std::set<std::string> overridden;
        for (const auto& point : points) {
            for (const auto& tag : point.tags) {
                const std::string label = prometheus_label_name(tag.key);
                if (grouping_labels_.count(label)) overridden.insert(label);
            }
        }
        for (const auto& label : overridden) {
            notes.push_back("tag \"" + label + "\" is overridden by the grouping label of the same name");
        }
        for (const auto& note : notes) spdlog::warn("sink {}: {}", name_, note);
    }

    std::string name_;
    SinkHttp& http_;  // its client is made when the sink first sends
    std::string group_url_;
    std::set<std::string> grouping_labels_;  // job and --grouping names: the Pushgateway sets them
    PrometheusExposition pushed_;            // every sample this run has pushed
    bool group_replaced_ = false;
};

std::unique_ptr<Sink> make_pushgateway(PushgatewaySettings settings, const SinkConfig& config, SinkContext& context) {
    std::set<std::string> labels{"job"};
    for (const auto& [name, value] : settings.grouping) labels.insert(name);
    return std::make_unique<PushgatewaySink>(config.name, context.http,
                                             settings.url + pushgateway_group_path(settings.job, settings.grouping),
                                             std::move(labels));
}

}  // namespace

std::string pushgateway_group_path(std::string_view job,
                                   const std::vector<std::pair<std::string, std::string>>& grouping) {
    std::string path = "/metrics";
    append_segment(path, "job", job);
    for (const auto& [name, value] : grouping) append_segment(path, name, value);
    return path;
}

SinkInfo pushgateway_sink() {
    return SinkInfo{
        .type = "pushgateway",
        .summary = "push gauges to a Prometheus Pushgateway",
        .description =
            "Pushes the points to a Prometheus Pushgateway in the Prometheus text format. Each numeric field "
            "becomes a gauge named <measurement>_<field>, with the point's tags as labels; names are sanitised "
            "to the Prometheus rules (other characters become _), booleans are 1 and 0. A field that begins "
            "with the measurement's name does not repeat it (uptime_ratio_1d, not uptime_uptime_ratio_1d), and "
            "a suffix Prometheus reserves for counters, histograms and summaries (_total, _count, _sum, "
            "_bucket) is dropped, so the field total of records is the gauge records. Each metric has a HELP "
            "line with the field's description. String fields have no Prometheus value and are left out with "
            "a warning.\n\n"
            "The metrics go to the group <url>/metrics/job/<job>, extended by each --grouping LABEL=VALUE; "
            "the Pushgateway adds these labels to every metric. The first push of a run replaces the whole "
            "group (PUT), so metrics that a run no longer produces disappear; further batches of the same run "
            "are added to it. Samples carry no timestamp (the Pushgateway refuses them): Prometheus stamps "
            "them when it scrapes. When two points give the same metric and labels, the later one wins.",
        .options = pushgateway_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records --tag service=zenodo | "
                   "kpi publish pushgateway --url http://pushgateway:9091 --job kpi --grouping service=zenodo",
        .wire_format = &prometheus_text_format(),
        .make = make_sink(pushgateway_schema(), make_pushgateway),
    };
}

}  // namespace kpi
