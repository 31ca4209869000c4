#pragma once
// Logging to stderr only (stdout carries points and nothing else), as text or JSON lines,
// with every secret kpi has read replaced by *** before a line is written.

#include <string>

#include "core/secrets.hpp"

namespace kpi {

enum class LogFormat { Text, Json };

// verbosity: -1 quiet (errors only), 0 default (warnings and errors), 1 info, 2+ debug.
void setup_logging(int verbosity, LogFormat format);

}  // namespace kpi
