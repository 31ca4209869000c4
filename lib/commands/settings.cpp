#include "commands/settings.hpp"

#include "core/errors.hpp"

namespace kpi {

Config resolve_config(const GlobalOptions& global, bool required) {
    Config config;
    if (!global.config_path.empty()) {
        config = load_config(global.config_path);
    } else if (required) {
        throw UsageError("no configuration: give --config FILE or set KPI_CONFIG");
    } else {
        config.spool.dir = default_spool_dir();
    }
    if (global.timeout) config.http.timeout = *global.timeout;
    if (!global.spool_dir.empty()) config.spool.dir = global.spool_dir;
    return config;
}

Timestamp pass_start() { return std::chrono::floor<std::chrono::seconds>(now()); }

}  // namespace kpi
