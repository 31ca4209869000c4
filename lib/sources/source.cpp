#include "sources/source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace kpi {

OptionSpec url_option(std::string default_url, std::string help) {
    return OptionSpec{.name = "url", .kind = OptionKind::String, .help = std::move(help), .placeholder = "URL",
                      .required = default_url.empty(), .default_value = std::move(default_url)};
}

namespace {

// What SourceRun applies to every point of a source, whatever its type.
struct CommonSourceSettings {
    KeyValues tags;
    std::string measurement;
    bool insecure = false;
};

const SettingsSchema<CommonSourceSettings>& common_schema() {
    static const auto schema =
        SettingsSchema<CommonSourceSettings>{}
            .add(&CommonSourceSettings::tags,
                 {.name = "tag", .help = "add a tag to every point", .placeholder = "KEY=VALUE"})
            .add(&CommonSourceSettings::measurement,
                 {.name = "measurement", .help = "override the measurement name", .placeholder = "NAME"})
            .add(&CommonSourceSettings::insecure,
                 {.name = "insecure", .help = "do not verify TLS certificates (not recommended)"});
    return schema;
}

}  // namespace

const std::vector<OptionSpec>& common_source_options() { return common_schema().specs(); }

std::vector<OptionSpec> source_option_specs(const SourceInfo& info) {
    std::vector<OptionSpec> specs = info.options;
    for (const auto& common : common_source_options()) {
        bool redeclared = false;
        for (const auto& own : info.options) redeclared = redeclared || own.name == common.name;
        if (!redeclared) specs.push_back(common);
    }
    return specs;
}

SourceRun::SourceRun(const SourceConfig& config, HttpClient& http, Timestamp pass_time)
    : name_(config.name), http_(http), pass_time_(pass_time), last_activity_(kpi::now()) {
    auto common = common_schema().bind(config.options, config.origin + ": source " + config.name);
    extra_tags_ = std::move(common.tags);
    measurement_override_ = std::move(common.measurement);
    verify_tls_ = !common.insecure;
}

HttpRequest SourceRun::request(std::string url) const {
    HttpRequest r;
    r.url = std::move(url);
    r.verify_tls = verify_tls_;
    return r;
}

void SourceRun::emit(Point point) {
    // After every ordered point: one source does not mix both, so this keeps emission order.
    emit(std::move(point), std::numeric_limits<std::size_t>::max());
}

void SourceRun::emit(Point point, std::size_t order) {
    if (point.fields.empty()) {
        warn("a " + point.measurement + " point had no known value and was left out");
        return;
    }
    for (const auto& [k, v] : extra_tags_) point.set_tag(k, v);
    if (!measurement_override_.empty()) point.measurement = measurement_override_;
    if (!point.time) point.time = pass_time_;
    points_.push_back(std::move(point));
    orders_.push_back(order);
}

void SourceRun::put_in_order() {
    if (std::is_sorted(orders_.begin(), orders_.end())) return;
    std::vector<std::size_t> index(points_.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::stable_sort(index.begin(), index.end(), [this](std::size_t a, std::size_t b) { return orders_[a] < orders_[b]; });
    std::vector<Point> points;
    std::vector<std::size_t> orders;
    points.reserve(points_.size());
    orders.reserve(orders_.size());
    for (std::size_t i : index) {
        points.push_back(std::move(points_[i]));
        orders.push_back(orders_[i]);
    }
    points_ = std::move(points);
    orders_ = std::move(orders);
}

void SourceRun::fail(const std::string& message) {
    spdlog::error("source {}: {}", name_, message);
    errors_.push_back(message);
}

void SourceRun::warn(const std::string& message) const { spdlog::warn("source {}: {}", name_, message); }

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
    put_in_order();
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
