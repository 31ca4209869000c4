#include "spool/delivery.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "core/shutdown.hpp"
#include "core/time.hpp"
#include "spool/spool.hpp"

namespace kpi {
namespace {

// "12 points (records, uptime; 2026-11-28T14:11:00Z to 2026-11-28T15:11:00Z)": enough for an
// operator to know what a loss or a delay is about.
std::string describe_points(const std::vector<Point>& points, std::size_t from = 0) {
    std::set<std::string> measurements;
    std::optional<Timestamp> first, last;
    for (std::size_t i = from; i < points.size(); ++i) {
        if (measurements.size() < 5) measurements.insert(points[i].measurement);
        if (const auto& t = points[i].time) {
            if (!first || *t < *first) first = t;
            if (!last || *t > *last) last = t;
        }
    }
    std::string text = std::to_string(points.size() - from) + " points (";
    for (auto it = measurements.begin(); it != measurements.end(); ++it) {
        if (it != measurements.begin()) text += ", ";
        text += *it;
    }
    if (first) {
        const auto from_text = format_rfc3339(*first), to_text = format_rfc3339(*last);
        text += "; " + from_text + (from_text == to_text ? "" : " to " + to_text);
    }
    return text + ")";
}

// One call's bookkeeping: the counters, and errors that are logged as they are recorded.
class Delivery {
public:
    Delivery(Sink& sink, std::string sink_name) : sink_(sink), name_(std::move(sink_name)) {}

    void error(std::string message) {
        spdlog::error("{}", message);
        result_.errors.push_back(std::move(message));
    }

    // One sink call. A sink that throws took nothing: everything comes back undelivered.
    DeliveryResult send(const std::vector<Point>& points) {
        DeliveryResult outcome;
        try {
            outcome = sink_.deliver(points);
        } catch (const std::exception& e) {
            outcome = DeliveryResult{};
            outcome.undelivered = points;
            outcome.errors.push_back(e.what());
        }
        const std::size_t kept = outcome.undelivered.size() + outcome.rejected;
        result_.delivered += points.size() - std::min(kept, points.size());
        result_.rejected += outcome.rejected;
        for (auto& message : outcome.errors) error("sink '" + name_ + "': " + message);
        if (outcome.rejected > 0) {
            error("sink '" + name_ + "' refused " + std::to_string(outcome.rejected) + " of " +
                  describe_points(points) + " for good; they are not spooled");
        }
        return outcome;
    }

