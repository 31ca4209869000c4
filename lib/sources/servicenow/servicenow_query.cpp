#include "sources/servicenow/servicenow_query.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/client.hpp"

namespace kpi::servicenow {

namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_plain_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), is_name_char);
}

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out.push_back(separator);
        out += item;
    }
    return out;
}

void require_field_name(std::string_view field) {
    if (!is_field_name(field)) {
        throw std::invalid_argument("not a ServiceNow field name: \"" + std::string(field) + "\"");
    }
}

}  // namespace

bool is_field_name(std::string_view name) {
    // Dot-walking: every segment a plain name, so no leading, trailing or doubled dots.
    while (true) {
        auto dot = name.find('.');
        if (!is_plain_name(name.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        name.remove_prefix(dot + 1);
    }
}

bool is_table_name(std::string_view name) { return is_plain_name(name); }

std::string escape_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '^') out.push_back('^');
        out.push_back(c);
    }
    return out;
}

Condition Condition::make(std::string_view field, std::string_view op, std::string_view value) {
    require_field_name(field);
    std::string text(field);
    text += op;
    text += escape_value(value);
    return Condition(std::move(text));
}

Condition Condition::make_list(std::string_view field, std::string_view op,
                               const std::vector<std::string>& values) {
    if (values.empty()) {
        throw std::invalid_argument("empty value list for \"" + std::string(field) + "\"");
    }
    for (const auto& value : values) {
        if (value.find(',') != std::string::npos) {
            throw std::invalid_argument("a value of an IN list cannot contain ',': \"" + value + "\"");
        }
    }
    return make(field, op, join(values, ','));
}

Condition Condition::equals(std::string_view field, std::string_view value) {
    return make(field, "=", value);
}

Condition Condition::not_equals(std::string_view field, std::string_view value) {
    return make(field, "!=", value);
}

Condition Condition::starts_with(std::string_view field, std::string_view prefix) {
    return make(field, "STARTSWITH", prefix);
}

Condition Condition::in(std::string_view field, const std::vector<std::string>& values) {
    return make_list(field, "IN", values);
}

Condition Condition::not_in(std::string_view field, const std::vector<std::string>& values) {
    return make_list(field, "NOT IN", values);
}

void EncodedQuery::join(std::string_view separator, const Condition& condition) {
    if (!text_.empty()) text_ += separator;
    text_ += condition.text();
}

EncodedQuery& EncodedQuery::where(const Condition& condition) {
    join("^", condition);
    return *this;
}

EncodedQuery& EncodedQuery::or_where(const Condition& condition) {
    join("^OR", condition);
    return *this;
}

StatsQuery::StatsQuery(std::string_view table) : table_(table) {
    if (!is_table_name(table)) {
        throw std::invalid_argument("not a ServiceNow table name: \"" + std::string(table) + "\"");
    }
}

StatsQuery& StatsQuery::where(EncodedQuery query) {
    query_ = std::move(query);
    return *this;
}

StatsQuery& StatsQuery::count() {
    count_ = true;
    return *this;
}

void StatsQuery::add_field(std::vector<std::string>& fields, std::string_view field) {
    require_field_name(field);
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.emplace_back(field);
}

StatsQuery& StatsQuery::avg(std::string_view field) {
    add_field(avg_fields_, field);
    return *this;
}

StatsQuery& StatsQuery::max(std::string_view field) {
    add_field(max_fields_, field);
    return *this;
}

std::vector<std::pair<std::string, std::string>> StatsQuery::params() const {
    std::vector<std::pair<std::string, std::string>> params;
    if (!query_.empty()) params.emplace_back("sysparm_query", query_.str());
    if (count_) params.emplace_back("sysparm_count", "true");
    if (!avg_fields_.empty()) params.emplace_back("sysparm_avg_fields", join(avg_fields_, ','));
    if (!max_fields_.empty()) params.emplace_back("sysparm_max_fields", join(max_fields_, ','));
    return params;
}

std::string StatsQuery::path() const { return "/api/now/stats/" + table_; }

std::string StatsQuery::query_string() const { return form_encode(params()); }

std::string StatsQuery::url(std::string_view instance) const {
    while (!instance.empty() && instance.back() == '/') instance.remove_suffix(1);
    std::string url(instance);
    url += path();
    auto query = query_string();
    if (!query.empty()) {
        url.push_back('?');
        url += query;
    }
    return url;
}

}  // namespace kpi::servicenow
