#pragma once
// One spool record: a batch of points as NDJSON behind a header that makes damage detectable.
//
//     kpi-spool 1 <points> <payload bytes> <crc32 of payload, 8 hex digits>\n
//     <payload: the points, one NDJSON line each>
//
// The header alone (see parse_record_header) tells how many points wait without parsing
// them; the length catches a truncated file, the checksum a flipped byte.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi {

struct RecordHeader {
    std::size_t points = 0;
    std::uint64_t payload_bytes = 0;
    std::uint32_t crc32 = 0;
    std::size_t header_bytes = 0;  // including the newline
};

struct DecodedRecord {
    std::vector<Point> points;
    std::string error;  // why the record is not valid; empty when it is
    bool ok() const { return error.empty(); }
};

// Longest header a valid record can have; reading this many bytes is enough for the header.
inline constexpr std::size_t kMaxRecordHeaderBytes = 64;

std::string encode_record(const std::vector<Point>& points);

// Parses the header line at the start of `bytes` (which may be just the first bytes of
// the file). On failure returns nullopt and sets `error`.
std::optional<RecordHeader> parse_record_header(std::string_view bytes, std::string* error);

// Checks header, length, checksum and every line; any mismatch makes the whole record invalid.
DecodedRecord decode_record(std::string_view bytes);

}  // namespace kpi
