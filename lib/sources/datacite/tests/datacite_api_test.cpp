#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"
#include "sources/datacite/datacite.hpp"
#include "support/testdata.hpp"

using namespace kpi::datacite;

using kpi::test::testdata;

namespace {

kpi::SourceConfig config_with(std::initializer_list<std::pair<std::string, std::string>> values) {
    kpi::SourceConfig config;
    config.type = config.name = "datacite";
    config.origin = "command line";
    for (const auto& [name, value] : values) config.options.add(name, value, "--" + name);
    return config;
}

}  // namespace

TEST(DataciteApi, TotalAndStates) {
    auto counts = parse_dois_answer(testdata("sources/datacite", "dois_10.5281.json"));
    EXPECT_EQ(counts.total, 3456789);
    EXPECT_EQ(counts.findable, 3456001);
    EXPECT_EQ(counts.registered, 700);
    EXPECT_EQ(counts.draft, 88);
}

TEST(DataciteApi, AnonymousAnswerHasFindableOnly) {
    auto counts = parse_dois_answer(testdata("sources/datacite", "dois_findable_only.json"));
    EXPECT_EQ(counts.total, 15234);
    EXPECT_EQ(counts.findable, 15234);
    EXPECT_EQ(counts.registered, std::nullopt);
    EXPECT_EQ(counts.draft, std::nullopt);
}

// The answer rOpenSci's client recorded from api.datacite.org (testdata/README.md).
TEST(DataciteApi, RecordedAnswerGivesItsExactCounts) {
    auto counts = parse_dois_answer(testdata("sources/datacite", "api_dois_2020_rdatacite.json"));
    EXPECT_EQ(counts.total, 18666188);
    EXPECT_EQ(counts.findable, 18666188);
    EXPECT_EQ(counts.registered, std::nullopt);
    EXPECT_EQ(counts.draft, std::nullopt);
}

TEST(DataciteApi, AnswerWithoutFacets) {
    // With no facets asked for (or none given back), the total alone.
    auto counts = parse_dois_answer(R"({"data":[],"meta":{"total":0,"totalPages":0,"page":1}})");
    EXPECT_EQ(counts.total, 0);
    EXPECT_EQ(counts.findable, std::nullopt);
}

TEST(DataciteApi, MalformedStatesAreSkipped) {
    auto counts = parse_dois_answer(
        R"({"meta":{"total":5,"states":[{"id":"findable","count":"5"},{"id":"draft","count":2},7]}})");
    EXPECT_EQ(counts.findable, std::nullopt);
    EXPECT_EQ(counts.draft, 2);
}

TEST(DataciteApi, AnswersThatAreNoCounts) {
    EXPECT_THROW(parse_dois_answer("<html>Bad gateway</html>"), AnswerError);
    EXPECT_THROW(parse_dois_answer("[1,2]"), AnswerError);
    EXPECT_THROW(parse_dois_answer(R"({"data":[]})"), AnswerError);
    EXPECT_THROW(parse_dois_answer(R"({"meta":{"total":"12"}})"), AnswerError);
    EXPECT_THROW(parse_dois_answer(R"({"meta":{"total":1.5}})"), AnswerError);
    try {
        parse_dois_answer(R"({"errors":[{"status":"400","title":"Invalid page size."}]})");
        FAIL() << "expected AnswerError";
    } catch (const AnswerError& e) {
        EXPECT_STREQ(e.what(), "Invalid page size.");
    }
}

TEST(DataciteApi, ErrorMessages) {
    EXPECT_EQ(api_error_message(R"({"errors":[{"status":"404","title":"Not found."},{"detail":"Try again."}]})"),
              "Not found.; Try again.");
    EXPECT_EQ(api_error_message(R"({"message":"other shape"})"), "");
    EXPECT_EQ(api_error_message("Internal Server Error"), "");
}

TEST(DataciteOptions, PrefixesMustBeDoiPrefixes) {
    auto info = kpi::datacite_source();
    EXPECT_NO_THROW(info.make(config_with({{"prefix", "10.5281"}, {"prefix", "10.1000.10"}})));
    for (const char* bad : {"5281", "10.", "10.52a81", "10..1", "10.1.", "doi:10.5281"}) {
        try {
            info.make(config_with({{"prefix", bad}}));
            ADD_FAILURE() << bad << " was taken";
        } catch (const kpi::UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("--prefix: \"") + bad + "\" is not a DOI prefix"),
                      std::string::npos)
                << e.what();
        }
    }
    EXPECT_THROW(info.make(config_with({{"mode", "api"}})), kpi::UsageError);
}

TEST(DataciteOptions, DescribesItself) {
    auto info = kpi::datacite_source();
    EXPECT_EQ(info.type, "datacite");
    ASSERT_EQ(info.options.size(), 3u);
    EXPECT_EQ(info.options[0].name, "url");
    EXPECT_EQ(info.options[0].default_value, "https://stats.datacite.org/stats/resolution-report/");
    EXPECT_EQ(info.options[1].name, "mode");
    EXPECT_EQ(info.options[1].default_value, "report");
    EXPECT_TRUE(info.options[2].repeatable);
    EXPECT_TRUE(info.options[2].required);
}
