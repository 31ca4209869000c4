#pragma once
// A Prometheus text exposition (0.0.4) reader written from the format's documentation,
// independent of lib/formats: the oracle of the writer's round trip. Strict where
// Prometheus is: metric and label names by their grammar, `__` label names reserved, label
// value escapes `\\`, `\"` and `\n` only, no label twice, one TYPE line per family before
// its samples, a family's samples together, no series twice.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpi::fuzz {

struct ExpositionSample {
    std::vector<std::pair<std::string, std::string>> labels;  // sorted by name
    double value = 0;
    bool operator==(const ExpositionSample&) const = default;
};

struct ExpositionFamily {
    std::string name;
    std::string type;  // from its TYPE line
    std::vector<ExpositionSample> samples;
    bool operator==(const ExpositionFamily&) const = default;
};

std::optional<std::vector<ExpositionFamily>> read_prometheus_text(std::string_view text, std::string& error);

}  // namespace kpi::fuzz
