// The DataCite monthly report: the real June 2018 page (2.85 MB) and a 30 MB page made of
// its rows, read for two prefixes as `kpi collect datacite` does (bytes as served,
// windows-1252, no conversion of the whole page). Reports MB/s of page.

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sources/datacite/datacite_report.hpp"

namespace {

using kpi::datacite::Charset;

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(KPI_SOURCE_DIR) + "/lib/sources/datacite/testdata/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read lib/sources/datacite/testdata/" + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const std::string& real_page() {
    static const std::string page = read_fixture("report_2018-06.html");
    return page;
}

// The real page's <tbody> repeated, up to `bytes` in all; the last copy's 10.5281 is renamed
// 10.99999 so that the prefix asked for is the page's last match, as a prefix near the end
// of a large report is.
std::string large_page(std::size_t bytes) {
    const std::string& real = real_page();
    const std::size_t body = real.find("<tbody>") + 7, end = real.find("</tbody>");
    const std::string rows = real.substr(body, end - body);
    std::string page = real.substr(0, body);
    while (page.size() + 2 * rows.size() <= bytes) page += rows;
    std::string last = rows;
    last.replace(last.find(">10.5281<"), 9, ">10.99999<");
    page += last;
    page += real.substr(end);
    return page;
}

void read_report(benchmark::State& state, const std::string& page, const std::vector<std::string>& prefixes) {
    for (auto _ : state) {
        auto report = kpi::datacite::parse_report(page, prefixes, Charset::Windows1252);
        if (report.rows.size() != prefixes.size()) state.SkipWithError("a prefix was not found");
        benchmark::DoNotOptimize(report);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
    state.counters["page_MB"] = static_cast<double>(page.size()) / 1e6;
}

void BM_DataciteReport_Real3MB(benchmark::State& state) {
    read_report(state, real_page(), {"10.5281", "10.5288"});  // the page's middle and last rows
}
BENCHMARK(BM_DataciteReport_Real3MB)->Unit(benchmark::kMillisecond);

void BM_DataciteReport_Generated30MB(benchmark::State& state) {
    static const std::string page = large_page(30000000);
    read_report(state, page, {"10.99999", "10.5288"});
}
BENCHMARK(BM_DataciteReport_Generated30MB)->Unit(benchmark::kMillisecond);

}  // namespace
