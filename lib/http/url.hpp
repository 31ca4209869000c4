#pragma once
// URI references (RFC 3986): resolving a link found in a page against the page's address.

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
