#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.hpp"
#include "sources/datacite/datacite_report.hpp"
#include "support/testdata.hpp"

using namespace kpi::datacite;

using kpi::test::testdata;

namespace {

// Fixtures are windows-1252 like the real pages.
std::string page(const std::string& name) { return page_as_utf8("text/html", testdata("sources/datacite", name)); }

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

}  // namespace

// --- months ------------------------------------------------------------------------------

TEST(DataciteMonths, NamedInText) {
    EXPECT_EQ(month_in_text("June 2018"), (YearMonth{2018, 6}));
    EXPECT_EQ(month_in_text("  jun  2018 "), (YearMonth{2018, 6}));
    EXPECT_EQ(month_in_text("DOI resolution report December 2011"), (YearMonth{2011, 12}));
    EXPECT_EQ(month_in_text("Sept 2017"), (YearMonth{2017, 9}));
    EXPECT_EQ(month_in_text("2019-03"), (YearMonth{2019, 3}));
}

TEST(DataciteMonths, TextWithoutAMonth) {
    EXPECT_EQ(month_in_text("About these reports"), std::nullopt);
    EXPECT_EQ(month_in_text("May"), std::nullopt);             // no year
    EXPECT_EQ(month_in_text("Total 2018"), std::nullopt);      // no month
    EXPECT_EQ(month_in_text("Mayday 2018"), std::nullopt);     // a word that only starts like one
    EXPECT_EQ(month_in_text("2018-13"), std::nullopt);
}

// Found by fuzzing (tests/fuzz/corpus/datacite_index/regression-month-before-1678): the
// month's first instant overflowed the 64-bit nanosecond count.
TEST(DataciteMonths, YearsATimestampCannotHoldAreNoMonth) {
    EXPECT_EQ(month_in_text("June 1252"), std::nullopt);
    EXPECT_EQ(month_in_text("June 2999"), std::nullopt);
    EXPECT_EQ(month_in_href("resolutions_06_2300.html"), std::nullopt);
}

TEST(DataciteMonths, CarriedInFileNames) {
    EXPECT_EQ(month_in_href("resolutions_06_2018.html"), (YearMonth{2018, 6}));
    EXPECT_EQ(month_in_href("https://stats.example.org/2017/resolutions_12_2017.html?x=1"),
              (YearMonth{2017, 12}));
    EXPECT_EQ(month_in_href("/reports/2018-07.html"), (YearMonth{2018, 7}));
    EXPECT_EQ(month_in_href("style.css"), std::nullopt);
    EXPECT_EQ(month_in_href("https://example.org/2018/"), std::nullopt);
}

TEST(DataciteMonths, FirstInstantIsMidnightUtcOfTheFirst) {
    EXPECT_EQ(kpi::format_rfc3339(*first_instant({2018, 6})), "2018-06-01T00:00:00Z");
    EXPECT_EQ(kpi::format_rfc3339(*first_instant({2020, 12})), "2020-12-01T00:00:00Z");
    EXPECT_EQ(to_string(YearMonth{2018, 6}), "June 2018");
}

// A page may name any four-digit year; 2999 must not wrap into a time in the 1800s.
TEST(DataciteMonths, AMonthBeyondWhatSinksStoreHasNoInstant) {
    EXPECT_EQ(first_instant({2999, 1}), std::nullopt);
    EXPECT_EQ(first_instant({1969, 12}), std::nullopt);
}

// --- the index -----------------------------------------------------------------------------

TEST(DataciteIndex, NewestIsByMonthNotPosition) {
    auto html = replace_all(page("index_relative.html"), "{{BASE}}", "http://stats.example.org");
    auto links = find_report_links(html, "http://stats.example.org/stats/index.html");
    ASSERT_EQ(links.size(), 5u);  // "About these reports" and the stylesheet are no reports
    EXPECT_EQ(links[0].href, "resolutions_05_2018.html");
    EXPECT_EQ(links[0].url, "http://stats.example.org/stats/resolutions_05_2018.html");
    EXPECT_EQ(links[3].url, "http://stats.example.org/archive/resolutions_12_2017.html");
    EXPECT_EQ(links[4].url, "http://stats.example.org/stats/resolutions_01_2018.html");
    auto best = newest(links);
    ASSERT_TRUE(best);
    EXPECT_EQ(best->month, (YearMonth{2018, 7}));
    EXPECT_EQ(best->href, "reports/resolutions_07_2018.html");
    EXPECT_EQ(best->url, "http://stats.example.org/stats/reports/resolutions_07_2018.html");
}

