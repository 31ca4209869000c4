// The report's model: units from field names, the survey's grouping, series per tag set.

#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "report/model.hpp"
#include "report/survey.hpp"
#include "report/units.hpp"

using namespace kpi;
using namespace kpi::report;

namespace {

ReportData collect(const std::string& ndjson) {
    ReportCollector collector;
    for (const auto& p : parse_ndjson(ndjson)) collector.add(p);
    return collector.finish();
}

}  // namespace

TEST(ReportUnits, FromTheFieldName) {
    EXPECT_EQ(unit_of_field("response_time_seconds"), Unit::Seconds);
    EXPECT_EQ(unit_of_field("uptime_ratio_7d"), Unit::Ratio);
    EXPECT_EQ(unit_of_field("content_length_bytes"), Unit::Bytes);
    EXPECT_EQ(unit_of_field("total"), Unit::Count);
    EXPECT_EQ(unit_of_field("secondsish"), Unit::Count);
}

TEST(ReportUnits, ValuesForPeople) {
    EXPECT_EQ(format_value(0.624861, Unit::Seconds), "625 ms");
    EXPECT_EQ(format_value(12.5, Unit::Seconds), "12.5 s");
    EXPECT_EQ(format_value(5400, Unit::Seconds), "90 min");
    EXPECT_EQ(format_value(3 * 86400, Unit::Seconds), "3 d");
    EXPECT_EQ(format_value(0.9996, Unit::Ratio), "99.96 %");
    EXPECT_EQ(format_value(1, Unit::Ratio), "100 %");
    EXPECT_EQ(format_value(1536000, Unit::Bytes), "1.54 MB");
    EXPECT_EQ(format_value(2345678, Unit::Count), "2,345,678");
    EXPECT_EQ(format_value(12345678901, Unit::Count), "12,345,678,901");
    EXPECT_EQ(display_unit(Unit::Count, 3e8).name, "millions");
}

TEST(ReportModel, KeepsTheLatestPointOfEachSiteInReadingOrder) {
    const auto data = collect(
        R"({"measurement":"invenio_instance","tags":{"instance":"zenodo","url":"https://zenodo.org","country":"CH","flavour":"inveniordm","version":"13.0"},"fields":{"up":1,"records":100,"response_time_seconds":0.5},"time":"2026-11-27T00:00:00Z"}
{"measurement":"invenio_instance","tags":{"instance":"zenodo","url":"https://zenodo.org","country":"CH","flavour":"inveniordm","version":"13.0"},"fields":{"up":1,"records":120,"response_time_seconds":0.4},"time":"2026-11-28T00:00:00Z"}
{"measurement":"invenio_instance","tags":{"instance":"Aardvark","url":"https://a.example","country":"US","flavour":"unknown"},"fields":{"up":1,"response_time_seconds":0.2},"time":"2026-11-28T00:00:00Z"}
{"measurement":"invenio_instance","tags":{"instance":"boson archive","url":"https://b.example","country":"CH"},"fields":{"up":0},"time":"2026-11-28T00:00:00Z"}
{"measurement":"invenio_instance","tags":{"url":"https://nocountry.example"},"fields":{"up":0},"time":"2026-11-28T00:00:00Z"}
)");
    ASSERT_EQ(data.sites.size(), 4u);
    EXPECT_EQ(data.sites[0].name, "boson archive");  // CH, b < z
    EXPECT_EQ(data.sites[1].name, "zenodo");
    EXPECT_EQ(*data.sites[1].records, 120);
    EXPECT_EQ(data.sites[2].name, "Aardvark");
    EXPECT_EQ(data.sites[3].name, "https://nocountry.example");  // no country: last, named by url
    EXPECT_FALSE(data.sites[2].records);
    EXPECT_EQ(data.points, 5u);
}

TEST(ReportModel, SeriesPerTagSetSortedWithDuplicatesOnce) {
    const auto data = collect(
        R"({"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":3,"note":"text"},"time":"2026-11-28T02:00:00Z"}
{"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":1},"time":"2026-11-28T00:00:00Z"}
{"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":2},"time":"2026-11-28T01:00:00Z"}
{"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":2},"time":"2026-11-28T01:00:00Z"}
{"measurement":"records","tags":{"service":"cds"},"fields":{"total":7,"ok":true},"time":"2026-11-28T01:00:00Z"}
)");
    const Measurement& m = data.measurements.at("records");
    EXPECT_EQ(m.times.size(), 3u);
    EXPECT_FALSE(m.fields.contains("note"));  // strings are not drawn
    EXPECT_EQ(m.fields.at("ok").begin()->second.front().value, 1);
    const auto& zenodo = m.fields.at("total").at(TagSet{{"service", "zenodo"}});
    ASSERT_EQ(zenodo.size(), 3u);
    EXPECT_EQ(zenodo[0].value, 1);
    EXPECT_EQ(zenodo[2].value, 3);
}

TEST(ReportSurvey, TotalsAndGroups) {
    std::vector<Site> sites{
        {.name = "a", .country = "CH", .flavour = "inveniordm", .version = "12.0", .up = true, .records = 10},
        {.name = "b", .country = "CH", .flavour = "inveniordm", .version = "13.0", .up = true, .records = 5},
        {.name = "c", .country = "US", .flavour = "invenio1", .version = "1.1.7", .up = true, .records = 1},
        {.name = "d", .country = "US", .flavour = "unknown", .up = true},
        {.name = "e", .country = "FR", .up = false},
        {.name = "f", .country = "US", .flavour = "invenio1", .version = "1.10.0", .up = true, .records = 2},
    };
    const SurveyTotals t = survey_totals(sites);
    EXPECT_EQ(t.sites, 6u);
    EXPECT_EQ(t.reachable, 5u);
    EXPECT_EQ(t.recognised, 4u);
    EXPECT_EQ(t.counted, 4u);
    EXPECT_EQ(t.records, 18);

    const auto countries = group_by_country(sites);
    ASSERT_EQ(countries.size(), 3u);
    EXPECT_EQ(countries[0].label, "US");
    EXPECT_EQ(countries[0].reachable, 3u);
    EXPECT_EQ(countries[1].label, "CH");
    EXPECT_EQ(countries[1].records, 15);
    EXPECT_EQ(countries[2].unreachable, 1u);

    std::vector<std::string> releases;
    for (const auto& g : group_by_release(sites)) releases.push_back(g.label);
    EXPECT_EQ(releases, (std::vector<std::string>{"inveniordm 13.0", "inveniordm 12.0", "invenio1 1.10.0",
                                                  "invenio1 1.1.7", "unknown"}));
}

TEST(ReportSurvey, VersionsCompareNumberByNumber) {
    EXPECT_GT(compare_versions("1.10", "1.9"), 0);
    EXPECT_LT(compare_versions("0.99.9", "1.0"), 0);
    EXPECT_EQ(compare_versions("13.0", "13.0"), 0);
    EXPECT_GT(compare_versions("2.1.0", "2.1"), 0);
}
