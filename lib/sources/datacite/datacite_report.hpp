#pragma once
// Pure parsing for the datacite source's report mode: the index page that links DataCite's
// monthly DOI resolution reports, and one monthly report (an HTML table with one row per
// DOI prefix). No I/O here: page text in, values or errors out.

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi::datacite {

struct YearMonth {
    int year = 0;
    unsigned month = 0;  // 1..12
    auto operator<=>(const YearMonth&) const = default;
};

// "June 2018"
std::string to_string(YearMonth month);
// 00:00:00Z on the month's first day: the time of every point of that month's report;
// nullopt when that lies outside the times kpi can store (checked_timestamp).
std::optional<Timestamp> first_instant(YearMonth month);

// The month a text names: "June 2018", "Jun 2018", "DOI resolution report June 2018",
// "2018-06". nullopt when it names none.
std::optional<YearMonth> month_in_text(std::string_view text);
// The month a report's file name carries: "resolutions_06_2018.html", "2018-06.html".
std::optional<YearMonth> month_in_href(std::string_view href);

enum class Charset { Utf8, Windows1252 };

// How a page is encoded. Pages are windows-1252 unless the Content-Type header (or,
// without a charset there, a <meta> charset near the top of the page) declares UTF-8; the
// WHATWG Encoding Standard reads Latin-1 and ASCII labels as windows-1252 too.
Charset page_charset(std::string_view content_type, std::string_view body);
// The page as UTF-8 (see page_charset).
std::string page_as_utf8(std::string_view content_type, std::string_view body);

struct ReportLink {
    std::string href;  // as the index writes it (entities decoded, whitespace trimmed)
    std::string url;   // href resolved against the page's address (and its <base href>), no #fragment
    YearMonth month;
};

// Every link of the index (UTF-8) that names a month, by its text or else by its address.
// `index_url` is where the page was read from (after redirects): relative links resolve
// against it.
std::vector<ReportLink> find_report_links(std::string_view index_html, std::string_view index_url);
// The link naming the latest month (of equals, the last one on the page); nullopt for none.
std::optional<ReportLink> newest(const std::vector<ReportLink>& links);


// One prefix's row of a monthly report.
struct PrefixRow {
    std::string prefix;
    std::string client;  // the repository symbol under the prefix; empty when the cell has none
    std::int64_t attempted = 0;
    std::int64_t successful = 0;
    std::int64_t failed = 0;
    std::int64_t unique = 0;
    std::int64_t unique_successful = 0;
    std::int64_t unique_failed = 0;
};

struct Report {
    std::optional<YearMonth> month;      // the month the page's title or heading names
    std::vector<PrefixRow> rows;         // the prefixes asked for that have a row, in the order asked
    std::vector<std::string> missing;    // the prefixes asked for that have no row
    std::vector<std::string> malformed;  // "prefix 10.5281: column "Failed" reads "n/a", not a count"
};

// The page is not a report: it has no table, or the table's columns are not the report's.
class ReportFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What reading a report may cost. The page is read in one linear pass (see
// html_tokens.hpp), so a page under the HTTP client's body cap takes well under a second;
// the budget is for what no report needs, and `stop` (kpi passes shutdown_requested) lets
// SIGTERM end the pass in the middle of a page.
struct ReadBudget {
    std::chrono::steady_clock::duration time = std::chrono::seconds(10);
    std::function<bool()> stop;  // checked as the page is read; true ends it
};

// Reads the rows of `prefixes` from a monthly report page in one pass over its bytes,
// without building a tree: memory stays that of the page plus one row. Throws
// ReportFormatError when the page has no report table, and when the budget runs out.
//
// The report table is the first table whose heading row has the report's columns. A
// table's heading row is its first row in <thead> or of <th> cells only, or else its first
// row (a table whose first row is plain <td> cells takes that row as its heading).
Report parse_report(std::string_view report_html, const std::vector<std::string>& prefixes,
                    Charset charset = Charset::Utf8, const ReadBudget& budget = {});

}  // namespace kpi::datacite
