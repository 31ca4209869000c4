#include "field_help.hpp"

#include "run_health.hpp"
#include "formats/prometheus_text.hpp"
#include "registry.hpp"

namespace kpi {
namespace {

bool is_word(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> describe_declared_field(const FieldInfo& info, std::string_view measurement,
                                                   std::string_view field) {
    if (info.measurement != measurement) return std::nullopt;
    const auto open = info.name.find('<');
    const auto close = info.name.find('>', open);
    if (open == std::string::npos || close == std::string::npos) {
        if (info.name != field) return std::nullopt;
        return info.description;
    }
    const std::string_view prefix = std::string_view(info.name).substr(0, open);
    const std::string_view suffix = std::string_view(info.name).substr(close + 1);
    if (field.size() <= prefix.size() + suffix.size() || !field.starts_with(prefix) || !field.ends_with(suffix)) {
        return std::nullopt;
    }
    const std::string_view word = field.substr(prefix.size(), field.size() - prefix.size() - suffix.size());
    if (!is_word(word)) return std::nullopt;
    std::string description = info.description;
    const std::string placeholder = info.name.substr(open, close - open + 1);
    if (auto at = description.find(placeholder); at != std::string::npos) {
        description.replace(at, placeholder.size(), word);
    }
    return description;
}

std::string field_help(std::string_view measurement, std::string_view field) {
    for (const auto& info : run_health_fields()) {
        if (auto description = describe_declared_field(info, measurement, field)) return *description;
    }
    for (const auto& source : source_registry()) {
        for (const auto& info : source.fields) {
            if (auto description = describe_declared_field(info, measurement, field)) return *description;
        }
    }
    return generic_field_description(measurement, field);
}

}  // namespace kpi
