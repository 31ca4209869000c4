// The UptimeRobot v3 answer parsers (monitors, uptime, response time, errors, next links)
// on any bytes.

#include <cstdint>

#include "core/errors.hpp"
#include "sources/uptimerobot/uptimerobot_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ur = kpi::uptimerobot;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    try {
        (void)ur::parse_v3_monitors(body);
    } catch (const kpi::RuntimeError&) {
    }
    try {
        (void)ur::parse_v3_uptime_ratio(body);
    } catch (const kpi::RuntimeError&) {
    }
    try {
        (void)ur::parse_v3_response_time_seconds(body);
    } catch (const kpi::RuntimeError&) {
    }
    (void)ur::error_message(body);
    (void)ur::cursor_from_next_link(body);
    return 0;
}
