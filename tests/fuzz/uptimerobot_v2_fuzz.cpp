// The UptimeRobot v2 getMonitors answer parser and error reader on any bytes.

#include <cstdint>

#include "core/errors.hpp"
#include "sources/uptimerobot/uptimerobot_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ur = kpi::uptimerobot;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    for (std::size_t windows : {1, 3}) {
        try {
            const auto page = ur::parse_v2_page(body, windows);
            for (const auto& monitor : page.monitors) {
                if (monitor.uptime_ratios.size() != windows) __builtin_trap();  // one ratio per window
            }
        } catch (const kpi::RuntimeError&) {
        }
    }
    (void)ur::error_message(body);
    return 0;
}
