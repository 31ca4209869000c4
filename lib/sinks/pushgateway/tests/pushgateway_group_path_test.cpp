// The grouping key in the push URL, against the examples of the Pushgateway's README
// (testdata/grouping_keys.tsv) and the cases its router would take apart.

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/base64.hpp"
#include "sinks/pushgateway/pushgateway.hpp"
#include "support/testdata.hpp"

using kpi::pushgateway_group_path;

namespace {

// "a=1,b=" -> {{"a","1"},{"b",""}}
std::vector<std::pair<std::string, std::string>> labels_of(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> labels;
    std::istringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
        const auto eq = item.find('=');
        labels.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    return labels;
}

}  // namespace

TEST(PushgatewayGroupPath, IsThePathOfEachExampleOfThePushgatewaysReadme) {
    std::istringstream rows(kpi::test::testdata("sinks/pushgateway", "grouping_keys.tsv"));
    int checked = 0;
    for (std::string row; std::getline(rows, row);) {
        std::istringstream cells(row);
        std::string job, grouping, path;
        ASSERT_TRUE(std::getline(cells, job, '\t') && std::getline(cells, grouping, '\t') &&
                    std::getline(cells, path))
            << row;
        EXPECT_EQ(pushgateway_group_path(job, labels_of(grouping)), path) << row;
        ++checked;
    }
    EXPECT_EQ(checked, 4);
}

TEST(PushgatewayGroupPath, EncodesWhatTheRouterWouldTakeApartAsBase64) {
    EXPECT_EQ(pushgateway_group_path("kpi", {}), "/metrics/job/kpi");
    EXPECT_EQ(pushgateway_group_path("kpi", {{"env", "prod"}, {"url", "https://zenodo.org/api"}}),
              "/metrics/job/kpi/env/prod/url@base64/aHR0cHM6Ly96ZW5vZG8ub3JnL2FwaQ==");
    EXPECT_EQ(pushgateway_group_path("a/b", {{"e", ""}, {"d", "."}}), "/metrics/job@base64/YS9i/e@base64/=/d@base64/Lg==");
    EXPECT_EQ(pushgateway_group_path("über job", {}), "/metrics/job/%C3%BCber%20job");
}

TEST(PushgatewayGroupPath, Base64IsUrlSafeAndPadded) {
    EXPECT_EQ(kpi::base64_url_encode(""), "");
    EXPECT_EQ(kpi::base64_url_encode("f"), "Zg==");
    EXPECT_EQ(kpi::base64_url_encode("fo"), "Zm8=");
    EXPECT_EQ(kpi::base64_url_encode("foo"), "Zm9v");
    EXPECT_EQ(kpi::base64_url_encode("\xfb\xff\xbf"), "-_-_");
}
