// `kpi report`: points from stdin or --input to one self-contained HTML page (DESIGN §2).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "commands/commands.hpp"
#include "commands/point_input.hpp"
#include "core/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/shutdown.hpp"
#include "core/time.hpp"
#include "report/model.hpp"
#include "report/render.hpp"

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

    PointInput input(options.input_path);
    report::ReportCollector collector;
    const bool read_ok = input.read(global.max_line_bytes, [&](Point&& p) { collector.add(p); });

    // The good points still make a report, whatever else went wrong with the input.
    const report::ReportData data = collector.finish();
    const report::PageInfo page{.title = options.title.empty() ? "KPI report" : options.title,
                                .input_name = input.name(),
                                .bad_lines = input.bad_lines(),
                                .written_at = unix_seconds(now())};
    if (auto error = write_file_atomically(options.output_path, report::render_report(data, page))) {
        spdlog::error("{}", *error);
        return kExitFailure;
    }
    spdlog::info("wrote {}: {} points, {} surveyed sites, {} measurements", options.output_path, data.points,
                 data.sites.size(), data.measurements.size());
    return read_ok && !shutdown_requested() ? kExitOk : kExitFailure;
}

}  // namespace kpi
