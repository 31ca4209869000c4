#pragma once
// The command line, declared once: `kpi` parses it, and kpi-docgen walks the same tree to
// write the man page and the shell completions, so they cannot drift apart.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.hpp"
#include "core/options.hpp"

// CLI11 is declared, not included: its header costs seconds of compile in every file that
// includes it, and only lib/cli/cli.cpp and lib/docgen/cli_model.cpp need its definitions.
namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace kpi {

// Where CLI11 stores one declared option's values until they become OptionValues.
struct OptionBinding {
    std::string name;  // option name without dashes; secrets become name-env / name-file
    std::vector<std::string> values;
    bool is_flag = false;
    CLI::Option* option = nullptr;
};

// One `collect <source>` or `publish <sink>` subcommand.
struct PluginCommand {
    CLI::App* app = nullptr;
    std::string type;
    std::vector<OptionSpec> specs;
    std::deque<OptionBinding> bindings;
};

struct Cli {
    Cli();
    ~Cli();
    Cli(const Cli&) = delete;
    Cli& operator=(const Cli&) = delete;

    std::unique_ptr<CLI::App> app;
    GlobalOptions global;
    int verbosity = 0;
    bool quiet = false;
    std::string log_format = "text";
    std::string timeout;

    CLI::App* collect = nullptr;
    CLI::App* publish = nullptr;
    CLI::App* run_all = nullptr;
    CLI::App* config = nullptr;
    CLI::App* config_check = nullptr;
    CLI::App* list = nullptr;
    CLI::App* replay = nullptr;
    CLI::App* report = nullptr;
    CLI::App* version = nullptr;
    std::deque<PluginCommand> sources;
    std::deque<PluginCommand> sinks;

    std::string input;           // publish --input
    std::string shard;           // run-all --shard
    int shards = 0;              // run-all --shards
    bool progress = false;       // run-all --progress
    bool no_progress = false;    // run-all --no-progress
    std::string list_output = "text";
    ReportOptions report_options;  // report --input, --output, --title
};

std::unique_ptr<Cli> build_cli();

// Parses argv; returns the exit status (help, usage errors) or -1 to go on to dispatch.
int parse_cli(Cli& cli, int argc, char** argv);

// Runs the chosen command and returns the exit status (DESIGN §7).
int dispatch(Cli& cli);

}  // namespace kpi
