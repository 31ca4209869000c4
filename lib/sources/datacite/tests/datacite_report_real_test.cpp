// The DataCite report reader on the real June 2018 page, and on pages built to break it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sources/datacite/datacite_report.hpp"
#include "support/testdata.hpp"

using namespace kpi::datacite;

using kpi::test::testdata;

namespace {

std::string row_text(const PrefixRow& r) {
    std::ostringstream out;
    out << r.prefix << '\t' << r.client << '\t' << r.attempted << '\t' << r.successful << '\t' << r.failed << '\t'
        << r.unique << '\t' << r.unique_successful << '\t' << r.unique_failed;
    return out.str();
}

const std::string kHeading =
    "<table id='rep'><thead><tr><th>#</th><th>Prefix</th><th>Total attempted</th><th>Successful</th>"
    "<th>Failed</th><th>Total unique DOIs</th><th>Unique DOI: successes</th><th>Unique DOI: failures</th>"
    "</tr></thead><tbody>\n";

std::string report_row(int i) {
    const std::string prefix = "10." + std::to_string(10000 + i);
    return "<tr><td>" + std::to_string(i) + "</td><td><a href='x'>" + prefix + "</a><p>C." + std::to_string(i) +
           "</p></td><td>" + std::to_string(i) + "</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td></tr>\n";
}

std::string repeat(const std::string& text, int times) {
    std::string out;
    out.reserve(text.size() * static_cast<std::size_t>(times));
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

}  // namespace

// README of /work/shared/reference: 10.5281 reads 727547 attempted, 710383 successful, 17164
// failed, 322854 unique, 320004 unique successful, 2850 unique failed.
TEST(DataciteRealReport, June2018Zenodo) {
    const std::string page = testdata("sources/datacite", "report_2018-06.html");
    auto report = parse_report(page, {"10.5281"}, Charset::Windows1252);
    EXPECT_EQ(report.month, (YearMonth{2018, 6}));
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(row_text(report.rows[0]), "10.5281\tCERN.ZENODO\t727547\t710383\t17164\t322854\t320004\t2850");
    // The same read from the page converted to UTF-8 first.
    auto converted = parse_report(page_as_utf8("text/html", page), {"10.5281"});
    ASSERT_EQ(converted.rows.size(), 1u);
    EXPECT_EQ(row_text(converted.rows[0]), row_text(report.rows[0]));
}

// Every one of the page's 1,277 rows reads as the earlier reader (gumbo's full tree) read it.
TEST(DataciteRealReport, EveryRowAsTheTreeReaderReadIt) {
    std::vector<std::string> expected, prefixes;
    std::istringstream rows(testdata("sources/datacite", "report_2018-06.rows.tsv"));
    for (std::string line; std::getline(rows, line);) {
        if (line.empty() || line[0] == '#') continue;
        expected.push_back(line);
        prefixes.push_back(line.substr(0, line.find('\t')));
    }
    ASSERT_EQ(expected.size(), 1277u);
    auto report = parse_report(testdata("sources/datacite", "report_2018-06.html"), prefixes, Charset::Windows1252);
    EXPECT_TRUE(report.missing.empty());
    EXPECT_TRUE(report.malformed.empty());
    ASSERT_EQ(report.rows.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(row_text(report.rows[i]), expected[i]);
}

// --- hostile pages: each ends in the row or in a clear error, reading the page once -------

TEST(DataciteHostileReport, UnclosedElementsBeforeTheTable) {
    // 1,000,000 unclosed <div>: gumbo's tree took minutes (its cost grows with the depth).
    const std::string page = repeat("<div>", 1000000) + kHeading + report_row(1) + report_row(2);
    auto report = parse_report(page, {"10.10002"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(row_text(report.rows[0]), "10.10002\tC.2\t2\t2\t3\t4\t5\t6");
}

TEST(DataciteHostileReport, UnclosedElementsInAPrefixCell) {
    const std::string page = kHeading + "<tr><td>1</td><td>" + repeat("<div><b><a>", 200000) + "</td></tr>" +
                             report_row(2);
    auto report = parse_report(page, {"10.10002"});
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].prefix, "10.10002");
}

TEST(DataciteHostileReport, TablesNestedDeeperThanKeptTrackOfAreCellContent) {
    const std::string page = repeat("<table><tr><td>", 100000) + "x";
    try {
        parse_report(page, {"10.1"});
        FAIL() << "expected ReportFormatError";
    } catch (const ReportFormatError& e) {
        // The innermost table kept track of: one cell holding the deeper tables (markup
        // only, as far as the 16 KiB of it that are read).
        EXPECT_NE(std::string(e.what()).find("column 1 is \"\", expected \"#\""), std::string::npos) << e.what();
    }
}

TEST(DataciteHostileReport, OnlyTheStartOfAHugeCellIsRead) {
    // A 1 MB count cell: read as far as 16 KiB, which is no count.
    const std::string page = kHeading + "<tr><td>1</td><td>10.1</td><td>" + std::string(1 << 20, '7') +
                             "</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td></tr>";
    auto report = parse_report(page, {"10.1"});
    EXPECT_TRUE(report.rows.empty());
    ASSERT_EQ(report.malformed.size(), 1u);
    EXPECT_NE(report.malformed[0].find("column \"Total attempted\" reads \"777"), std::string::npos);
    EXPECT_LT(report.malformed[0].size(), 17000u);
}

TEST(DataciteHostileReport, AMillionRows) {
    const std::string page = kHeading + repeat("<tr><td>0</td><td>10.0<td>1<td>2<td>3<td>4<td>5<td>6\n", 1000000) +
                             report_row(7) + "</table>";
    auto report = parse_report(page, {"10.10007", "10.0"});
    ASSERT_EQ(report.rows.size(), 2u);
    EXPECT_EQ(row_text(report.rows[0]), "10.10007\tC.7\t7\t2\t3\t4\t5\t6");
    EXPECT_EQ(row_text(report.rows[1]), "10.0\t\t1\t2\t3\t4\t5\t6");  // the first row of that prefix
}

TEST(DataciteHostilePages, AnIndexNestedAMillionDeep) {
    const std::string deep = repeat("<div>", 1000000);
    auto links = find_report_links(deep + "<a href='r/resolutions_06_2018.html'>June 2018</a>", "http://h/");
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].url, "http://h/r/resolutions_06_2018.html");
}

// --- the budget ------------------------------------------------------------------------------

TEST(DataciteReportBudget, StopEndsTheReadInTheMiddle) {
    const std::string page = kHeading + repeat(report_row(1), 20000);
    int asked = 0;
    ReadBudget budget;
    budget.stop = [&] { return ++asked == 2; };  // shutdown comes while the page is read
    try {
        parse_report(page, {"10.10001"}, Charset::Utf8, budget);
        FAIL() << "expected ReportFormatError";
    } catch (const ReportFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("kpi is shutting down"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("of " + std::to_string(page.size())), std::string::npos) << e.what();
    }
    EXPECT_EQ(asked, 2);
}

TEST(DataciteReportBudget, TimeRunsOut) {
    const std::string page = kHeading + repeat(report_row(1), 20000);
    ReadBudget budget;
    budget.time = std::chrono::steady_clock::duration::zero();
    EXPECT_THROW(parse_report(page, {"10.10001"}, Charset::Utf8, budget), ReportFormatError);
    // A page within the budget is read.
    EXPECT_EQ(parse_report(page, {"10.10001"}).rows.size(), 1u);
}
