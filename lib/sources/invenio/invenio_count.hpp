#pragma once
// Pure reading of the record counts the invenio source asks for: the REST search answer of
// Invenio v3, InvenioRDM and InvenioILS, and the count comment of a legacy MARCXML search.
// Which request each flavour answers cheapest is in README.md beside this file.

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sources/invenio/invenio_detect.hpp"

namespace kpi::invenio {

// Where a flavour answers its cheapest exact count, from the address its front page
// answered at. The REST APIs sit at the host's root: InvenioRDM `/api/records?size=1`,
// Invenio v3 `/api/records/?size=1`, InvenioILS `/api/documents/?size=1`. Never a query
// that lists records (`rg=0`, `of=id`).
std::string search_api_url(Flavour flavour, std::string_view page_url);
// A legacy site lives where its front page does (some below a path, e.g. /library/):
// `search?p=&of=xm&rg=1` there, one record and the count comment.
std::string marcxml_count_url(std::string_view page_url);
// The legacy front page in English (`?ln=en`), whose search box says "Search N records for".
std::string english_home_url(std::string_view page_url);

struct SearchAnswer {
    std::int64_t total = 0;
    // InvenioRDM answers with "sortBy" beside "hits"; Invenio v3's records-rest does not.
    bool rdm_shape = false;
};

// `{"hits": {"hits": [...], "total": N}, ...}`, total an integer or Elasticsearch 7's
// `{"value": N, "relation": "eq"}`. nullopt with `why` set when the JSON is not such an
// answer, or when the count is only a lower bound ("gte").
std::optional<SearchAnswer> read_search_answer(simdjson::dom::element root, std::string& why);

// N of `<!-- Search-Engine-Total-Number-Of-Results: N -->` at the head of a legacy
// `/search?of=xm` answer; nullopt when the head has none. Only the first kilobytes are
// looked at: the comment comes before the first record.
std::optional<std::int64_t> parse_marcxml_count(std::string_view body);

}  // namespace kpi::invenio
