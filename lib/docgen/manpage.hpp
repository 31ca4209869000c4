#pragma once
#include <string>

#include "cli/cli.hpp"

namespace kpi::docgen {
// man/kpi.1 (roff): the command tree and every source and sink, with their options.
std::string man_page(Cli& cli);
}  // namespace kpi::docgen
