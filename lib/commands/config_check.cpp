#include <cstdio>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/settings.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int config_check_command(const GlobalOptions& global) {
    const Config config = resolve_config(global, true);
    // Building each source and sink runs the checks that span several options. Nothing
    // is read from secret files: they may only exist where the harvest runs.
    for (const auto& s : config.sources) find_source(s.type)->make(s);
    SinkContext context{SinkHttp(config.http, shutdown_requested)};  // a client only for a sink that sends
    for (const auto& s : config.sinks) find_sink(s.type)->make(s, context);
    const std::string text = render_config(config);
    std::fwrite(text.data(), 1, text.size(), stdout);
    spdlog::info("{}: {} sources, {} sinks: valid", config.path, config.sources.size(), config.sinks.size());
    return 0;
}

}  // namespace kpi
