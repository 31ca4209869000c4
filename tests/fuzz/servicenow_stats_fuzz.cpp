// The ServiceNow Aggregate API answer parser, its aggregate values and its error reader on
// any bytes.

#include <cstdint>

#include "core/errors.hpp"
#include "sources/servicenow/servicenow_stats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace sn = kpi::servicenow;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    try {
        const auto answer = sn::parse_stats_answer(body);
        auto each_value = [](const std::string& text) {
            try {
                (void)sn::integer_value(text, "fuzz");
            } catch (const kpi::RuntimeError&) {
            }
            try {
                (void)sn::float_value(text, "fuzz");
            } catch (const kpi::RuntimeError&) {
            }
        };
        if (answer.count) each_value(*answer.count);
        for (const auto& [field, value] : answer.avg) each_value(value);
        for (const auto& [field, value] : answer.max) each_value(value);
    } catch (const kpi::RuntimeError&) {
    }
    (void)sn::error_message(body);
    return 0;
}
