// `kpi publish stdout --format F` prints exactly what sink F would send, and sends nothing.

#include <gtest/gtest.h>

#include "core/ndjson.hpp"
#include "field_help.hpp"
#include "formats/graphite_plaintext.hpp"
#include "formats/monit_json.hpp"
#include "formats/prometheus_text.hpp"
#include "support/run_kpi.hpp"
#include "support/testdata.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {
const std::string kInput =
    R"({"measurement":"uptime","tags":{"service":"zenodo","monitor":"Web site"},"fields":{"up":1,"uptime_ratio_1d":0.9996,"note":"fine"},"time":"2026-11-28T14:11:00Z"})"
    "\n";
}

TEST(DryRun, EachFormatIsTheSinksWireFormat) {
    const auto points = parse_ndjson(kInput);
    std::vector<std::string> notes;
    const std::map<std::string, std::string> expected{
        {"prometheus", to_prometheus_text(points, &notes, field_help)},
        {"graphite", to_graphite_plaintext(points, "kpi", &notes)},
        {"monit", to_monit_json(points, "kpi") + "\n"},
    };
    for (const auto& [format, text] : expected) {
        auto r = run_kpi({"publish", "stdout", "--format", format}, RunOptions{.input = kInput});
        EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
        EXPECT_EQ(r.out, text) << format;
        EXPECT_FALSE(text.empty());
    }
    auto graphite = run_kpi({"publish", "stdout", "--format", "graphite", "--prefix", "cern.kpi"},
                            RunOptions{.input = kInput});
    EXPECT_NE(graphite.out.find("cern.kpi.uptime.up;monitor=Web_site;service=zenodo 1 1795875060\n"), std::string::npos)
        << graphite.out;
    EXPECT_NE(graphite.err.find("string field \"note\""), std::string::npos) << "left-out strings are said";
    auto monit = run_kpi({"publish", "stdout", "--format", "monit", "--producer", "invenio"}, RunOptions{.input = kInput});
    EXPECT_NE(monit.out.find("\"producer\":\"invenio\""), std::string::npos) << monit.out;
}

TEST(DryRun, InfluxFormatIsTheLineProtocolOfTheReference) {
    auto r = run_kpi({"publish", "stdout", "--format", "influx"},
                     RunOptions{.input = testdata("sinks/stdout", "uptime.ndjson")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, testdata("sinks/stdout", "uptime.influx"));
}

TEST(DryRun, AFormatNoSinkDeclaresIsAUsageError) {
    auto r = run_kpi({"publish", "stdout", "--format", "csv"}, RunOptions{.input = kInput});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("csv"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}
