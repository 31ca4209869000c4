#pragma once
// The settings every command resolves the same way: config file (if any), then command line.

#include "commands/commands.hpp"

namespace kpi {

// Loads the config named by the global options, or an empty one when none is named
// (collect and publish work without a file). `required` makes a missing name an error.
Config resolve_config(const GlobalOptions& global, bool required);

// The pass time: whole seconds, shared by every point of a pass (DESIGN §3).
Timestamp pass_start();

}  // namespace kpi
