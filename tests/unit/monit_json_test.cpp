#include "formats/monit_json.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "core/time.hpp"

using namespace kpi;

namespace {

Point point(std::string measurement, std::vector<Tag> tags, std::vector<Field> fields) {
    Point p;
    p.measurement = std::move(measurement);
    for (auto& t : tags) p.set_tag(t.key, t.value);
    for (auto& f : fields) p.set_field(f.key, f.value);
    p.time = parse_rfc3339("2017-01-06T09:58:55.836Z");
    return p;
}

}  // namespace

TEST(MonitJson, DocumentHasTheFixedKeysThenTagsThenFieldsThenTheirNames) {
    auto p = point("repokpi", {{"service", "zenodo"}, {"env", "prod"}},
                   {{"records", std::int64_t{433830}}, {"uptime_web", 99.961}});
    EXPECT_EQ(to_monit_json({p}, "invenio"),
              R"([{"producer":"invenio","type":"repokpi","type_prefix":"raw","timestamp":1483696735836,)"
              R"("env":"prod","service":"zenodo","records":433830,"uptime_web":99.961,)"
              R"("idb_tags":["env","service"],"idb_fields":["records","uptime_web"]}])");
}

TEST(MonitJson, OneArrayForManyPoints) {
    auto a = point("doikpi", {{"doi_prefix", "10.5281"}}, {{"doi_success", std::int64_t{710383}}});
    auto b = point("doikpi", {}, {{"doi_failed", std::int64_t{17164}}});
    EXPECT_EQ(to_monit_json({a, b}, "invenio"),
              R"([{"producer":"invenio","type":"doikpi","type_prefix":"raw","timestamp":1483696735836,)"
              R"("doi_prefix":"10.5281","doi_success":710383,"idb_tags":["doi_prefix"],"idb_fields":["doi_success"]},)"
              R"({"producer":"invenio","type":"doikpi","type_prefix":"raw","timestamp":1483696735836,)"
              R"("doi_failed":17164,"idb_tags":[],"idb_fields":["doi_failed"]}])");
}

TEST(MonitJson, NoPointsIsAnEmptyArray) { EXPECT_EQ(to_monit_json({}, "invenio"), "[]"); }

TEST(MonitJson, ValuesKeepTheirTypes) {
    auto p = point("m", {},
                   {{"int", std::int64_t{-7}},
                    {"whole_float", 2.0},
                    {"float", 0.5},
                    {"yes", true},
                    {"no", false},
                    {"text", std::string("green")}});
    EXPECT_EQ(to_monit_json({p}, "kpi"),
              R"([{"producer":"kpi","type":"m","type_prefix":"raw","timestamp":1483696735836,)"
              R"("int":-7,"whole_float":2.0,"float":0.5,"yes":true,"no":false,"text":"green",)"
              R"("idb_tags":[],"idb_fields":["int","whole_float","float","yes","no","text"]}])");
}

TEST(MonitJson, StringsAreEscapedEverywhere) {
    auto p = point("m\"q", {{"path", "C:\\x\n"}}, {{"say \"hi\"", std::string("tab\there")}});
    EXPECT_EQ(to_monit_json({p}, "pro\\d"),
              R"([{"producer":"pro\\d","type":"m\"q","type_prefix":"raw","timestamp":1483696735836,)"
              R"("path":"C:\\x\n","say \"hi\"":"tab\there",)"
              R"("idb_tags":["path"],"idb_fields":["say \"hi\""]}])");
}

TEST(MonitJson, TimestampIsMillisecondsRoundedDown) {
    auto p = point("m", {}, {{"v", std::int64_t{1}}});
    p.time = parse_rfc3339("1970-01-01T00:00:01.0009Z");
    EXPECT_NE(to_monit_json({p}, "kpi").find(R"("timestamp":1000,)"), std::string::npos);
}

TEST(MonitJson, APointWithoutTimeIsStampedNow) {
    auto p = point("m", {}, {{"v", std::int64_t{1}}});
    p.time.reset();
    const auto before = std::chrono::floor<std::chrono::milliseconds>(now()).time_since_epoch().count();
    const std::string text = to_monit_json({p}, "kpi");
    const auto after = std::chrono::floor<std::chrono::milliseconds>(now()).time_since_epoch().count();
    const auto at = text.find("\"timestamp\":");
    ASSERT_NE(at, std::string::npos);
    const auto stamped = std::stoll(text.substr(at + 12));
    EXPECT_GE(stamped, before);
    EXPECT_LE(stamped, after);
}

TEST(MonitJson, ReservedNamesAndTagFieldClashesAreConflicts) {
    EXPECT_EQ(monit_conflict(point("m", {{"env", "prod"}}, {{"v", std::int64_t{1}}})), std::nullopt);
    EXPECT_EQ(monit_conflict(point("m", {{"type", "x"}}, {{"v", std::int64_t{1}}})),
              "tag \"type\" of \"m\" has the name of a MONIT key");
    EXPECT_EQ(monit_conflict(point("m", {}, {{"timestamp", std::int64_t{1}}})),
              "field \"timestamp\" of \"m\" has the name of a MONIT key");
    for (const char* key : {"producer", "type_prefix", "idb_tags", "idb_fields"}) {
        EXPECT_NE(monit_conflict(point("m", {{key, "x"}}, {{"v", std::int64_t{1}}})), std::nullopt) << key;
    }
    EXPECT_EQ(monit_conflict(point("m", {{"v", "x"}}, {{"v", std::int64_t{1}}})),
              "\"v\" of \"m\" is both a tag and a field");
}

TEST(MonitJson, ConflictingPointsAreLeftOutWithANote) {
    auto bad = point("m", {{"producer", "me"}}, {{"v", std::int64_t{1}}});
    auto good = point("m", {}, {{"v", std::int64_t{2}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_monit_json({bad, good}, "kpi", &notes),
              R"([{"producer":"kpi","type":"m","type_prefix":"raw","timestamp":1483696735836,)"
              R"("v":2,"idb_tags":[],"idb_fields":["v"]}])");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "point left out: tag \"producer\" of \"m\" has the name of a MONIT key");
}
