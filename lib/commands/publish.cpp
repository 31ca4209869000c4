#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/deliver.hpp"
#include "commands/settings.hpp"
#include "core/errors.hpp"
#include "core/ndjson.hpp"
#include "core/shutdown.hpp"
#include "registry.hpp"

namespace kpi {

int publish_command(const GlobalOptions& global, SinkConfig sink_config, const std::string& input_path) {
    const Config config = resolve_config(global, false);
    const SinkInfo* info = find_sink(sink_config.type);
    if (!info) throw UsageError("unknown sink \"" + sink_config.type + "\"");
    SinkContext context{SinkHttp(config.http)};  // a client only for a sink that sends
    auto sink = info->make(sink_config, context);

    int fd = 0;
    std::string name = "stdin";
    if (!input_path.empty() && input_path != "-") {
        fd = ::open(input_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw UsageError("cannot read " + input_path + ": " + std::strerror(errno));
        name = input_path;
    }

    // Points are delivered in batches as they are read, so memory stays bounded and a
    // long stream starts arriving before it ends.
    constexpr std::size_t kBatch = 5000;
    std::vector<Point> batch;
    batch.reserve(kBatch);
    std::size_t bad_lines = 0;
    SinkDelivery delivery(*sink, sink_config, config.spool);
    NdjsonReader reader(
        [&](Point&& p) {
            batch.push_back(std::move(p));
            if (batch.size() >= kBatch) {
                delivery.deliver(std::move(batch));
                batch.clear();  // moved from: empty, and without the capacity it had
                batch.reserve(kBatch);
            }
        },
        [&](const LineError& e) {
            ++bad_lines;
            spdlog::error("{}:{}: {}", name, e.line, e.reason);
        });
    reader.set_max_line_bytes(global.max_line_bytes);
    std::string read_error;
    const bool read_ok = reader.read_fd(fd, read_error);
    if (fd != 0) ::close(fd);
    if (!read_ok) spdlog::error("cannot read {}: {}", name, read_error);
    if (reader.interrupted()) {
        spdlog::error("{}: shutdown requested: stopped reading after line {}; the points read are spooled for the next run",
                      name, reader.lines_read());
    }
    if (!batch.empty()) delivery.deliver(std::move(batch));
    if (bad_lines) spdlog::error("{}: {} invalid lines skipped", name, bad_lines);
    return delivery.ok() && read_ok && bad_lines == 0 && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
