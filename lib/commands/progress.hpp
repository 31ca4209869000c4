#pragma once
// run-all's live progress on one line of stderr (sources done, failed, total, points,
// elapsed), redrawn as sources finish and every second; log lines are written above it.
// Drawn when stderr is a terminal unless --progress / --no-progress say otherwise.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sources/source.hpp"

namespace kpi {

// --progress (true), --no-progress (false), neither (nullopt: only on a terminal).
bool progress_wanted(std::optional<bool> requested);

// The line, without control characters: "sources 3/8 done, 1 failed, 42 points, 2.4s".
std::string progress_line(std::size_t done, std::size_t failed, std::size_t total, std::size_t points,
                          std::chrono::duration<double> elapsed);

class RunProgress {
public:
    // Draws nothing at all unless `enabled`.
    RunProgress(std::size_t total_sources, bool enabled);
    // Draws the final state and ends the line.
    ~RunProgress();
    RunProgress(const RunProgress&) = delete;
    RunProgress& operator=(const RunProgress&) = delete;

    void source_finished(const SourceRun& run);

    // Log lines go through here while the line is shown: the line is cleared, the log
    // written, the line drawn again.
    template <typename Write>
    void above(Write&& write) {
        std::lock_guard lock(mutex_);
        clear_locked();
        write();
        draw_locked();
    }

private:
    void draw_locked();
    void clear_locked();
    void tick();

    std::size_t total_;
    bool enabled_;
    std::size_t done_ = 0;
    std::size_t failed_ = 0;
    std::size_t points_ = 0;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::shared_ptr<void> log_hook_;  // restores the logger's sinks when it goes
    std::thread ticker_;
};

}  // namespace kpi
