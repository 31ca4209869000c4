// `kpi report` as a user runs it: the command line's behaviour, and the written page as
// headless Chromium renders it (DOM and screenshot). With KPI_SCREENSHOT_DIR set
// (scripts/screenshots), the screenshots are also kept there for the README.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "core/time.hpp"
#include "support/headless_chromium.hpp"
#include "support/run_kpi.hpp"
#include "support/report_samples.hpp"

using namespace kpi::test;

namespace {

std::int64_t at(const char* rfc3339) { return kpi::unix_seconds(*kpi::parse_rfc3339(rfc3339)); }

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

const std::string kGoodLine =
    R"({"measurement":"records","tags":{"service":"zenodo"},"fields":{"total":2345678},"time":"2026-11-28T14:11:00Z"})"
    "\n";

// Screenshots the page, checks that a PNG of the window's size was written, and keeps a
// copy in $KPI_SCREENSHOT_DIR when that is set.
void expect_screenshot(const std::string& html, const TempDir& dir, const std::string& name, int width, int height) {
    const std::string png = dir.file(name);
    const ChromiumResult shot = chromium_screenshot(html, png, width, height);
    ASSERT_EQ(shot.exit_code, 0) << shot.err;
    const PngSize size = png_size(png);
    EXPECT_EQ(size.width, width);
    EXPECT_EQ(size.height, height);
    // A blank page of this size compresses to a few kilobytes; charts and text do not.
    EXPECT_GT(std::filesystem::file_size(png), 40'000u);
    if (const char* keep = std::getenv("KPI_SCREENSHOT_DIR"); keep && *keep) {
        std::filesystem::copy_file(png, std::string(keep) + "/" + name,
                                   std::filesystem::copy_options::overwrite_existing);
    }
}

}  // namespace

TEST(ReportCli, ReadsStdinByDefaultAndWritesOnlyTheFile) {
    TempDir dir;
    const std::string html = dir.file("survey.html");
    auto r = run_kpi({"report", "--output", html}, RunOptions{.input = sample_survey_ndjson(at("2026-11-28T14:11:00Z"))});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const std::string page = read_file(html);
    EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page.find("24 points from stdin"), std::string::npos);
    EXPECT_NE(page.find("<h2>Survey of Invenio installations</h2>"), std::string::npos);
}

