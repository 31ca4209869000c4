#include "commands/progress.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace kpi {
namespace {

// Stands in for the logger's sinks while the line is shown, writing each log line above it.
class AboveProgressSink final : public spdlog::sinks::sink {
public:
    AboveProgressSink(RunProgress& progress, std::vector<spdlog::sink_ptr> sinks)
        : progress_(progress), sinks_(std::move(sinks)) {}

    void log(const spdlog::details::log_msg& msg) override {
        progress_.above([&] {
            for (auto& sink : sinks_) {
                if (sink->should_log(msg.level)) {
                    sink->log(msg);
                    sink->flush();
                }
            }
        });
    }
    void flush() override {
        for (auto& sink : sinks_) sink->flush();
    }
    void set_pattern(const std::string& pattern) override {
        for (auto& sink : sinks_) sink->set_pattern(pattern);
    }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        for (auto& sink : sinks_) sink->set_formatter(formatter->clone());
    }

private:
    RunProgress& progress_;
    std::vector<spdlog::sink_ptr> sinks_;
};

}  // namespace

bool progress_wanted(std::optional<bool> requested) {
    if (requested) return *requested;
    return ::isatty(STDERR_FILENO) == 1;
}

std::string progress_line(std::size_t done, std::size_t failed, std::size_t total, std::size_t points,
                          std::chrono::duration<double> elapsed) {
    return fmt::format("sources {}/{} done, {} failed, {} points, {:.1f}s", done, total, failed, points,
                       elapsed.count());
}

RunProgress::RunProgress(std::size_t total_sources, bool enabled) : total_(total_sources), enabled_(enabled) {
    if (!enabled_) return;
    auto logger = spdlog::default_logger();
    auto original = logger->sinks();
    logger->sinks() = {std::make_shared<AboveProgressSink>(*this, original)};
    log_hook_ = std::shared_ptr<void>(nullptr, [logger, original](void*) { logger->sinks() = original; });
    {
        std::lock_guard lock(mutex_);
        draw_locked();
    }
    ticker_ = std::thread([this] { tick(); });
}

RunProgress::~RunProgress() {
    if (!enabled_) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    ticker_.join();
    log_hook_.reset();
    std::lock_guard lock(mutex_);
    draw_locked();
    std::fputs("\n", stderr);
    std::fflush(stderr);
}

void RunProgress::source_finished(const SourceRun& run) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    ++done_;
    if (run.failed()) ++failed_;
    points_ += run.points().size();
    draw_locked();
}

void RunProgress::tick() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) break;
        draw_locked();
    }
}

void RunProgress::draw_locked() {
    const std::string line =
        "\r\033[K" + progress_line(done_, failed_, total_, points_, std::chrono::steady_clock::now() - started_);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

void RunProgress::clear_locked() { std::fputs("\r\033[K", stderr); }

}  // namespace kpi
