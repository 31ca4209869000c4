// The kpi entry point: parse the command line (declared in lib/cli) and dispatch.

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    auto cli = kpi::build_cli();
    if (int status = kpi::parse_cli(*cli, argc, argv); status >= 0) return status;
    return kpi::dispatch(*cli);
}
