#pragma once
// The point: the unit every source emits and every sink delivers (DESIGN §3).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kpi {

using Timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

// Integers stay integers end to end (InfluxDB `i`); everything else numeric is a double.
using FieldValue = std::variant<std::int64_t, double, bool, std::string>;

struct Tag {
    std::string key;
    std::string value;
    bool operator==(const Tag&) const = default;
};

struct Field {
    std::string key;
    FieldValue value;
    bool operator==(const Field&) const = default;
};

struct Point {
    std::string measurement;
    std::vector<Tag> tags;      // kept sorted by key, keys unique
    std::vector<Field> fields;  // in the order the source set them, keys unique
    std::optional<Timestamp> time;

    // Inserts or replaces, keeping tags sorted.
    void set_tag(std::string_view key, std::string_view value);
    // Inserts or replaces. Non-finite doubles are not representable in JSON or
    // line protocol, so they are refused (returns false) and the field is left out.
    bool set_field(std::string_view key, FieldValue value);

    const std::string* tag(std::string_view key) const;
    const FieldValue* field(std::string_view key) const;

    bool operator==(const Point&) const = default;
};

// Why a point is not valid per DESIGN §3, or nullopt when it is.
std::optional<std::string> validate(const Point& point);

}  // namespace kpi
