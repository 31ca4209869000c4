#include "sources/source.hpp"

#include <spdlog/spdlog.h>

namespace kpi {

const std::vector<OptionSpec>& common_source_options() {
    static const std::vector<OptionSpec> options{
        {.name = "url", .kind = OptionKind::String, .help = "the service's base or endpoint URL", .placeholder = "URL"},
        {.name = "tag",
         .kind = OptionKind::KeyValue,
         .help = "add a tag to every point",
         .placeholder = "KEY=VALUE",
         .repeatable = true},
        {.name = "measurement", .kind = OptionKind::String, .help = "override the measurement name", .placeholder = "NAME"},
        {.name = "insecure", .kind = OptionKind::Flag, .help = "do not verify TLS certificates (not recommended)"},
    };
    return options;
}

std::vector<OptionSpec> source_option_specs(const SourceInfo& info) {
    std::vector<OptionSpec> specs = info.options;
    for (const auto& common : common_source_options()) {
        bool redeclared = false;
        for (const auto& own : info.options) redeclared = redeclared || own.name == common.name;
        if (!redeclared) specs.push_back(common);
    }
    for (auto& spec : specs) {
        if (spec.name == "url" && spec.default_value.empty()) spec.default_value = info.default_url;
    }
    return specs;
}

SourceRun::SourceRun(const SourceConfig& config, HttpClient& http, Timestamp pass_time)
    : config_(config), http_(http), pass_time_(pass_time), last_activity_(kpi::now()) {
    extra_tags_ = config.options.key_values("tag");
    measurement_override_ = config.options.get_or("measurement", "");
    verify_tls_ = !config.options.flag("insecure");
}

HttpRequest SourceRun::request(std::string url) const {
    HttpRequest r;
    r.url = std::move(url);
    r.verify_tls = verify_tls_;
    return r;
}

void SourceRun::emit(Point point) {
    if (point.fields.empty()) {
        warn("a " + point.measurement + " point had no known value and was left out");
        return;
    }
    for (const auto& [k, v] : extra_tags_) point.set_tag(k, v);
    if (!measurement_override_.empty()) point.measurement = measurement_override_;
    if (!point.time) point.time = pass_time_;
    points_.push_back(std::move(point));
}

void SourceRun::fail(const std::string& message) {
    spdlog::error("source {}: {}", config_.name, message);
    errors_.push_back(message);
}

void SourceRun::warn(const std::string& message) const { spdlog::warn("source {}: {}", config_.name, message); }

void SourceRun::mark_activity() { last_activity_ = kpi::now(); }

void SourceRun::started() {
    started_ = true;
    finish_when_idle();
}

void SourceRun::request_answered() {
    --in_flight_;
    finish_when_idle();
}

void SourceRun::finish_when_idle() {
    if (!started_ || in_flight_ > 0 || finished_) return;
    finished_ = true;
    if (on_finished_) on_finished_(*this);
}

void SourceHttp::submit(HttpRequest request, HttpClient::Callback callback) {
    run_.request_sent();
    client_.submit(std::move(request), [&run = run_, callback = std::move(callback)](HttpResponse&& response) {
        // Requests the callback submits are counted before this one is let go.
        struct Answered {
            SourceRun& run;
            ~Answered() { run.request_answered(); }
        } answered{run};
        callback(std::move(response));
    });
}

}  // namespace kpi
