#include "formats/graphite_plaintext.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "core/time.hpp"

using namespace kpi;

namespace {

// 2026-11-28T14:11:00Z
constexpr const char* kTime = "2026-11-28T14:11:00Z";
constexpr const char* kSeconds = "1795875060";

Point point(std::string measurement, std::vector<Tag> tags, std::vector<Field> fields) {
    Point p;
    p.measurement = std::move(measurement);
    for (auto& t : tags) p.set_tag(t.key, t.value);
    for (auto& f : fields) p.set_field(f.key, f.value);
    p.time = parse_rfc3339(kTime);
    return p;
}

std::string at(const std::string& line) { return line + " " + kSeconds + "\n"; }

}  // namespace

TEST(GraphitePlaintext, TheTestTimeIsWhatTheLinesSay) {
    EXPECT_EQ(std::to_string(unix_seconds(*parse_rfc3339(kTime))), kSeconds);
}

TEST(GraphitePlaintext, OneLinePerFieldWithSortedTagsAndUnixSeconds) {
    auto p = point("uptime", {{"service", "zenodo"}, {"monitor", "Website"}},
                   {{"uptime_ratio_1d", 0.9996}, {"up", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", &notes),
              at("kpi.uptime.uptime_ratio_1d;monitor=Website;service=zenodo 0.9996") +
                  at("kpi.uptime.up;monitor=Website;service=zenodo 1"));
    EXPECT_TRUE(notes.empty());
}

TEST(GraphitePlaintext, NoTagsNoSemicolonAndNoPrefixNoLeadingDot) {
    auto p = point("records", {}, {{"total", std::int64_t{433830}}});
    EXPECT_EQ(to_graphite_plaintext({p}, "", nullptr), at("records.total 433830"));
}

TEST(GraphitePlaintext, PrefixKeepsItsDotsAndLosesEmptyComponents) {
    auto p = point("records", {}, {{"total", std::int64_t{1}}});
    EXPECT_EQ(to_graphite_plaintext({p}, ".kpi..prod env.", nullptr), at("kpi.prod_env.records.total 1"));
}

TEST(GraphitePlaintext, IntegersFloatsAndBooleans) {
    auto p = point("m", {},
                   {{"big", std::numeric_limits<std::int64_t>::min()},
                    {"whole_float", 3.0},
                    {"huge", 1e21},
                    {"yes", true},
                    {"no", false}});
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", nullptr),
              at("kpi.m.big -9223372036854775808") + at("kpi.m.whole_float 3") + at("kpi.m.huge 1e+21") +
                  at("kpi.m.yes 1") + at("kpi.m.no 0"));
}

TEST(GraphitePlaintext, StringFieldsAreLeftOutWithANote) {
    auto a = point("json", {}, {{"state", std::string("green")}, {"count", std::int64_t{4}}});
    auto b = point("json", {}, {{"state", std::string("red")}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_graphite_plaintext({a, b}, "kpi", &notes), at("kpi.json.count 4"));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "string field \"state\" of \"json\" left out (Graphite values are numbers) (2 times)");
}

TEST(GraphitePlaintext, PathComponentsLoseDotsSpacesAndGraphiteSyntax) {
    EXPECT_EQ(graphite_path_component("time.to first;byte"), "time_to_first_byte");
    EXPECT_EQ(graphite_path_component("a~b!c^d=e/f\\g*h?i[j]k{l}m(n)o,p'q\"r\ts"), "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s");
    EXPECT_EQ(graphite_path_component("ok-name_2:x"), "ok-name_2:x");
    EXPECT_EQ(graphite_path_component("Zürich"), "Zürich");
    EXPECT_EQ(graphite_path_component(""), "_");
}

TEST(GraphitePlaintext, TagValuesLoseOnlyWhatGraphiteForbids) {
    EXPECT_EQ(graphite_tag_value("https://zenodo.org/api/records?q=a b"), "https://zenodo.org/api/records?q_a_b");
    EXPECT_EQ(graphite_tag_value("~x;y!z^w"), "_x_y_z_w");
    EXPECT_EQ(graphite_tag_value("Files upload/download"), "Files_upload/download");
    EXPECT_EQ(graphite_tag_value("line\nbreak\x7f"), "line_break_");
}

// Found by the round-trip fuzz target (tests/fuzz/corpus/graphite/regression-unicode-
// space-tears-carbon-line): carbon splits a line on Unicode whitespace, so a no-break or
// em space kept in a name tore the line into five parts and carbon dropped it.
TEST(GraphitePlaintext, UnicodeSpacesBecomeUnderscores) {
    EXPECT_EQ(graphite_path_component("m\u00a0n"), "m_n");
    EXPECT_EQ(graphite_tag_value("a\u2003b\u3000c\u0085d"), "a_b_c_d");
    EXPECT_EQ(graphite_tag_value("Zürich\u2009–\u202fGenève"), "Zürich_–_Genève");
}

TEST(GraphitePlaintext, SanitisingAppliesToEveryPart) {
    auto p = point("http probe", {{"url", "https://a.org/x y"}, {"monitor id", "7"}}, {{"duration.seconds", 0.25}});
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", nullptr),
              at("kpi.http_probe.duration_seconds;monitor_id=7;url=https://a.org/x_y 0.25"));
}

TEST(GraphitePlaintext, EmptyTagValuesAreLeftOut) {
    auto p = point("m", {{"a", ""}, {"b", "x"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", nullptr), at("kpi.m.v;b=x 1"));
}

TEST(GraphitePlaintext, ATagCalledNameIsWrittenAsUnderscoreName) {
    auto p = point("m", {{"name", "web"}, {"zone", "a"}}, {{"v", std::int64_t{1}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", &notes), at("kpi.m.v;_name=web;zone=a 1"));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "tag \"name\" of \"m\" written as \"_name\" (Graphite keeps \"name\" for the series name)");
}

TEST(GraphitePlaintext, TagsAreSortedAfterSanitising) {
    auto p = point("m", {{"b", "1"}, {"a.z", "2"}, {"a-y", "3"}}, {{"v", std::int64_t{1}}});
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", nullptr), at("kpi.m.v;a-y=3;a_z=2;b=1 1"));
}

TEST(GraphitePlaintext, APointWhoseTagsCollideAfterSanitisingIsLeftOut) {
    auto bad = point("m", {{"a.b", "1"}, {"a_b", "2"}}, {{"v", std::int64_t{1}}});
    auto good = point("m", {}, {{"v", std::int64_t{2}}});
    std::vector<std::string> notes;
    EXPECT_EQ(to_graphite_plaintext({bad, good}, "kpi", &notes), at("kpi.m.v 2"));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "point of \"m\" left out: two of its tags have the same Graphite tag name");
}

TEST(GraphitePlaintext, TimesAreWholeSecondsRoundedDown) {
    auto p = point("m", {}, {{"v", std::int64_t{1}}});
    p.time = parse_rfc3339("2026-11-28T14:11:00.999Z");
    EXPECT_EQ(to_graphite_plaintext({p}, "kpi", nullptr), at("kpi.m.v 1"));
}

TEST(GraphitePlaintext, APointWithoutTimeIsStampedNow) {
    auto p = point("m", {}, {{"v", std::int64_t{1}}});
    p.time.reset();
    const auto before = unix_seconds(now());
    const std::string line = to_graphite_plaintext({p}, "kpi", nullptr);
    const auto after = unix_seconds(now());
    ASSERT_EQ(line.rfind("kpi.m.v 1 ", 0), 0u) << line;
    const auto stamped = std::stoll(line.substr(10));
    EXPECT_GE(stamped, before);
    EXPECT_LE(stamped, after);
}
