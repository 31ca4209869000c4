// The Grafana dashboards in dashboards/grafana/ against the real back ends: a week of
// realistic points (tests/support/sample_points) goes through `kpi publish influxdb` into
// InfluxDB 1.x and through `kpi publish pushgateway` into the Pushgateway that a real
// Prometheus scrapes; then every template variable and every panel query, with Grafana's
// variables and macros substituted, runs against the server, and each must return data.

#include <httplib.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "core/ndjson.hpp"
#include "core/time.hpp"
#include "support/run_kpi.hpp"
#include "support/sample_points.hpp"
#include "support/services.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

struct Query {
    std::string where;  // "panel 'Records' A" or "variable service"
    std::string text;
    bool instant = false;
    std::string time_from;  // the panel's own range ("1y"), or empty
};

// Every variable query and panel target of a dashboard, in file order.
std::vector<Query> queries_of(const std::string& file, const char* query_key) {
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.load(std::string(KPI_SOURCE_DIR) + "/dashboards/grafana/" + file);
    std::vector<Query> queries;
    for (simdjson::dom::element variable : root.at_pointer("/templating/list").get_array()) {
        Query q{.where = "variable " + std::string(variable["name"].get_string().value())};
        simdjson::dom::element query = variable["query"];
        q.text = query.is_string() ? std::string(query.get_string().value())
                                   : std::string(query["query"].get_string().value());
        queries.push_back(q);
    }
    for (simdjson::dom::element panel : root["panels"].get_array()) {
        const std::string title(panel["title"].get_string().value());
        std::string_view time_from;
        if (panel["timeFrom"].get(time_from) != simdjson::SUCCESS) time_from = "";
        for (simdjson::dom::element target : panel["targets"].get_array()) {
            bool instant = false;
            if (target["instant"].get(instant) != simdjson::SUCCESS) instant = false;
            queries.push_back(Query{.where = "panel '" + title + "' " + std::string(target["refId"].get_string().value()),
                                    .text = std::string(target[query_key].get_string().value()),
                                    .instant = instant,
                                    .time_from = std::string(time_from)});
        }
    }
    return queries;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string week_ndjson(Timestamp end) {
    std::string text;
    for (const auto& p : sample_passes(end, 7, 4)) append_ndjson(text, p);
    return text;
}

std::string get(const std::string& base, const std::string& target) {
    httplib::Client client(base);
    client.set_read_timeout(30);
    auto res = client.Get(target.c_str());
    if (!res) return "no answer from " + base + target;
    return res->body;
}

// A Grafana variable or macro left in a query: `$name` (a regex's closing `$` is not one).
bool unsubstituted(const std::string& text) {
    static const std::regex variable(R"(\$[A-Za-z_])");
    return std::regex_search(text, variable);
}

std::string param(const std::string& value) { return httplib::detail::encode_query_param(value); }

// How many series an InfluxDB answer holds; its error, if any, in `error`.
std::size_t influx_series(const std::string& body, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body).get(root)) {
        error = "not JSON: " + body;
        return 0;
    }
    std::string_view message;
    if (root["error"].get(message) == simdjson::SUCCESS) error = std::string(message);
    std::size_t series = 0;
    simdjson::dom::array results;
    if (root["results"].get(results)) return 0;
    for (simdjson::dom::element result : results) {
        if (result["error"].get(message) == simdjson::SUCCESS) error = std::string(message);
        simdjson::dom::array list;
        if (!result["series"].get(list)) series += list.size();
    }
    return series;
}

// How many series (or label values) a Prometheus API answer holds.
std::size_t prometheus_results(const std::string& body, std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body).get(root)) {
        error = "not JSON: " + body;
        return 0;
    }
    std::string_view status, message;
    if (root["status"].get(status) || status != "success") {
        error = root["error"].get(message) == simdjson::SUCCESS ? std::string(message) : body;
        return 0;
    }
    simdjson::dom::array list;
    if (!root["data"].get(list)) return list.size();
    if (!root.at_pointer("/data/result").get(list)) return list.size();
    return 0;
}

}  // namespace

