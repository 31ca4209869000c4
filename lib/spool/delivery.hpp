#pragma once
// Delivery through the spool: what `run-all`, `publish` and `replay` call for each sink
// (DESIGN §8). The sink's spool goes first, oldest record first; then the new points; what
// the sink does not take is spooled for the next run, and a record leaves the spool only
// once the sink has acknowledged its points.
//
// Two runs at once: the spool of a sink is replayed by one run at a time (a flock on
// <spool>/<sink>/.lock). A run that finds it locked waits up to SpoolTuning::lock_wait; if
// it is still locked then, the run warns, skips the replay, delivers its own points and
// spools what the sink does not take (appending is safe without the lock); `kpi replay`,
// which has no points of its own, fails instead.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/point.hpp"
#include "sinks/sink.hpp"
#include "spool/spool_settings.hpp"

namespace kpi {

struct SpoolTuning {
    std::chrono::milliseconds lock_wait{10'000};  // for another run to finish with the spool
    std::size_t record_points = 5000;             // points per spool record (one sink delivery each on replay)
    std::chrono::seconds stale_temp_age{3600};    // temp files older than this are a killed writer's
    // The sink already failed earlier in this run (an earlier batch of a stream): spool
    // the points without trying it, and without replaying, rather than wait through the
    // same retries again.
    bool sink_failed_earlier = false;
};

struct SpooledDelivery {
    std::size_t delivered = 0;  // points the sink acknowledged, from the spool and new
    std::size_t replayed = 0;   // of those, how many came from the spool
    std::size_t spooled = 0;    // new points written to the spool for the next run
    std::size_t rejected = 0;   // points the sink refused for good (reported, not spooled)
    std::size_t lost = 0;       // points neither delivered nor spooled (spool full or not writable)
    std::size_t set_aside = 0;  // damaged spool files moved to corrupt/
    std::size_t pending = 0;    // points this call left in the spool (old records and new ones)
    // Everything that went wrong, each naming the sink and, where it matters, the spool
    // directory. Already logged (spdlog) when returned: the caller must not log them again.
    std::vector<std::string> errors;

    // False makes the run's exit status 1.
    bool ok() const { return errors.empty() && spooled == 0 && rejected == 0 && lost == 0 && set_aside == 0; }
};

// Sends the sink's spool, then `points` (which may be empty: that is `kpi replay`, and
// then a spool locked by another run past tuning.lock_wait is an error).
// Never throws for a sink or spool failure; those are in the result. Once shutdown is
// requested it sends nothing more and spools what is pending.
SpooledDelivery deliver_with_spool(Sink& sink, const SinkConfig& config, std::vector<Point> points,
                                   const SpoolSettings& settings, const SpoolTuning& tuning = {});

}  // namespace kpi
