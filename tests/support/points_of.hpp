#pragma once
// What tests read back from kpi: the points on its stdout, and the message of a failure.

#include <functional>
#include <string>
#include <vector>

#include "core/point.hpp"
#include "support/run_kpi.hpp"

namespace kpi::test {

// The points kpi printed; a line that is not a point fails the calling test (stdout carries
// points and nothing else, DESIGN §7).
std::vector<Point> points_of(const ProcessResult& result);
std::vector<Point> points_of(const std::string& out);

// `kpi collect <source> <args...>` and the points it printed.
struct Collected {
    ProcessResult process;
    std::vector<Point> points;
};
Collected collect_source(const std::string& source, const std::vector<std::string>& args,
                         const RunOptions& options = {});

// The what() of the exception `f` throws, or "(no exception)".
std::string message_of(const std::function<void()>& f);

}  // namespace kpi::test
