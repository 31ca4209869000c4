// Recognising an Invenio flavour from a front page, and reading its record counts
// (lib/sources/invenio: invenio_detect, invenio_count).

#include <gtest/gtest.h>

#include "sources/invenio/invenio_count.hpp"
#include "sources/invenio/invenio_detect.hpp"
#include "support/testdata.hpp"

using namespace kpi::invenio;
using kpi::test::testdata;

namespace {
std::optional<SearchAnswer> search_answer(const std::string& json, std::string& why) {
    simdjson::dom::parser parser;
    return read_search_answer(parser.parse(json).value(), why);
}
}  // namespace

TEST(InvenioDetect, RdmV13GeneratorGivesTheVersion) {
    const HomePage page = inspect_home_page(testdata("sources/invenio", "rdm_v13_front.html"));
    EXPECT_EQ(page.flavour, Flavour::InvenioRDM);
    EXPECT_EQ(page.version, "13.0");
    EXPECT_FALSE(page.records);
    EXPECT_FALSE(page.app_shell);
}

TEST(InvenioDetect, RdmWithoutGeneratorByFooterAndRecordsList) {
    const HomePage page = inspect_home_page(testdata("sources/invenio", "rdm_v11_front.html"));
    EXPECT_EQ(page.flavour, Flavour::InvenioRDM);
    EXPECT_EQ(page.version, "");
    // Each marker alone is enough: the footer link with the line break inside it...
    EXPECT_EQ(inspect_home_page("<div>Powered by <a href=\"https://inveniosoftware.org/products/rdm/\">InvenioRDM\n"
                                "</a></div>")
                  .flavour,
              Flavour::InvenioRDM);
    // ... the footer element, the front page's record list.
    EXPECT_EQ(inspect_home_page("<footer id=\"rdm-footer-element\"></footer>").flavour, Flavour::InvenioRDM);
    EXPECT_EQ(inspect_home_page("<div id=\"records-list\" data-fetch-url=\"/api/records?sort=newest&size=10\">")
                  .flavour,
              Flavour::InvenioRDM);
    EXPECT_EQ(inspect_home_page("<meta name=\"generator\" content=\"InvenioRDM\"/>").version, "")
        << "a plain generator means the version is unknown";
}

TEST(InvenioDetect, V3FooterWithAndWithoutGenerator) {
    const HomePage bootstrap = inspect_home_page(testdata("sources/invenio", "v3_front.html"));
    EXPECT_EQ(bootstrap.flavour, Flavour::Invenio3);
    EXPECT_EQ(bootstrap.version, "");
    const HomePage semantic = inspect_home_page(testdata("sources/invenio", "v3_semantic_front.html"));
    EXPECT_EQ(semantic.flavour, Flavour::Invenio3);
    EXPECT_EQ(semantic.version, "");
    EXPECT_EQ(inspect_home_page("<meta name=\"generator\" content=\"Invenio\">").flavour, Flavour::Invenio3);
}

TEST(InvenioDetect, RdmMarkersWinOverTheFrameworkOnes) {
    // RDM is built on invenio-theme: a page may carry both generations of markers.
    const HomePage page = inspect_home_page(
        "<meta name=\"generator\" content=\"Invenio\"><footer id=\"rdm-footer-element\">Powered by "
        "<a href=\"http://inveniosoftware.org\">Invenio</a></footer>");
    EXPECT_EQ(page.flavour, Flavour::InvenioRDM);
}

TEST(InvenioDetect, LegacyFooterGivesTheVersionInAnyLanguage) {
    const HomePage english = inspect_home_page(testdata("sources/invenio", "legacy_v1_front_en.html"));
    EXPECT_EQ(english.flavour, Flavour::Invenio1);
    EXPECT_EQ(english.version, "1.1.7");
    EXPECT_EQ(english.records, 1234);
    const HomePage spanish = inspect_home_page(testdata("sources/invenio", "legacy_v1_front_es.html"));
    EXPECT_EQ(spanish.flavour, Flavour::Invenio1);
    EXPECT_EQ(spanish.version, "1.1.7");
    EXPECT_FALSE(spanish.records) << "a translated search box is not read";
    const HomePage old = inspect_home_page(testdata("sources/invenio", "legacy_v099_front.html"));
    EXPECT_EQ(old.flavour, Flavour::Invenio1);
    EXPECT_EQ(old.version, "0.99.1");
    EXPECT_EQ(old.records, 52107);
}

