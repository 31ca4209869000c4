// kpi-docgen: writes the man page and the bash, zsh and fish completions from the very
// command-line declaration `kpi` parses (lib/cli), so that none of them can drift.
//
//   kpi-docgen man|bash|zsh|fish      print one of them
//   kpi-docgen --write ROOT           write man/kpi.1 and completions/* under ROOT
//   kpi-docgen --check ROOT           exit 1 and name the files that are out of date

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.hpp"
#include "docgen/completions.hpp"
#include "docgen/manpage.hpp"

namespace {

struct Output {
    std::string name;
    std::string path;
    std::string (*generate)(kpi::Cli&);
};

const Output kOutputs[] = {
    {"man", "man/kpi.1", kpi::docgen::man_page},
    {"bash", "completions/kpi.bash", kpi::docgen::bash_completion},
    {"zsh", "completions/_kpi", kpi::docgen::zsh_completion},
    {"fish", "completions/kpi.fish", kpi::docgen::fish_completion},
};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
    auto cli = kpi::build_cli();
    const std::string what = argc > 1 ? argv[1] : "";
    if ((what == "--write" || what == "--check") && argc == 3) {
        int stale = 0;
        for (const auto& out : kOutputs) {
            const std::string path = std::string(argv[2]) + "/" + out.path;
            const std::string text = out.generate(*cli);
            if (what == "--write") {
                std::ofstream(path, std::ios::binary) << text;
            } else if (read(path) != text) {
                std::cerr << path << " is out of date: run scripts/gen-docs and commit the result\n";
                ++stale;
            }
        }
        return stale ? 1 : 0;
    }
    for (const auto& out : kOutputs) {
        if (out.name == what) {
            std::cout << out.generate(*cli);
            return 0;
        }
    }
    std::cerr << "usage: kpi-docgen man|bash|zsh|fish | --write ROOT | --check ROOT\n";
    return 2;
}
