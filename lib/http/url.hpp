#pragma once
// URI references (RFC 3986): resolving a link found in a page against the page's address.
//
// Why not libcurl's URL API (curl_url_set on a handle holding the base): Debian 12's libcurl
// 7.88 gets 3 of RFC 3986's 22 normal examples wrong (a fragment-only "#s" drops the last
// segment and the query, "" gives the directory, "g:h" is refused) and adds a "/" to a bare
// authority ("//g" -> "http://g/"); the pure parsers that resolve links (DataCite index,
// Invenio sites) would also load libcurl, which the fuzz targets and `kpi report` need not.

#include <string>
#include <string_view>

namespace kpi {

// RFC 3986 §5.2 reference resolution: `reference` (absolute, network-path, absolute-path,
// relative-path, query or fragment only) against the absolute URI `base`.
std::string resolve_reference(std::string_view base, std::string_view reference);

// The path component of a URI reference (RFC 3986 appendix B): "/a/b.html" of
// "http://h/a/b.html?q#f".
std::string_view uri_path(std::string_view uri);

// `url` without its `#fragment`, which names a place in a page and is never sent.
std::string without_fragment(std::string_view url);

}  // namespace kpi