TEST(ReportCli, ReadsInputFileAndTakesATitle) {
    TempDir dir;
    const std::string input = dir.write("points.ndjson", kGoodLine);
    auto r = run_kpi({"report", "--input", input, "--output", dir.file("r.html"), "--title", "Zenodo & friends"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string page = read_file(dir.file("r.html"));
    EXPECT_NE(page.find("<title>Zenodo &amp; friends</title>"), std::string::npos);
    EXPECT_NE(page.find("1 point from " + input), std::string::npos);
    EXPECT_NE(page.find("<td class=\"num\">2,345,678</td>"), std::string::npos);
}

TEST(ReportCli, MissingOutputIsAUsageError) {
    TempDir dir;
    auto r = run_kpi({"report"}, RunOptions{.input = kGoodLine, .cwd = dir.path()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--output"), std::string::npos) << r.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ReportCli, UnreadableInputOrUnwritableOutputIsAUsageError) {
    TempDir dir;
    auto no_input = run_kpi({"report", "--input", dir.file("missing.ndjson"), "--output", dir.file("r.html")});
    EXPECT_EQ(no_input.exit_code, 2);
    EXPECT_NE(no_input.err.find("missing.ndjson"), std::string::npos) << no_input.err;
    auto no_dir = run_kpi({"report", "--output", dir.file("no/such/dir/r.html")}, RunOptions{.input = kGoodLine});
    EXPECT_EQ(no_dir.exit_code, 2);
    EXPECT_NE(no_dir.err.find("no/such/dir"), std::string::npos) << no_dir.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ReportCli, ABadLineExitsOneAndTheReportIsStillWritten) {
    TempDir dir;
    const std::string html = dir.file("r.html");
    auto r = run_kpi({"report", "--output", html},
                     RunOptions{.input = kGoodLine + "{\"measurement\":\"records\",\"fields\":{}}\n" + kGoodLine});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("stdin:2:"), std::string::npos) << r.err;
    const std::string page = read_file(html);
    EXPECT_NE(page.find("1 input line was not a valid point and is left out"), std::string::npos);
    EXPECT_NE(page.find("2,345,678"), std::string::npos);
    // Nothing but the report is left in the directory (the temporary file was renamed).
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(ReportInChromium, SurveyPageHasTotalsChartsAndTheTableOfSites) {
    TempDir dir;
    const std::string html = dir.file("survey.html");
    auto r = run_kpi({"report", "--output", html, "--title", "Invenio installations"},
                     RunOptions{.input = sample_survey_ndjson(at("2026-11-28T14:11:00Z"))});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const ChromiumResult dom = chromium_dump_dom(html);
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    const std::string& d = dom.out;
    EXPECT_NE(d.find("<dt>Sites</dt><dd>24</dd>"), std::string::npos) << d.substr(0, 3000);
    EXPECT_NE(d.find("<dt>Reachable</dt><dd>21 <small>88 %</small></dd>"), std::string::npos);
    EXPECT_NE(d.find("<dt>Records</dt><dd>2,456,653 <small>from 20 sites</small></dd>"), std::string::npos);
    EXPECT_EQ(count(d, "<svg "), 4u);
    for (const char* title : {"Sites by country", "Records by country", "Sites by flavour and version",
                              "Records by flavour and version"}) {
        EXPECT_NE(d.find(std::string("-title\">") + title + "</title>"), std::string::npos) << title;
    }
    EXPECT_NE(d.find(">inveniordm 13.0</text>"), std::string::npos);
    const auto body = d.find("<tbody>", d.find("<table class=\"sites\">"));
    ASSERT_NE(body, std::string::npos);
    const std::string rows = d.substr(body, d.find("</tbody>", body) - body);
    EXPECT_EQ(count(rows, "<tr>"), static_cast<std::size_t>(kSampleSurveySites));
    EXPECT_NE(rows.find("<a href=\"https://data.alpine.example\">Alpine Research Data Archive</a>"), std::string::npos);
    EXPECT_NE(rows.find("<td class=\"num\">1,534,876</td>"), std::string::npos);
    EXPECT_NE(rows.find("<td class=\"status-down\">not reachable</td>"), std::string::npos);
    EXPECT_NE(rows.find("<td class=\"status-up\">up, not recognised</td>"), std::string::npos);
    // Reading order: by country (AR, AU, CH, CL, ...), then name.
    EXPECT_LT(rows.find("Pampas Theses"), rows.find("Southern Cross Archive"));
    EXPECT_LT(rows.find("Southern Cross Archive"), rows.find("Alpine Research Data Archive"));
    EXPECT_LT(rows.find("Lakeside Physics Library"), rows.find("Open Video Collection"));
    EXPECT_LT(rows.find("Open Video Collection"), rows.find("Andes Data Library"));
    expect_screenshot(html, dir, "report-survey.png", 1000, 2800);
}

TEST(ReportInChromium, WeekOfPassesHasALineChartPerFieldAndTheRunStrip) {
    TempDir dir;
    dir.write("week.ndjson", sample_week_ndjson(at("2026-11-30T00:00:00Z")));
    const std::string html = dir.file("week.html");
    auto r = run_kpi({"report", "--input", "week.ndjson", "--output", "week.html", "--title", "Repository KPIs, one week"},
                     RunOptions{.cwd = dir.path()});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    const ChromiumResult dom = chromium_dump_dom(html);
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    const std::string& d = dom.out;
    // kpi_run: strip, duration_seconds, points; http_probe: 4 fields; records: 2; uptime: 3.
    EXPECT_EQ(count(d, "<svg "), 12u);
    EXPECT_NE(d.find("3,105 points from week.ndjson, 2026-11-23 00:00 UTC to 2026-11-29 23:00 UTC."), std::string::npos);
    EXPECT_EQ(d.find("id=\"survey\""), std::string::npos);
    EXPECT_NE(d.find("-title\">kpi_run: success per source</title>"), std::string::npos);
    EXPECT_EQ(count(d, "<g class=\"strip-row\">"), 7u);
    EXPECT_NE(d.find("opendata-records: 162 of 164 succeeded (98.8 %)"), std::string::npos);
    EXPECT_NE(d.find("-title\">uptime: uptime_ratio_1d</title>"), std::string::npos);
    EXPECT_NE(d.find(">uptime_ratio_1d (%)</text>"), std::string::npos);
    EXPECT_NE(d.find(">duration_seconds (ms)</text>"), std::string::npos);
    EXPECT_NE(d.find(">content_length_bytes (kB)</text>"), std::string::npos);
    EXPECT_NE(d.find(">Mon 23 Nov</text>"), std::string::npos);
    EXPECT_NE(d.find(">Sun 29 Nov</text>"), std::string::npos);
    EXPECT_NE(d.find(">monitor=Files upload/download, monitor_id=7792</text>"), std::string::npos);
    EXPECT_NE(d.find("All lines: service=zenodo."), std::string::npos);
    expect_screenshot(html, dir, "report-week.png", 1000, 2400);
}

TEST(ReportInChromium, HostileTagValuesStayText) {
    TempDir dir;
    const std::string evil = R"(<script>document.title='pwned'</script><img src=x onerror=alert(1)> \"&amp;)";
    std::string input;
    for (const char* time : {"2026-11-28T00:00:00Z", "2026-11-28T01:00:00Z"}) {
        input += R"({"measurement":"invenio_instance","tags":{"instance":")" + evil + R"x(","url":"javascript:alert(2)","country":")x" +
                 evil + R"(","flavour":")" + evil + R"("},"fields":{"up":1,"records":3},"time":")" + time + "\"}\n";
        input += R"({"measurement":"kpi_run","tags":{"source":")" + evil + R"("},"fields":{"success":1},"time":")" +
                 time + "\"}\n";
    }
    const std::string html = dir.file("evil.html");
    auto r = run_kpi({"report", "--output", html, "--title", evil}, RunOptions{.input = input});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const ChromiumResult dom = chromium_dump_dom(html);
    ASSERT_EQ(dom.exit_code, 0) << dom.err;
    EXPECT_EQ(dom.out.find("<script"), std::string::npos);
    EXPECT_EQ(dom.out.find("<img"), std::string::npos);
    EXPECT_EQ(dom.out.find("pwned</title>"), std::string::npos);
    EXPECT_EQ(dom.out.find("href=\"javascript"), std::string::npos);
    // The text is still there, as text.
    EXPECT_NE(dom.out.find("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"),
              std::string::npos);
}
