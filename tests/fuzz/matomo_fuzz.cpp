// The Matomo VisitsSummary.get answer parser, for each kind of period and date, and the
// period stamps, on any bytes.

#include <cstdint>

#include "core/errors.hpp"
#include "sources/matomo/matomo_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace mt = kpi::matomo;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const std::pair<std::string_view, std::string_view> requests[] = {
        {"day", "yesterday"}, {"day", "2024-03-05"}, {"week", "last7"},
        {"month", "2024-03"}, {"year", "2024"},      {"range", "2024-03-01,2024-03-31"},
    };
    for (const auto& [period, date] : requests) {
        try {
            for (const auto& summary : mt::parse_visits_summary(body, period, date)) (void)mt::to_point(summary, 1);
        } catch (const kpi::RuntimeError&) {
        }
        (void)mt::period_start(period, body);
    }
    return 0;
}
