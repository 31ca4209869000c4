#include "formats/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/time.hpp"

using namespace kpi;

namespace {

Point point(std::string measurement, std::vector<Tag> tags, std::vector<Field> fields) {
    Point p;
    p.measurement = std::move(measurement);
    for (auto& t : tags) p.set_tag(t.key, t.value);
    for (auto& f : fields) p.set_field(f.key, f.value);
    p.time = parse_rfc3339("2026-11-28T14:11:00Z");
    return p;
}

// The HELP and TYPE lines of a family whose field has no declared description.
std::string head(const std::string& name, const std::string& measurement, const std::string& field) {
    return "# HELP " + name + " " + generic_field_description(measurement, field) + "\n# TYPE " + name + " gauge\n";
}

}  // namespace

TEST(PrometheusText, OneGaugePerFieldWithTagsAsLabelsAndNoTimestamp) {
    auto p = point("uptime", {{"service", "zenodo"}, {"monitor", "Website"}},
                   {{"uptime_ratio_1d", 0.9996}, {"up", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({p}, &notes),
              head("uptime_ratio_1d", "uptime", "uptime_ratio_1d") +
                  "uptime_ratio_1d{monitor=\"Website\",service=\"zenodo\"} 0.9996\n" +
                  head("uptime_up", "uptime", "up") + "uptime_up{monitor=\"Website\",service=\"zenodo\"} 1\n");
    EXPECT_TRUE(notes.empty());
}

TEST(PrometheusText, PointWithoutTagsHasNoBraces) {
    EXPECT_EQ(to_prometheus_text({point("records", {}, {{"total", std::int64_t{433830}}})}, nullptr),
              head("records", "records", "total") + "records 433830\n");
}

TEST(PrometheusText, IntegersFloatsAndBooleans) {
    auto p = point("m", {},
                   {{"big", std::numeric_limits<std::int64_t>::max()},
                    {"neg", std::int64_t{-3}},
                    {"whole_float", 2.0},
                    {"tiny", 1.5e-9},
                    {"huge", 1e21},
                    {"yes", true},
                    {"no", false}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr),
              head("m_big", "m", "big") + "m_big 9223372036854775807\n" + head("m_neg", "m", "neg") + "m_neg -3\n" +
                  head("m_whole_float", "m", "whole_float") + "m_whole_float 2\n" + head("m_tiny", "m", "tiny") +
                  "m_tiny 1.5e-09\n" + head("m_huge", "m", "huge") + "m_huge 1e+21\n" + head("m_yes", "m", "yes") +
                  "m_yes 1\n" + head("m_no", "m", "no") + "m_no 0\n");
}

TEST(PrometheusText, StringFieldsAreLeftOutWithOneNotePerKind) {
    auto a = point("invenio_instance", {{"instance", "a"}}, {{"up", std::int64_t{1}}, {"flavour", std::string("rdm")}});
    auto b = point("invenio_instance", {{"instance", "b"}}, {{"up", std::int64_t{0}}, {"flavour", std::string("v3")}});
    auto only_string = point("json", {}, {{"state", std::string("green")}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({a, b, only_string}, &notes),
              head("invenio_instance_up", "invenio_instance", "up") +
                  "invenio_instance_up{instance=\"a\"} 1\n"
              "invenio_instance_up{instance=\"b\"} 0\n");
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[0], "string field \"flavour\" of \"invenio_instance\" left out (Prometheus values are numbers) (2 times)");
    EXPECT_EQ(notes[1], "string field \"state\" of \"json\" left out (Prometheus values are numbers)");
}

TEST(PrometheusText, MetricAndLabelNamesAreSanitised) {
    EXPECT_EQ(prometheus_metric_name("http-probe_time.total"), "http_probe_time_total");
    EXPECT_EQ(prometheus_metric_name("9lives"), "_9lives");
    EXPECT_EQ(prometheus_metric_name("ns:metric"), "ns:metric");
    EXPECT_EQ(prometheus_metric_name("naïve"), "na__ve");
    EXPECT_EQ(prometheus_label_name("ns:key"), "ns_key");
    EXPECT_EQ(prometheus_label_name("2fa"), "_2fa");
    EXPECT_EQ(prometheus_label_name("monitor id"), "monitor_id");
    // `__` starts names Prometheus keeps for itself; the Pushgateway refuses them.
    EXPECT_EQ(prometheus_label_name("__name__"), "_name__");
    EXPECT_EQ(prometheus_label_name("__"), "_");
}

TEST(PrometheusText, LabelValuesEscapeBackslashQuoteAndNewlineOnly) {
    auto p = point("m", {{"path", "C:\\dir \"x\"\nnext\tτ"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr),
              head("m_v", "m", "v") + "m_v{path=\"C:\\\\dir \\\"x\\\"\\nnext\tτ\"} 1\n");
}

TEST(PrometheusText, EmptyTagValuesAreNotLabels) {
    auto p = point("m", {{"a", ""}, {"b", "x"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr), head("m_v", "m", "v") + "m_v{b=\"x\"} 1\n");
}

TEST(PrometheusText, LabelsAreSortedBySanitisedName) {
    auto p = point("m", {{"Zeta", "1"}, {"a.b", "2"}, {"_c", "3"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr), head("m_v", "m", "v") + "m_v{Zeta=\"1\",_c=\"3\",a_b=\"2\"} 1\n");
}

TEST(PrometheusText, FamiliesAreGroupedInOrderOfFirstAppearance) {
    auto web = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{1}}, {"status", std::int64_t{2}}});
    auto records = point("records", {}, {{"total", std::int64_t{7}}});
    auto search = point("uptime", {{"monitor", "Search"}}, {{"up", std::int64_t{0}}, {"status", std::int64_t{9}}});
    EXPECT_EQ(to_prometheus_text({web, records, search}, nullptr),
              head("uptime_up", "uptime", "up") +
                  "uptime_up{monitor=\"Website\"} 1\n"
                  "uptime_up{monitor=\"Search\"} 0\n" +
                  head("uptime_status", "uptime", "status") +
                  "uptime_status{monitor=\"Website\"} 2\n"
                  "uptime_status{monitor=\"Search\"} 9\n" +
                  head("records", "records", "total") + "records 7\n");
}

TEST(PrometheusText, TheLastOfDuplicateSamplesWinsInTheFirstOnesPlace) {
    auto first = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{0}}});
    auto other = point("uptime", {{"monitor", "Search"}}, {{"up", std::int64_t{1}}});
    auto again = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({first, other, again}, &notes),
              head("uptime_up", "uptime", "up") +
                  "uptime_up{monitor=\"Website\"} 1\n"
                  "uptime_up{monitor=\"Search\"} 1\n");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "sample of \"uptime_up\" replaced by a later point with the same labels");
}

