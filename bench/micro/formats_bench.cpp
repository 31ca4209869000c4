// Points to the wire formats the sinks send: InfluxDB line protocol, the Prometheus text
// exposition (Pushgateway, textfile), the MONIT JSON list, and NDJSON (stdout, file).
// Reports MB/s of output and points/s, 5,000 points a batch as `kpi publish` delivers them.

#include <benchmark/benchmark.h>

#include <functional>

#include "bench_points.hpp"
#include "core/ndjson.hpp"
#include "formats/influx_line.hpp"
#include "formats/monit_json.hpp"
#include "formats/prometheus_text.hpp"

namespace {

constexpr std::size_t kBatch = 5000;

void write_batches(benchmark::State& state, const std::function<std::size_t(const std::vector<kpi::Point>&)>& write) {
    const auto points = kpi::bench::uptime_points(kBatch);
    std::size_t bytes = 0;
    for (auto _ : state) bytes += write(points);
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * points.size()));
}

void BM_PointsToLineProtocol(benchmark::State& state) {
    std::string out;
    write_batches(state, [&](const std::vector<kpi::Point>& points) {
        out.clear();
        for (const auto& p : points) benchmark::DoNotOptimize(kpi::append_line_protocol(out, p));
        return out.size();
    });
}
BENCHMARK(BM_PointsToLineProtocol)->Unit(benchmark::kMicrosecond);

void BM_PointsToNdjson(benchmark::State& state) {
    std::string out;
    write_batches(state, [&](const std::vector<kpi::Point>& points) {
        out.clear();
        for (const auto& p : points) kpi::append_ndjson(out, p);
        return out.size();
    });
}
BENCHMARK(BM_PointsToNdjson)->Unit(benchmark::kMicrosecond);

void BM_PointsToPrometheusText(benchmark::State& state) {
    std::vector<std::string> notes;
    write_batches(state, [&](const std::vector<kpi::Point>& points) {
        notes.clear();
        const std::string text = kpi::to_prometheus_text(points, &notes);
        return text.size();
    });
}
BENCHMARK(BM_PointsToPrometheusText)->Unit(benchmark::kMicrosecond);

void BM_PointsToMonitJson(benchmark::State& state) {
    std::vector<std::string> notes;
    write_batches(state, [&](const std::vector<kpi::Point>& points) {
        notes.clear();
        const std::string text = kpi::to_monit_json(points, "kpi", &notes);
        return text.size();
    });
}
BENCHMARK(BM_PointsToMonitJson)->Unit(benchmark::kMicrosecond);

}  // namespace
