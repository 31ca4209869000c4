// The DataCite monthly report parser (HTML through gumbo, windows-1252 or UTF-8) on any bytes.

#include <cstdint>

#include "formats/html_summary.hpp"
#include "sources/datacite/datacite_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace dc = kpi::datacite;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const std::vector<std::string> prefixes{"10.5281", "10.1234", "10.7483"};
    for (std::string_view content_type : {"text/html", "text/html; charset=utf-8"}) {
        try {
            const auto report = dc::parse_report(dc::page_as_utf8(content_type, body), prefixes);
            if (report.rows.size() + report.missing.size() > prefixes.size()) __builtin_trap();
            if (report.month) (void)dc::first_instant(*report.month);  // what the source stamps points with
        } catch (const dc::ReportFormatError&) {
        }
    }
    // What an error page's words become in a message (the source quotes them on HTTP errors).
    if (kpi::html_summary(body, 300).text.size() > 300) __builtin_trap();
    return 0;
}
