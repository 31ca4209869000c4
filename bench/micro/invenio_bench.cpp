// An Invenio search answer, the real ones recorded in lib/sources/records/testdata (Zenodo's
// Invenio v3 answer of 2018, 9 KB with its aggregations; InvenioRDM's explore answer),
// parsed and its hits.total read, as the records and invenio sources do with every answer.
// Reports MB/s of answer.

#include <benchmark/benchmark.h>

#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sources/invenio/invenio_count.hpp"

namespace {

std::string read_fixture(const std::string& name) {
    std::ifstream in(std::string(KPI_SOURCE_DIR) + "/lib/sources/records/testdata/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read lib/sources/records/testdata/" + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void read_answer(benchmark::State& state, const std::string& name) {
    const simdjson::padded_string body(read_fixture(name));
    simdjson::dom::parser parser;
    std::string why;
    for (auto _ : state) {
        simdjson::dom::element root;
        if (parser.parse(body).get(root)) state.SkipWithError("invalid JSON");
        const auto answer = kpi::invenio::read_search_answer(root, why);
        if (!answer) state.SkipWithError(why.c_str());
        benchmark::DoNotOptimize(answer);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

void BM_InvenioSearchAnswer_ZenodoV3(benchmark::State& state) { read_answer(state, "zenodo_v3_2018.json"); }
BENCHMARK(BM_InvenioSearchAnswer_ZenodoV3);

void BM_InvenioSearchAnswer_InvenioRDM(benchmark::State& state) { read_answer(state, "inveniordm_explore.json"); }
BENCHMARK(BM_InvenioSearchAnswer_InvenioRDM);

}  // namespace
