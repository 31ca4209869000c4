#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/shutdown.hpp"
#include "core/version.hpp"
#include "registry.hpp"

namespace kpi {
namespace {

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
    if (spec.required) text += " (required)";
    return text;
}

void declare(PluginCommand& command) {
    CLI::App& app = *command.app;
    for (const auto& spec : command.specs) {
        auto add_value_option = [&](const std::string& name, const std::string& help, const std::string& type) {
            OptionBinding& b = command.bindings.emplace_back(OptionBinding{.name = name});
            b.option = app.add_option("--" + name, b.values, help)->type_name(type)->expected(1)->take_all();
        };
        if (spec.kind == OptionKind::Secret) {
            add_value_option(spec.name + "-env", spec.help + ": read it from this environment variable", "VAR");
            add_value_option(spec.name + "-file", spec.help + ": read it from this file", "PATH");
        } else if (spec.kind == OptionKind::Flag) {
            OptionBinding& b = command.bindings.emplace_back(OptionBinding{.name = spec.name, .is_flag = true});
            b.option = app.add_flag("--" + spec.name)->description(help_text(spec));
        } else {
            add_value_option(spec.name, help_text(spec), placeholder(spec));
        }
    }
}

OptionValues values_of(const PluginCommand& command) {
    OptionValues values;
    for (const auto& b : command.bindings) {
        if (b.is_flag) {
            if (b.option->count() > 0) values.add(b.name, "true", "--" + b.name);
            continue;
        }
        for (const auto& v : b.values) values.add(b.name, v, "--" + b.name);
    }
    values.validate(command.specs);
    return values;
}

std::string examples(const std::vector<std::string>& lines) {
    std::string text = "\nExample:\n";
    for (const auto& e : lines) text += "  " + e + "\n";
    return text;
}

}  // namespace

Cli::Cli() : app(std::make_unique<CLI::App>("", "kpi")) {}
Cli::~Cli() = default;

std::unique_ptr<Cli> build_cli() {
    auto cli = std::make_unique<Cli>();
    CLI::App& app = *cli->app;
    app.description(
        "kpi: harvest key performance indicators of digital repository services.\n"
        "Each run does one pass and exits; stages pass points as NDJSON on stdout/stdin.");
    app.footer(examples({
        "kpi collect records --url https://zenodo.org/api/records --new-since 1d --tag service=zenodo",
        "kpi collect records --url https://zenodo.org/api/records | kpi publish influxdb --database kpi",
        "kpi run-all --config /etc/kpi/kpi.toml",
    }));
    app.require_subcommand(1);
    app.fallthrough();

    app.add_option("-c,--config", cli->global.config_path, "configuration file (TOML)")
        ->envname("KPI_CONFIG")
        ->type_name("FILE");
    app.add_flag("-v,--verbose", cli->verbosity, "more log output on stderr (repeatable)");
    app.add_flag("-q,--quiet", cli->quiet, "log errors only");
    app.add_option("--log-format", cli->log_format, "log format on stderr (text|json) [default: text]")
        ->check(CLI::IsMember({"text", "json"}))
        ->type_name("FORMAT");
    app.add_option("--timeout", cli->timeout, "per request timeout [default: 30s]")->type_name("DURATION");
    app.add_option("--spool-dir", cli->global.spool_dir, "where undelivered points wait")->type_name("DIR");
    app.add_option("--max-line-bytes", cli->global.max_line_bytes,
                   "longest NDJSON input line; a longer one is an error on that line [default: " +
                       std::to_string(kDefaultMaxLineBytes) + "]")
        ->type_name("BYTES");

    cli->collect = app.add_subcommand("collect", "collect one source, one pass; points to stdout");
    cli->collect->require_subcommand(1);
    cli->collect->footer(examples({"kpi collect records --url https://zenodo.org/api/records --new-since 1d",
                                   "kpi list    # every source"}));
    for (const auto& info : source_registry()) {
        auto& command = cli->sources.emplace_back();
        command.app = cli->collect->add_subcommand(info.type, info.summary);
        command.app->footer("\n" + info.description + "\n" + examples({info.example}));
        command.type = info.type;
        command.specs = source_option_specs(info);
        declare(command);
    }

    cli->publish = app.add_subcommand("publish", "points from stdin (or --input FILE) to one sink");
    cli->publish->require_subcommand(1);
    cli->publish->add_option("--input", cli->input, "read points from this file instead of stdin")->type_name("FILE");
    cli->publish->footer(
        examples({"kpi collect records | kpi publish influxdb --url http://localhost:8086 --database kpi"}));
    for (const auto& info : sink_registry()) {
        auto& command = cli->sinks.emplace_back();
        command.app = cli->publish->add_subcommand(info.type, info.summary);
        command.app->footer("\n" + info.description + "\n" + examples({info.example}));
        command.type = info.type;
        command.specs = info.options;
        declare(command);
    }

    cli->run_all = app.add_subcommand("run-all", "every source in the config, concurrently, to every sink");
    cli->run_all->add_option("--shard", cli->shard, "only the sources whose names hash to shard I of N")
        ->type_name("I/N");
    cli->run_all->add_option("--shards", cli->shards, "N shards, with I from $JOB_COMPLETION_INDEX")->type_name("N");
    auto* progress = cli->run_all->add_flag(
        "--progress", cli->progress, "show live progress on stderr even when it is not a terminal");
    cli->run_all->add_flag("--no-progress", cli->no_progress, "no live progress, only logs, even on a terminal")
        ->excludes(progress);
    cli->run_all->footer(
        examples({"kpi run-all --config /etc/kpi/kpi.toml", "kpi run-all --config kpi.toml --shard 0/4"}));

    cli->config = app.add_subcommand("config", "configuration commands");
    cli->config->require_subcommand(1);
    cli->config_check = cli->config->add_subcommand("check", "validate; print the resolved config, secrets redacted");
    cli->config_check->footer(examples({"kpi config check --config examples/cern.toml"}));

    cli->list = app.add_subcommand("list", "sources and sinks, one line each");
    cli->list->add_option("--output", cli->list_output, "output format (text|json)")
        ->check(CLI::IsMember({"text", "json"}))
        ->type_name("FORMAT");
    cli->list->footer(examples({"kpi list --output json | jq -r .name"}));

    cli->replay = app.add_subcommand("replay", "deliver spooled points now");
    cli->replay->footer(examples({"kpi replay --config /etc/kpi/kpi.toml"}));
    cli->report = app.add_subcommand("report", "points to a self-contained HTML page with charts");
    cli->report->add_option("--input", cli->report_options.input_path, "read points from this file instead of stdin")
        ->type_name("FILE");
    cli->report->add_option("--output", cli->report_options.output_path, "the HTML file to write (replaced atomically)")
        ->type_name("FILE.html")
        ->required();
    cli->report->add_option("--title", cli->report_options.title, "the page's heading [default: KPI report]")
        ->type_name("TEXT");
    cli->report->footer(
        "\nA survey of Invenio installations (invenio_instance points) becomes totals, bar charts by country and "
        "by flavour and version, and a table of sites; points over several passes become one line chart per "
        "measurement and field, one line per tag set, and kpi_run a success strip per source. Inline SVG and "
        "CSS, no script, nothing fetched: the page reads offline and prints.\n" +
        examples({"kpi collect invenio --instances examples/invenio-instances.csv | kpi report --output survey.html",
                  "kpi report --input week.ndjson --output week.html --title 'Repository KPIs, last week'"}));

    cli->version = app.add_subcommand("version", "print the version");
    cli->version->footer(examples({"kpi version"}));
    return cli;
}

