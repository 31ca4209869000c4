#include "support/points_of.hpp"

#include <gtest/gtest.h>

#include <exception>

#include "core/ndjson.hpp"

namespace kpi::test {

std::vector<Point> points_of(const std::string& out) {
    std::vector<LineError> errors;
    auto points = parse_ndjson(out, &errors);
    for (const auto& e : errors) ADD_FAILURE() << "stdout line " << e.line << " is no point: " << e.reason << "\n" << out;
    return points;
}

std::vector<Point> points_of(const ProcessResult& result) { return points_of(result.out); }

Collected collect_source(const std::string& source, const std::vector<std::string>& args, const RunOptions& options) {
    std::vector<std::string> argv{"collect", source};
    argv.insert(argv.end(), args.begin(), args.end());
    Collected c;
    c.process = run_kpi(argv, options);
    c.points = points_of(c.process);
    return c;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

}  // namespace kpi::test