TEST(PrometheusText, NamesThatCollideAfterSanitisingShareAFamily) {
    auto dash = point("http-probe", {}, {{"up", std::int64_t{1}}});
    auto underscore = point("http_probe", {{"url", "x"}}, {{"up", std::int64_t{0}}});
    EXPECT_EQ(to_prometheus_text({dash, underscore}, nullptr),
              head("http_probe_up", "http-probe", "up") + "http_probe_up 1\nhttp_probe_up{url=\"x\"} 0\n");
}

TEST(PrometheusText, APointWhoseTagsCollideAfterSanitisingIsLeftOut) {
    auto p = point("m", {{"a.b", "1"}, {"a_b", "2"}}, {{"v", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({p}, &notes), "");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "point of \"m\" left out: two of its tags have the same Prometheus label name");
}

TEST(PrometheusText, NoPointsNoText) {
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text(std::vector<Point>{}, &notes), "");
    EXPECT_TRUE(notes.empty());
}

TEST(PrometheusExposition, AddReportsTheFamiliesAPointTouched) {
    PrometheusExposition e;
    EXPECT_EQ(e.add(point("a", {}, {{"x", std::int64_t{1}}, {"y", std::int64_t{2}}})),
              (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(e.add(point("a", {{"t", "v"}}, {{"y", std::int64_t{3}}, {"s", std::string("no")}})),
              (std::vector<std::size_t>{1}));
    EXPECT_EQ(e.add(point("b", {}, {{"s", std::string("no")}})), (std::vector<std::size_t>{}));
}

TEST(PrometheusExposition, MergeKeepsEarlierSamplesAndLetsLaterOnesWin) {
    PrometheusExposition earlier;
    earlier.add(point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{0}}}));
    earlier.add(point("uptime", {{"monitor", "Search"}}, {{"up", std::int64_t{1}}}));
    earlier.add(point("records", {}, {{"total", std::int64_t{5}}}));
    PrometheusExposition later;
    later.add(point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{1}}}));
    later.add(point("visits", {}, {{"visits", std::int64_t{3}}}));
    earlier.merge(later);
    EXPECT_EQ(to_prometheus_text(earlier.families()),
              head("uptime_up", "uptime", "up") +
                  "uptime_up{monitor=\"Website\"} 1\n"
                  "uptime_up{monitor=\"Search\"} 1\n" +
                  head("records", "records", "total") + "records 5\n" + head("visits", "visits", "visits") +
                  "visits 3\n");
    ASSERT_NE(earlier.find("visits"), nullptr);
    EXPECT_EQ(earlier.find("nothing"), nullptr);
}

TEST(PrometheusText, AFieldThatBeginsWithItsMeasurementDoesNotRepeatIt) {
    EXPECT_EQ(prometheus_gauge_name("uptime", "uptime_ratio_1d"), "uptime_ratio_1d");
    EXPECT_EQ(prometheus_gauge_name("visits", "visits"), "visits");
    EXPECT_EQ(prometheus_gauge_name("visits", "unique_visitors"), "visits_unique_visitors");
    // Only the whole word: "uptimes" is not "uptime" repeated.
    EXPECT_EQ(prometheus_gauge_name("uptime", "uptimes"), "uptime_uptimes");
    EXPECT_EQ(prometheus_gauge_name("http-probe", "up"), "http_probe_up");
}

TEST(PrometheusText, AGaugeNeverEndsInASuffixReservedForOtherTypes) {
    EXPECT_EQ(prometheus_gauge_name("records", "total"), "records");
    EXPECT_EQ(prometheus_gauge_name("github", "stars_total"), "github_stars");
    EXPECT_EQ(prometheus_gauge_name("github", "forks_count"), "github_forks");
    EXPECT_EQ(prometheus_gauge_name("disk", "used_sum"), "disk_used");
    EXPECT_EQ(prometheus_gauge_name("m", "le_bucket_total"), "m_le");
    EXPECT_EQ(prometheus_gauge_name("records", "new"), "records_new");
    // A name that is nothing but the suffix keeps it: there would be no name left.
    EXPECT_EQ(prometheus_gauge_name("_total", "_total"), "_total");
}

TEST(PrometheusText, HelpComesFromTheDescriberAndIsEscaped) {
    const FieldDescriber describe = [](std::string_view measurement, std::string_view field) {
        return std::string(measurement) + "/" + std::string(field) + " C:\\x\nnext";
    };
    auto p = point("records", {}, {{"total", std::int64_t{7}}, {"new", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr, describe),
              "# HELP records records/total C:\\\\x\\nnext\n# TYPE records gauge\nrecords 7\n"
              "# HELP records_new records/new C:\\\\x\\nnext\n# TYPE records_new gauge\nrecords_new 1\n");
}
