#pragma once
// Delivering a run's points to one configured sink, through its spool (DESIGN §8).

#include <vector>

#include "config/config.hpp"
#include "sinks/sink.hpp"

namespace kpi {

// One sink over one run, batch after batch: each batch goes after the sink's spool, and
// what the sink does not take is spooled. Once the sink has failed in this run, later
// batches go straight to the spool instead of waiting through the same retries again.
class SinkDelivery {
public:
    SinkDelivery(Sink& sink, const SinkConfig& config, const SpoolSettings& spool)
        : sink_(sink), config_(config), spool_(spool) {}

    // Failures are logged with the sink's name.
    void deliver(std::vector<Point> points);
    // Everything delivered so far (the run's exit status is 1 otherwise).
    bool ok() const { return ok_; }

private:
    Sink& sink_;
    const SinkConfig& config_;
    const SpoolSettings& spool_;
    bool sink_failed_ = false;
    bool ok_ = true;
};

}  // namespace kpi
