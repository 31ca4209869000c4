#include "core/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>

#include "core/json_text.hpp"
#include "core/printable.hpp"
#include "core/time.hpp"

namespace kpi {
namespace {

class StderrSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit StderrSink(LogFormat format) : format_(format) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        // Secrets out first, then anything that could fake a line or drive a terminal.
        const std::string text =
            printable(redact(std::string(msg.payload.data(), msg.payload.size()), registered_secrets()));
        const auto level = spdlog::level::to_string_view(msg.level);
        std::string line;
        if (format_ == LogFormat::Json) {
            line = "{\"time\":\"" + format_rfc3339(Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       msg.time.time_since_epoch())}) +
                   "\",\"level\":";
            append_json_string(line, std::string_view(level.data(), level.size()));
            line += ",\"message\":";
            append_json_string(line, text);
            line += "}\n";
        } else {
            line = "kpi: " + std::string(level.data(), level.size()) + ": " + text + "\n";
        }
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
    void flush_() override { std::fflush(stderr); }

private:
    LogFormat format_;
};

}  // namespace

void setup_logging(int verbosity, LogFormat format) {
    auto logger = std::make_shared<spdlog::logger>("kpi", std::make_shared<StderrSink>(format));
    spdlog::level::level_enum level = spdlog::level::warn;
    if (verbosity < 0) level = spdlog::level::err;
    if (verbosity == 1) level = spdlog::level::info;
    if (verbosity >= 2) level = spdlog::level::debug;
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

}  // namespace kpi