int parse_cli(Cli& cli, int argc, char** argv) {
    try {
        cli.app->parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.app->exit(e);
    } catch (const CLI::ParseError& e) {
        cli.app->exit(e);
        return e.get_exit_code() == 0 ? kExitOk : kExitUsage;
    }
    return -1;
}

int dispatch(Cli& cli) {
    setup_logging(cli.quiet ? -1 : cli.verbosity, cli.log_format == "json" ? LogFormat::Json : LogFormat::Text);
    install_shutdown_handlers();
    try {
        if (!cli.timeout.empty()) {
            cli.global.timeout = parse_duration(cli.timeout);
            if (!cli.global.timeout) throw UsageError("--timeout \"" + cli.timeout + "\" is not a duration (e.g. 30s)");
        }
        if (cli.global.max_line_bytes == 0) throw UsageError("--max-line-bytes must be at least 1");
        if (*cli.version) {
            std::printf("kpi %s\n", kVersion);
            return kExitOk;
        }
        for (auto& command : cli.sources) {
            if (!*command.app) continue;
            return collect_command(cli.global, SourceConfig{.type = command.type, .name = command.type,
                                                            .origin = "command line", .options = values_of(command)});
        }
        for (auto& command : cli.sinks) {
            if (!*command.app) continue;
            return publish_command(cli.global,
                                   SinkConfig{.type = command.type, .name = command.type, .origin = "command line",
                                              .options = values_of(command)},
                                   cli.input);
        }
        if (*cli.run_all) {
            std::optional<bool> progress;
            if (cli.progress || cli.no_progress) progress = cli.progress;
            return run_all_command(cli.global, cli.shard, cli.shards, progress);
        }
        if (*cli.config_check) return config_check_command(cli.global);
        if (*cli.list) return list_command(cli.list_output);
        if (*cli.replay) return replay_command(cli.global);
        if (*cli.report) return report_command(cli.global, cli.report_options);
    } catch (const UsageError& e) {
        spdlog::error("{}", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return kExitFailure;
    }
    return kExitUsage;
}

}  // namespace kpi
