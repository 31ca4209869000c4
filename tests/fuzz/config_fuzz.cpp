// The TOML config loader on any bytes, and the rendering of what it accepts.

#include <cstdint>

#include "config/config.hpp"
#include "core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto config = kpi::parse_config(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
        (void)kpi::render_config(config);
    } catch (const kpi::UsageError&) {
    }
    return 0;
}
