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

}  // namespace

TEST(PrometheusText, OneGaugePerFieldWithTagsAsLabelsAndNoTimestamp) {
    auto p = point("uptime", {{"service", "zenodo"}, {"monitor", "Website"}},
                   {{"uptime_ratio_1d", 0.9996}, {"up", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({p}, &notes),
              "# TYPE uptime_uptime_ratio_1d gauge\n"
              "uptime_uptime_ratio_1d{monitor=\"Website\",service=\"zenodo\"} 0.9996\n"
              "# TYPE uptime_up gauge\n"
              "uptime_up{monitor=\"Website\",service=\"zenodo\"} 1\n");
    EXPECT_TRUE(notes.empty());
}

TEST(PrometheusText, PointWithoutTagsHasNoBraces) {
    EXPECT_EQ(to_prometheus_text({point("records", {}, {{"total", std::int64_t{433830}}})}, nullptr),
              "# TYPE records_total gauge\nrecords_total 433830\n");
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
              "# TYPE m_big gauge\nm_big 9223372036854775807\n"
              "# TYPE m_neg gauge\nm_neg -3\n"
              "# TYPE m_whole_float gauge\nm_whole_float 2\n"
              "# TYPE m_tiny gauge\nm_tiny 1.5e-09\n"
              "# TYPE m_huge gauge\nm_huge 1e+21\n"
              "# TYPE m_yes gauge\nm_yes 1\n"
              "# TYPE m_no gauge\nm_no 0\n");
}

TEST(PrometheusText, StringFieldsAreLeftOutWithOneNotePerKind) {
    auto a = point("invenio_instance", {{"instance", "a"}}, {{"up", std::int64_t{1}}, {"flavour", std::string("rdm")}});
    auto b = point("invenio_instance", {{"instance", "b"}}, {{"up", std::int64_t{0}}, {"flavour", std::string("v3")}});
    auto only_string = point("json", {}, {{"state", std::string("green")}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({a, b, only_string}, &notes),
              "# TYPE invenio_instance_up gauge\n"
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
              "# TYPE m_v gauge\nm_v{path=\"C:\\\\dir \\\"x\\\"\\nnext\tτ\"} 1\n");
}

TEST(PrometheusText, EmptyTagValuesAreNotLabels) {
    auto p = point("m", {{"a", ""}, {"b", "x"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr), "# TYPE m_v gauge\nm_v{b=\"x\"} 1\n");
}

TEST(PrometheusText, LabelsAreSortedBySanitisedName) {
    auto p = point("m", {{"Zeta", "1"}, {"a.b", "2"}, {"_c", "3"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_prometheus_text({p}, nullptr), "# TYPE m_v gauge\nm_v{Zeta=\"1\",_c=\"3\",a_b=\"2\"} 1\n");
}

TEST(PrometheusText, FamiliesAreGroupedInOrderOfFirstAppearance) {
    auto web = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{1}}, {"status", std::int64_t{2}}});
    auto records = point("records", {}, {{"total", std::int64_t{7}}});
    auto search = point("uptime", {{"monitor", "Search"}}, {{"up", std::int64_t{0}}, {"status", std::int64_t{9}}});
    EXPECT_EQ(to_prometheus_text({web, records, search}, nullptr),
              "# TYPE uptime_up gauge\n"
              "uptime_up{monitor=\"Website\"} 1\n"
              "uptime_up{monitor=\"Search\"} 0\n"
              "# TYPE uptime_status gauge\n"
              "uptime_status{monitor=\"Website\"} 2\n"
              "uptime_status{monitor=\"Search\"} 9\n"
              "# TYPE records_total gauge\n"
              "records_total 7\n");
}

TEST(PrometheusText, TheLastOfDuplicateSamplesWinsInTheFirstOnesPlace) {
    auto first = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{0}}});
    auto other = point("uptime", {{"monitor", "Search"}}, {{"up", std::int64_t{1}}});
    auto again = point("uptime", {{"monitor", "Website"}}, {{"up", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_prometheus_text({first, other, again}, &notes),
              "# TYPE uptime_up gauge\n"
              "uptime_up{monitor=\"Website\"} 1\n"
              "uptime_up{monitor=\"Search\"} 1\n");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "sample of \"uptime_up\" replaced by a later point with the same labels");
}

TEST(PrometheusText, NamesThatCollideAfterSanitisingShareAFamily) {
    auto dash = point("http-probe", {}, {{"up", std::int64_t{1}}});
    auto underscore = point("http_probe", {{"url", "x"}}, {{"up", std::int64_t{0}}});
    EXPECT_EQ(to_prometheus_text({dash, underscore}, nullptr),
              "# TYPE http_probe_up gauge\nhttp_probe_up 1\nhttp_probe_up{url=\"x\"} 0\n");
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
              "# TYPE uptime_up gauge\n"
              "uptime_up{monitor=\"Website\"} 1\n"
              "uptime_up{monitor=\"Search\"} 1\n"
              "# TYPE records_total gauge\n"
              "records_total 5\n"
              "# TYPE visits_visits gauge\n"
              "visits_visits 3\n");
    ASSERT_NE(earlier.find("visits_visits"), nullptr);
    EXPECT_EQ(earlier.find("nothing"), nullptr);
}
