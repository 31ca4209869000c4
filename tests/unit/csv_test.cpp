// RFC 4180 CSV reading (lib/core/csv), used by `kpi collect invenio --instances`.

#include "core/csv.hpp"

#include <gtest/gtest.h>

using namespace kpi;

namespace {
std::vector<std::vector<std::string>> fields_of(const std::vector<CsvRecord>& records) {
    std::vector<std::vector<std::string>> out;
    for (const auto& r : records) out.push_back(r.fields);
    return out;
}

// The line a parse error names, or 0 when the text parsed.
std::size_t error_line(std::string_view text, std::string* reason = nullptr) {
    try {
        parse_csv_table(text);
    } catch (const CsvError& e) {
        if (reason) *reason = e.reason();
        return e.line();
    }
    return 0;
}
}  // namespace

TEST(Csv, PlainFieldsWithCrlfAndLf) {
    auto records = parse_csv("name,url,country\r\nZenodo,https://zenodo.org,CH\nHEPData,https://hepdata.net,GB");
    using Rows = std::vector<std::vector<std::string>>;
    EXPECT_EQ(fields_of(records), (Rows{{"name", "url", "country"},
                                         {"Zenodo", "https://zenodo.org", "CH"},
                                         {"HEPData", "https://hepdata.net", "GB"}}));
    EXPECT_EQ(records[2].line, 3u);
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
    auto records = parse_csv("\"Bibliothèque, \"\"UVCI\"\"\",x\r\n\"two\r\nlines\",y\r\nlast,\"\"\r\n");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"Bibliothèque, \"UVCI\"", "x"}));
    EXPECT_EQ(records[1].fields, (std::vector<std::string>{"two\r\nlines", "y"}));
    EXPECT_EQ(records[1].line, 2u);
    EXPECT_EQ(records[2].line, 4u) << "the quoted line break counts as a line";
    EXPECT_EQ(records[2].fields, (std::vector<std::string>{"last", ""}));
}

TEST(Csv, Utf8NamesAndByteOrderMarkAndBlankLines) {
    auto records = parse_csv("\xEF\xBB\xBFname\n\nالبوابة التونسية\n\r\n京都大学\n");
    using Rows = std::vector<std::vector<std::string>>;
    EXPECT_EQ(fields_of(records), (Rows{{"name"}, {"البوابة التونسية"}, {"京都大学"}}));
    EXPECT_EQ(records[1].line, 3u);
    EXPECT_EQ(records[2].line, 5u);
}

TEST(Csv, EmptyFieldsAreKept) {
    auto records = parse_csv(",,\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"", "", ""}));
}

TEST(Csv, MalformedTextNamesTheLine) {
    std::string reason;
    EXPECT_EQ(error_line("a,b\nx,y\nsay \"hi\",z\n", &reason), 3u);
    EXPECT_NE(reason.find("quote inside an unquoted field"), std::string::npos) << reason;
    EXPECT_EQ(error_line("a,b\n\"x\"y,z\n", &reason), 2u);
    EXPECT_NE(reason.find("after the closing quote"), std::string::npos) << reason;
    EXPECT_EQ(error_line("a,b\nx,y\n\"never closed,z\nmore\n", &reason), 3u);
    EXPECT_NE(reason.find("never closed"), std::string::npos) << reason;
    EXPECT_EQ(error_line("a,b\nLatin-1 \xE9,z\n", &reason), 2u);
    EXPECT_NE(reason.find("not UTF-8"), std::string::npos) << reason;
}

TEST(Csv, TableRowsMustMatchTheHeader) {
    std::string reason;
    EXPECT_EQ(error_line("name,url,country\nZenodo,https://zenodo.org,CH\nCERN, Geneva,https://cds.cern.ch,CH\n",
                         &reason),
              3u);
    EXPECT_NE(reason.find("4 fields where the header has 3"), std::string::npos) << reason;
    EXPECT_EQ(error_line("name,url\n\"multi\nline\",u\nshort\n"), 4u) << "lines counted across the quoted break";
    EXPECT_EQ(error_line("name,url,name\n", &reason), 1u);
    EXPECT_NE(reason.find("\"name\" twice"), std::string::npos) << reason;
    EXPECT_EQ(error_line("\n\n", &reason), 1u);
    EXPECT_NE(reason.find("empty"), std::string::npos) << reason;
}

TEST(Csv, TableFindsColumnsByName) {
    auto table = parse_csv_table("url,name,country,evidence\r\nhttps://zenodo.org,Zenodo,CH,showcase\r\n");
    EXPECT_EQ(table.column("name"), 1u);
    EXPECT_EQ(table.column("evidence"), 3u);
    EXPECT_FALSE(table.column("flavour"));
    ASSERT_EQ(table.rows.size(), 1u);
    EXPECT_EQ(table.rows[0].line, 2u);
    EXPECT_EQ(table.rows[0].fields[*table.column("url")], "https://zenodo.org");
}