TEST(InvenioDetect, LegacyFooterVariants) {
    // v2: the version on the next line.
    const HomePage v2 = inspect_home_page(
        "<div class=\"pagefooter\">Powered by <a class=\"footer\" href=\"http://invenio-software.org/\">Invenio</a>\n"
        "    v2.0.3\n<br/></div>");
    EXPECT_EQ(v2.flavour, Flavour::Invenio1);
    EXPECT_EQ(v2.version, "2.0.3");
    // The project's later address with a version after it is still the legacy footer.
    const HomePage moved = inspect_home_page("Powered by <a href=\"http://inveniosoftware.org/\">Invenio</a> v1.2.2");
    EXPECT_EQ(moved.flavour, Flavour::Invenio1);
    EXPECT_EQ(moved.version, "1.2.2");
    // A portal box linking to the project is no footer.
    EXPECT_EQ(inspect_home_page("<td>See also: <a href=\"http://invenio-software.org/\">Invenio</a><br/>"
                                "<a href=\"http://www.cern.ch/\">CERN</a></td>")
                  .flavour,
              Flavour::Unknown);
    EXPECT_EQ(legacy_footer_version(" v1.1.7\n  <br />"), "1.1.7");
    EXPECT_EQ(legacy_footer_version("\xC2\xA0v0.99.9."), "0.99.9");
    EXPECT_EQ(legacy_footer_version(" version 1"), "");
}

TEST(InvenioDetect, LegacySearchBoxPhrase) {
    EXPECT_EQ(legacy_records_phrase("Search 1,234 records for:"), 1234);
    EXPECT_EQ(legacy_records_phrase("Search\n 1,234,567\xC2\xA0records for:"), 1234567);
    EXPECT_EQ(legacy_records_phrase("Search 12 records for:"), 12);
    EXPECT_FALSE(legacy_records_phrase("Search records for:"));
    EXPECT_FALSE(legacy_records_phrase("Search 1.234 records for:")) << "not the English separator";
    EXPECT_FALSE(legacy_records_phrase("Buscar en 1.234 registros:"));
}

TEST(InvenioDetect, IlsShellAndOtherSoftware) {
    const HomePage ils = inspect_home_page(testdata("sources/invenio", "ils_front.html"));
    EXPECT_EQ(ils.flavour, Flavour::Unknown) << "the shell alone is no proof; its API decides";
    EXPECT_TRUE(ils.app_shell);
    const HomePage dspace = inspect_home_page(testdata("sources/invenio", "not_invenio_front.html"));
    EXPECT_EQ(dspace.flavour, Flavour::Unknown);
    EXPECT_FALSE(dspace.app_shell);
    EXPECT_EQ(dspace.evidence, std::vector<std::string>{"generator \"DSpace 6.3\""});
    EXPECT_EQ(inspect_home_page(testdata("sources/invenio", "hosted_fork_front.html")).flavour, Flavour::Unknown);
    EXPECT_EQ(inspect_home_page("").flavour, Flavour::Unknown);
    EXPECT_EQ(inspect_home_page("\x89PNG\r\n\x1a\n\xff\xfe").flavour, Flavour::Unknown);
}

TEST(InvenioDetect, FlavourNamesAreTheContractsTags) {
    EXPECT_EQ(flavour_name(Flavour::Invenio1), "invenio1");
    EXPECT_EQ(flavour_name(Flavour::Invenio3), "invenio3");
    EXPECT_EQ(flavour_name(Flavour::InvenioRDM), "inveniordm");
    EXPECT_EQ(flavour_name(Flavour::InvenioILS), "invenioils");
    EXPECT_EQ(flavour_name(Flavour::Unknown), "unknown");
}

