// NDJSON to points: what every `kpi publish` reads (NdjsonReader, simdjson, Point).
// Reports MB/s of NDJSON and points/s.

#include <benchmark/benchmark.h>

#include "bench_points.hpp"
#include "core/ndjson.hpp"

namespace {

void BM_NdjsonToPoints(benchmark::State& state) {
    const std::string text = kpi::bench::uptime_ndjson(10'000);
    std::size_t points = 0;
    kpi::NdjsonReader reader([&](kpi::Point&& p) { benchmark::DoNotOptimize(p); ++points; },
                             [&](const kpi::LineError&) { state.SkipWithError("a line was refused"); });
    for (auto _ : state) reader.read_text(text);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(points));
}
BENCHMARK(BM_NdjsonToPoints)->Unit(benchmark::kMillisecond);

}  // namespace
