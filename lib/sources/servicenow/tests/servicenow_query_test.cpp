#include <gtest/gtest.h>

#include <stdexcept>

#include "sources/servicenow/servicenow_query.hpp"

using namespace kpi::servicenow;

TEST(ServiceNowCondition, WritesEachOperator) {
    EXPECT_EQ(Condition::equals("active", "true").text(), "active=true");
    EXPECT_EQ(Condition::not_equals("priority", "1").text(), "priority!=1");
    EXPECT_EQ(Condition::starts_with("assignment_group.name", "Zenodo Repository").text(),
              "assignment_group.nameSTARTSWITHZenodo Repository");
    EXPECT_EQ(Condition::in("state", {"6", "7", "8"}).text(), "stateIN6,7,8");
    EXPECT_EQ(Condition::not_in("state", {"6", "7", "8"}).text(), "stateNOT IN6,7,8");
}

TEST(ServiceNowCondition, EscapesCaretsInValues) {
    EXPECT_EQ(escape_value("R^D"), "R^^D");
    EXPECT_EQ(escape_value("^^"), "^^^^");
    EXPECT_EQ(escape_value("plain"), "plain");
    EXPECT_EQ(Condition::starts_with("assignment_group.name", "R^OR D").text(),
              "assignment_group.nameSTARTSWITHR^^OR D");
    EXPECT_EQ(Condition::not_in("state", {"a^b", "c"}).text(), "stateNOT INa^^b,c");
}

TEST(ServiceNowCondition, KeepsNonAsciiValuesAsUtf8) {
    EXPECT_EQ(Condition::equals("short_description", "Données été").text(), "short_description=Données été");
}

TEST(ServiceNowCondition, RefusesWhatCannotBeExpressed) {
    EXPECT_THROW(Condition::equals("", "x"), std::invalid_argument);
    EXPECT_THROW(Condition::equals("state^ORactive", "x"), std::invalid_argument);
    EXPECT_THROW(Condition::equals("bad field", "x"), std::invalid_argument);
    EXPECT_THROW(Condition::in("state", {}), std::invalid_argument);
    EXPECT_THROW(Condition::not_in("state", {"6,7"}), std::invalid_argument);
}

TEST(ServiceNowNames, FieldsMayBeDotWalkedTablesMayNot) {
    EXPECT_TRUE(is_field_name("reassignment_count"));
    EXPECT_TRUE(is_field_name("assignment_group.name"));
    EXPECT_FALSE(is_field_name(".name"));
    EXPECT_FALSE(is_field_name("assignment_group."));
    EXPECT_FALSE(is_field_name("a..b"));
    EXPECT_FALSE(is_field_name("a,b"));
    EXPECT_TRUE(is_table_name("sc_req_item"));
    EXPECT_FALSE(is_table_name("sc_req_item.x"));
    EXPECT_FALSE(is_table_name("../incident"));
    EXPECT_FALSE(is_table_name(""));
}

TEST(ServiceNowEncodedQuery, JoinsWithCaretAndCaretOr) {
    EncodedQuery query;
    EXPECT_TRUE(query.empty());
    query.where(Condition::starts_with("assignment_group.name", "Zenodo"))
        .where(Condition::equals("priority", "1"))
        .or_where(Condition::equals("priority", "2"));
    EXPECT_EQ(query.str(), "assignment_group.nameSTARTSWITHZenodo^priority=1^ORpriority=2");
}

TEST(ServiceNowEncodedQuery, OrWhereFirstIsAPlainCondition) {
    EncodedQuery query;
    query.or_where(Condition::equals("active", "true"));
    EXPECT_EQ(query.str(), "active=true");
}

TEST(ServiceNowStatsQuery, ListsParametersInAFixedOrder) {
    EncodedQuery where;
    where.where(Condition::not_in("state", {"6", "7", "8"}));
    StatsQuery query("incident");
    query.max("reassignment_count").avg("calendar_stc").count().where(where);
    std::vector<std::pair<std::string, std::string>> expected{
        {"sysparm_query", "stateNOT IN6,7,8"},
        {"sysparm_count", "true"},
        {"sysparm_avg_fields", "calendar_stc"},
        {"sysparm_max_fields", "reassignment_count"},
    };
    EXPECT_EQ(query.params(), expected);
}

TEST(ServiceNowStatsQuery, ListsSeveralFieldsOnceEach) {
    StatsQuery query("incident");
    query.avg("calendar_stc").avg("business_stc").avg("calendar_stc");
    ASSERT_EQ(query.params().size(), 1u);
    EXPECT_EQ(query.params()[0].second, "calendar_stc,business_stc");
}

TEST(ServiceNowStatsQuery, PercentEncodesTheQueryString) {
    EncodedQuery where;
    where.where(Condition::starts_with("assignment_group.name", "Zenodo Repository"))
        .where(Condition::not_in("state", {"6", "7", "8"}));
    StatsQuery query("incident");
    query.where(where).count().max("reassignment_count");
    EXPECT_EQ(query.query_string(),
              "sysparm_query=assignment_group.nameSTARTSWITHZenodo%20Repository%5EstateNOT%20IN6%2C7%2C8"
              "&sysparm_count=true&sysparm_max_fields=reassignment_count");
}

TEST(ServiceNowStatsQuery, PercentEncodesUtf8AndEscapedCarets) {
    EncodedQuery where;
    where.where(Condition::starts_with("assignment_group.name", "Équipe R^D"));
    StatsQuery query("incident");
    query.where(where);
    EXPECT_EQ(query.query_string(), "sysparm_query=assignment_group.nameSTARTSWITH%C3%89quipe%20R%5E%5ED");
}

TEST(ServiceNowStatsQuery, BuildsTheUrlUnderTheInstance) {
    StatsQuery query("sc_req_item");
    query.count();
    EXPECT_EQ(query.path(), "/api/now/stats/sc_req_item");
    EXPECT_EQ(query.url("https://example.service-now.com"),
              "https://example.service-now.com/api/now/stats/sc_req_item?sysparm_count=true");
    EXPECT_EQ(query.url("https://example.service-now.com//"),
              "https://example.service-now.com/api/now/stats/sc_req_item?sysparm_count=true");
    EXPECT_EQ(StatsQuery("incident").url("http://h"), "http://h/api/now/stats/incident");
}

TEST(ServiceNowStatsQuery, RefusesMalformedNames) {
    EXPECT_THROW(StatsQuery("incident/../sys_user"), std::invalid_argument);
    StatsQuery query("incident");
    EXPECT_THROW(query.avg("calendar_stc,priority"), std::invalid_argument);
    EXPECT_THROW(query.max(""), std::invalid_argument);
}
