// The kpi entry point: builds the command line from the registry's option declarations,
// parses it, and dispatches to lib/commands. Nothing else lives here.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <deque>
#include <iostream>

#include "commands/commands.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/shutdown.hpp"
#include "core/version.hpp"
#include "registry.hpp"

namespace {

using namespace kpi;

// Where CLI11 stores one declared option's values until they become OptionValues.
struct Binding {
    std::string name;  // option name without dashes; secrets become name-env / name-file
    std::vector<std::string> values;
    bool is_flag = false;
    CLI::Option* option = nullptr;
};

std::string placeholder(const OptionSpec& spec) {
    if (!spec.placeholder.empty()) return spec.placeholder;
    switch (spec.kind) {
        case OptionKind::Duration: return "DURATION";
        case OptionKind::Integer: return "N";
        case OptionKind::Number: return "NUMBER";
        case OptionKind::KeyValue: return "KEY=VALUE";
        default: return "VALUE";
    }
}

std::string help_text(const OptionSpec& spec) {
    std::string text = spec.help;
    if (!spec.choices.empty()) {
        text += " (";
        for (std::size_t i = 0; i < spec.choices.size(); ++i) text += (i ? "|" : "") + spec.choices[i];
        text += ")";
    }
    if (!spec.default_value.empty()) text += " [default: " + spec.default_value + "]";
    if (spec.repeatable) text += " (repeatable)";
    return text;
}

void declare(CLI::App& app, const std::vector<OptionSpec>& specs, std::deque<Binding>& bindings) {
    for (const auto& spec : specs) {
        auto add_value_option = [&](const std::string& name, const std::string& help, const std::string& type) {
            Binding& b = bindings.emplace_back(Binding{.name = name});
            b.option = app.add_option("--" + name, b.values, help)->type_name(type)->expected(1)->take_all();
            return b.option;
        };
        if (spec.kind == OptionKind::Secret) {
            add_value_option(spec.name + "-env", spec.help + ": read from this environment variable", "VAR");
            add_value_option(spec.name + "-file", spec.help + ": read from this file", "PATH");
        } else if (spec.kind == OptionKind::Flag) {
            Binding& b = bindings.emplace_back(Binding{.name = spec.name, .is_flag = true});
            b.option = app.add_flag("--" + spec.name)->description(help_text(spec));
        } else {
            add_value_option(spec.name, help_text(spec), placeholder(spec));
        }
    }
}

OptionValues collect_values(const std::deque<Binding>& bindings) {
    OptionValues values;
    for (const auto& b : bindings) {
        if (b.is_flag) {
            if (b.option->count() > 0) values.add(b.name, "true", "--" + b.name);
            continue;
        }
        for (const auto& v : b.values) values.add(b.name, v, "--" + b.name);
    }
    return values;
}

std::string examples_footer(const std::vector<std::string>& examples) {
    std::string text = "\nExample:\n";
    for (const auto& e : examples) text += "  " + e + "\n";
    return text;
}

struct SubcommandModel {
    CLI::App* app;
    std::deque<Binding> bindings;
    std::vector<OptionSpec> specs;
    std::string type;
};

int run(int argc, char** argv) {
    CLI::App app{"kpi: harvest key performance indicators of digital repository services.\n"
                 "Each run does one pass and exits; stages pass points as NDJSON on stdout/stdin.",
                 "kpi"};
    app.footer(examples_footer({
        "kpi collect records --url https://zenodo.org/api/records --new-since 1d --tag service=zenodo",
        "kpi collect records --url https://zenodo.org/api/records | kpi publish influxdb --database kpi",
        "kpi run-all --config /etc/kpi/kpi.toml",
    }));
    app.require_subcommand(1);
    app.fallthrough();

    GlobalOptions global;
    int verbosity = 0;
    bool quiet = false;
    std::string log_format = "text", timeout;
    app.add_option("-c,--config", global.config_path, "configuration file (TOML)")->envname("KPI_CONFIG");
    app.add_flag("-v,--verbose", verbosity, "more log output on stderr (repeatable)");
    app.add_flag("-q,--quiet", quiet, "log errors only");
    app.add_option("--log-format", log_format, "log format on stderr")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.add_option("--timeout", timeout, "per request timeout [default: 30s]")->type_name("DURATION");
    app.add_option("--spool-dir", global.spool_dir, "where undelivered points wait")->type_name("DIR");

    // collect <source>
    auto* collect = app.add_subcommand("collect", "collect one source, one pass; points to stdout");
    collect->require_subcommand(1);
    collect->footer(examples_footer({"kpi collect records --url https://zenodo.org/api/records --new-since 1d",
                                     "kpi list    # every source"}));
    std::deque<SubcommandModel> sources;
    for (const auto& info : source_registry()) {
        auto& model = sources.emplace_back();
        model.app = collect->add_subcommand(info.type, info.summary);
        model.app->footer("\n" + info.description + "\n" + examples_footer({info.example}));
        model.specs = source_option_specs(info);
        model.type = info.type;
        declare(*model.app, model.specs, model.bindings);
    }

    // publish <sink>
    auto* publish = app.add_subcommand("publish", "points from stdin (or --input FILE) to one sink");
    publish->require_subcommand(1);
    std::string input;
    publish->add_option("--input", input, "read points from this file instead of stdin")->type_name("FILE");
    publish->footer(examples_footer({"kpi collect records | kpi publish influxdb --url http://localhost:8086 "
                                     "--database kpi"}));
    std::deque<SubcommandModel> sinks;
    for (const auto& info : sink_registry()) {
        auto& model = sinks.emplace_back();
        model.app = publish->add_subcommand(info.type, info.summary);
        model.app->footer("\n" + info.description + "\n" + examples_footer({info.example}));
        model.specs = info.options;
        model.type = info.type;
        declare(*model.app, model.specs, model.bindings);
    }

    auto* run_all = app.add_subcommand("run-all", "every source in the config, concurrently, to every sink");
    std::string shard;
    int shards = 0;
    run_all->add_option("--shard", shard, "only the sources whose names hash to shard I of N")->type_name("I/N");
    run_all->add_option("--shards", shards, "N shards, I from $JOB_COMPLETION_INDEX")->type_name("N");
    run_all->footer(examples_footer({"kpi run-all --config /etc/kpi/kpi.toml",
                                     "kpi run-all --config kpi.toml --shard 0/4"}));

    auto* config = app.add_subcommand("config", "configuration commands");
    config->require_subcommand(1);
    auto* check = config->add_subcommand("check", "validate; print the resolved config, secrets redacted");
    check->footer(examples_footer({"kpi config check --config examples/cern.toml"}));

    auto* list = app.add_subcommand("list", "sources and sinks, one line each");
    std::string list_output = "text";
    list->add_option("--output", list_output, "output format")->check(CLI::IsMember({"text", "json"}));
    list->footer(examples_footer({"kpi list --output json | jq -r .name"}));

    auto* replay = app.add_subcommand("replay", "deliver spooled points now");
    replay->footer(examples_footer({"kpi replay --config /etc/kpi/kpi.toml"}));
    auto* version = app.add_subcommand("version", "print the version");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return e.get_exit_code() == 0 ? kExitOk : kExitUsage;
    }

