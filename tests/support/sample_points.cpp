#include "support/sample_points.hpp"

#include <chrono>

namespace kpi::test {
namespace {

Point make(const char* measurement, Timestamp time, std::vector<Tag> tags, std::vector<Field> fields) {
    Point p;
    p.measurement = measurement;
    for (auto& t : tags) p.set_tag(t.key, t.value);
    for (auto& f : fields) p.set_field(f.key, std::move(f.value));
    p.time = time;
    return p;
}

// The first day of the month before `time`: DataCite's monthly report is stamped so.
Timestamp report_month(Timestamp time) {
    using namespace std::chrono;
    const year_month_day day{floor<days>(time)};
    const year_month previous = year_month{day.year(), day.month()} - months{1};
    return sys_days{previous / 1};
}

}  // namespace

std::vector<Point> sample_pass(Timestamp time, int pass) {
    std::vector<Point> points;
    const auto i = static_cast<std::int64_t>(pass);
    const double wobble = static_cast<double>(pass % 7) / 1000.0;  // 0 .. 0.006
    for (std::size_t s = 0; s < kSampleServices.size(); ++s) {
        const std::string& service = kSampleServices[s];
        const auto scale = static_cast<std::int64_t>(s + 1);
        points.push_back(make("records", time, {{"service", service}},
                              {{"total", 400000 / scale + 90 * i}, {"new", 80 / scale + (i % 5) * 3}}));
        int monitor_id = 790000 + static_cast<int>(s) * 10;
        for (const char* monitor : {"Website", "Search"}) {
            const bool down = s == 1 && std::string(monitor) == "Search" && pass % 9 == 4;
            points.push_back(make("uptime", time,
                                  {{"service", service}, {"monitor", monitor},
                                   {"monitor_id", std::to_string(monitor_id++)}},
                                  {{"uptime_ratio_1d", 0.999 - wobble},
                                   {"uptime_ratio_30d", 0.9985 - wobble / 2},
                                   {"response_time_seconds", 0.35 + 0.1 * static_cast<double>(s) + wobble * 20},
                                   {"up", std::int64_t{down ? 0 : 1}},
                                   {"status", std::int64_t{down ? 9 : 2}}}));
        }
        for (const char* table : {"incident", "sc_req_item"}) {
            std::vector<Field> fields{{"open", 12 / scale + i % 4}, {"max_reassignments", std::int64_t{2 + pass % 3}}};
            if (std::string(table) == "incident") fields.push_back({"avg_time_to_resolve_seconds", 86400.0 * 1.5 + 600.0 * static_cast<double>(pass % 5)});
            points.push_back(make("support_tickets", time,
                                  {{"service", service}, {"table", table}, {"group", service + " Repository"}},
                                  std::move(fields)));
        }
        points.push_back(make("visits", time, {{"service", service}, {"site_id", std::to_string(57 + s)}},
                              {{"visits", 21000 / scale + i * 7},
                               {"unique_visitors", 15000 / scale + i * 5},
                               {"actions", 64000 / scale + i * 11},
                               {"avg_time_on_site_seconds", std::int64_t{180 + pass % 40}}}));
        points.push_back(make("http_probe", time, {{"service", service}, {"url", "https://" + service + ".example.org/"}},
                              {{"up", std::int64_t{1}},
                               {"status_code", std::int64_t{200}},
                               {"duration_seconds", 0.21 + wobble},
                               {"time_to_first_byte_seconds", 0.12 + wobble},
                               {"content_length_bytes", std::int64_t{48213}},
                               {"tls_cert_expiry_seconds", 5184000.0 - 21600.0 * static_cast<double>(pass)}}));
    }
    const std::vector<std::pair<std::string, std::string>> prefixes{
        {"10.5281", "CERN.ZENODO"}, {"10.17181", "CERN.CDS"}, {"10.7483", "CERN.OPENDATA"}};
    for (std::size_t p = 0; p < prefixes.size(); ++p) {
        const auto [prefix, client] = prefixes[p];
        const auto scale = static_cast<std::int64_t>(p + 1);
        points.push_back(make("doi_resolutions", report_month(time),
                              {{"service", kSampleServices[p]}, {"prefix", prefix}, {"client", client}},
                              {{"attempted", 4200000 / scale},
                               {"successful", 4100000 / scale},
                               {"failed", 100000 / scale},
                               {"unique", 900000 / scale},
                               {"unique_successful", 880000 / scale},
                               {"unique_failed", 20000 / scale}}));
        points.push_back(make("dois", time, {{"service", kSampleServices[p]}, {"prefix", prefix}},
                              {{"registered", 3000000 / scale + 40 * static_cast<std::int64_t>(pass)},
                               {"findable", 2990000 / scale + 40 * static_cast<std::int64_t>(pass)},
                               {"registered_state", 9000 / scale},
                               {"draft", 1000 / scale}}));
    }
    // The json source: a field only its user can name, under a --measurement of theirs.
    points.push_back(make("zenodo_communities", time, {{"service", "zenodo"}}, {{"communities", 12000 + i}}));
    // The invenio survey.
    points.push_back(make("invenio_instance", time,
                          {{"instance", "Zenodo"}, {"url", "https://zenodo.org"}, {"country", "CH"},
                           {"flavour", "inveniordm"}, {"version", "12"}},
                          {{"up", std::int64_t{1}}, {"records", std::int64_t{4000000}}, {"response_time_seconds", 0.4}}));
    // kpi_run: every source's health, one failing now and then.
    for (std::size_t s = 0; s < kSampleSources.size(); ++s) {
        const bool failed = s == 3 && pass % 5 == 2;
        points.push_back(make("kpi_run", time, {{"source", kSampleSources[s]}},
                              {{"success", std::int64_t{failed ? 0 : 1}},
                               {"duration_seconds", 0.5 + 0.25 * static_cast<double>(s) + wobble},
                               {"points", std::int64_t{failed ? 0 : 3 + static_cast<std::int64_t>(s)}}}));
    }
    return points;
}

std::vector<Point> sample_passes(Timestamp end, int days, int per_day) {
    std::vector<Point> points;
    const int passes = days * per_day;
    const auto step = std::chrono::duration_cast<Timestamp::duration>(std::chrono::hours(24)) / per_day;
    for (int pass = 0; pass < passes; ++pass) {
        const Timestamp time = std::chrono::floor<std::chrono::seconds>(end - step * (passes - 1 - pass));
        auto pass_points = sample_pass(time, pass);
        std::move(pass_points.begin(), pass_points.end(), std::back_inserter(points));
    }
    return points;
}

}  // namespace kpi::test
