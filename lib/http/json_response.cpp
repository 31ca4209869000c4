#include "http/json_response.hpp"

#include <charconv>

#include "http/redact.hpp"

namespace kpi {

std::optional<simdjson::dom::element> parse_json_response(const HttpResponse& response,
                                                          simdjson::dom::parser& parser, std::string& error) {
    if (!response.ok()) {
        error = response.describe();
        return std::nullopt;
    }
    const std::string where = response.method + " " + response.url + ": HTTP " + std::to_string(response.status);
    std::size_t first = response.body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        error = where + " but the body is empty";
        return std::nullopt;
    }
    if (response.body[first] == '<') {
        error = where + " but the body is HTML, not JSON: " + server_message(std::string_view(response.body).substr(first));
        return std::nullopt;
    }
    simdjson::dom::element root;
    if (auto code = parser.parse(response.body).get(root)) {
        error = where + " but the JSON is invalid (" + simdjson::error_message(code) + ")";
        return std::nullopt;
    }
    return root;
}

std::optional<FieldValue> json_number(simdjson::dom::element element) {
    switch (element.type()) {
        case simdjson::dom::element_type::INT64: return FieldValue{element.get_int64().value_unsafe()};
        case simdjson::dom::element_type::UINT64: return std::nullopt;
        case simdjson::dom::element_type::DOUBLE: return FieldValue{element.get_double().value_unsafe()};
        case simdjson::dom::element_type::STRING: {
            std::string_view s = element.get_string().value_unsafe();
            if (s.empty()) return std::nullopt;
            std::int64_t i = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
            if (ec == std::errc{} && end == s.data() + s.size()) return FieldValue{i};
            double d = 0;
            auto [dend, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
            if (dec == std::errc{} && dend == s.data() + s.size()) return FieldValue{d};
            return std::nullopt;
        }
        default: return std::nullopt;
    }
}

std::optional<double> json_double(simdjson::dom::element element) {
    auto number = json_number(element);
    if (!number) return std::nullopt;
    if (const auto* i = std::get_if<std::int64_t>(&*number)) return static_cast<double>(*i);
    return std::get<double>(*number);
}

}  // namespace kpi