    setup_logging(quiet ? -1 : verbosity, log_format == "json" ? LogFormat::Json : LogFormat::Text);
    install_shutdown_handlers();

    try {
        if (!timeout.empty()) {
            global.timeout = parse_duration(timeout);
            if (!global.timeout) throw UsageError("--timeout \"" + timeout + "\" is not a duration (e.g. 30s)");
        }
        if (*version) {
            std::printf("kpi %s\n", kVersion);
            return kExitOk;
        }
        if (*collect) {
            for (auto& model : sources) {
                if (!*model.app) continue;
                SourceConfig source{.type = model.type, .name = model.type, .origin = "command line",
                                    .options = collect_values(model.bindings)};
                source.options.validate(model.specs);
                return collect_command(global, std::move(source));
            }
        }
        if (*publish) {
            for (auto& model : sinks) {
                if (!*model.app) continue;
                SinkConfig sink{.type = model.type, .name = model.type, .origin = "command line",
                                .options = collect_values(model.bindings)};
                sink.options.validate(model.specs);
                return publish_command(global, std::move(sink), input);
            }
        }
        if (*run_all) return run_all_command(global, shard, shards);
        if (*check) return config_check_command(global);
        if (*list) return list_command(list_output);
        if (*replay) return replay_command(global);
    } catch (const UsageError& e) {
        spdlog::error("{}", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return kExitFailure;
    }
    return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
