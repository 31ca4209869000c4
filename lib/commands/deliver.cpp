#include "commands/deliver.hpp"

#include <spdlog/spdlog.h>

#include "spool/delivery.hpp"

namespace kpi {

void SinkDelivery::deliver(std::vector<Point> points) {
    SpoolTuning tuning;
    tuning.sink_failed_earlier = sink_failed_;
    // deliver_with_spool logs every failure itself.
    const SpooledDelivery result = deliver_with_spool(sink_, config_, std::move(points), spool_, tuning);
    if (result.replayed > 0) spdlog::info("sink {}: {} spooled points delivered", config_.name, result.replayed);
    if (result.spooled > 0) sink_failed_ = true;
    ok_ = ok_ && result.ok();
}

}  // namespace kpi
