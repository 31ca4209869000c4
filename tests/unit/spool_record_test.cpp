#include <gtest/gtest.h>

#include <zlib.h>

#include <cstdio>

#include "core/time.hpp"
#include "spool/spool_record.hpp"

using namespace kpi;

namespace {

std::vector<Point> sample_points() {
    std::vector<Point> points(3);
    points[0].measurement = "uptime";
    points[0].set_tag("service", "zenodo");
    points[0].set_tag("monitor", "Files \"upload\"/download");
    points[0].set_field("uptime_ratio_1d", 0.9996);
    points[0].set_field("up", std::int64_t{1});
    points[0].time = *parse_rfc3339("2026-11-28T14:11:00Z");
    points[1].measurement = "records";
    points[1].set_field("total", std::int64_t{3'000'000'000});
    points[1].set_field("note", std::string("line\nbreak, tab\t and ünïcode"));
    points[1].set_field("partial", false);
    points[1].time = *parse_rfc3339("2026-11-28T14:12:00Z");
    points[2].measurement = "kpi_run";
    points[2].set_tag("source", "records");
    points[2].set_field("duration_seconds", 1.5e-3);
    points[2].time = *parse_rfc3339("2026-11-28T14:13:00Z");
    return points;
}

}  // namespace

TEST(SpoolRecord, RoundTripKeepsEveryPointAndType) {
    const auto points = sample_points();
    const auto decoded = decode_record(encode_record(points));
    ASSERT_TRUE(decoded.ok()) << decoded.error;
    EXPECT_EQ(decoded.points, points);
    ASSERT_NE(decoded.points[1].field("total"), nullptr);
    EXPECT_TRUE(std::holds_alternative<std::int64_t>(*decoded.points[1].field("total")));
}

TEST(SpoolRecord, EmptyBatchRoundTrips) {
    const auto decoded = decode_record(encode_record({}));
    ASSERT_TRUE(decoded.ok()) << decoded.error;
    EXPECT_TRUE(decoded.points.empty());
}

TEST(SpoolRecord, HeaderTellsCountAndLengthWithoutTheBody) {
    const auto record = encode_record(sample_points());
    std::string error;
    const auto header = parse_record_header(std::string_view(record).substr(0, kMaxRecordHeaderBytes), &error);
    ASSERT_TRUE(header) << error;
    EXPECT_EQ(header->points, 3u);
    EXPECT_EQ(header->header_bytes + header->payload_bytes, record.size());
    EXPECT_LE(header->header_bytes, kMaxRecordHeaderBytes);
}

TEST(SpoolRecord, AnyFlippedBitIsDetected) {
    const auto record = encode_record(sample_points());
    for (std::size_t i = 0; i < record.size(); ++i) {
        for (unsigned char bit : {0x01, 0x20, 0x80}) {
            std::string damaged = record;
            damaged[i] = static_cast<char>(damaged[i] ^ bit);
            const auto decoded = decode_record(damaged);
            EXPECT_FALSE(decoded.ok()) << "byte " << i << " bit " << int(bit) << " went unnoticed";
            EXPECT_TRUE(decoded.points.empty());
        }
    }
}

TEST(SpoolRecord, FlippedPayloadByteIsAChecksumMismatch) {
    auto record = encode_record(sample_points());
    record[record.size() - 10] ^= 0x04;
    const auto decoded = decode_record(record);
    EXPECT_NE(decoded.error.find("checksum mismatch"), std::string::npos) << decoded.error;
}

TEST(SpoolRecord, EveryTruncationIsDetected) {
    const auto record = encode_record(sample_points());
    for (std::size_t length = 0; length < record.size(); ++length) {
        const auto decoded = decode_record(std::string_view(record).substr(0, length));
        EXPECT_FALSE(decoded.ok()) << "truncated to " << length << " bytes went unnoticed";
    }
    const auto decoded = decode_record(std::string_view(record).substr(0, record.size() - 1));
    EXPECT_NE(decoded.error.find("truncated"), std::string::npos) << decoded.error;
}

TEST(SpoolRecord, TrailingBytesAreDetected) {
    const auto decoded = decode_record(encode_record(sample_points()) + "{}\n");
    EXPECT_NE(decoded.error.find("trailing bytes"), std::string::npos) << decoded.error;
}

TEST(SpoolRecord, ForeignFileIsABadHeader) {
    const auto decoded = decode_record("{\"measurement\":\"m\",\"fields\":{\"x\":1}}\n");
    EXPECT_NE(decoded.error.find("bad header"), std::string::npos) << decoded.error;
    EXPECT_EQ(decode_record("").error, "empty file");
}

TEST(SpoolRecord, CountMustMatchEvenWithAGoodChecksum) {
    const std::string payload = "{\"measurement\":\"m\",\"fields\":{\"x\":1},\"time\":\"2026-11-28T14:11:00Z\"}\n";
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(payload.data()),
                           static_cast<uInt>(payload.size()));
    char header[64];
    std::snprintf(header, sizeof header, "kpi-spool 1 2 %zu %08x\n", payload.size(), static_cast<unsigned>(crc));
    const auto decoded = decode_record(std::string(header) + payload);
    EXPECT_EQ(decoded.error, "1 points, header says 2");
}

TEST(SpoolRecord, InvalidLineWithAGoodChecksumIsRejected) {
    const std::string payload = "{\"measurement\":\"m\",\"fields\":{\"x\":null}}\n";
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(payload.data()),
                           static_cast<uInt>(payload.size()));
    char header[64];
    std::snprintf(header, sizeof header, "kpi-spool 1 1 %zu %08x\n", payload.size(), static_cast<unsigned>(crc));
    const auto decoded = decode_record(std::string(header) + payload);
    EXPECT_NE(decoded.error.find("line 1:"), std::string::npos) << decoded.error;
}
