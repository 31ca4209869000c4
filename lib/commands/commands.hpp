#pragma once
// The commands of DESIGN §2. Each returns the process exit status (DESIGN §7); usage and
// configuration errors are thrown as UsageError and become exit 2 in main.

#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/log.hpp"
#include "core/ndjson.hpp"

namespace kpi {

struct GlobalOptions {
    std::string config_path;  // -c/--config or KPI_CONFIG; empty when neither
    std::optional<Duration> timeout;
    std::string spool_dir;    // --spool-dir, overrides [spool] dir
    std::size_t max_line_bytes = kDefaultMaxLineBytes;  // --max-line-bytes: the longest NDJSON input line
};

int collect_command(const GlobalOptions& global, SourceConfig source);
int publish_command(const GlobalOptions& global, SinkConfig sink, const std::string& input_path);
// shard: "I/N", or "" for all sources; shards: N with I from $JOB_COMPLETION_INDEX, or 0.
int run_all_command(const GlobalOptions& global, const std::string& shard, int shards);
int config_check_command(const GlobalOptions& global);
int list_command(const std::string& output_format);
int replay_command(const GlobalOptions& global);

}  // namespace kpi
