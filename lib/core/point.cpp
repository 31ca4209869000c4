#include "core/point.hpp"

#include <algorithm>
#include <cmath>

#include "core/time.hpp"

namespace kpi {

void Point::set_tag(std::string_view key, std::string_view value) {
    auto it = std::lower_bound(tags.begin(), tags.end(), key,
                               [](const Tag& t, std::string_view k) { return t.key < k; });
    if (it != tags.end() && it->key == key) {
        it->value = value;
    } else {
        tags.insert(it, Tag{std::string(key), std::string(value)});
    }
}

bool Point::set_field(std::string_view key, FieldValue value) {
    if (const double* d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
        return false;
    }
    for (auto& f : fields) {
        if (f.key == key) {
            f.value = std::move(value);
            return true;
        }
    }
    fields.push_back(Field{std::string(key), std::move(value)});
    return true;
}

const std::string* Point::tag(std::string_view key) const {
    for (const auto& t : tags) {
        if (t.key == key) return &t.value;
    }
    return nullptr;
}

const FieldValue* Point::field(std::string_view key) const {
    for (const auto& f : fields) {
        if (f.key == key) return &f.value;
    }
    return nullptr;
}

std::optional<std::string> validate(const Point& point) {
    if (point.measurement.empty()) return "\"measurement\" is missing or empty";
    if (point.fields.empty()) return "\"fields\" is missing or empty";
    for (const auto& f : point.fields) {
        if (f.key.empty()) return "a field key is empty";
    }
    for (const auto& t : point.tags) {
        if (t.key.empty()) return "a tag key is empty";
    }
    if (point.time && !in_time_range(*point.time)) return "\"time\" is " + time_range_error();
    return std::nullopt;
}

}  // namespace kpi
