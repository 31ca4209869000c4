// The DataCite report index reader (links naming a month, resolved against the page's
// address) on any bytes.

#include <cstdint>

#include "sources/datacite/datacite_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace dc = kpi::datacite;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto links = dc::find_report_links(dc::page_as_utf8("text/html", body),
                                             "https://stats.datacite.org/resolutions/index.html");
    if (auto latest = dc::newest(links)) (void)dc::to_string(latest->month);
    for (const auto month : {dc::month_in_text(body), dc::month_in_href(body)}) {
        if (month) (void)dc::first_instant(*month);
    }
    return 0;
}
