#pragma once
// A plain description of the command tree, read off the CLI11 declaration, for the
// generators of the man page and the completions.

#include <string>
#include <vector>

#include "cli/cli.hpp"  // declares CLI::App; cli_model.cpp includes CLI11 itself

namespace kpi::docgen {

struct OptionDoc {
    std::vector<std::string> names;  // "-c", "--config"
    std::string value;               // "FILE"; empty for flags
    std::string help;
    std::vector<std::string> choices;  // from "(a|b)" in the help
};

struct CommandDoc {
    std::string name;   // "records"
    std::string path;   // "collect records"; "" for kpi itself
    std::string summary;
    std::string footer;  // description and example
    std::vector<OptionDoc> options;
    std::vector<CommandDoc> children;
};

CommandDoc describe(const CLI::App& app, const std::string& path = "");

}  // namespace kpi::docgen
