#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/harvest.hpp"
#include "commands/settings.hpp"
#include "core/errors.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int collect_command(const GlobalOptions& global, SourceConfig source) {
    const Config config = resolve_config(global, false);
    HttpClient http(config.http, shutdown_requested);
    HarvestResult result = harvest({std::move(source)}, http, pass_start(), false);
    SinkConfig out{.type = "stdout", .name = "stdout", .origin = "command line", .options = {}};
    SinkContext context{http};
    auto sink = find_sink("stdout")->make(out, context);
    const bool delivered = sink->deliver(result.points).ok();
    return delivered && result.failed_sources == 0 && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
