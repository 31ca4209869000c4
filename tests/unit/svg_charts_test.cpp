// The chart writer's output: structure, text alternatives, escaping, distinct styles.

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "svg/charts.hpp"
#include "svg/frame.hpp"

using namespace kpi::svg;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

// Every < opens a tag we wrote: an element name, a closing tag or nothing else.
void expect_only_known_elements(const std::string& svg) {
    static const std::set<std::string> known{"svg", "title", "desc", "rect", "text", "g", "line", "path",
                                             "circle", "defs", "pattern"};
    const std::regex tag("</?([a-zA-Z]+)");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(known.contains((*it)[1].str())) << (*it)[1].str();
    }
    EXPECT_EQ(count(svg, "<"), count(svg, ">")) << "unbalanced angle brackets";
}

const std::string kHostile = "<script>alert('x')</script> \"q\" & co";

}  // namespace

TEST(BarChart, OneBarPerCategoryWithTitleAxisAndTextAlternative) {
    BarChart chart{.id = "c1", .title = "Sites by country", .value_label = "sites",
                   .segments = {"reachable", "not reachable"},
                   .bars = {{"CH", {12, 2}}, {"US", {8, 0}}, {"FR", {1, 1}}}};
    const std::string svg = bar_chart(chart);
    EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-labelledby=\"c1-title c1-desc\""), std::string::npos);
    EXPECT_NE(svg.find("<title id=\"c1-title\">Sites by country</title>"), std::string::npos);
    EXPECT_NE(svg.find("CH: 14 sites (12 reachable, 2 not reachable)"), std::string::npos) << svg;
    EXPECT_EQ(count(svg, "<g class=\"bar\">"), 3u);
    EXPECT_NE(svg.find(">sites</text>"), std::string::npos);  // axis label
    EXPECT_NE(svg.find(">not reachable</text>"), std::string::npos);  // legend
    expect_only_known_elements(svg);
}

TEST(BarChart, LongerValuesDrawLongerBars) {
    BarChart chart{.id = "c", .title = "t", .value_label = "records", .bars = {{"a", {100}}, {"b", {50}}}};
    const std::string svg = bar_chart(chart);
    const std::regex width("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\" height=\"18\"");
    std::vector<double> widths;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), width); it != std::sregex_iterator(); ++it)
        widths.push_back(std::stod((*it)[1].str()));
    ASSERT_EQ(widths.size(), 2u) << svg;
    EXPECT_NEAR(widths[0], 2 * widths[1], 1.0);
}

