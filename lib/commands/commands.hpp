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
// progress: --progress / --no-progress; nullopt draws it when stderr is a terminal.
int run_all_command(const GlobalOptions& global, const std::string& shard, int shards,
                    std::optional<bool> progress = std::nullopt);
int config_check_command(const GlobalOptions& global);
int list_command(const std::string& output_format);
int replay_command(const GlobalOptions& global);

struct ReportOptions {
    std::string input_path;   // "" or "-": stdin
    std::string output_path;  // the HTML file, replaced atomically
    std::string title;        // the page's heading; "" for the default
};
int report_command(const GlobalOptions& global, const ReportOptions& options);

}  // namespace kpi
