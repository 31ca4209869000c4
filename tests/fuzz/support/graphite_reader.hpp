#pragma once
// A Carbon plaintext reader written from Graphite's documentation and carbon's line
// receiver, independent of lib/formats: the oracle of the writer's round trip.
//
// Carbon decodes a line as UTF-8 and splits it with Python's str.split(): on any Unicode
// whitespace, not only spaces. A line must split into exactly `series value timestamp`.
// A series is `a.b.c` with Graphite 1.1 tags after it, `;name=value` each, neither empty,
// tag names without `;!^=`, values without `;~` (and not starting with `~`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpi::fuzz {

struct GraphiteLine {
    std::vector<std::string> path;                            // the dotted components
    std::vector<std::pair<std::string, std::string>> tags;    // as written
    double value = 0;
    std::int64_t timestamp = 0;
    bool operator==(const GraphiteLine&) const = default;
};

std::optional<std::vector<GraphiteLine>> read_graphite_plaintext(std::string_view text, std::string& error);

}  // namespace kpi::fuzz
