#pragma once
// The node_exporter textfile collector sink (DESIGN §5): the Prometheus text format
// written to `--path`, atomically.

#include <optional>
#include <string>
#include <string_view>

#include "sinks/sink.hpp"

namespace kpi {

SinkInfo textfile_sink();

// Replaces `path` with `content` so that a reader sees the old file or the new one, never
// a part: a temporary file in the same directory, fsync, rename, fsync of the directory.
// The temporary file never outlives a failure. Returns what went wrong, naming the path.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view content);

}  // namespace kpi