TEST(BarChart, EscapesLabelsAndTitles) {
    BarChart chart{.id = "c", .title = kHostile, .value_label = kHostile, .bars = {{kHostile, {3}}}};
    const std::string svg = bar_chart(chart);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_EQ(svg.find("\"q\""), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
    expect_only_known_elements(svg);
}

TEST(BarChart, NoDataSaysSo) {
    const std::string svg = bar_chart(BarChart{.id = "c", .title = "Records by country", .value_label = "records"});
    EXPECT_NE(svg.find(">no data</text>"), std::string::npos);
    EXPECT_NE(svg.find("Records by country: no data."), std::string::npos);
}

TEST(LineChart, OneLinePerSeriesAndALegend) {
    LineChart chart{.id = "l", .title = "uptime: response_time_seconds", .y_label = "response_time_seconds (ms)"};
    for (int s = 0; s < 3; ++s) {
        LineSeries series{.label = "monitor=m" + std::to_string(s)};
        for (int h = 0; h < 48; ++h) series.values.push_back({1795824000 + h * 3600, 100.0 * s + h});
        chart.series.push_back(series);
    }
    const std::string svg = line_chart(chart);
    EXPECT_EQ(count(svg, "<g class=\"series\">"), 3u);
    EXPECT_EQ(count(svg, "<g class=\"legend\">"), 3u);
    EXPECT_NE(svg.find(">time (UTC)</text>"), std::string::npos);
    EXPECT_NE(svg.find(">response_time_seconds (ms)</text>"), std::string::npos);
    EXPECT_NE(svg.find("monitor=m2: last 247"), std::string::npos) << svg.substr(0, 800);
    EXPECT_NE(svg.find("3 lines of response_time_seconds (ms) from 2026-11-28 00:00 UTC to 2026-11-29 23:00 UTC"),
              std::string::npos);
    expect_only_known_elements(svg);
}

TEST(LineChart, AMissedPassBreaksTheLine) {
    LineSeries s{.label = "a", .values = {{0, 1}, {3600, 2}, {7200, 3}, {6 * 3600, 4}, {7 * 3600, 5}}};
    const std::string svg = line_chart(LineChart{.id = "l", .title = "t", .y_label = "y", .series = {s}});
    const auto start = svg.find("<g class=\"series\">");
    const auto d = svg.find(" d=\"", start);
    const std::string path = svg.substr(d + 4, svg.find('"', d + 4) - d - 4);
    EXPECT_EQ(count(path, "M"), 2u) << path;
    EXPECT_EQ(count(path, "L"), 3u) << path;
}

TEST(LineChart, SeriesDifferInDashAndMarkerNotOnlyColour) {
    std::set<std::tuple<std::string, std::string, int>> seen;
    std::set<std::string> dash_and_marker;
    for (std::size_t i = 0; i < series_style_count(); ++i) {
        const SeriesStyle s = series_style(i);
        seen.insert({s.colour, s.dash, static_cast<int>(s.marker)});
        dash_and_marker.insert(std::string(s.dash) + "/" + std::to_string(static_cast<int>(s.marker)));
    }
    EXPECT_EQ(seen.size(), series_style_count());
    // In greyscale only dash and marker remain: they alone tell every style apart.
    EXPECT_EQ(dash_and_marker.size(), series_style_count());
}

TEST(LineChart, EscapesSeriesLabels) {
    LineSeries s{.label = kHostile, .values = {{0, 1}, {3600, 2}}};
    const std::string svg = line_chart(LineChart{.id = "l", .title = kHostile, .y_label = kHostile, .series = {s}});
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    expect_only_known_elements(svg);
}

TEST(StripChart, RunsOfEqualCellsAreOneRectangleEach) {
    StripChart chart{.id = "s", .title = "kpi_run: success per source", .times = {0, 3600, 7200, 10800, 14400}};
    chart.rows.push_back({"zenodo-records", {true, true, false, true, true}});
    chart.rows.push_back({"matomo", {true, std::nullopt, std::nullopt, true, true}});
    const std::string svg = strip_chart(chart);
    EXPECT_EQ(count(svg, "class=\"cell-ok\""), 4u);
    EXPECT_EQ(count(svg, "class=\"cell-failed\""), 1u);
    EXPECT_EQ(count(svg, "class=\"cell-nodata\""), 1u);
    EXPECT_NE(svg.find("zenodo-records: 4 of 5 succeeded (80.0 %)"), std::string::npos);
    EXPECT_NE(svg.find("matomo: no data, 2 passes from 1970-01-01 01:00 UTC to 1970-01-01 02:00 UTC"),
              std::string::npos);
    EXPECT_NE(svg.find("fill=\"url(#s-failed)\""), std::string::npos);  // hatched, not colour alone
    expect_only_known_elements(svg);
}

TEST(StripChart, PassesThatNeverRanLeaveAGap) {
    // Hourly passes, then none for five hours: the run of successes is split, and the row's
    // background (no data) shows between.
    StripChart chart{.id = "s", .title = "t", .times = {0, 3600, 7200, 6 * 3600, 7 * 3600}};
    chart.rows.push_back({"a", {true, true, true, true, true}});
    const std::string svg = strip_chart(chart);
    EXPECT_EQ(count(svg, "class=\"cell-ok\""), 2u) << svg;
    EXPECT_NE(svg.find("a: succeeded, 3 passes from 1970-01-01 00:00 UTC to 1970-01-01 02:00 UTC"), std::string::npos);
    EXPECT_NE(svg.find("a: succeeded, 2 passes from 1970-01-01 06:00 UTC to 1970-01-01 07:00 UTC"), std::string::npos);
}

TEST(LineChart, AConstantPositiveLineStandsOnZero) {
    LineSeries s{.label = "up", .values = {{0, 1}, {3600, 1}, {7200, 1}}};
    const std::string svg = line_chart(LineChart{.id = "l", .title = "t", .y_label = "up", .series = {s}});
    EXPECT_NE(svg.find(">0</text>"), std::string::npos) << svg;
    EXPECT_EQ(svg.find(">0.9</text>"), std::string::npos);
}
