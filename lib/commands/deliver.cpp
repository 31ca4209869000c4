#include "commands/deliver.hpp"

#include <spdlog/spdlog.h>

namespace kpi {

bool deliver_points(Sink& sink, const SinkConfig& config, const std::vector<Point>& points,
                    const SpoolSettings& /*spool*/) {
    DeliveryResult result = sink.deliver(points);
    for (const auto& e : result.errors) spdlog::error("sink {}: {}", config.name, e);
    if (!result.undelivered.empty()) {
        spdlog::error("sink {}: {} points not delivered", config.name, result.undelivered.size());
    }
    if (result.rejected) spdlog::error("sink {}: {} points refused by the back end", config.name, result.rejected);
    return result.ok();
}

}  // namespace kpi
