#include "support/report_samples.hpp"

#include <chrono>
#include <cmath>
#include <vector>

#include "core/ndjson.hpp"

namespace kpi::test {
namespace {

Timestamp at(std::int64_t seconds) { return Timestamp{std::chrono::seconds{seconds}}; }

Point point(std::string measurement, std::vector<Tag> tags, std::int64_t time) {
    Point p{.measurement = std::move(measurement), .time = at(time)};
    for (auto& t : tags) p.set_tag(t.key, t.value);
    return p;
}

// Deterministic noise in [0, 1): the same points every run, so screenshots only change
// when the report does.
double noise(std::uint64_t a, std::uint64_t b) {
    std::uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return static_cast<double>(x % 1000000) / 1e6;
}

struct SampleSite {
    const char* name;
    const char* host;
    const char* country;
    const char* flavour;  // "" for an unreachable site
    const char* version;
    std::int64_t records;  // -1: no count
    double seconds;
};

constexpr SampleSite kSites[] = {
    {"Alpine Research Data Archive", "data.alpine.example", "CH", "inveniordm", "13.0", 184203, 0.41},
    {"Lakeside Physics Library", "library.lakeside.example", "CH", "invenio1", "1.2.2", 1534876, 0.88},
    {"Open Video Collection", "videos.lakeside.example", "CH", "invenio3", "", 8412, 0.36},
    {"Institutional Repository of Rheinland", "repo.rheinland.example", "DE", "inveniordm", "12.0", 52310, 0.52},
    {"Hanse Open Access", "oa.hanse.example", "DE", "inveniordm", "13.0", 21877, 0.47},
    {"Bavarian Theses", "theses.bavaria.example", "DE", "invenio1", "1.1.7", 11390, 1.93},
    {"Scholarly Works of Lyon", "works.lyon.example", "FR", "inveniordm", "12.0", 9814, 0.61},
    {"Archive ouverte du Midi", "archive.midi.example", "FR", "invenio1", "1.1.2", 40125, 2.41},
    {"Bibliothèque numérique de Loire", "bn.loire.example", "FR", "", "", -1, 0},
    {"Caltech-like Authors", "authors.pasadena.example", "US", "inveniordm", "13.0", 112045, 0.58},
    {"Prairie Data Commons", "data.prairie.example", "US", "inveniordm", "11.0", 3411, 0.77},
    {"Gulf Coast Library", "library.gulf.example", "US", "invenioils", "", 228190, 0.44},
    {"Harbor Digital Repository", "repo.harbor.example", "US", "", "", -1, 0},
    {"Cascadia Sample Archive", "samples.cascadia.example", "US", "unknown", "", -1, 0.29},
    {"Tuscany Digital Heritage", "heritage.tuscany.example", "IT", "invenio3", "", 64033, 0.95},
    {"Bologna Theses Online", "theses.bologna.example", "IT", "invenio1", "1.0.0", 7342, 3.12},
    {"Iberian Open Science", "open.iberia.example", "ES", "inveniordm", "12.0", 15530, 0.69},
    {"Catalan Research Portal", "portal.catalonia.example", "ES", "invenio1", "0.99.9", 2288, 2.77},
    {"Nordic Data Share", "share.nordic.example", "FI", "invenio3", "", 46720, 0.83},
    {"Baltic Repository", "repo.baltic.example", "FI", "", "", -1, 0},
    {"Kanto Open Repository", "open.kanto.example", "JP", "inveniordm", "13.0", 30127, 1.22},
    {"Andes Data Library", "data.andes.example", "CL", "inveniordm", "12.0", 1920, 1.48},
    {"Pampas Theses", "theses.pampas.example", "AR", "invenio1", "1.1.7", 8890, 2.05},
    {"Southern Cross Archive", "archive.southerncross.example", "AU", "invenioils", "", 73150, 0.9},
};
static_assert(std::size(kSites) == kSampleSurveySites);

const char* const kServices[] = {"zenodo", "cds-videos", "opendata"};

}  // namespace

std::string sample_survey_ndjson(std::int64_t time) {
    std::string out;
    for (const auto& s : kSites) {
        Point p = point("invenio_instance", {{"instance", s.name}, {"url", std::string("https://") + s.host},
                                             {"country", s.country}},
                        time);
        const bool up = *s.flavour != '\0';
        if (up) p.set_tag("flavour", s.flavour);
        if (*s.version) p.set_tag("version", s.version);
        p.set_field("up", std::int64_t{up ? 1 : 0});
        if (s.records >= 0) p.set_field("records", s.records);
        if (up) p.set_field("response_time_seconds", s.seconds);
        append_ndjson(out, p);
    }
    return out;
}

std::string sample_week_ndjson(std::int64_t end) {
    constexpr std::int64_t kHour = 3600;
    constexpr int kPasses = 7 * 24;
    const std::int64_t start = end - kPasses * kHour;
    const std::int64_t base_totals[] = {2345678, 8412, 7716};
    const double new_per_hour[] = {41.0, 0.4, 0.2};
    const char* probe_paths[] = {"/", "/api/records?size=1"};
    std::string out;
    for (int pass = 0; pass < kPasses; ++pass) {
        if (pass >= 2 * 24 + 9 && pass < 2 * 24 + 13) continue;  // the harvest itself was down
        const std::int64_t t = start + pass * kHour;
        const double daily = std::sin(2 * M_PI * static_cast<double>(pass % 24) / 24.0);  // day/night load
        for (std::size_t s = 0; s < std::size(kServices); ++s) {
            const std::string service = kServices[s];
            const bool records_failed = service == "opendata" && (pass == 77 || pass == 131);
            if (!records_failed) {
                Point records = point("records", {{"service", service}}, t);
                records.set_field("total", base_totals[s] + static_cast<std::int64_t>(new_per_hour[s] * pass));
                records.set_field("new", static_cast<std::int64_t>(new_per_hour[s] * 24 * (0.8 + 0.4 * noise(s, pass))));
                append_ndjson(out, records);
            }
            Point run = point("kpi_run", {{"source", service + "-records"}}, t);
            run.set_field("success", std::int64_t{records_failed ? 0 : 1});
            run.set_field("duration_seconds", 0.3 + 0.4 * noise(s + 10, pass) + (records_failed ? 20.0 : 0));
            run.set_field("points", std::int64_t{records_failed ? 0 : 1});
            append_ndjson(out, run);

            // The search endpoint of cds-videos answered 503 for three hours on day 5.
            const bool probe_failed = service == "cds-videos" && pass >= 4 * 24 + 14 && pass < 4 * 24 + 17;
            for (std::size_t u = 0; u < std::size(probe_paths); ++u) {
                const bool down = probe_failed && u == 1;
                Point probe = point("http_probe", {{"service", service}, {"url", "https://" + service + ".example" + probe_paths[u]}}, t);
                probe.set_field("up", std::int64_t{down ? 0 : 1});
                probe.set_field("status_code", std::int64_t{down ? 503 : 200});
                probe.set_field("duration_seconds",
                                (u == 0 ? 0.25 : 0.45) * (1 + 0.35 * daily + 0.3 * noise(s * 7 + u, pass)) + 0.1 * s);
                probe.set_field("content_length_bytes", std::int64_t{u == 0 ? 48213 + 1000 * static_cast<int>(s) : 2210});
                append_ndjson(out, probe);
            }
            Point probes_run = point("kpi_run", {{"source", service + "-probes"}}, t);
            probes_run.set_field("success", std::int64_t{1});
            probes_run.set_field("duration_seconds", 0.6 + 0.5 * noise(s + 20, pass));
            probes_run.set_field("points", std::int64_t{2});
            append_ndjson(out, probes_run);
        }
        // UptimeRobot: Search was down for six minutes at pass 100, which its 1-day ratio
        // shows for the 24 hours after.
        const char* monitors[] = {"Website", "Search", "Files upload/download"};
        const bool uptime_failed = pass == 30 || pass == 31 || pass == 140;
        for (int m = 0; m < 3 && !uptime_failed; ++m) {
            Point uptime = point("uptime", {{"service", "zenodo"}, {"monitor", monitors[m]},
                                            {"monitor_id", std::to_string(7790 + m)}}, t);
            const double dip = m == 1 && pass >= 100 && pass < 124 ? 0.0042 : 0;
            uptime.set_field("uptime_ratio_1d", std::min(1.0, 0.9995 + 0.0005 * noise(m, pass / 6) - dip));
            uptime.set_field("response_time_seconds", 0.4 + 0.25 * m + 0.15 * daily + 0.1 * noise(m + 30, pass));
            uptime.set_field("up", std::int64_t{1});
            append_ndjson(out, uptime);
        }
        Point uptime_run = point("kpi_run", {{"source", "zenodo-uptime"}}, t);
        uptime_run.set_field("success", std::int64_t{uptime_failed ? 0 : 1});
        uptime_run.set_field("duration_seconds", 1.1 + 0.6 * noise(40, pass));
        uptime_run.set_field("points", std::int64_t{uptime_failed ? 0 : 3});
        append_ndjson(out, uptime_run);
    }
    return out;
}

}  // namespace kpi::test
