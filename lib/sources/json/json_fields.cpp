#include "sources/json/json_fields.hpp"

#include "http/json_response.hpp"
#include "plugin/settings.hpp"

namespace kpi {

JsonField parse_json_field(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw SettingError("\"" + text + "\" is not NAME=/json/pointer");
    JsonField field{.name = text.substr(0, eq), .pointer = text.substr(eq + 1)};
    const std::string& pointer = field.pointer;
    if (!pointer.empty() && pointer[0] != '/') {
        throw SettingError(text + ": a JSON pointer starts with / (e.g. /hits/total)");
    }
    for (std::size_t at = pointer.find('~'); at != std::string::npos; at = pointer.find('~', at + 1)) {
        if (at + 1 == pointer.size() || (pointer[at + 1] != '0' && pointer[at + 1] != '1')) {
            throw SettingError(text + ": in a JSON pointer ~ is written ~0 and / inside a name ~1 (RFC 6901)");
        }
    }
    return field;
}

std::vector<std::string> extract_json_fields(simdjson::dom::element root, const std::vector<JsonField>& fields,
                                             Point& point) {
    std::vector<std::string> problems;
    for (const auto& [name, pointer] : fields) {
        simdjson::dom::element value;
        if (root.at_pointer(pointer).get(value)) {
            problems.push_back("field " + name + ": nothing at " + pointer);
            continue;
        }
        if (value.is_bool()) {
            point.set_field(name, value.get_bool().value_unsafe());
        } else if (value.is_string()) {
            point.set_field(name, std::string(value.get_string().value_unsafe()));
        } else if (auto number = json_number(value)) {
            point.set_field(name, *number);
        } else {
            problems.push_back("field " + name + ": the value at " + pointer + " is not a number, boolean or string");
        }
    }
    return problems;
}

}  // namespace kpi
