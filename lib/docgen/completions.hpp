#pragma once
#include <string>

#include "cli/cli.hpp"

namespace kpi::docgen {
std::string bash_completion(Cli& cli);
std::string zsh_completion(Cli& cli);
std::string fish_completion(Cli& cli);
}  // namespace kpi::docgen
