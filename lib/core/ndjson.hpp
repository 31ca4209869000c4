#pragma once
// NDJSON: one point per line, the format every stage reads and writes (DESIGN §3).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi {

// Appends one point as a JSON object and a trailing newline. Tags keys come out sorted.
void append_ndjson(std::string& out, const Point& point);
std::string to_ndjson(const Point& point);

struct LineError {
    std::size_t line;    // 1-based
    std::string reason;  // e.g. "invalid JSON: ...", "field \"up\" is null"
};

// Reads NDJSON without copying lines: input is read in large blocks and each line is
// parsed in place by simdjson. Blank lines are skipped; a line that is not a valid point
// is reported and reading goes on, so the good lines around it are not lost.
class NdjsonReader {
public:
    using PointHandler = std::function<void(Point&&)>;
    using ErrorHandler = std::function<void(const LineError&)>;

    NdjsonReader(PointHandler on_point, ErrorHandler on_error);
    ~NdjsonReader();
    NdjsonReader(const NdjsonReader&) = delete;
    NdjsonReader& operator=(const NdjsonReader&) = delete;

    // Reads a file descriptor to its end. Returns false (with errno set) on a read error.
    bool read_fd(int fd);
    // Parses a whole text (tests, spool records). The text need not end in a newline.
    void read_text(std::string_view text);

    std::size_t lines_read() const { return line_; }

private:
    void parse_line(const char* data, std::size_t length);

    struct Impl;
    Impl* impl_;
    PointHandler on_point_;
    ErrorHandler on_error_;
    std::size_t line_ = 0;
};

// Convenience for tests and small inputs: every valid point of `text`, errors appended to `errors`.
std::vector<Point> parse_ndjson(std::string_view text, std::vector<LineError>* errors = nullptr);

}  // namespace kpi
