// `kpi report`: points from stdin or --input to one self-contained HTML page (DESIGN §2).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "core/errors.hpp"
#include "core/ndjson.hpp"
#include "core/shutdown.hpp"
#include "core/time.hpp"
#include "report/model.hpp"
#include "report/render.hpp"
#include "sinks/textfile.hpp"

namespace kpi {
namespace {

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

int report_command(const GlobalOptions& global, const ReportOptions& options) {
    if (options.output_path.empty()) throw UsageError("--output is required: the HTML file to write");
    // Refuse an unwritable destination before reading anything: a usage error, nothing lost.
    const std::string directory = directory_of(options.output_path);
    if (::access(directory.c_str(), W_OK) != 0) {
        throw UsageError("cannot write " + options.output_path + ": " + directory + ": " + std::strerror(errno));
    }

    int fd = 0;
    std::string name = "stdin";
    if (!options.input_path.empty() && options.input_path != "-") {
        fd = ::open(options.input_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw UsageError("cannot read " + options.input_path + ": " + std::strerror(errno));
        name = options.input_path;
    }

    report::ReportCollector collector;
    std::size_t bad_lines = 0;
    NdjsonReader reader([&](Point&& p) { collector.add(p); },
                        [&](const LineError& e) {
                            ++bad_lines;
                            spdlog::error("{}:{}: {}", name, e.line, e.reason);
                        });
    reader.set_max_line_bytes(global.max_line_bytes);
    std::string read_error;
    const bool read_ok = reader.read_fd(fd, read_error);
    if (fd != 0) ::close(fd);
    if (!read_ok) spdlog::error("cannot read {}: {}", name, read_error);
    if (bad_lines) spdlog::error("{}: {} invalid lines skipped", name, bad_lines);

    // The good points still make a report, whatever else went wrong with the input.
    const report::ReportData data = collector.finish();
    const report::PageInfo page{.title = options.title.empty() ? "KPI report" : options.title,
                                .input_name = name,
                                .bad_lines = bad_lines,
                                .written_at = unix_seconds(now())};
    if (auto error = write_file_atomically(options.output_path, report::render_report(data, page))) {
        spdlog::error("{}", *error);
        return kExitFailure;
    }
    spdlog::info("wrote {}: {} points, {} surveyed sites, {} measurements", options.output_path, data.points,
                 data.sites.size(), data.measurements.size());
    return read_ok && bad_lines == 0 && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
