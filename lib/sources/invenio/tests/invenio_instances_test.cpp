// The invenio source's list of sites: --instances CSV files and --url values.

#include <gtest/gtest.h>

#include "plugin/settings.hpp"
#include "sources/invenio/invenio_instances.hpp"

using namespace kpi;
using namespace kpi::invenio;

namespace {
// The SettingError message, or "" when the text parsed.
std::string error_of(const std::string& csv) {
    try {
        parse_instances(csv, "sites.csv");
    } catch (const SettingError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(InvenioInstances, RowsWithExtraColumnsAndQuotedNames) {
    auto sites = parse_instances(
        "name,url,country,evidence\r\n"
        "Zenodo,https://zenodo.org,CH,showcase rdm\r\n"
        "\"Bibliothèque Virtuelle, \"\"UVCI\"\"\",https://biblio.uvci.edu.ci,CI,\"showcase, rdm\"\r\n"
        "البوابة التونسية للإعلام العلمي و التقني,https://www.pist.tn,TN,\r\n",
        "sites.csv");
    ASSERT_EQ(sites.size(), 3u);
    EXPECT_EQ(sites[0].name, "Zenodo");
    EXPECT_EQ(sites[0].url, "https://zenodo.org");
    EXPECT_EQ(sites[0].country, "CH");
    EXPECT_EQ(sites[1].name, "Bibliothèque Virtuelle, \"UVCI\"");
    EXPECT_EQ(sites[2].name, "البوابة التونسية للإعلام العلمي و التقني");
    EXPECT_EQ(sites[2].country, "TN");
}

TEST(InvenioInstances, ColumnsInAnyOrderAndBlanksFilledIn) {
    auto sites = parse_instances("country,url,name\n,http://Example.org:8080/library/, \n", "sites.csv");
    ASSERT_EQ(sites.size(), 1u);
    EXPECT_EQ(sites[0].name, "Example.org:8080") << "a row without a name is named after its host";
    EXPECT_EQ(sites[0].url, "http://Example.org:8080/library/");
    EXPECT_EQ(sites[0].country, "");
}

TEST(InvenioInstances, MalformedRowsNameFileAndLine) {
    EXPECT_EQ(error_of("name,url,country\nZenodo,https://zenodo.org,CH\nCERN, Geneva,https://cds.cern.ch,CH\n"),
              "sites.csv:3: 4 fields where the header has 3 (a field holding a comma must be quoted)");
    EXPECT_EQ(error_of("name,url,country\n\"Zenodo,https://zenodo.org,CH\n"),
              "sites.csv:2: a quoted field is never closed (a \" is missing)");
    EXPECT_EQ(error_of("name,url,country\nZenodo,zenodo.org,CH\n"),
              "sites.csv:2: url \"zenodo.org\" is not an http:// or https:// address");
    EXPECT_EQ(error_of("name,url,country\nZenodo,,CH\n"),
              "sites.csv:2: url \"\" is not an http:// or https:// address");
    EXPECT_EQ(error_of("name,url,country\nA,https://a.org,CH\n\nB,https://a.org,CH\n"),
              "sites.csv:4: url https://a.org is listed already on line 2");
    EXPECT_EQ(error_of("site,address\nA,https://a.org\n"),
              "sites.csv:1: the header must name the columns name,url,country (found \"site,address\")");
    EXPECT_EQ(error_of(""), "sites.csv:1: the file is empty; the first line must name the columns");
}

TEST(InvenioInstances, UnreadableFileIsASettingError) {
    EXPECT_THROW(read_instances_file("/nonexistent/sites.csv"), SettingError);
}

TEST(InvenioInstances, SitesFromUrls) {
    EXPECT_EQ(instance_from_url("https://zenodo.org/").name, "zenodo.org");
    EXPECT_EQ(instance_from_url("HTTP://user@cds.cern.ch:8080?ln=en").name, "cds.cern.ch:8080");
    EXPECT_THROW(instance_from_url("ftp://example.org"), SettingError);
    EXPECT_THROW(instance_from_url("zenodo.org"), SettingError);
    EXPECT_THROW(instance_from_url("https://"), SettingError);
}
