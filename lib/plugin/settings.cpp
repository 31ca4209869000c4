#include "plugin/settings.hpp"

namespace kpi {

SecretRef::SecretRef(std::string name, const OptionValues& values) : name_(std::move(name)) {
    for (const char* form : {"-env", "-file"}) {
        if (const auto* given = values.raw(name_ + form)) {
            for (const auto& value : *given) values_.add(name_ + form, value.text, value.origin);
        }
    }
}

std::optional<std::string> SecretRef::read() const { return values_.secret(name_); }

std::optional<std::string> SecretRef::source() const { return values_.secret_source(name_); }

namespace settings_detail {

std::string parse_text(const OptionValues::Value& value, std::string*) { return value.text; }

bool parse_text(const OptionValues::Value& value, bool*) { return checked_flag(value.text, value.origin); }

std::int64_t parse_text(const OptionValues::Value& value, std::int64_t*) {
    return checked_integer(value.text, value.origin);
}

double parse_text(const OptionValues::Value& value, double*) { return checked_number(value.text, value.origin); }

Duration parse_text(const OptionValues::Value& value, Duration*) {
    return *checked_duration(value.text, value.origin);
}

std::pair<std::string, std::string> parse_text(const OptionValues::Value& value, std::pair<std::string, std::string>*) {
    return checked_key_value(value.text, value.origin);
}

}  // namespace settings_detail
}  // namespace kpi
