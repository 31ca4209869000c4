#include "sources/invenio/invenio_detect.hpp"

#include <gumbo.h>

#include <charconv>
#include <memory>

#include "core/text.hpp"
#include "formats/html_tokens.hpp"

namespace kpi::invenio {
namespace {

using html::is_space;
using html::normalize_space;
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "http://www.InvenioSoftware.org/products/rdm/" -> "inveniosoftware.org/products/rdm"
std::string link_target(std::string_view href) {
    std::string t = ascii_lower(normalize_space(href));
    for (std::string_view scheme : {"https://", "http://", "//"}) {
        if (t.starts_with(scheme)) {
            t.erase(0, scheme.size());
            break;
        }
    }
    if (t.starts_with("www.")) t.erase(0, 4);
    while (t.ends_with('/')) t.pop_back();
    return t;
}

const char* attribute(const GumboNode* node, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? a->value : nullptr;
}

bool has_class(const GumboNode* node, std::string_view wanted) {
    const char* classes = attribute(node, "class");
    if (!classes) return false;
    std::string_view rest(classes);
    while (!rest.empty()) {
        while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
        std::size_t end = 0;
        while (end < rest.size() && !is_space(rest[end])) ++end;
        if (rest.substr(0, end) == wanted) return true;
        rest.remove_prefix(end);
    }
    return false;
}

void append_text(const GumboNode* node, std::string& out) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) {
        out += node->v.text.text;
        out += ' ';
    } else if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            append_text(static_cast<const GumboNode*>(children.data[i]), out);
        }
    }
}

std::string text_of(const GumboNode* node) {
    std::string out;
    append_text(node, out);
    return normalize_space(out);
}

// The text right after `node` among its siblings, across <br> and inline markup, for the
// version a legacy footer writes after its link. Bounded: a footer line is short.
std::string text_after(const GumboNode* node) {
    const GumboNode* parent = node->parent;
    if (!parent || (parent->type != GUMBO_NODE_ELEMENT && parent->type != GUMBO_NODE_TEMPLATE)) return {};
    const GumboVector& siblings = parent->v.element.children;
    std::string out;
    for (unsigned i = node->index_within_parent + 1; i < siblings.length && out.size() < 200; ++i) {
        append_text(static_cast<const GumboNode*>(siblings.data[i]), out);
    }
    return out;
}

bool element_has_no_element_children(const GumboNode* node) {
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
        if (static_cast<const GumboNode*>(children.data[i])->type == GUMBO_NODE_ELEMENT) return false;
    }
    return true;
}

// What one pass over the page's elements saw.
struct Markers {
    std::string generator;           // content of <meta name="generator">
    bool rdm_footer_element = false; // <footer id="rdm-footer-element">
    bool rdm_records_list = false;   // <div id="records-list" data-fetch-url="/api/records...">
    bool rdm_link = false;           // a link to inveniosoftware.org/products/rdm
    bool v3_footer = false;          // Powered by <a href="http://inveniosoftware.org">Invenio</a>
    bool legacy_footer = false;      // <a class="footer" href="http://invenio-software.org/">Invenio</a> v1.1.7
    std::string legacy_version;
    bool app_shell = false;
    std::optional<std::int64_t> legacy_records;
};

void look_at_element(const GumboNode* node, Markers& m) {
    const GumboTag tag = node->v.element.tag;
    const char* id = attribute(node, "id");
    if (tag == GUMBO_TAG_META) {
        const char* name = attribute(node, "name");
        const char* content = attribute(node, "content");
        if (name && content && ascii_lower(name) == "generator") m.generator = normalize_space(content);
    } else if (tag == GUMBO_TAG_FOOTER && id && std::string_view(id) == "rdm-footer-element") {
        m.rdm_footer_element = true;
    } else if (tag == GUMBO_TAG_A) {
        const char* href = attribute(node, "href");
        if (!href) return;
        const std::string target = link_target(href);
        if (target == "inveniosoftware.org/products/rdm") {
            m.rdm_link = true;
            return;
        }
        const bool legacy_site = target == "invenio-software.org" || target == "cdsware.cern.ch";
        if (!legacy_site && target != "inveniosoftware.org") return;
        // A version after the link is the legacy footer, whichever address the project had
        // then. Without one: the v3 footer, or a legacy footer only by its class (the same
        // link also sits in portal boxes such as "See also").
        std::string version = legacy_footer_version(text_after(node));
        if (!version.empty() || (legacy_site && has_class(node, "footer"))) {
            m.legacy_footer = true;
            if (m.legacy_version.empty()) m.legacy_version = std::move(version);
        } else if (!legacy_site && text_of(node) == "Invenio") {
            m.v3_footer = true;
        }
    } else if (id && std::string_view(id) == "app" && tag == GUMBO_TAG_DIV && element_has_no_element_children(node)) {
        m.app_shell = true;
    }
    if (id && std::string_view(id) == "records-list") {
        const char* fetch = attribute(node, "data-fetch-url");
        if (fetch && std::string_view(fetch).find("/api/records") != std::string_view::npos) m.rdm_records_list = true;
    }
}

