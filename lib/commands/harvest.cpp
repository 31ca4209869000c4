#include "commands/harvest.hpp"

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "registry.hpp"

namespace kpi {

std::vector<std::unique_ptr<Source>> build_sources(const std::vector<SourceConfig>& sources) {
    std::vector<std::unique_ptr<Source>> built;
    for (const auto& config : sources) {
        const SourceInfo* info = find_source(config.type);
        if (!info) throw UsageError(config.origin + ": unknown source type \"" + config.type + "\"");
        built.push_back(info->make(config));
    }
    return built;
}

HarvestResult harvest(std::vector<SourceConfig> configs, HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished) {
    auto built = build_sources(configs);
    return harvest(std::move(configs), built, http, pass_time, health, on_finished);
}

HarvestResult harvest(std::vector<SourceConfig> configs, const std::vector<std::unique_ptr<Source>>& built,
                      HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished) {
    std::vector<std::unique_ptr<SourceRun>> runs;
    runs.reserve(configs.size());
    const Timestamp started = now();
    for (std::size_t i = 0; i < configs.size(); ++i) {
        runs.push_back(std::make_unique<SourceRun>(configs[i], http, pass_time));
        SourceRun* run = runs.back().get();
        run->on_finished(on_finished);
        // A missing secret file, or a source that throws on an answer, fails this source
        // only; the others still run and are delivered.
        http.guarded(
            [run](const std::string& message) {
                run->fail(message);
                run->mark_activity();
            },
            [&] { built[i]->start(*run); });
        run->mark_activity();
        run->started();
    }
    std::vector<SourceConfig>().swap(configs);
    http.run();

    HarvestResult result;
    std::vector<Point> health_points;
    for (auto& run : runs) {
        const bool success = !run->failed();
        if (!success) ++result.failed_sources;
        auto points = run->take_points();
        spdlog::info("source {}: {} points{}", run->name(), points.size(), success ? "" : ", failed");
        if (health) {
            Point p;
            p.measurement = "kpi_run";
            p.set_tag("source", run->name());
            p.set_field("success", std::int64_t{success ? 1 : 0});
            p.set_field("duration_seconds",
                        std::chrono::duration<double>(run->last_activity() - started).count());
            p.set_field("points", static_cast<std::int64_t>(points.size()));
            p.time = pass_time;
            health_points.push_back(std::move(p));
        }
        std::move(points.begin(), points.end(), std::back_inserter(result.points));
    }
    std::move(health_points.begin(), health_points.end(), std::back_inserter(result.points));
    return result;
}

}  // namespace kpi