TEST(DataciteIndex, AbsoluteLinkIsKept) {
    auto html = replace_all(page("index_absolute.html"), "{{BASE}}", "http://stats.example.org");
    auto best = newest(find_report_links(html, "http://mirror.example.org/"));
    ASSERT_TRUE(best);
    EXPECT_EQ(best->url, "http://stats.example.org/elsewhere/resolutions_07_2018.html");
}

TEST(DataciteIndex, MonthFromAddressWhenTextNamesNone) {
    auto links = find_report_links(
        "<a href='r/resolutions_02_2019.html'>latest</a><a href='r/resolutions_11_2018.html'>older</a>",
        "http://h/");
    auto best = newest(links);
    ASSERT_TRUE(best);
    EXPECT_EQ(best->month, (YearMonth{2019, 2}));
}

TEST(DataciteIndex, EntitiesInAddressesAreDecoded) {
    auto links = find_report_links("<a href=' report?m=06&amp;y=2018#top '>June 2018</a>", "http://h/x/");
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].href, "report?m=06&y=2018#top");
    EXPECT_EQ(links[0].url, "http://h/x/report?m=06&y=2018");
}

TEST(DataciteIndex, BaseElementRebasesLinks) {
    auto links = find_report_links(
        "<head><base href='/reports/'></head><a href='resolutions_06_2018.html'>June 2018</a>",
        "http://h/index.html");
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].url, "http://h/reports/resolutions_06_2018.html");
}

// DataCite's real index of 2018 (testdata/README.md): 80 months from
// November 2011, the newest June 2018, linked absolutely.
TEST(DataciteIndex, RealIndexLeadsToJune2018) {
    const std::string html = testdata("sources/datacite", "index_real_2018.html");
    const auto links = find_report_links(page_as_utf8("text/html", html),
                                         "https://stats.datacite.org/stats/resolution-report/");
    EXPECT_EQ(links.size(), 80u);
    auto latest = newest(links);
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->url, "https://stats.datacite.org/stats/resolution-report/resolutions_06_2018.html");
    EXPECT_EQ(latest->month, (YearMonth{2018, 6}));
}

// The real June 2018 report, trimmed to CERN's rows.
TEST(DataciteReport, RealJune2018RowsAreReadExactly) {
    const std::string html = testdata("sources/datacite", "report_2018-06_real_cern_rows.html");
    auto report = parse_report(page_as_utf8("text/html", html), {"10.5281", "10.7483", "10.17181"});
    ASSERT_TRUE(report.month);
    EXPECT_EQ(*report.month, (YearMonth{2018, 6}));
    ASSERT_EQ(report.rows.size(), 3u);
    EXPECT_TRUE(report.missing.empty());
    EXPECT_TRUE(report.malformed.empty());
    const auto& zenodo = report.rows[0];
    EXPECT_EQ(zenodo.prefix, "10.5281");
    EXPECT_EQ(zenodo.client, "CERN.ZENODO");
    EXPECT_EQ(zenodo.attempted, 727547);
    EXPECT_EQ(zenodo.successful, 710383);
    EXPECT_EQ(zenodo.failed, 17164);
    EXPECT_EQ(zenodo.unique, 322854);
    EXPECT_EQ(zenodo.unique_successful, 320004);
    EXPECT_EQ(zenodo.unique_failed, 2850);
    EXPECT_EQ(report.rows[1].client, "CERN.OPENDATA");
    EXPECT_EQ(report.rows[1].attempted, 978);
    EXPECT_EQ(report.rows[2].client, "CERN.CDS");
    EXPECT_EQ(report.rows[2].unique_failed, 4);
}

TEST(DataciteIndex, NoLinksNoNewest) {
    EXPECT_TRUE(find_report_links("<html><body><p>Nothing yet</p></body></html>", "http://h/").empty());
    EXPECT_EQ(newest({}), std::nullopt);
}


// --- charset -----------------------------------------------------------------------------------

TEST(DatacitePages, Windows1252UnlessUtf8IsDeclared) {
    const std::string body = "<p>\xE9</p>";
    EXPECT_EQ(page_as_utf8("text/html", body), "<p>\xC3\xA9</p>");
    EXPECT_EQ(page_as_utf8("text/html; charset=ISO-8859-1", body), "<p>\xC3\xA9</p>");
    EXPECT_EQ(page_as_utf8("text/html; charset=\"UTF-8\"", "<p>\xC3\xA9</p>"), "<p>\xC3\xA9</p>");
    EXPECT_EQ(page_as_utf8("", "<meta charset=utf-8><p>\xC3\xA9</p>"), "<meta charset=utf-8><p>\xC3\xA9</p>");
    // The header wins over the page.
    EXPECT_EQ(page_as_utf8("text/html; charset=windows-1252", "<meta charset=utf-8>\xE9"),
              "<meta charset=utf-8>\xC3\xA9");
}

