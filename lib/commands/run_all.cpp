#include <cstdlib>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/deliver.hpp"
#include "commands/harvest.hpp"
#include "commands/progress.hpp"
#include "commands/settings.hpp"
#include "commands/shard.hpp"
#include "core/errors.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int run_all_command(const GlobalOptions& global, const std::string& shard_text, int shards,
                    std::optional<bool> progress) {
    Config config = resolve_config(global, true);
    if (const auto shard = resolve_shard(shard_text, shards)) {
        std::erase_if(config.sources, [&](const SourceConfig& s) { return !in_shard(s.name, *shard); });
        config.spool.dir = shard_spool_dir(config.spool.dir, *shard);
        spdlog::info("shard {}/{}: {} sources, spool {}", shard->index, shard->count, config.sources.size(),
                     config.spool.dir);
    }
    if (config.sinks.empty()) {
        config.sinks.push_back(SinkConfig{.type = "stdout", .name = "stdout", .origin = "default", .options = {}});
    }

    HttpClient http(config.http, shutdown_requested);
    SinkContext context{http};
    // Every sink is built before anything is collected: a bad sink option is exit 2.
    std::vector<std::unique_ptr<Sink>> sinks;
    for (const auto& s : config.sinks) sinks.push_back(find_sink(s.type)->make(s, context));

    const std::size_t source_count = config.sources.size();
    HarvestResult result;
    {
        RunProgress shown(source_count, progress_wanted(progress));
        result = harvest(std::move(config.sources), http, pass_start(), true,
                         [&shown](const SourceRun& run) { shown.source_finished(run); });
    }
    bool delivered = true;
    for (std::size_t i = 0; i < sinks.size(); ++i) {
        SinkDelivery delivery(*sinks[i], config.sinks[i], config.spool);
        delivery.deliver(result.points);
        delivered = delivery.ok() && delivered;
    }
    if (result.failed_sources) spdlog::error("{} of {} sources failed", result.failed_sources, source_count);
    return delivered && result.failed_sources == 0 && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
