#include "docgen/cli_model.hpp"

#include <CLI/CLI.hpp>

#include <sstream>

namespace kpi::docgen {
namespace {

std::vector<std::string> choices_in(const std::string& help) {
    auto open = help.find('(');
    auto close = help.find(')', open);
    if (open == std::string::npos || close == std::string::npos) return {};
    std::string inside = help.substr(open + 1, close - open - 1);
    if (inside.find('|') == std::string::npos || inside.find(' ') != std::string::npos) return {};
    std::vector<std::string> out;
    std::stringstream ss(inside);
    std::string item;
    while (std::getline(ss, item, '|')) out.push_back(item);
    return out;
}

}  // namespace

CommandDoc describe(const CLI::App& app, const std::string& path) {
    CommandDoc doc;
    doc.name = app.get_name();
    doc.path = path;
    doc.summary = app.get_description();
    doc.footer = app.get_footer();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt == app.get_help_ptr() || opt == app.get_help_all_ptr()) continue;
        OptionDoc o;
        for (const auto& s : opt->get_snames()) o.names.push_back("-" + s);
        for (const auto& l : opt->get_lnames()) o.names.push_back("--" + l);
        if (opt->get_type_size() != 0) o.value = opt->get_type_name();
        o.help = opt->get_description();
        o.choices = choices_in(o.help);
        doc.options.push_back(std::move(o));
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        doc.children.push_back(describe(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name()));
    }
    return doc;
}

}  // namespace kpi::docgen