// --- the report ---------------------------------------------------------------------------------

TEST(DataciteReport, ReadsTheRowsAskedFor) {
    auto report = parse_report(page("report_2018-07.html"), {"10.5281", "10.17181", "10.7483"});
    EXPECT_EQ(report.month, (YearMonth{2018, 7}));
    EXPECT_TRUE(report.missing.empty());
    EXPECT_TRUE(report.malformed.empty());
    ASSERT_EQ(report.rows.size(), 3u);

    const PrefixRow& zenodo = report.rows[0];
    EXPECT_EQ(zenodo.prefix, "10.5281");
    EXPECT_EQ(zenodo.client, "CERN.ZENODO");  // under the prefix, in a <p>
    EXPECT_EQ(zenodo.attempted, 812345);
    EXPECT_EQ(zenodo.successful, 790001);
    EXPECT_EQ(zenodo.failed, 22344);
    EXPECT_EQ(zenodo.unique, 345678);
    EXPECT_EQ(zenodo.unique_successful, 341000);
    EXPECT_EQ(zenodo.unique_failed, 4678);

    EXPECT_EQ(report.rows[1].prefix, "10.17181");
    EXPECT_EQ(report.rows[1].client, "CERN.CDS");  // after a <br>
    EXPECT_EQ(report.rows[1].attempted, 9210);
    EXPECT_EQ(report.rows[2].client, "CERN.OPENDATA");
    EXPECT_EQ(report.rows[2].unique_failed, 5131);
}

TEST(DataciteReport, Windows1252ClientComesOutAsUtf8) {
    auto report = parse_report(page("report_2018-07.html"), {"10.9876"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].client, "ENS.\xC3\xA9" "COLE");
}

TEST(DataciteReport, MissingPrefixesAreNamedAndOthersStillRead) {
    auto report = parse_report(page("report_2018-07.html"), {"10.0001", "10.5281", "10.0002"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].prefix, "10.5281");
    EXPECT_EQ(report.missing, (std::vector<std::string>{"10.0001", "10.0002"}));
}

TEST(DataciteReport, TotalsLineIsNoPrefix) {
    auto report = parse_report(page("report_2018-07.html"), {"Total"});
    EXPECT_TRUE(report.rows.empty());
    EXPECT_EQ(report.missing, (std::vector<std::string>{"Total"}));
}

TEST(DataciteReport, PrefixAskedTwiceIsReadOnce) {
    auto report = parse_report(page("report_2018-07.html"), {"10.5281", "10.5281"});
    EXPECT_EQ(report.rows.size(), 1u);
    EXPECT_TRUE(report.missing.empty());
}

TEST(DataciteReport, PageWithoutTable) {
    try {
        parse_report(page("report_no_table.html"), {"10.5281"});
        FAIL() << "expected ReportFormatError";
    } catch (const ReportFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("no report table"), std::string::npos) << e.what();
    }
}

TEST(DataciteReport, WrongColumnsSayWhich) {
    try {
        parse_report(page("report_wrong_columns.html"), {"10.5281"});
        FAIL() << "expected ReportFormatError";
    } catch (const ReportFormatError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("columns are not the expected ones"), std::string::npos) << what;
        EXPECT_NE(what.find("column 3 is \"Total resolutions\", expected \"Total attempted\""),
                  std::string::npos)
            << what;
    }
}

TEST(DataciteReport, TooFewColumns) {
    try {
        parse_report("<table><tr><th>#</th><th>Prefix</th></tr><tr><td>1</td><td>10.1</td></tr></table>",
                     {"10.1"});
        FAIL() << "expected ReportFormatError";
    } catch (const ReportFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("has 2 columns, expected at least 8"), std::string::npos)
            << e.what();
    }
}

TEST(DataciteReport, ReportTablePreferredOverLayoutTables) {
    // A layout table first, the report second.
    std::string html = "<table><tr><td>menu</td></tr></table>" + page("report_2018-07.html");
    auto report = parse_report(html, {"10.5281"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].attempted, 812345);
}

