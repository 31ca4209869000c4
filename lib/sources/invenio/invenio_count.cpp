#include "sources/invenio/invenio_count.hpp"

#include <charconv>

#include "formats/search_total.hpp"
#include "http/url.hpp"

namespace kpi::invenio {
namespace {

// The directory of a page's address, where relative links resolve: "http://h/library" and
// "http://h/library/" give "http://h/library/"; "http://h/index.html?ln=fr" gives
// "http://h/index.html" (its directory is what resolution uses).
std::string site_directory(std::string_view page_url) {
    std::string url = without_fragment(page_url);
    url.erase(std::min(url.find('?'), url.size()));
    const std::string_view path = uri_path(url);
    const std::string_view last = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    if (path.empty() || (!last.empty() && last.find('.') == std::string_view::npos)) url += '/';
    return url;
}

}  // namespace

std::string search_api_url(Flavour flavour, std::string_view page_url) {
    switch (flavour) {
        case Flavour::Invenio3: return resolve_reference(page_url, "/api/records/?size=1");
        case Flavour::InvenioILS: return resolve_reference(page_url, "/api/documents/?size=1");
        default: return resolve_reference(page_url, "/api/records?size=1");
    }
}

std::string marcxml_count_url(std::string_view page_url) {
    return resolve_reference(site_directory(page_url), "search?p=&of=xm&rg=1");
}

std::string english_home_url(std::string_view page_url) {
    return resolve_reference(site_directory(page_url), "?ln=en");
}

std::optional<SearchAnswer> read_search_answer(simdjson::dom::element root, std::string& why) {
    simdjson::dom::array hits;
    simdjson::dom::element total;
    if (root.at_pointer("/hits/hits").get(hits) || root.at_pointer("/hits/total").get(total)) {
        why = "the answer has no hits.hits and hits.total (not an Invenio search)";
        return std::nullopt;
    }
    SearchAnswer answer;
    auto count = read_hits_total(root, why);
    if (!count) return std::nullopt;
    answer.total = *count;
    simdjson::dom::element sort_by;
    answer.rdm_shape = root["sortBy"].get(sort_by) == simdjson::SUCCESS;
    return answer;
}

std::optional<std::int64_t> parse_marcxml_count(std::string_view body) {
    constexpr std::string_view marker = "Search-Engine-Total-Number-Of-Results:";
    const std::string_view head = body.substr(0, 4096);
    const auto at = head.find(marker);
    if (at == std::string_view::npos) return std::nullopt;
    // The marker must sit in an XML comment: "<!--" before it on its line.
    const auto comment = head.rfind("<!--", at);
    if (comment == std::string_view::npos || head.substr(comment, at - comment).find('>') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view rest = head.substr(at + marker.size());
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc() || value < 0) return std::nullopt;
    std::string_view after(end, static_cast<std::size_t>(rest.data() + rest.size() - end));
    while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) after.remove_prefix(1);
    if (!after.starts_with("-->")) return std::nullopt;
    return value;
}

}  // namespace kpi::invenio
