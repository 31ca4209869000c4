// The spool record reader on any bytes, both as a whole record and as the payload of a
// record with a valid header (so that the points inside are reached past the checksum).
// A record read back whole encodes to a record that reads back the same points.

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "spool/spool_record.hpp"
#include "support/fuzz_points.hpp"

namespace {

void check(std::string_view bytes) {
    const auto record = kpi::decode_record(bytes);
    if (!record.ok()) {
        if (!record.points.empty()) __builtin_trap();  // an invalid record gives no points
        return;
    }
    const std::string again = kpi::encode_record(record.points);
    const auto reread = kpi::decode_record(again);
    auto expected = record.points;  // records keep whole seconds, as all NDJSON output does
    for (auto& point : expected) point.time = std::chrono::floor<std::chrono::seconds>(*point.time);
    if (!reread.ok() || reread.points != expected) {
        kpi::fuzz::property_failed("spool record", "re-encoded record reads back otherwise: " + reread.error,
                                   record.points, again);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check(bytes);
    std::string header_error;
    (void)kpi::parse_record_header(bytes, &header_error);

    const auto lines = static_cast<unsigned long long>(std::count(bytes.begin(), bytes.end(), '\n'));
    const auto crc = crc32(crc32(0L, Z_NULL, 0), data, static_cast<uInt>(size));
    char header[80];
    const int n = std::snprintf(header, sizeof header, "kpi-spool 1 %llu %zu %08lx\n", lines, size, crc);
    check(std::string(header, static_cast<std::size_t>(n)) + std::string(bytes));
    return 0;
}
