// Property: the MONIT JSON of any points, read back with simdjson, is one document per
// point as monit_json.hpp documents it: producer, type (the measurement), type_prefix raw,
// timestamp in milliseconds, each tag a string and each field a value of its own type
// (integers as integers, floats as floats), idb_tags and idb_fields naming them in order,
// no key twice. Points with a tag or field named like a fixed key, or a name that is both
// a tag and a field, are left out.

#include <chrono>
#include <cstdint>
#include <set>
#include <simdjson.h>
#include <variant>

#include "formats/monit_json.hpp"
#include "support/fuzz_points.hpp"

namespace {

constexpr std::string_view kProducer = "fuzz";

bool conflicts(const kpi::Point& point) {
    const std::set<std::string_view> fixed{"producer", "type", "type_prefix", "timestamp", "idb_tags", "idb_fields"};
    std::set<std::string_view> names(fixed);
    for (const auto& tag : point.tags) {
        if (!names.insert(tag.key).second) return true;
    }
    for (const auto& field : point.fields) {
        if (!names.insert(field.key).second) return true;
    }
    return false;
}

bool same_value(simdjson::dom::element element, const kpi::FieldValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        return element.type() == simdjson::dom::element_type::INT64 && element.get_int64().value_unsafe() == *i;
    }
    if (const auto* d = std::get_if<double>(&value)) {
        return element.type() == simdjson::dom::element_type::DOUBLE && element.get_double().value_unsafe() == *d;
    }
    if (const auto* b = std::get_if<bool>(&value)) return element.is_bool() && element.get_bool().value_unsafe() == *b;
    return element.is_string() && element.get_string().value_unsafe() == std::get<std::string>(value);
}

template <typename Items>
bool names_list(simdjson::dom::element element, const Items& items) {
    simdjson::dom::array array;
    if (element.get(array) || array.size() != items.size()) return false;
    std::size_t i = 0;
    for (auto name : array) {
        if (!name.is_string() || name.get_string().value_unsafe() != items[i++].key) return false;
    }
    return true;
}

// Why the document does not hold the point, or empty when it does.
std::string mismatch(simdjson::dom::object document, const kpi::Point& point) {
    std::set<std::string_view> seen;
    for (auto [key, value] : document) {
        if (!seen.insert(key).second) return "key " + std::string(key) + " twice";
        std::string_view text;
        if (key == "producer" || key == "type" || key == "type_prefix") {
            const std::string_view want = key == "producer" ? kProducer : key == "type" ? std::string_view(point.measurement) : "raw";
            if (value.get(text) || text != want) return std::string(key) + " is not " + std::string(want);
        } else if (key == "timestamp") {
            std::int64_t millis = 0;
            if (value.get(millis)) return "timestamp is not an integer";
            if (point.time &&
                millis != std::chrono::floor<std::chrono::milliseconds>(*point.time).time_since_epoch().count()) {
                return "timestamp is not the point's time in milliseconds";
            }
        } else if (key == "idb_tags") {
            if (!names_list(value, point.tags)) return "idb_tags does not name the tags";
        } else if (key == "idb_fields") {
            if (!names_list(value, point.fields)) return "idb_fields does not name the fields";
        } else if (const std::string* tag = point.tag(key)) {
            if (value.get(text) || text != *tag) return "tag " + std::string(key) + " has another value";
        } else if (const kpi::FieldValue* field = point.field(key)) {
            if (!same_value(value, *field)) return "field " + std::string(key) + " has another value or type";
        } else {
            return "unexpected key " + std::string(key);
        }
    }
    if (seen.size() != 6 + point.tags.size() + point.fields.size()) return "keys missing";
    return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kpi;
    const auto points = fuzz::points_from_bytes(data, size);
    const std::string text = to_monit_json(points, kProducer, nullptr);
    simdjson::dom::parser parser;
    simdjson::dom::array documents;
    if (auto error = parser.parse(text).get(documents)) {
        fuzz::property_failed("monit", std::string("not a JSON array: ") + simdjson::error_message(error), points, text);
    }
    std::vector<Point> written;
    for (const auto& point : points) {
        if (!conflicts(point)) written.push_back(point);
    }
    if (documents.size() != written.size()) fuzz::property_failed("monit", "other documents than points", points, text);
    std::size_t i = 0;
    for (auto element : documents) {
        simdjson::dom::object document;
        if (element.get(document)) fuzz::property_failed("monit", "a document is not an object", points, text);
        if (auto why = mismatch(document, written[i]); !why.empty()) {
            fuzz::property_failed("monit", "document " + std::to_string(i) + ": " + why, points, text);
        }
        ++i;
    }
    return 0;
}
