#include "commands/harvest.hpp"

#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "registry.hpp"

namespace kpi {

HarvestResult harvest(const std::vector<SourceConfig>& sources, HttpClient& http, Timestamp pass_time, bool health,
                      const std::function<void(const SourceRun&)>& on_finished) {
    std::vector<std::unique_ptr<Source>> built;
    for (const auto& config : sources) {
        const SourceInfo* info = find_source(config.type);
        if (!info) throw UsageError(config.origin + ": unknown source type \"" + config.type + "\"");
        built.push_back(info->make(config));
    }
    std::vector<std::unique_ptr<SourceRun>> runs;
    const Timestamp started = now();
    for (std::size_t i = 0; i < sources.size(); ++i) {
        runs.push_back(std::make_unique<SourceRun>(sources[i], http, pass_time));
        runs.back()->on_finished(on_finished);
        try {
            built[i]->start(*runs.back());
        } catch (const std::exception& e) {
            // A missing secret file fails this source only; the others still run.
            runs.back()->fail(e.what());
        }
        runs.back()->mark_activity();
        runs.back()->started();
    }
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
