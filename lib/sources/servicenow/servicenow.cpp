#include "sources/servicenow/servicenow.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/text.hpp"
#include "http/json_response.hpp"
#include "http/redact.hpp"
#include "sources/servicenow/servicenow_query.hpp"
#include "sources/servicenow/servicenow_stats.hpp"

namespace kpi {

namespace {

using servicenow::Condition;
using servicenow::EncodedQuery;
using servicenow::StatsAnswer;
using servicenow::StatsQuery;

constexpr const char* kMeasurement = "support_tickets";
constexpr const char* kGroupField = "assignment_group.name";
constexpr const char* kStateField = "state";
constexpr const char* kActiveField = "active";
// The one table where ServiceNow keeps a calendar time to resolve (set when an incident is
// resolved); other task tables have no such field unless an instance adds one.
constexpr const char* kIncidentTable = "incident";
constexpr const char* kIncidentResolveTimeField = "calendar_stc";

// --closed-states: the states that count as closed; none given, `active` decides.
struct ClosedStates {
    std::vector<std::string> states;
};

// What a pass asks for: the source's options, filled and checked by servicenow_schema().
struct ServiceNowSettings {
    std::string instance;  // --url
    std::vector<std::string> tables;
    std::optional<std::string> group;  // none: every assignment group
    // Empty: a ticket is open while `active` is true, which ServiceNow clears when a ticket
    // of any task table closes, whatever that table's state numbers.
    ClosedStates closed_states;
    std::string reassignment_field;
    std::optional<std::string> resolve_time_field;  // none: calendar_stc on incident only
    std::string user;   // basic auth with the password; empty: bearer token
    SecretRef password;
    SecretRef token;
};

struct Credentials {
    std::optional<std::pair<std::string, std::string>> basic;
    std::optional<std::string> bearer;
    std::vector<std::string> secrets;  // kept out of every message
};

// Everything the callbacks of one pass share.
struct Pass {
    ServiceNowSettings settings;
    Credentials credentials;
};

// One table's point, completed by one or two answers that may come in either order.
struct TableTally {
    std::size_t order = 0;  // the table's place in --table: its point's place in the output
    std::string table;
    std::optional<std::string> resolve_time_field;
    std::optional<std::int64_t> open;
    std::optional<std::int64_t> max_reassignments;
    std::optional<double> avg_time_to_resolve_seconds;
    int pending = 0;
};

// Reads what it can of an answer into the tally. Each aggregate stands alone: one that
// cannot be read is added to `unreadable` (saying which and why), the others are kept.
using AnswerReader = void (*)(const ServiceNowSettings&, const StatsAnswer&, TableTally&,
                              std::vector<std::string>& unreadable);

// The resolve-time field of `table`: the one --resolve-time-field names, else calendar_stc
// for incident and none for any other table (asking would only fail).
std::optional<std::string> resolve_time_field_of(const ServiceNowSettings& s, const std::string& table) {
    if (s.resolve_time_field) return s.resolve_time_field;
    if (table == kIncidentTable) return std::string(kIncidentResolveTimeField);
    return std::nullopt;
}

// --- queries ---------------------------------------------------------------------------

EncodedQuery tickets_of_group(const ServiceNowSettings& s, bool closed) {
    EncodedQuery query;
    if (s.group) query.where(Condition::starts_with(kGroupField, *s.group));
    const auto& states = s.closed_states.states;
    if (states.empty()) {
        query.where(Condition::equals(kActiveField, closed ? "false" : "true"));
    } else {
        query.where(closed ? Condition::in(kStateField, states) : Condition::not_in(kStateField, states));
    }
    return query;
}

// open and max_reassignments: the group's tickets not yet closed.
StatsQuery open_tickets_query(const ServiceNowSettings& s, const std::string& table) {
    StatsQuery query(table);
    query.where(tickets_of_group(s, false)).count().max(s.reassignment_field);
    return query;
}

// avg_time_to_resolve_seconds: the group's closed tickets.
StatsQuery closed_tickets_query(const ServiceNowSettings& s, const std::string& table, const std::string& resolve_time_field) {
    StatsQuery query(table);
    query.where(tickets_of_group(s, true)).avg(resolve_time_field);
    return query;
}

// --- answers ---------------------------------------------------------------------------

// A requested aggregate is always in the answer, "" when there is no value; a missing one
// most likely means a field name that the table does not have.
const std::string& requested(const std::map<std::string, std::string>& values, const std::string& kind,
                             const std::string& field, const std::string& option) {
    auto it = values.find(field);
    if (it == values.end()) {
        throw RuntimeError("the answer has no stats." + kind + "." + field + " (is --" + option +
                           " a field of this table?)");
    }
    return it->second;
}

// Runs one aggregate's reading; its failure is noted and loses that aggregate only.
template <typename Read>
void read_alone(std::vector<std::string>& unreadable, Read read) {
    try {
        read();
    } catch (const RuntimeError& e) {
        unreadable.push_back(e.what());
    }
}

void read_open_tickets(const ServiceNowSettings& s, const StatsAnswer& answer, TableTally& tally,
                       std::vector<std::string>& unreadable) {
    read_alone(unreadable, [&] {
        if (!answer.count) throw RuntimeError("the answer has no stats.count");
        tally.open = servicenow::integer_value(*answer.count, "count");
    });
    read_alone(unreadable, [&] {
        const auto& max = requested(answer.max, "max", s.reassignment_field, "reassignment-field");
        tally.max_reassignments = servicenow::integer_value(max, "max." + s.reassignment_field);
    });
}

void read_closed_tickets(const ServiceNowSettings&, const StatsAnswer& answer, TableTally& tally,
                         std::vector<std::string>& unreadable) {
    const std::string& field = *tally.resolve_time_field;
    read_alone(unreadable, [&] {
        const auto& avg = requested(answer.avg, "avg", field, "resolve-time-field");
        tally.avg_time_to_resolve_seconds = servicenow::float_value(avg, "avg." + field);
    });
}

// What became of one answer: why it gave nothing (`failure`), or which of its aggregates
// could not be read (`unreadable`) while the others were taken.
struct AnswerOutcome {
    std::optional<std::string> failure;
    std::vector<std::string> unreadable;
    bool any_read = false;
};

AnswerOutcome take_answer(const HttpResponse& response, const ServiceNowSettings& s, TableTally& tally, AnswerReader read,
                          std::size_t aggregates) {
    AnswerOutcome outcome;
    simdjson::dom::parser parser;
    std::string error;
    auto root = parse_json_response(response, parser, error);
    if (!root) {
        outcome.failure = error;
        return outcome;
    }
    const std::string where = response.method + " " + response.url + ": HTTP " + std::to_string(response.status) + ": ";
    try {
        read(s, servicenow::read_stats_answer(*root), tally, outcome.unreadable);
    } catch (const RuntimeError& e) {
        outcome.failure = where + e.what();
        return outcome;
    }
    for (auto& message : outcome.unreadable) message = where + message;
    outcome.any_read = outcome.unreadable.size() < aggregates;
    return outcome;
}

void emit_tally(SourceRun& run, const ServiceNowSettings& s, const TableTally& tally) {
    Point point;
    point.measurement = kMeasurement;
    point.set_tag("table", tally.table);
    if (s.group) point.set_tag("group", *s.group);
    if (tally.open) point.set_field("open", *tally.open);
    if (tally.max_reassignments) point.set_field("max_reassignments", *tally.max_reassignments);
    if (tally.avg_time_to_resolve_seconds) {
        point.set_field("avg_time_to_resolve_seconds", *tally.avg_time_to_resolve_seconds);
    }
    // With no values at all the failure is already reported; an empty point adds nothing.
    if (!point.fields.empty()) run.emit(std::move(point), tally.order);
}

// --- requests --------------------------------------------------------------------------

// A secret that must not be empty; RuntimeError names where it comes from, never its value.
std::string non_empty_secret(const SecretRef& secret, const std::string& what) {
    auto value = secret.read();
    if (!value || value->empty()) {
        throw RuntimeError("the ServiceNow " + what + " is empty (from " + secret.source().value_or("nowhere") + ")");
    }
    return *value;
}

// Read when the pass starts, never when the source is made: `config check` and `--help`
// must not need the secret.
Credentials read_credentials(const ServiceNowSettings& s) {
    Credentials c;
    if (!s.user.empty()) {
        const std::string password = non_empty_secret(s.password, "password");
        c.basic.emplace(s.user, password);
        c.secrets.push_back(password);
        // What basic authentication puts on the wire ("Basic <this>"): kept out of this
        // source's messages too, in case the service echoes the request's headers back.
        c.secrets.push_back(base64_encode(s.user + ":" + password));
    } else {
        c.bearer = non_empty_secret(s.token, "token");
        c.secrets.push_back(*c.bearer);
    }
    return c;
}

void ask(SourceRun& run, const std::shared_ptr<const Pass>& pass, const StatsQuery& query,
         const std::shared_ptr<TableTally>& tally, AnswerReader read, std::size_t aggregates) {
    HttpRequest request = run.request(query.url(pass->settings.instance));
    request.headers.emplace_back("Accept", "application/json");
    const Credentials& c = pass->credentials;
    if (c.basic) request.basic_auth = c.basic;
    if (c.bearer) request.headers.emplace_back("Authorization", "Bearer " + *c.bearer);
    request.secrets = c.secrets;

    ++tally->pending;
    run.http().submit(std::move(request), [&run, pass, tally, read, aggregates](HttpResponse&& response) {
        run.mark_activity();
        // The service may echo what it was sent, credentials included.
        const auto& secrets = pass->credentials.secrets;
        auto outcome = take_answer(response, pass->settings, *tally, read, aggregates);
        if (outcome.failure) run.fail(redact(*outcome.failure, secrets));
        if (outcome.any_read) {
            // One unreadable aggregate loses that field only: the others of the answer stand.
            for (const auto& message : outcome.unreadable) run.warn(redact(message, secrets) + "; that field is left out");
        } else {
            // An answer none of whose aggregates could be read gave nothing: a failure.
            for (const auto& message : outcome.unreadable) run.fail(redact(message, secrets));
        }
        if (--tally->pending == 0) emit_tally(run, pass->settings, *tally);
    });
}

class ServiceNowSource : public Source {
public:
    explicit ServiceNowSource(ServiceNowSettings settings) : settings_(std::move(settings)) {}

