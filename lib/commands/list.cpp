#include <cstdio>

#include "commands/commands.hpp"
#include "core/json_text.hpp"
#include "registry.hpp"

namespace kpi {
namespace {

void print_line(const std::string& output, const char* kind, const std::string& name, const std::string& summary) {
    std::string line;
    if (output == "json") {
        line = "{\"kind\":";
        append_json_string(line, kind);
        line += ",\"name\":";
        append_json_string(line, name);
        line += ",\"summary\":";
        append_json_string(line, summary);
        line += "}\n";
    } else {
        char head[64];
        std::snprintf(head, sizeof head, "%-7s %-12s ", kind, name.c_str());
        line = head + summary + "\n";
    }
    std::fwrite(line.data(), 1, line.size(), stdout);
}

}  // namespace

int list_command(const std::string& output) {
    for (const auto& s : source_registry()) print_line(output, "source", s.type, s.summary);
    for (const auto& s : sink_registry()) print_line(output, "sink", s.type, s.summary);
    return 0;
}

}  // namespace kpi
