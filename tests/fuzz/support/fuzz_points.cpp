#include "support/fuzz_points.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <simdjson.h>

#include "core/ndjson.hpp"

namespace kpi::fuzz {
namespace {

constexpr std::size_t kMaxPoints = 4;
constexpr std::size_t kMaxTags = 4;
constexpr std::size_t kMaxFields = 4;
constexpr std::size_t kMaxText = 24;

// Points carry UTF-8 (NDJSON input is checked, sources decode their pages), so bytes that
// are not are folded into ASCII, keeping the punctuation that writers must escape.
std::string text(FuzzedDataProvider& data) {
    std::string s = data.ConsumeRandomLengthString(kMaxText);
    if (!simdjson::validate_utf8(s)) {
        for (char& c : s) c = static_cast<char>(static_cast<unsigned char>(c) & 0x7f);
    }
    return s;
}

FieldValue value(FuzzedDataProvider& data) {
    switch (data.ConsumeIntegralInRange(0, 3)) {
        case 0: return data.ConsumeIntegral<std::int64_t>();
        case 1: return std::bit_cast<double>(data.ConsumeIntegral<std::uint64_t>());
        case 2: return data.ConsumeBool();
        default: return text(data);
    }
}

void decode_points(FuzzedDataProvider& data, std::vector<Point>& points) {
    const std::size_t count = data.ConsumeIntegralInRange<std::size_t>(1, kMaxPoints);
    for (std::size_t p = 0; p < count && data.remaining_bytes() > 0; ++p) {
        Point point;
        point.measurement = text(data);
        const std::size_t tags = data.ConsumeIntegralInRange<std::size_t>(0, kMaxTags);
        for (std::size_t i = 0; i < tags; ++i) {
            std::string key = text(data);
            point.set_tag(key, text(data));
        }
        const std::size_t fields = data.ConsumeIntegralInRange<std::size_t>(1, kMaxFields);
        for (std::size_t i = 0; i < fields; ++i) {
            std::string key = text(data);
            point.set_field(key, value(data));  // refuses non-finite doubles, as for any source
        }
        if (data.ConsumeBool()) point.time = Timestamp{std::chrono::nanoseconds{data.ConsumeIntegral<std::int64_t>()}};
        if (!validate(point)) points.push_back(std::move(point));
    }
}

}  // namespace

std::vector<Point> points_from_bytes(const std::uint8_t* data, std::size_t size) {
    std::vector<Point> points = parse_ndjson(std::string_view(reinterpret_cast<const char*>(data), size));
    FuzzedDataProvider provider(data, size);
    decode_points(provider, points);
    return points;
}

std::string describe(const Point& point) { return to_ndjson(point); }

void property_failed(std::string_view writer, std::string_view what, const std::vector<Point>& points,
                     std::string_view output) {
    std::fprintf(stderr, "\n%.*s round trip: %.*s\npoints:\n", static_cast<int>(writer.size()), writer.data(),
                 static_cast<int>(what.size()), what.data());
    for (const auto& point : points) std::fprintf(stderr, "  %s", describe(point).c_str());
    std::fprintf(stderr, "output:\n%.*s\n", static_cast<int>(output.size()), output.data());
    std::abort();
}

}  // namespace kpi::fuzz
