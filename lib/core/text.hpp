#pragma once
// The small text helpers every parser needs, once: ASCII case folding and trimming.
// ASCII only, on purpose: protocol tokens (header names, charsets, tags, CSV cells) are
// ASCII, and a locale must never change what kpi reads.

#include <string>
#include <string_view>

namespace kpi {

// Space, tab, CR, LF, FF, VT: what trim() removes.
bool is_ascii_space(char c);
// "Content-Type" -> "content-type"; bytes outside A-Z are left as they are.
std::string ascii_lower(std::string_view text);
// Without leading and trailing is_ascii_space() characters.
std::string_view trim(std::string_view text);

}  // namespace kpi
