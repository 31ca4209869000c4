#pragma once
// The points a command reads (`publish`, `report`): NDJSON from --input or stdin, one
// reader and one way of reporting its bad lines, so both commands say the same things.

#include <cstddef>
#include <functional>
#include <string>

#include "core/point.hpp"

namespace kpi {

class PointInput {
public:
    // Opens `path` ("" or "-": stdin). A file that cannot be opened is a UsageError, so a
    // command can open its input before it does anything that cannot be undone.
    explicit PointInput(const std::string& path);
    ~PointInput();
    PointInput(const PointInput&) = delete;
    PointInput& operator=(const PointInput&) = delete;

    // Reads to the end (or to a shutdown request), handing each valid point on. Bad lines
    // and read errors are logged as `NAME:LINE: reason`; true when nothing went wrong.
    bool read(std::size_t max_line_bytes, const std::function<void(Point&&)>& on_point);

    const std::string& name() const { return name_; }  // "stdin" or the path
    std::size_t bad_lines() const { return bad_lines_; }

private:
    int fd_ = 0;
    std::string name_ = "stdin";
    std::size_t bad_lines_ = 0;
};

}  // namespace kpi