TEST(Dashboards, EveryInfluxDbPanelQueryReturnsData) {
    const std::string influx = service_env("KPI_TEST_INFLUXDB_URL");
    if (influx.empty()) return;
    const std::string db = "kpi_dashboards_" + std::to_string(::getpid());
    {
        httplib::Client client(influx);
        auto created = client.Post("/query", "q=CREATE+DATABASE+" + db, "application/x-www-form-urlencoded");
        ASSERT_TRUE(created && created->status == 200);
    }
    auto published = run_kpi({"publish", "influxdb", "--url", influx, "--database", db},
                             RunOptions{.input = week_ndjson(now())});
    ASSERT_EQ(published.exit_code, 0) << published.err;

    const auto queries = queries_of("kpi-influxdb.json", "query");
    ASSERT_GE(queries.size(), 12u);
    for (const auto& q : queries) {
        // What Grafana does with a multi-value variable in /^$var$/, and with its macros.
        std::string text = replace_all(q.text, "$service", "(zenodo|cds\\-videos)");
        text = replace_all(text, "$source", "(zenodo\\-uptime|datacite\\-api|matomo)");
        const std::string range = q.time_from == "1y" ? "365d" : q.time_from.empty() ? "7d" : q.time_from;
        text = replace_all(text, "$timeFilter", "time > now() - " + range);
        text = replace_all(text, "$__interval", "1h");
        ASSERT_FALSE(unsubstituted(text)) << q.where << ": unsubstituted: " << text;
        std::string error;
        const std::size_t series = influx_series(get(influx, "/query?db=" + db + "&q=" + param(text)), error);
        EXPECT_EQ(error, "") << q.where << ": " << text;
        EXPECT_GT(series, 0u) << q.where << " returned nothing: " << text;
    }
}

TEST(Dashboards, EveryPrometheusPanelQueryReturnsData) {
    const std::string gateway = service_env("KPI_TEST_PUSHGATEWAY_URL");
    const std::string prometheus = service_env("KPI_TEST_PROMETHEUS_URL");
    if (gateway.empty() || prometheus.empty()) return;
    const std::string job = "kpi_dashboards_" + std::to_string(::getpid());
    const Timestamp end = now();
    auto published = run_kpi({"publish", "pushgateway", "--url", gateway, "--job", job},
                             RunOptions{.input = week_ndjson(end)});
    ASSERT_EQ(published.exit_code, 0) << published.err;

    // Prometheus scrapes the Pushgateway every second; wait (bounded) for the first scrape.
    const std::string probe = "/api/v1/query?query=" + param("kpi_run_success{job=\"" + job + "\"}");
    std::string error;
    for (int i = 0; i < 150 && prometheus_results(get(prometheus, probe), error) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_GT(prometheus_results(get(prometheus, probe), error), 0u) << "never scraped: " << error;
    // Two scrapes at least, so that ranges over the scrapes have more than one sample.
    std::this_thread::sleep_for(std::chrono::seconds(2));

    // The Pushgateway keeps the last value pushed: the dashboard shows the last pass's.
    const std::string zenodo_records = "/api/v1/query?query=" + param("records{job=\"" + job + "\",service=\"zenodo\"}");
    std::int64_t last_total = 0;
    for (const auto& p : sample_pass(end, 7 * 4 - 1)) {
        if (p.measurement == "records" && *p.tag("service") == "zenodo") last_total = std::get<std::int64_t>(*p.field("total"));
    }
    EXPECT_NE(get(prometheus, zenodo_records).find("\"" + std::to_string(last_total) + "\""), std::string::npos);

    const auto queries = queries_of("kpi-prometheus.json", "expr");
    ASSERT_GE(queries.size(), 17u);
    const long long end_s = unix_seconds(now());
    static const std::regex label_values(R"(^label_values\((.*),\s*(\w+)\)$)");
    for (const auto& q : queries) {
        // Multi-value variables in =~ matchers are alternations. The data is only as old
        // as the push (a Pushgateway has no history), so the range is the last minute.
        std::string text = replace_all(q.text, "$job", job);
        text = replace_all(text, "$service", "zenodo|cds-videos");
        text = replace_all(text, "$source", "zenodo-uptime|datacite-api|matomo");
        text = replace_all(text, "$__range", "1m");
        text = replace_all(text, "$__rate_interval", "1m");
        text = replace_all(text, "$__interval", "1s");
        ASSERT_FALSE(unsubstituted(text)) << q.where << ": unsubstituted: " << text;
        std::smatch m;
        std::string target;
        if (std::regex_match(text, m, label_values)) {
            target = "/api/v1/label/" + m[2].str() + "/values?match[]=" + param(m[1].str());
        } else if (q.instant) {
            target = "/api/v1/query?time=" + std::to_string(end_s) + "&query=" + param(text);
        } else {
            target = "/api/v1/query_range?start=" + std::to_string(end_s - 60) + "&end=" + std::to_string(end_s) +
                     "&step=1&query=" + param(text);
        }
        error.clear();
        const std::size_t results = prometheus_results(get(prometheus, target), error);
        EXPECT_EQ(error, "") << q.where << ": " << text;
        EXPECT_GT(results, 0u) << q.where << " returned nothing: " << text;
    }
}
