#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/deliver.hpp"
#include "commands/settings.hpp"
#include "commands/shard.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int replay_command(const GlobalOptions& global) {
    Config config = resolve_config(global, true);
    HttpClient http(config.http, shutdown_requested);
    SinkContext context{http};
    bool delivered = true;
    // The spool of an unsharded run-all and those of each --shard (shard-I-of-N).
    for (const auto& root : spool_roots(config.spool.dir)) {
        SpoolSettings spool = config.spool;
        spool.dir = root;
        for (const auto& s : config.sinks) {
            auto sink = find_sink(s.type)->make(s, context);
            SinkDelivery delivery(*sink, s, spool);
            delivery.deliver({});
            delivered = delivery.ok() && delivered;
        }
    }
    return delivered ? 0 : 1;
}

}  // namespace kpi
