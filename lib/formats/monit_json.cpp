#include "formats/monit_json.hpp"

#include <array>
#include <chrono>
#include <variant>

#include "core/json_text.hpp"
#include "core/time.hpp"

namespace kpi {
namespace {

constexpr std::array<std::string_view, 6> kReservedKeys{"producer", "type",     "type_prefix",
                                                        "timestamp", "idb_tags", "idb_fields"};

bool is_reserved(std::string_view key) {
    for (auto reserved : kReservedKeys) {
        if (key == reserved) return true;
    }
    return false;
}

void append_member(std::string& out, std::string_view key) {
    out.push_back(',');
    append_json_string(out, key);
    out.push_back(':');
}

template <typename Items>
void append_key_list(std::string& out, const Items& items) {
    out.push_back('[');
    bool first = true;
    for (const auto& item : items) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, item.key);
    }
    out.push_back(']');
}

}  // namespace

std::optional<std::string> monit_conflict(const Point& point) {
    for (const auto& tag : point.tags) {
        if (is_reserved(tag.key)) {
            return "tag \"" + tag.key + "\" of \"" + point.measurement + "\" has the name of a MONIT key";
        }
    }
    for (const auto& field : point.fields) {
        if (is_reserved(field.key)) {
            return "field \"" + field.key + "\" of \"" + point.measurement + "\" has the name of a MONIT key";
        }
        if (point.tag(field.key)) {
            return "\"" + field.key + "\" of \"" + point.measurement + "\" is both a tag and a field";
        }
    }
    return std::nullopt;
}

void append_monit_document(std::string& out, const Point& point, std::string_view producer) {
    const auto time = point.time.value_or(now());
    const auto millis = std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count();

    out += "{\"producer\":";
    append_json_string(out, producer);
    append_member(out, "type");
    append_json_string(out, point.measurement);
    out += ",\"type_prefix\":\"raw\"";
    append_member(out, "timestamp");
    append_json_int(out, static_cast<std::int64_t>(millis));
    for (const auto& tag : point.tags) {
        append_member(out, tag.key);
        append_json_string(out, tag.value);
    }
    for (const auto& field : point.fields) {
        append_member(out, field.key);
        append_json_value(out, field.value);
    }
    append_member(out, "idb_tags");
    append_key_list(out, point.tags);
    append_member(out, "idb_fields");
    append_key_list(out, point.fields);
    out.push_back('}');
}

std::string to_monit_json(const std::vector<Point>& points, std::string_view producer,
                          std::vector<std::string>* notes) {
    std::string out = "[";
    for (const auto& point : points) {
        if (auto conflict = monit_conflict(point)) {
            if (notes) notes->push_back("point left out: " + *conflict);
            continue;
        }
        if (out.size() > 1) out.push_back(',');
        append_monit_document(out, point, producer);
    }
    out.push_back(']');
    return out;
}

}  // namespace kpi