    void start(SourceRun& run) override {
        auto pass = std::make_shared<Pass>();
        pass->settings = settings_;
        try {
            pass->credentials = read_credentials(settings_);
        } catch (const RuntimeError& e) {
            run.fail(e.what());
            return;
        }
        for (std::size_t i = 0; i < settings_.tables.size(); ++i) {
            const std::string& table = settings_.tables[i];
            auto tally = std::make_shared<TableTally>();
            tally->order = i;
            tally->table = table;
            tally->resolve_time_field = resolve_time_field_of(settings_, table);
            ask(run, pass, open_tickets_query(settings_, table), tally, read_open_tickets, 2);
            if (tally->resolve_time_field) {
                ask(run, pass, closed_tickets_query(settings_, table, *tally->resolve_time_field), tally,
                    read_closed_tickets, 1);
            }
        }
    }

private:
    ServiceNowSettings settings_;
};

// --- options ---------------------------------------------------------------------------

std::string table_name(const std::string& text) {
    std::string name(trim(text));
    if (!servicenow::is_table_name(name)) throw SettingError("\"" + text + "\" is not a ServiceNow table name");
    return name;
}

std::string field_name(const std::string& text) {
    std::string name(trim(text));
    if (!servicenow::is_field_name(name)) throw SettingError("\"" + name + "\" is not a ServiceNow field name");
    return name;
}

std::string group_prefix(const std::string& text) {
    if (text.empty()) throw SettingError("the group prefix is empty");
    return text;
}

// "6,7,8": every state of the list non-empty.
ClosedStates closed_states(const std::string& list) {
    ClosedStates closed;
    std::size_t start = 0;
    while (true) {
        const auto comma = list.find(',', start);
        const auto length = comma == std::string::npos ? comma : comma - start;
        std::string state(trim(std::string_view(list).substr(start, length)));
        if (state.empty()) {
            throw SettingError("\"" + list + "\" is not a comma-separated list of states (e.g. 6,7,8)");
        }
        closed.states.push_back(std::move(state));
        if (comma == std::string::npos) return closed;
        start = comma + 1;
    }
}

// Exactly one way to sign in: --user with a password, or a token.
void check_credentials(const ServiceNowSettings& s) {
    const bool user = !s.user.empty();
    const bool password = static_cast<bool>(s.password);
    const bool token = static_cast<bool>(s.token);
    if (token && (user || password)) {
        throw SettingError("give --user with --password-env/--password-file, or --token-env/--token-file, not both");
    }
    if (user && !password) throw SettingError("--user needs --password-env or --password-file");
    if (password && !user) throw SettingError("--password-env/--password-file needs --user");
    if (!user && !token) {
        throw SettingError("ServiceNow needs credentials: --user with --password-env/--password-file, "
                           "or --token-env/--token-file");
    }
}

const SettingsSchema<ServiceNowSettings>& servicenow_schema() {
    static const auto schema =
        SettingsSchema<ServiceNowSettings>{}
            .add(&ServiceNowSettings::instance,
                 url_option({}, "the instance's base URL, e.g. https://example.service-now.com"))
            .add(&ServiceNowSettings::tables,
                 {.name = "table", .help = "table to read (repeatable)", .placeholder = "NAME",
                  .default_value = "incident,sc_req_item"},
                 table_name)
            .add(&ServiceNowSettings::group,
                 {.name = "group", .help = "assignment group name prefix; none: every group", .placeholder = "PREFIX"},
                 group_prefix)
            .add(&ServiceNowSettings::closed_states,
                 {.name = "closed-states",
                  .help = "comma-separated states that count as closed (default: active=false is closed)",
                  .placeholder = "LIST"},
                 closed_states)
            .add(&ServiceNowSettings::reassignment_field,
                 {.name = "reassignment-field", .help = "field counting a ticket's reassignments",
                  .placeholder = "FIELD", .default_value = "reassignment_count"},
                 field_name)
            .add(&ServiceNowSettings::resolve_time_field,
                 {.name = "resolve-time-field",
                  .help = "field holding a ticket's time to resolve, in seconds (default: calendar_stc on "
                          "incident, none on other tables)",
                  .placeholder = "FIELD"},
                 field_name)
            .add(&ServiceNowSettings::user,
                 {.name = "user", .help = "user name for basic authentication", .placeholder = "NAME"})
            .add(&ServiceNowSettings::password, {.name = "password", .help = "password of --user"})
            .add(&ServiceNowSettings::token, {.name = "token", .help = "OAuth bearer token (instead of --user)"})
            .check(check_credentials);
    return schema;
}

}  // namespace

SourceInfo servicenow_source() {
    return SourceInfo{
        .type = "servicenow",
        .summary = "open tickets, reassignments and resolve times from ServiceNow's Aggregate API",
        .description =
            "Reads ticket statistics of one assignment group from a ServiceNow instance through its "
            "Aggregate API (GET <url>/api/now/stats/<table>), without fetching the tickets themselves. "
            "For each --table it emits one support_tickets point tagged with the table and the group.\n\n"
            "open counts the group's active tickets (active=true: ServiceNow clears active when a ticket of "
            "any task table closes, whatever that table's state numbers), or with --closed-states those whose "
            "state is not in the list (state numbers differ per table: incident closes with 6,7,8, sc_req_item "
            "with 3,4,7). max_reassignments is the largest --reassignment-field among them. "
            "avg_time_to_resolve_seconds is the average --resolve-time-field (in seconds) over the group's "
            "closed tickets; without the option it is calendar_stc on incident and left out on other tables, "
            "which have no such field. The group is matched by prefix on the assignment group's name "
            "(assignment_group.nameSTARTSWITH); without --group every group counts. ServiceNow leaves "
            "a value empty when there is none (e.g. no closed tickets); that field is then left out. "
            "Each aggregate stands alone: one that cannot be read is a warning naming it, and the others "
            "of the answer are still reported.\n\n"
            "Sign in with --user and --password-env or --password-file (basic authentication), or with "
            "an OAuth token through --token-env or --token-file (bearer). The account needs read access "
            "to the tables.",
        .options = servicenow_schema().specs(),
        .example =
            "kpi collect servicenow --url https://cern.service-now.com --group 'Zenodo Repository' "
            "--user kpi-reader --password-file /run/secrets/servicenow --tag service=zenodo",
        .fields =
            {
                {.measurement = "support_tickets", .name = "open",
                 .description = "Open tickets of the assignment group in the ServiceNow table"},
                {.measurement = "support_tickets", .name = "max_reassignments",
                 .description = "Most reassignments of any open ticket of the group"},
                {.measurement = "support_tickets", .name = "avg_time_to_resolve_seconds",
                 .description = "Average time to resolve the group's closed tickets, in seconds"},
            },
        .make = make_source(servicenow_schema(),
                            [](ServiceNowSettings settings) {
                                return std::make_unique<ServiceNowSource>(std::move(settings));
                            }),
    };
}

}  // namespace kpi
