#include "commands/deliver.hpp"

#include <spdlog/spdlog.h>

#include "spool/delivery.hpp"

namespace kpi {

bool deliver_points(Sink& sink, const SinkConfig& config, const std::vector<Point>& points,
                    const SpoolSettings& spool) {
    // The sink's spool first, then the points; what the sink does not take is spooled.
    // deliver_with_spool logs every failure itself.
    const SpooledDelivery result = deliver_with_spool(sink, config, points, spool);
    if (result.replayed > 0) spdlog::info("sink {}: {} spooled points delivered", config.name, result.replayed);
    return result.ok();
}

}  // namespace kpi
