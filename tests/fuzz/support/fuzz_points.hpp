#pragma once
// Points for the writers' round-trip properties: every valid point (DESIGN §3) that the
// fuzzer's bytes describe, and a way to say loudly that a property does not hold.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi::fuzz {

// The valid points the bytes describe two ways: read as NDJSON (so seeds taken from real
// points mean something), and decoded field by field by FuzzedDataProvider (so every byte
// pattern reaches the writers, not only what survives a JSON parser).
std::vector<Point> points_from_bytes(const std::uint8_t* data, std::size_t size);

// The point as one readable line, for failure messages.
std::string describe(const Point& point);

// Prints what does not hold (and the points) and aborts, so libFuzzer saves the input.
[[noreturn]] void property_failed(std::string_view writer, std::string_view what, const std::vector<Point>& points,
                                  std::string_view output);

}  // namespace kpi::fuzz
