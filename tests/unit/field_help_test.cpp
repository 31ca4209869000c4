#include "field_help.hpp"

#include <gtest/gtest.h>

#include "run_health.hpp"
#include "core/time.hpp"
#include "formats/prometheus_text.hpp"
#include "registry.hpp"
#include "support/sample_points.hpp"

using namespace kpi;

TEST(FieldHelp, ExactNamesAndPlaceholders) {
    const FieldInfo ratio{.measurement = "uptime", .name = "uptime_ratio_<window>",
                          .description = "up over the last <window>"};
    EXPECT_EQ(describe_declared_field(ratio, "uptime", "uptime_ratio_30d"), "up over the last 30d");
    EXPECT_EQ(describe_declared_field(ratio, "uptime", "uptime_ratio_"), std::nullopt);
    EXPECT_EQ(describe_declared_field(ratio, "uptime", "uptime_ratio_1d.x"), std::nullopt);
    EXPECT_EQ(describe_declared_field(ratio, "records", "uptime_ratio_1d"), std::nullopt);
    const FieldInfo total{.measurement = "records", .name = "total", .description = "records"};
    EXPECT_EQ(describe_declared_field(total, "records", "total"), "records");
    EXPECT_EQ(describe_declared_field(total, "records", "totals"), std::nullopt);
}

TEST(FieldHelp, DeclaredFieldsHaveTheirDescriptionOthersAGenericOne) {
    EXPECT_EQ(field_help("uptime", "uptime_ratio_7d"), "Share of the last 7d the UptimeRobot monitor was up (0..1)");
    EXPECT_EQ(field_help("kpi_run", "success"),
              "Whether the source's last kpi run-all pass succeeded (1) or failed (0)");
    EXPECT_EQ(field_help("json", "stars"), generic_field_description("json", "stars"));
}

// The samples the exposition and dashboard tests use cover every field a source declares,
// and every field they give a declared measurement is declared.
TEST(FieldHelp, TheSamplesCoverEveryDeclaredField) {
    const auto samples = test::sample_pass(parse_rfc3339("2026-11-28T14:11:00Z").value(), 0);
    std::vector<FieldInfo> declared = run_health_fields();
    for (const auto& source : source_registry()) declared.insert(declared.end(), source.fields.begin(), source.fields.end());
    ASSERT_FALSE(declared.empty());
    for (const auto& info : declared) {
        EXPECT_FALSE(info.description.empty()) << info.measurement << " " << info.name;
        bool found = false;
        for (const auto& p : samples) {
            for (const auto& f : p.fields) found = found || describe_declared_field(info, p.measurement, f.key);
        }
        EXPECT_TRUE(found) << "no sample of " << info.measurement << " " << info.name;
    }
    for (const auto& p : samples) {
        bool measurement_declared = false;
        for (const auto& info : declared) measurement_declared = measurement_declared || info.measurement == p.measurement;
        if (!measurement_declared) continue;
        for (const auto& f : p.fields) {
            EXPECT_NE(field_help(p.measurement, f.key), generic_field_description(p.measurement, f.key))
                << p.measurement << " " << f.key;
        }
    }
}