TEST(InvenioCount, SearchAnswersOfEachFlavour) {
    std::string why;
    auto v3 = search_answer(testdata("sources/invenio", "v3_records.json"), why);
    ASSERT_TRUE(v3) << why;
    EXPECT_EQ(v3->total, 406804);
    EXPECT_FALSE(v3->rdm_shape);
    auto rdm = search_answer(testdata("sources/invenio", "rdm_records.json"), why);
    ASSERT_TRUE(rdm) << why;
    EXPECT_EQ(rdm->total, 48213);
    EXPECT_TRUE(rdm->rdm_shape);
    auto ils = search_answer(testdata("sources/invenio", "ils_documents.json"), why);
    ASSERT_TRUE(ils) << why;
    EXPECT_EQ(ils->total, 82803);
    auto es7 = search_answer(R"({"hits":{"hits":[],"total":{"value":7,"relation":"eq"}}})", why);
    ASSERT_TRUE(es7) << why;
    EXPECT_EQ(es7->total, 7);
}

TEST(InvenioCount, AnswersThatAreNoCount) {
    std::string why;
    EXPECT_FALSE(search_answer(R"({"hits":{"hits":[],"total":{"value":10000,"relation":"gte"}}})", why));
    EXPECT_NE(why.find("lower bound"), std::string::npos) << why;
    EXPECT_FALSE(search_answer(R"({"status":404,"message":"The requested URL was not found on the server."})", why));
    EXPECT_NE(why.find("no hits.hits"), std::string::npos) << why;
    EXPECT_FALSE(search_answer(R"({"hits":{"total":3}})", why)) << "hits.hits is part of the shape";
    EXPECT_FALSE(search_answer(R"({"hits":{"hits":[],"total":"3"}})", why));
    EXPECT_FALSE(search_answer(R"({"hits":{"hits":[],"total":-1}})", why));
}

TEST(InvenioCount, MarcxmlCountComment) {
    EXPECT_EQ(parse_marcxml_count(testdata("sources/invenio", "legacy_search_xm.xml")), 1234);
    EXPECT_EQ(parse_marcxml_count("<!--Search-Engine-Total-Number-Of-Results: 0-->\n<collection/>"), 0);
    // Cut off after the head (the source caps the answer): the count is still there.
    EXPECT_EQ(parse_marcxml_count(testdata("sources/invenio", "legacy_search_xm.xml").substr(0, 120)), 1234);
    EXPECT_FALSE(parse_marcxml_count("<html><body>Search-Engine-Total-Number-Of-Results: 5</body></html>"));
    EXPECT_FALSE(parse_marcxml_count("<!-- Search-Engine-Total-Number-Of-Results: many -->"));
    EXPECT_FALSE(parse_marcxml_count("<!-- Search-Engine-Total-Number-Of-Results: 12 tomorrow -->"));
    EXPECT_FALSE(parse_marcxml_count(std::string(5000, ' ') + "<!-- Search-Engine-Total-Number-Of-Results: 3 -->"))
        << "only the head is read";
}

TEST(InvenioCount, WhereEachFlavourIsAsked) {
    EXPECT_EQ(search_api_url(Flavour::InvenioRDM, "https://zenodo.org/"), "https://zenodo.org/api/records?size=1");
    EXPECT_EQ(search_api_url(Flavour::Invenio3, "https://opendata.cern.ch/?ln=en"),
              "https://opendata.cern.ch/api/records/?size=1");
    EXPECT_EQ(search_api_url(Flavour::InvenioILS, "https://catalogue.library.cern/some/page"),
              "https://catalogue.library.cern/api/documents/?size=1");
    // Legacy sites may live below a path; their search sits beside the front page.
    EXPECT_EQ(marcxml_count_url("http://unidep.org/library/"), "http://unidep.org/library/search?p=&of=xm&rg=1");
    EXPECT_EQ(marcxml_count_url("http://www.icimod.org/himaldoc"),
              "http://www.icimod.org/himaldoc/search?p=&of=xm&rg=1");
    EXPECT_EQ(marcxml_count_url("https://cds.cern.ch"), "https://cds.cern.ch/search?p=&of=xm&rg=1");
    EXPECT_EQ(marcxml_count_url("https://cds.cern.ch/?ln=fr#top"), "https://cds.cern.ch/search?p=&of=xm&rg=1");
    EXPECT_EQ(marcxml_count_url("http://h/index.html"), "http://h/search?p=&of=xm&rg=1");
    EXPECT_EQ(english_home_url("https://cds.cern.ch/?ln=fr"), "https://cds.cern.ch/?ln=en");
    EXPECT_EQ(english_home_url("http://unidep.org/library"), "http://unidep.org/library/?ln=en");
}
