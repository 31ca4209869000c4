// The json source's --field: parsed and checked once, then read out of a document.

#include <gtest/gtest.h>

#include "plugin/settings.hpp"
#include "sources/json/json_fields.hpp"

using namespace kpi;

namespace {
// The SettingError's message, or "" when the text parsed.
std::string error_of(const std::string& text) {
    try {
        parse_json_field(text);
    } catch (const SettingError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(JsonFields, NameAndPointerSplitAtTheFirstEquals) {
    const JsonField field = parse_json_field("total=/hits/total");
    EXPECT_EQ(field.name, "total");
    EXPECT_EQ(field.pointer, "/hits/total");
    EXPECT_EQ(parse_json_field("q=/a=b").pointer, "/a=b");
    EXPECT_EQ(parse_json_field("escaped=/a~1b/c~0d").pointer, "/a~1b/c~0d");
    EXPECT_EQ(parse_json_field("whole=").pointer, "") << "RFC 6901: the empty pointer is the whole document";
}

TEST(JsonFields, APointerThatIsNotRfc6901IsRefused) {
    EXPECT_EQ(error_of("total=hits/total"), "total=hits/total: a JSON pointer starts with / (e.g. /hits/total)");
    EXPECT_EQ(error_of("x=/a~2b"), "x=/a~2b: in a JSON pointer ~ is written ~0 and / inside a name ~1 (RFC 6901)");
    EXPECT_NE(error_of("x=/a~"), "");
    EXPECT_EQ(error_of("=/hits/total"), "\"=/hits/total\" is not NAME=/json/pointer");
    EXPECT_EQ(error_of("total"), "\"total\" is not NAME=/json/pointer");
}

TEST(JsonFields, ValuesKeepTheirTypesAndMissingOnesAreExplained) {
    simdjson::dom::parser parser;
    const auto root =
        parser.parse(std::string(R"({"hits":{"total":42},"size":1.5e12,"ok":true,"name":"zenodo","list":[1]})")).value();
    Point point;
    const auto problems = extract_json_fields(root,
                                              {parse_json_field("total=/hits/total"), parse_json_field("size=/size"),
                                               parse_json_field("ok=/ok"), parse_json_field("name=/name"),
                                               parse_json_field("gone=/hits/gone"), parse_json_field("list=/list")},
                                              point);
    EXPECT_EQ(std::get<std::int64_t>(*point.field("total")), 42);
    EXPECT_EQ(std::get<double>(*point.field("size")), 1.5e12);
    EXPECT_EQ(std::get<bool>(*point.field("ok")), true);
    EXPECT_EQ(std::get<std::string>(*point.field("name")), "zenodo");
    EXPECT_EQ(point.field("gone"), nullptr);
    EXPECT_EQ(point.field("list"), nullptr);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0], "field gone: nothing at /hits/gone");
    EXPECT_EQ(problems[1], "field list: the value at /list is not a number, boolean or string");
}
