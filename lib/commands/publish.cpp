#include <string>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/deliver.hpp"
#include "commands/point_input.hpp"
#include "commands/settings.hpp"
#include "core/errors.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int publish_command(const GlobalOptions& global, SinkConfig sink_config, const std::string& input_path) {
    const Config config = resolve_config(global, false);
    const SinkInfo* info = find_sink(sink_config.type);
    if (!info) throw UsageError("unknown sink \"" + sink_config.type + "\"");
    SinkContext context{SinkHttp(config.http, shutdown_requested)};  // a client only for a sink that sends
    auto sink = info->make(sink_config, context);

    PointInput input(input_path);

    // Points are delivered in batches as they are read, so memory stays bounded and a
    // long stream starts arriving before it ends.
    constexpr std::size_t kBatch = 5000;
    std::vector<Point> batch;
    batch.reserve(kBatch);
    SinkDelivery delivery(*sink, sink_config, config.spool);
    const bool read_ok = input.read(global.max_line_bytes, [&](Point&& p) {
        batch.push_back(std::move(p));
        if (batch.size() >= kBatch) {
            delivery.deliver(std::move(batch));
            batch.clear();  // moved from: empty, and without the capacity it had
            batch.reserve(kBatch);
        }
    });
    if (shutdown_requested()) spdlog::error("{}: the points read are spooled for the next run", input.name());
    if (!batch.empty()) delivery.deliver(std::move(batch));
    return delivery.ok() && read_ok && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
