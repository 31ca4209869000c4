#pragma once
// Replacing a file so that a reader sees the old content or the new, never a part: the
// textfile sink's .prom file and `kpi report`'s pages.

#include <optional>
#include <string>
#include <string_view>

namespace kpi {

// Replaces `path` with `content`: a temporary file in the same directory, fsync, rename,
// fsync of the directory. The temporary file never outlives a failure; a file that exists
// keeps its mode, a new one gets 0644. Returns what went wrong, naming the path.
std::optional<std::string> write_file_atomically(const std::string& path, std::string_view content);

}  // namespace kpi
