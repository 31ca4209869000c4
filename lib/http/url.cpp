#include "http/url.hpp"

#include <algorithm>
#include <optional>

namespace kpi {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// URI references (RFC 3986)

struct UriParts {
    std::optional<std::string_view> scheme;
    std::optional<std::string_view> authority;
    std::string_view path;
    std::optional<std::string_view> query;
    std::optional<std::string_view> fragment;
};

bool valid_scheme(std::string_view s) {
    if (s.empty() || !is_alpha(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
    });
}

// The split of RFC 3986 appendix B.
UriParts split_uri(std::string_view uri) {
    UriParts p;
    if (auto hash = uri.find('#'); hash != std::string_view::npos) {
        p.fragment = uri.substr(hash + 1);
        uri = uri.substr(0, hash);
    }
    if (auto question = uri.find('?'); question != std::string_view::npos) {
        p.query = uri.substr(question + 1);
        uri = uri.substr(0, question);
    }
    if (auto colon = uri.find(':'); colon != std::string_view::npos) {
        std::string_view scheme = uri.substr(0, colon);
        if (scheme.find('/') == std::string_view::npos && valid_scheme(scheme)) {
            p.scheme = scheme;
            uri = uri.substr(colon + 1);
        }
    }
    if (uri.starts_with("//")) {
        uri.remove_prefix(2);
        auto slash = uri.find('/');
        p.authority = uri.substr(0, slash);
        uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
    }
    p.path = uri;
    return p;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view input) {
    std::string output;
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./")) {
            input.remove_prefix(2);
        } else if (input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../") || input == "/..") {
            input = input.size() == 3 ? std::string_view("/") : input.substr(3);
            auto last = output.rfind('/');
            output.erase(last == std::string::npos ? 0 : last);
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            auto next = input.find('/', input.front() == '/' ? 1 : 0);
            output += input.substr(0, next);
            input = next == std::string_view::npos ? std::string_view() : input.substr(next);
        }
    }
    return output;
}

// RFC 3986 §5.2.3.
std::string merge_paths(const UriParts& base, std::string_view reference_path) {
    if (base.authority && base.path.empty()) return "/" + std::string(reference_path);
    auto slash = base.path.rfind('/');
    if (slash == std::string_view::npos) return std::string(reference_path);
    return std::string(base.path.substr(0, slash + 1)) + std::string(reference_path);
}

}  // namespace

std::string resolve_reference(std::string_view base_uri, std::string_view reference) {
    UriParts base = split_uri(base_uri);
    UriParts ref = split_uri(reference);
    UriParts target;
    std::string path;
    if (ref.scheme) {
        target = ref;
        path = remove_dot_segments(ref.path);
    } else {
        target.scheme = base.scheme;
        if (ref.authority) {
            target.authority = ref.authority;
            path = remove_dot_segments(ref.path);
            target.query = ref.query;
        } else {
            target.authority = base.authority;
            if (ref.path.empty()) {
                path = std::string(base.path);
                target.query = ref.query ? ref.query : base.query;
            } else {
                path = remove_dot_segments(ref.path.front() == '/' ? std::string(ref.path)
                                                                   : merge_paths(base, ref.path));
                target.query = ref.query;
            }
        }
    }
    target.fragment = ref.fragment;
    // Recomposition, RFC 3986 §5.3.
    std::string out;
    if (target.scheme) out.append(*target.scheme).append(":");
    if (target.authority) out.append("//").append(*target.authority);
    out += path;
    if (target.query) out.append("?").append(*target.query);
    if (target.fragment) out.append("#").append(*target.fragment);
    return out;
}

std::string_view uri_path(std::string_view uri) { return split_uri(uri).path; }

std::string without_fragment(std::string_view url) {
    return std::string(url.substr(0, url.find('#')));
}

}  // namespace kpi
