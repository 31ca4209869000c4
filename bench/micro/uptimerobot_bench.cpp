// An UptimeRobot getMonitors (v2) answer of 10,000 monitors, each the real monitor of
// lib/sources/uptimerobot/testdata/v2_zenodo_website_2018.json with its own id and name: parsed
// and turned into `uptime` points, as `kpi collect uptimerobot` does with every page.
// Reports MB/s of answer and points/s.

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "sources/uptimerobot/uptimerobot_api.hpp"

namespace {

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(KPI_SOURCE_DIR) + "/lib/sources/uptimerobot/testdata/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read lib/sources/uptimerobot/testdata/" + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The real answer with its one monitor repeated `count` times.
std::string answer_of(std::size_t count) {
    const std::string real = read_fixture("v2_zenodo_website_2018.json");
    const std::size_t open = real.find('[', real.find("\"monitors\"")) + 1, close = real.rfind(']');
    const std::string monitor = real.substr(open, close - open);
    const std::string id = "778127932", name = "\"Website\"";
    std::string body = real.substr(0, open);
    for (std::size_t i = 0; i < count; ++i) {
        std::string copy = monitor;
        copy.replace(copy.find(id), id.size(), std::to_string(700000000 + i));
        copy.replace(copy.find(name), name.size(), "\"Website " + std::to_string(i) + "\"");
        body += (i ? "," : "") + copy;
    }
    return body + real.substr(close);
}

void BM_UptimeRobotAnswer10kMonitors(benchmark::State& state) {
    const std::string body = answer_of(10'000);
    const std::vector<kpi::uptimerobot::Window> windows{kpi::uptimerobot::parse_window("1d")};
    std::size_t points = 0;
    for (auto _ : state) {
        const auto page = kpi::uptimerobot::parse_v2_page(body, windows.size());
        for (const auto& monitor : page.monitors) {
            auto point = kpi::uptimerobot::to_point(monitor, windows);
            benchmark::DoNotOptimize(point);
            ++points;
        }
    }
    if (points != static_cast<std::size_t>(state.iterations()) * 10'000) state.SkipWithError("not every monitor was read");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(points));
    state.counters["answer_MB"] = static_cast<double>(body.size()) / 1e6;
}
BENCHMARK(BM_UptimeRobotAnswer10kMonitors)->Unit(benchmark::kMillisecond);

}  // namespace
