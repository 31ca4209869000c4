#include "commands/point_input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "core/ndjson.hpp"

namespace kpi {

PointInput::PointInput(const std::string& path) {
    if (path.empty() || path == "-") return;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw UsageError("cannot read " + path + ": " + std::strerror(errno));
    name_ = path;
}

PointInput::~PointInput() {
    if (fd_ > 0) ::close(fd_);
}

bool PointInput::read(std::size_t max_line_bytes, const std::function<void(Point&&)>& on_point) {
    NdjsonReader reader([&](Point&& p) { on_point(std::move(p)); },
                        [&](const LineError& e) {
                            ++bad_lines_;
                            spdlog::error("{}:{}: {}", name_, e.line, e.reason);
                        });
    reader.set_max_line_bytes(max_line_bytes);
    std::string read_error;
    const bool read_ok = reader.read_fd(fd_, read_error);
    if (!read_ok) spdlog::error("cannot read {}: {}", name_, read_error);
    if (reader.interrupted()) {
        spdlog::error("{}: shutdown requested: stopped reading after line {}", name_, reader.lines_read());
    }
    if (bad_lines_) spdlog::error("{}: {} invalid lines skipped", name_, bad_lines_);
    return read_ok && bad_lines_ == 0 && !reader.interrupted();
}

}  // namespace kpi
