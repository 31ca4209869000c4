#pragma once
// ServiceNow encoded queries (`assignment_group.nameSTARTSWITHZenodo^stateNOT IN6,7,8`) and
// the parameters of one Aggregate API request (`GET <instance>/api/now/stats/<table>`).
//
// Builders refuse what ServiceNow cannot express instead of sending a query that means
// something else: field and table names are checked, `^` in values is escaped as `^^`,
// and a value of an IN list cannot contain the list separator `,`.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpi::servicenow {

// A table or field name: letters, digits and `_`, plus `.` for dot-walked fields
// (`assignment_group.name`). Tables take no dots.
bool is_field_name(std::string_view name);
bool is_table_name(std::string_view name);

// `^` separates conditions, so a value carrying one is written `^^`.
std::string escape_value(std::string_view value);

// One condition of an encoded query. The factories throw std::invalid_argument for a
// malformed field name, an empty IN list or an IN value containing `,`.
class Condition {
public:
    static Condition equals(std::string_view field, std::string_view value);
    static Condition not_equals(std::string_view field, std::string_view value);
    static Condition starts_with(std::string_view field, std::string_view prefix);
    static Condition in(std::string_view field, const std::vector<std::string>& values);
    static Condition not_in(std::string_view field, const std::vector<std::string>& values);

    const std::string& text() const { return text_; }

private:
    explicit Condition(std::string text) : text_(std::move(text)) {}
    static Condition make(std::string_view field, std::string_view op, std::string_view value);
    static Condition make_list(std::string_view field, std::string_view op,
                               const std::vector<std::string>& values);

    std::string text_;
};

// Conditions joined by `^` (AND) and `^OR` (OR). ServiceNow binds `^OR` tighter than
// `^`: where(a).where(b).or_where(c) reads a AND (b OR c).
class EncodedQuery {
public:
    EncodedQuery& where(const Condition& condition);
    // The first condition of a query has nothing to join, so or_where() then acts as where().
    EncodedQuery& or_where(const Condition& condition);

    bool empty() const { return text_.empty(); }
    // Unencoded, as ServiceNow's list filters show it; percent-encoding is the request's job.
    const std::string& str() const { return text_; }

private:
    void join(std::string_view separator, const Condition& condition);

    std::string text_;
};

// The query parameters of one Aggregate API request. Fields are listed in the order given;
// asking for one twice lists it once.
class StatsQuery {
public:
    // Throws std::invalid_argument for a malformed table name.
    explicit StatsQuery(std::string_view table);

    StatsQuery& where(EncodedQuery query);
    StatsQuery& count();
    // Throw std::invalid_argument for a malformed field name.
    StatsQuery& avg(std::string_view field);
    StatsQuery& max(std::string_view field);

    const std::string& table() const { return table_; }
    // Unencoded, always in this order: sysparm_query, sysparm_count, sysparm_avg_fields,
    // sysparm_max_fields; absent ones are left out.
    std::vector<std::pair<std::string, std::string>> params() const;
    // "/api/now/stats/incident"
    std::string path() const;
    // Percent-encoded: "sysparm_query=stateNOT%20IN6%2C7%2C8&sysparm_count=true"
    std::string query_string() const;
    // `instance` is the instance's base URL; a trailing `/` on it is ignored.
    std::string url(std::string_view instance) const;

private:
    static void add_field(std::vector<std::string>& fields, std::string_view field);

    std::string table_;
    EncodedQuery query_;
    bool count_ = false;
    std::vector<std::string> avg_fields_;
    std::vector<std::string> max_fields_;
};

}  // namespace kpi::servicenow