Markers scan(std::string_view html) {
    Markers m;
    std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
        [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
    // An explicit stack: a hostile page's nesting depth must not become ours.
    std::vector<const GumboNode*> stack{output->root};
    while (!stack.empty()) {
        const GumboNode* node = stack.back();
        stack.pop_back();
        if (node->type == GUMBO_NODE_TEXT) {
            if (!m.legacy_records) m.legacy_records = legacy_records_phrase(node->v.text.text);
            continue;
        }
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
        look_at_element(node, m);
        const GumboVector& children = node->v.element.children;
        for (unsigned i = children.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(children.data[i]));
    }
    return m;
}

}  // namespace

std::string_view flavour_name(Flavour flavour) {
    switch (flavour) {
        case Flavour::Invenio1: return "invenio1";
        case Flavour::Invenio3: return "invenio3";
        case Flavour::InvenioRDM: return "inveniordm";
        case Flavour::InvenioILS: return "invenioils";
        case Flavour::Unknown: break;
    }
    return "unknown";
}

std::optional<std::int64_t> legacy_records_phrase(std::string_view text) {
    const std::string normalized = normalize_space(text);
    std::string_view rest(normalized);
    for (auto at = rest.find("Search "); at != std::string_view::npos; at = rest.find("Search ")) {
        rest.remove_prefix(at + 7);
        std::string digits;
        std::size_t i = 0;
        while (i < rest.size() && (is_digit(rest[i]) || (rest[i] == ',' && !digits.empty()))) {
            if (rest[i] != ',') digits.push_back(rest[i]);
            ++i;
        }
        if (digits.empty() || !rest.substr(i).starts_with(" records for")) continue;
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec == std::errc() && end == digits.data() + digits.size()) return value;
    }
    return std::nullopt;
}

std::string legacy_footer_version(std::string_view text_after_link) {
    const std::string text = normalize_space(text_after_link);
    if (text.size() < 2 || text[0] != 'v' || !is_digit(text[1])) return {};
    std::size_t end = 1;
    // 1.1.7, 0.99.9, 1.2.2-rc1: digits, dots, and a pre-release tail.
    while (end < text.size() && !is_space(text[end]) && text[end] != '<' && text[end] != ',' && text[end] != ')') ++end;
    std::string version = text.substr(1, end - 1);
    while (!version.empty() && version.back() == '.') version.pop_back();
    return version;
}

HomePage inspect_home_page(std::string_view html) {
    const Markers m = scan(html);
    HomePage page;
    page.app_shell = m.app_shell;
    page.records = m.legacy_records;
    if (!m.generator.empty()) page.evidence.push_back("generator \"" + m.generator + "\"");

    const std::string_view generator(m.generator);
    if (generator == "InvenioRDM" || generator.starts_with("InvenioRDM ")) {
        page.flavour = Flavour::InvenioRDM;
        if (generator.size() > 11) page.version = std::string(generator.substr(11));
    } else if (generator == "InvenioILS" || generator.starts_with("InvenioILS ")) {
        page.flavour = Flavour::InvenioILS;
        if (generator.size() > 11) page.version = std::string(generator.substr(11));
    } else if (m.rdm_footer_element || m.rdm_records_list || m.rdm_link) {
        page.flavour = Flavour::InvenioRDM;
    } else if (m.legacy_footer) {
        page.flavour = Flavour::Invenio1;
        page.version = m.legacy_version;
    } else if (generator == "Invenio" || generator.starts_with("Invenio ") || m.v3_footer) {
        page.flavour = Flavour::Invenio3;
        if (generator.starts_with("Invenio ")) page.version = std::string(generator.substr(8));
    } else if (m.legacy_records) {
        page.flavour = Flavour::Invenio1;
    }
    if (m.rdm_footer_element) page.evidence.emplace_back("<footer id=\"rdm-footer-element\">");
    if (m.rdm_records_list) page.evidence.emplace_back("records-list fetching /api/records");
    if (m.rdm_link) page.evidence.emplace_back("link to inveniosoftware.org/products/rdm");
    if (m.v3_footer) page.evidence.emplace_back("\"Powered by Invenio\" footer");
    if (m.legacy_footer) {
        page.evidence.push_back("legacy footer" + (m.legacy_version.empty() ? "" : " v" + m.legacy_version));
    }
    if (m.legacy_records) page.evidence.push_back("\"Search " + std::to_string(*m.legacy_records) + " records for\"");
    if (m.app_shell) page.evidence.emplace_back("single-page-app shell <div id=\"app\">");
    return page;
}

}  // namespace kpi::invenio