    SpooledDelivery& result() { return result_; }
    const std::string& name() const { return name_; }

private:
    Sink& sink_;
    std::string name_;
    SpooledDelivery result_;
};

// Sends the spool's records oldest first while the sink takes them. Returns false when the
// sink failed (or shutdown came), so that new points go straight to the spool.
bool replay(Delivery& delivery, Spool& spool, const SpoolTuning& tuning) {
    auto& result = delivery.result();
    spool.remove_stale_temp_files(tuning.stale_temp_age);
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    result.set_aside += problems.size();
    for (auto& p : problems) result.errors.push_back(std::move(p));  // logged by the spool

    bool sink_up = true;
    std::size_t left_by_shutdown = 0;
    for (const auto& record : records) {
        if (!sink_up) {
            result.pending += record.points;
            continue;
        }
        if (shutdown_requested()) {
            result.pending += record.points;
            left_by_shutdown += record.points;
            continue;
        }
        problems.clear();
        auto loaded = spool.load(record, &problems);
        result.set_aside += problems.size();
        for (auto& p : problems) result.errors.push_back(std::move(p));
        if (!loaded.ok()) continue;

        const std::size_t before = result.delivered;
        auto outcome = delivery.send(loaded.points);
        result.replayed += result.delivered - before;
        try {
            if (outcome.undelivered.empty()) {
                spool.remove(record);
            } else {
                sink_up = false;
                result.pending += outcome.undelivered.size();
                // An untouched record stays as it is; a partly taken one keeps only the rest.
                if (outcome.undelivered.size() < loaded.points.size()) {
                    spool.replace(record, outcome.undelivered);
                }
            }
        } catch (const std::exception& e) {
            // The record stays whole: its delivered points will be sent again, never lost.
            delivery.error("sink '" + delivery.name() + "': " + e.what() + "; " + record.name +
                           " stays in the spool and will be sent again in full");
        }
    }
    if (left_by_shutdown > 0) {
        delivery.error("sink '" + delivery.name() + "': shutdown requested: " + std::to_string(left_by_shutdown) +
                       " spooled points left in " + spool.dir() + " for the next run");
    }
    return sink_up && !shutdown_requested();
}

// Spools points in records of tuning.record_points; what does not fit is lost, loudly.
// `spool` is null when it could not be opened, `unavailable` then says why.
void spool_points(Delivery& delivery, Spool* spool, const std::string& unavailable, const std::vector<Point>& points,
                  const SpoolTuning& tuning, const std::string& why) {
    auto& result = delivery.result();
    const std::size_t per_record = std::max<std::size_t>(1, tuning.record_points);
    std::size_t done = 0;
    try {
        if (spool == nullptr) throw RuntimeError(unavailable);
        for (; done < points.size(); done += per_record) {
            const auto end = points.begin() + static_cast<std::ptrdiff_t>(std::min(points.size(), done + per_record));
            const std::vector<Point> chunk(points.begin() + static_cast<std::ptrdiff_t>(done), end);
            spool->append(chunk);
            result.spooled += chunk.size();
            result.pending += chunk.size();
        }
        delivery.error("sink '" + delivery.name() + "': " + why + ": " + describe_points(points) +
                       " spooled in " + spool->dir() + " for the next run");
    } catch (const std::exception& e) {
        if (done > 0) spdlog::warn("sink '{}': {}: {} points spooled in {}", delivery.name(), why, done, spool->dir());
        result.lost += points.size() - done;
        delivery.error("sink '" + delivery.name() + "': " + why + ", and " + describe_points(points, done) +
                       " could not be spooled, so they are lost: " + e.what());
    }
}

// A point that is not valid (DESIGN §3), such as a time outside what every sink can store,
// is refused here for every sink, so that no writer ever emits a negative or wrapped
// timestamp whatever a source built. It would fail again, so it is not spooled either.
void refuse_invalid(Delivery& delivery, std::vector<Point>& points) {
    std::size_t refused = 0;
    std::string first;
    std::erase_if(points, [&](const Point& point) {
        const auto why = validate(point);
        if (!why) return false;
        if (refused++ == 0) first = "\"" + point.measurement + "\": " + *why;
        return true;
    });
    if (refused == 0) return;
    delivery.result().rejected += refused;
    delivery.error("sink '" + delivery.name() + "' refused " + std::to_string(refused) +
                   " points that no sink can store, for good (the first: " + first + ")");
}

}  // namespace

SpooledDelivery deliver_with_spool(Sink& sink, const SinkConfig& config, std::vector<Point> points,
                                   const SpoolSettings& settings, const SpoolTuning& tuning) {
    Delivery delivery(sink, config.name.empty() ? config.type : config.name);
    auto& result = delivery.result();
    refuse_invalid(delivery, points);

    std::unique_ptr<Spool> spool;
    std::string unavailable;
    bool sink_up = true;
    try {
        spool = std::make_unique<Spool>(settings.dir, delivery.name(), settings.max_bytes);
        if (tuning.sink_failed_earlier) {
            sink_up = false;
        } else if (!spool->exists()) {
            // Nothing was ever spooled for this sink: no replay, and no directory until needed.
        } else if (spool->lock(tuning.lock_wait)) {
            sink_up = replay(delivery, *spool, tuning);
        } else if (!shutdown_requested()) {
            const auto holder = spool->lock_holder();
            const std::string in_use = "spool " + spool->dir() + " is in use by another run" +
                                       (holder ? " (pid " + std::to_string(*holder) + ")" : "");
            // With no new points (`kpi replay`), replaying was the whole job: not doing it is a failure.
            if (points.empty()) {
                delivery.error("sink '" + delivery.name() + "': " + in_use + "; nothing was replayed");
            } else {
                spdlog::warn("{}; not replaying it this time", in_use);
            }
        }
    } catch (const std::exception& e) {
        // Without a spool the new points can still be delivered; only what fails is lost.
        unavailable = e.what();
        delivery.error("sink '" + delivery.name() + "': spool: " + unavailable);
    }

    if (points.empty()) return result;
    if (shutdown_requested()) {
        spool_points(delivery, spool.get(), unavailable, points, tuning, "shutdown requested before delivery");
    } else if (tuning.sink_failed_earlier) {
        spool_points(delivery, spool.get(), unavailable, points, tuning, "not sent: the sink failed earlier in this run");
    } else if (!sink_up) {
        // The sink just failed on older points: it would fail on these too, after the same
        // retries, and they belong behind the older ones anyway.
        spool_points(delivery, spool.get(), unavailable, points, tuning, "not sent while older spooled points wait");
    } else {
        auto outcome = delivery.send(points);
        if (!outcome.undelivered.empty()) {
            spool_points(delivery, spool.get(), unavailable, outcome.undelivered, tuning, "not delivered");
        }
    }
    return result;
}

}  // namespace kpi
