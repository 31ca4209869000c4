#include "spool/spool_record.hpp"

#include <zlib.h>

#include <charconv>
#include <cstdio>

#include "core/ndjson.hpp"

namespace kpi {
namespace {

constexpr char kMagicText[] = "kpi-spool 1 ";
constexpr std::string_view kMagic = kMagicText;

std::uint32_t checksum(std::string_view data) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed large payloads in pieces.
    while (!data.empty()) {
        const std::size_t n = std::min<std::size_t>(data.size(), 1u << 30);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
        data.remove_prefix(n);
    }
    return static_cast<std::uint32_t>(crc);
}

// Reads one unsigned number in `base` followed by `terminator`; advances `text` past both.
template <typename T>
bool take_number(std::string_view& text, char terminator, int base, T& value) {
    const char* end = text.data() + text.size();
    auto [next, ec] = std::from_chars(text.data(), end, value, base);
    if (ec != std::errc() || next == text.data() || next == end || *next != terminator) return false;
    text.remove_prefix(static_cast<std::size_t>(next - text.data()) + 1);
    return true;
}

std::string format_header(std::uint64_t points, std::uint64_t payload_bytes, std::uint32_t crc) {
    char header[kMaxRecordHeaderBytes + 1];
    const int n = std::snprintf(header, sizeof header, "%s%llu %llu %08x\n", kMagicText,
                                static_cast<unsigned long long>(points), static_cast<unsigned long long>(payload_bytes),
                                static_cast<unsigned>(crc));
    return std::string(header, static_cast<std::size_t>(n));
}

}  // namespace

std::string encode_record(const std::vector<Point>& points) {
    std::string payload;
    for (const auto& point : points) append_ndjson(payload, point);
    std::string record = format_header(points.size(), payload.size(), checksum(payload));
    record += payload;
    return record;
}

std::optional<RecordHeader> parse_record_header(std::string_view bytes, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<RecordHeader> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    if (bytes.empty()) return fail("empty file");
    if (bytes.substr(0, kMagic.size()) != kMagic) return fail("bad header: not a kpi spool record (version 1)");
    std::string_view rest = bytes.substr(kMagic.size());
    RecordHeader header;
    std::uint64_t points = 0;
    if (!take_number(rest, ' ', 10, points) || !take_number(rest, ' ', 10, header.payload_bytes) ||
        !take_number(rest, '\n', 16, header.crc32)) {
        return fail(bytes.find('\n') == std::string_view::npos && bytes.size() < kMaxRecordHeaderBytes
                        ? "truncated header"
                        : "bad header: malformed counts or checksum");
    }
    header.points = static_cast<std::size_t>(points);
    header.header_bytes = bytes.size() - rest.size();
    // Only the form encode_record writes is valid: "01" or "ABCD" would let a flipped bit pass.
    if (bytes.substr(0, header.header_bytes) != format_header(points, header.payload_bytes, header.crc32)) {
        return fail("bad header: not in canonical form");
    }
    return header;
}

DecodedRecord decode_record(std::string_view bytes) {
    DecodedRecord record;
    auto header = parse_record_header(bytes, &record.error);
    if (!header) return record;
    const std::string_view payload = bytes.substr(header->header_bytes);
    if (payload.size() != header->payload_bytes) {
        record.error = (payload.size() < header->payload_bytes ? "truncated: " : "trailing bytes: ") +
                       std::to_string(payload.size()) + " payload bytes, header says " +
                       std::to_string(header->payload_bytes);
        return record;
    }
    if (const auto crc = checksum(payload); crc != header->crc32) {
        char why[80];
        std::snprintf(why, sizeof why, "checksum mismatch: crc32 %08x, header says %08x", static_cast<unsigned>(crc),
                      static_cast<unsigned>(header->crc32));
        record.error = why;
        return record;
    }
    std::vector<LineError> line_errors;
    record.points = parse_ndjson(payload, &line_errors);
    if (!line_errors.empty()) {
        record.error = "line " + std::to_string(line_errors.front().line) + ": " + line_errors.front().reason;
    } else if (record.points.size() != header->points) {
        record.error = std::to_string(record.points.size()) + " points, header says " + std::to_string(header->points);
    }
    if (!record.ok()) record.points.clear();
    return record;
}

}  // namespace kpi
