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

// The longest input line read_fd() takes by default (--max-line-bytes): a point is a few
// hundred bytes, so a line of megabytes is not one.
inline constexpr std::size_t kDefaultMaxLineBytes = 4u << 20;
// Input with no line end in this many bytes (or in the line limit, when that is larger) is
// not NDJSON at all (`--input /dev/zero`): read_fd() gives up on it.
inline constexpr std::size_t kMaxUnendedLineBytes = 1u << 30;

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

    // A line longer than this (without its newline) is an error on that line; read_fd()
    // skips it to the next newline without holding it, so memory stays within the limit
    // plus one read block.
    void set_max_line_bytes(std::size_t bytes) { max_line_bytes_ = bytes; }

    // Reads a file descriptor to its end, or until shutdown is requested (then
    // interrupted() is true and the lines read so far have been handled). Returns false,
    // with `error` saying why, on a read error or on input with no line end in
    // kMaxUnendedLineBytes.
    bool read_fd(int fd, std::string& error);
    // Parses a whole text (tests, spool records) with no line limit: a spool record holds
    // points that were accepted once. The text need not end in a newline.
    void read_text(std::string_view text);

    std::size_t lines_read() const { return line_; }
    bool interrupted() const { return interrupted_; }

private:
    void parse_line(const char* data, std::size_t length);
    void line_too_long(std::size_t length_so_far);

    struct Impl;
    Impl* impl_;
    PointHandler on_point_;
    ErrorHandler on_error_;
    std::size_t line_ = 0;
    std::size_t max_line_bytes_ = kDefaultMaxLineBytes;
    bool interrupted_ = false;
};

// Convenience for tests and small inputs: every valid point of `text`, errors appended to `errors`.
std::vector<Point> parse_ndjson(std::string_view text, std::vector<LineError>* errors = nullptr);

}  // namespace kpi
