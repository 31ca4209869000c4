// The report page: self-contained, sections for what the points hold, and every string
// from a point escaped (tags come from remote services and survey lists).

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "core/ndjson.hpp"
#include "report/model.hpp"
#include "report/render.hpp"

using namespace kpi;
using namespace kpi::report;

namespace {

std::string render(const std::string& ndjson) {
    ReportCollector collector;
    for (const auto& p : parse_ndjson(ndjson)) collector.add(p);
    return render_report(collector.finish(), PageInfo{.input_name = "test", .written_at = 1795875060});
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST(ReportPage, HostileTagValuesAreEscapedEverywhere) {
    // Quotes, angle brackets and ampersands in every tag the page shows, in the survey and
    // in the series; a javascript: URL where a site's address belongs.
    const std::string hostile = R"(<script>alert(1)</script>\" onmouseover=\"x\" & <img src=x>)";
    std::string ndjson;
    for (int pass = 0; pass < 3; ++pass) {
        const std::string time = "\"time\":\"2026-11-28T0" + std::to_string(pass) + ":00:00Z\"";
        ndjson += R"({"measurement":"invenio_instance","tags":{"instance":")" + hostile + R"x(","url":"javascript:alert(1)","country":")x" +
                  hostile + R"(","flavour":")" + hostile + R"(","version":")" + hostile +
                  R"("},"fields":{"up":1,"records":5},)" + time + "}\n";
        ndjson += R"({"measurement":")" + hostile + R"(","tags":{"service":")" + hostile + R"(","x":"y"},"fields":{")" +
                  hostile + R"(":1.5},)" + time + "}\n";
        ndjson += R"({"measurement":")" + hostile + R"(","tags":{"service":"plain"},"fields":{")" + hostile +
                  R"(":2.5},)" + time + "}\n";
        ndjson += R"({"measurement":"kpi_run","tags":{"source":")" + hostile +
                  R"("},"fields":{"success":1,"duration_seconds":0.5},)" + time + "}\n";
    }
    const std::string page = render(ndjson);
    ASSERT_GT(page.size(), 1000u);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("<img"), std::string::npos);
    EXPECT_EQ(page.find("onmouseover=\""), std::string::npos);
    EXPECT_EQ(page.find("javascript:alert(1)\""), std::string::npos);  // never an attribute value
    EXPECT_EQ(page.find("href=\"javascript"), std::string::npos);
    EXPECT_GT(count(page, "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&quot; &amp; &lt;img"), 5u);
    // Every element on the page is one the renderer writes.
    static const std::set<std::string> known{"html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
                                             "h3", "p", "nav", "ul", "li", "a", "main", "section", "div", "dl",
                                             "dt", "dd", "small", "figure", "figcaption", "svg", "desc", "rect",
                                             "text", "g", "line", "path", "circle", "defs", "pattern", "table",
                                             "caption", "thead", "tbody", "tr", "th", "td", "span"};
    const std::regex tag("<([a-zA-Z][a-zA-Z0-9]*)");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), tag); it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(known.contains((*it)[1].str())) << (*it)[1].str();
    }
}

TEST(ReportPage, SelfContainedWithoutScriptOrRemoteResources) {
    const std::string page = render(
        R"({"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":1},"time":"2026-11-28T00:00:00Z"}
{"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":2},"time":"2026-11-28T01:00:00Z"}
)");
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("src="), std::string::npos);
    EXPECT_EQ(page.find("@import"), std::string::npos);
    EXPECT_EQ(page.find("url(http"), std::string::npos);
    EXPECT_NE(page.find("@media print"), std::string::npos);
    EXPECT_EQ(count(page, "<svg "), 1u);
    EXPECT_NE(page.find("<title id=\"chart-1-title\">records: total</title>"), std::string::npos);
    EXPECT_EQ(page.find("id=\"survey\""), std::string::npos);  // no survey points, no survey
}

TEST(ReportPage, SinglePassMeasurementsBecomeATable) {
    const std::string page = render(
        R"({"measurement":"uptime","tags":{"monitor":"Website"},"fields":{"uptime_ratio_1d":0.9996,"response_time_seconds":0.624861},"time":"2026-11-28T14:11:00Z"}
)");
    EXPECT_EQ(page.find("<svg "), std::string::npos);
    EXPECT_NE(page.find("<td class=\"num\">99.96 %</td>"), std::string::npos);
    EXPECT_NE(page.find("<td class=\"num\">625 ms</td>"), std::string::npos);
}

TEST(ReportPage, EmptyInputSaysSo) {
    const std::string page = render("");
    EXPECT_NE(page.find("No points to show."), std::string::npos);
    EXPECT_NE(page.find("0 points from test."), std::string::npos);
}

TEST(ReportPage, ManyTagSetsAreCappedAndNamed) {
    std::string ndjson;
    for (int url = 0; url < 13; ++url) {
        for (int pass = 0; pass < 2; ++pass) {
            ndjson += R"({"measurement":"http_probe","tags":{"service":"s","url":"https://h/)" + std::to_string(url) +
                      R"("},"fields":{"duration_seconds":)" + std::to_string(url + 1) + R"(.0},"time":"2026-11-28T0)" +
                      std::to_string(pass) + ":00:00Z\"}\n";
        }
    }
    const std::string page = render(ndjson);
    EXPECT_EQ(count(page, "<g class=\"series\">"), 10u);
    EXPECT_NE(page.find("All lines: service=s. 3 more not drawn (smallest latest values): url=https://h/2; "
                        "url=https://h/1; url=https://h/0."),
              std::string::npos);
}

TEST(ReportPage, ATagSetKeepsItsLineStyleAcrossTheMeasurementsCharts) {
    // In field `a` service x has the larger latest value, in field `b` service y does, so
    // the legend order differs; the styles must not.
    std::string ndjson;
    for (int pass = 0; pass < 2; ++pass) {
        const std::string time = "\"time\":\"2026-11-28T0" + std::to_string(pass) + ":00:00Z\"";
        ndjson += R"({"measurement":"m","tags":{"service":"x"},"fields":{"a":9,"b":1},)" + time + "}\n";
        ndjson += R"({"measurement":"m","tags":{"service":"y"},"fields":{"a":1,"b":9},)" + time + "}\n";
    }
    const std::string page = render(ndjson);
    const std::regex line("<g class=\"series\"><title>service=([xy]): [^<]*</title><path d=\"[^\"]*\" fill=\"none\" "
                          "stroke=\"(#[0-9a-f]{6})\"( stroke-width=\"2\" stroke-linejoin=\"round\")?( stroke-dasharray=\"[^\"]*\")?");
    std::map<std::string, std::set<std::string>> styles;
    std::vector<std::string> order;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), line); it != std::sregex_iterator(); ++it) {
        styles[(*it)[1].str()].insert((*it)[2].str() + (*it)[4].str());
        order.push_back((*it)[1].str());
    }
    EXPECT_EQ(order, (std::vector<std::string>{"x", "y", "y", "x"}));
    ASSERT_EQ(styles.size(), 2u);
    EXPECT_EQ(styles["x"].size(), 1u);
    EXPECT_EQ(styles["y"].size(), 1u);
    EXPECT_NE(*styles["x"].begin(), *styles["y"].begin());
}