TEST(DataciteReport, TruncatedPageReadsWhatIsComplete) {
    auto report = parse_report(page("report_truncated.html"), {"10.5281", "10.17181", "10.7483"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].prefix, "10.5281");
    // The cut row: its counts stop in the middle.
    ASSERT_EQ(report.malformed.size(), 1u);
    EXPECT_NE(report.malformed[0].find("prefix 10.17181"), std::string::npos) << report.malformed[0];
    EXPECT_EQ(report.missing, (std::vector<std::string>{"10.7483"}));
}

TEST(DataciteReport, CountThatIsNoNumber) {
    auto report = parse_report(page("report_bad_count.html"), {"10.5281"});
    EXPECT_TRUE(report.rows.empty());
    EXPECT_TRUE(report.missing.empty());
    ASSERT_EQ(report.malformed.size(), 1u);
    EXPECT_EQ(report.malformed[0], "prefix 10.5281: column \"Successful\" reads \"n/a\", not a count");
}

TEST(DataciteReport, GroupedDigitsAreCounts) {
    const std::string html =
        "<table><tr><th>#</th><th>Prefix</th><th>Total attempted</th><th>Successful</th><th>Failed</th>"
        "<th>Total unique DOIs</th><th>Unique DOI: successes</th><th>Unique DOI: failures</th></tr>"
        "<tr><td>1</td><td>10.1<br>X.Y</td><td>15,074,009</td><td>1</td><td>2</td><td>3</td><td>4</td>"
        "<td>5</td></tr></table>";
    auto report = parse_report(html, {"10.1"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].attempted, 15074009);
    EXPECT_EQ(report.rows[0].client, "X.Y");  // plain text prefix, no link
}

TEST(DataciteReport, GarbageIsNoReport) {
    std::string garbage;
    for (int i = 0; i < 20000; ++i) garbage += static_cast<char>((i * 7919) % 251 + 1);
    garbage += "<<<>>><div><div><div><td></tr></table";
    EXPECT_THROW(parse_report(page_as_utf8("", garbage), {"10.5281"}), ReportFormatError);
    EXPECT_THROW(parse_report("", {"10.5281"}), ReportFormatError);
}

TEST(DataciteReport, LargeReportInOnePass) {
    // 20k rows, the shape of the real 2.8 MB report; the asked prefixes are spread over it.
    std::string html =
        "<html><head><title>DOI resolution report March 2021</title></head><body><table id='rep'>"
        "<thead><tr><th>#&nbsp;</th><th>Prefix&nbsp;</th><th>Total attempted</th><th>Successful</th>"
        "<th>Failed</th><th>Total unique DOIs</th><th>Unique DOI: successes </th>"
        "<th>Unique DOI: failures</th><th>Top 10 DOIs: successes</th><th>Top 10 DOIs: failures</th>"
        "</tr></thead><tbody>\n";
    const int rows = 20000;
    for (int i = 0; i < rows; ++i) {
        std::string prefix = "10." + std::to_string(10000 + i);
        html += "<tr><td>" + std::to_string(i + 1) + "</td><td><a href='https://s/?q=" + prefix + "'>" +
                prefix + "</a><p>CLIENT." + std::to_string(i) + "</p><p></p></td>";
        for (int c = 0; c < 6; ++c) html += "<td>" + std::to_string(i * 10 + c) + "</td>";
        html += "<td><ol><li><a href='http://dx.doi.org/" + prefix + "/A'>" + prefix +
                "/A</a><i> (2)</i></li></ol></td><td><ol></ol></td></tr>\n";
    }
    html += "</tbody></table></body></html>";

    std::vector<std::string> asked;
    for (int i : {0, 4999, 12345, rows - 1}) asked.push_back("10." + std::to_string(10000 + i));
    asked.push_back("10.99");
    auto report = parse_report(html, asked);
    EXPECT_EQ(report.month, (YearMonth{2021, 3}));
    ASSERT_EQ(report.rows.size(), 4u);
    int k = 0;
    for (int i : {0, 4999, 12345, rows - 1}) {
        const PrefixRow& row = report.rows[k++];
        EXPECT_EQ(row.prefix, "10." + std::to_string(10000 + i));
        EXPECT_EQ(row.client, "CLIENT." + std::to_string(i));
        EXPECT_EQ(row.attempted, i * 10);
        EXPECT_EQ(row.unique_failed, i * 10 + 5);
    }
    EXPECT_EQ(report.missing, (std::vector<std::string>{"10.99"}));
}
