#include "formats/html_tokens.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/text.hpp"
#include "core/windows1252.hpp"

namespace kpi::html {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string normalize_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool space = is_space(text[i]);
        if (!space && text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
            space = true;
            ++i;
        }
        if (space) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(text[i]);
    }
    return out;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return detail::is_ascii_letter(c) || is_digit(c); }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != b[i]) return false;
    }
    return true;
}

// Elements whose content the tokenizer reads as text up to their end tag.
struct ContentRule {
    std::string_view name;
    TokenKind kind;
};
constexpr std::array<ContentRule, 9> kContentRules{{
    {"script", TokenKind::RawText},   {"style", TokenKind::RawText},    {"xmp", TokenKind::RawText},
    {"iframe", TokenKind::RawText},   {"noembed", TokenKind::RawText},  {"noframes", TokenKind::RawText},
    {"plaintext", TokenKind::RawText}, {"title", TokenKind::RcData},    {"textarea", TokenKind::RcData},
}};

// What a byte is to a tag's states: one table lookup instead of five comparisons.
enum CharClass : unsigned char {
    kSpace = 1,   // HTML white space (is_space)
    kSlash = 2,
    kGreater = 4,
    kEquals = 8,
    kEndsAttributeName = kSpace | kSlash | kGreater | kEquals,  // (a tag's name: detail::ends_tag_name)
    kEndsUnquotedValue = kSpace | kGreater,                     // an unquoted attribute value
};
constexpr std::array<unsigned char, 256> kCharClass = [] {
    std::array<unsigned char, 256> table{};
    for (unsigned char c : {' ', '\t', '\n', '\r', '\f'}) table[c] = kSpace;
    table['/'] = kSlash;
    table['>'] = kGreater;
    table['='] = kEquals;
    return table;
}();
inline bool has_class(char c, unsigned char classes) {
    return (kCharClass[static_cast<unsigned char>(c)] & classes) != 0;
}

using detail::find_byte;

std::size_t skip_spaces(std::string_view text, std::size_t i) {
    while (i < text.size() && has_class(text[i], kSpace)) ++i;
    return i;
}

// The element whose content the tokenizer reads as text after a start tag named `name`
// (lower-cased), or nullptr. Most tags are one or two letters and none of these.
const ContentRule* content_rule(std::string_view name) {
    if (name.size() < 3) return nullptr;
    for (const auto& rule : kContentRules) {
        if (name == rule.name) return &rule;
    }
    return nullptr;
}

// Walks the attributes of a tag from `i` (just after its name) per the WHATWG tag states,
// calling on_attribute(name, raw value) for each. Returns the offset after the closing
// '>', or npos when the page ends inside the tag.
template <typename OnAttribute>
std::size_t walk_attributes(std::string_view text, std::size_t i, OnAttribute on_attribute) {
    const std::size_t size = text.size();
    for (;;) {
        while (i < size && has_class(text[i], kSpace | kSlash)) ++i;
        if (i >= size) return std::string_view::npos;
        if (text[i] == '>') return i + 1;
        const std::size_t name_start = i++;  // a name may start with '='
        while (i < size && !has_class(text[i], kEndsAttributeName)) ++i;
        std::string_view name = text.substr(name_start, i - name_start);
        std::string_view value;
        i = skip_spaces(text, i);
        if (i < size && text[i] == '=') {
            i = skip_spaces(text, i + 1);
            if (i >= size) return std::string_view::npos;
            if (text[i] == '"' || text[i] == '\'') {
                const std::size_t end = find_byte(text.data(), i + 1, size, text[i]);
                if (end >= size) return std::string_view::npos;
                value = text.substr(i + 1, end - i - 1);
                i = end + 1;
            } else if (text[i] != '>') {
                const std::size_t value_start = i;
                while (i < size && !has_class(text[i], kEndsUnquotedValue)) ++i;
                value = text.substr(value_start, i - value_start);
            }
        }
        on_attribute(name, value);
    }
}

void append_utf8(std::string& out, char32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

// A numeric reference's character per the WHATWG rules: NUL, surrogates and values past
// U+10FFFF become U+FFFD; 0x80-0x9F are read as windows-1252.
void append_numeric(std::string& out, std::uint32_t code) {
    if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        append_utf8(out, 0xFFFD);
    } else if (code >= 0x80 && code <= 0x9F) {
        const char byte = static_cast<char>(code);
        out += windows1252_to_utf8(std::string_view(&byte, 1));
    } else {
        append_utf8(out, code);
    }
}

// Decodes the reference at text[i] == '&' into `out` when it is one of the common
// complete forms (or no reference at all), returning the offset after it; npos when only
// a full decoder can tell.
std::size_t decode_common_reference(std::string_view text, std::size_t i, std::string& out) {
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '#') {
        ++j;
        const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
        if (hex) ++j;
        std::uint32_t code = 0;
        std::size_t digits = 0;
        for (; j < text.size() && digits <= 8; ++j, ++digits) {
            char c = to_lower(text[j]);
            if (is_digit(c)) {
                code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(c - '0');
            } else if (hex && c >= 'a' && c <= 'f') {
                code = code * 16 + static_cast<std::uint32_t>(c - 'a' + 10);
            } else {
                break;
            }
        }
        if (digits == 0 || digits > 8 || j >= text.size() || text[j] != ';') return std::string_view::npos;
        append_numeric(out, code);
        return j + 1;
    }
    if (j >= text.size() || !is_alnum(text[j])) {
        out.push_back('&');  // no reference: a literal ampersand
        return j;
    }
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kCommon{{
        {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", "\xC2\xA0"},
    }};
    for (const auto& [name, value] : kCommon) {
        if (text.substr(j, name.size()) == name) {
            out += value;
            return j + name.size();
        }
    }
    return std::string_view::npos;
}

void collect_text(const GumboNode* node, std::string& out) {
    std::vector<const GumboNode*> stack{node};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
            out += n->v.text.text;
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            const GumboVector& kids = n->v.element.children;
            for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
        }
    }
}

// Text decoded by gumbo: parsed as the content of a <title> (RCDATA), so that nothing in
// it is taken for markup and every reference gumbo knows is decoded. The text has no
// tags, so gumbo's time is linear in it.
std::string gumbo_decode(std::string_view text) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;
    options.fragment_context = GUMBO_TAG_TITLE;
    GumboOutput* output = gumbo_parse_with_options(&options, text.data(), text.size());
    std::string out;
    collect_text(output->root, out);
    gumbo_destroy_output(&options, output);
    return out;
}

}  // namespace

bool Tokenizer::markup(Token& t) {
    const std::size_t start = pos_;
    const char c = page_[start + 1];
    if (c == '/') {  // not followed by a letter: next() reads tags
        if (page_[start + 2] == '>') {
            pos_ = start + 3;
            return false;
        }
        return comment_until(t, start, start + 2, ">");
    }
    if (c == '!' && slice(start + 2, 2) == "--") {
        const std::size_t body = start + 4;
        if (slice(body, 1) == ">") return comment_until(t, start, body, ">");    // <!-->
        if (slice(body, 2) == "->") return comment_until(t, start, body, "->");  // <!--->
        // Ends at "-->" or "--!>".
        for (std::size_t i = page_.find("--", body); i != std::string_view::npos; i = page_.find("--", i + 1)) {
            if (slice(i + 2, 1) == ">") return comment_until(t, start, i, "-->");
            if (slice(i + 2, 2) == "!>") return comment_until(t, start, i, "--!>");
        }
        return comment_until(t, start, page_.size(), "");
    }
    return comment_until(t, start, start + 2, ">");  // <!DOCTYPE ...>, <![CDATA[...]>, <?...>
}

bool Tokenizer::comment_until(Token& t, std::size_t start, std::size_t body, std::string_view close) {
    std::size_t end = close.empty() ? std::string_view::npos : page_.find(close, body);
    end = end == std::string_view::npos ? page_.size() : end + close.size();
    pos_ = end;
    t.kind = TokenKind::Comment;
    t.raw = page_.substr(start, end - start);
    t.name = {};
    t.begin = start;
    return true;
}

// Any tag: a long name, one at the page's end, one with control characters in its name.
bool Tokenizer::tag_slow(Token& t, std::size_t start, bool end_tag) {
    const char* page = page_.data();
    const std::size_t size = page_.size();
    const std::size_t name_start = start + (end_tag ? 2 : 1);
    std::size_t i = name_start;
    // The name, lower-cased (its first sizeof name_ bytes).
    for (; i < size && !detail::ends_tag_name(page[i]); ++i) {
        if (i - name_start < sizeof name_) name_[i - name_start] = to_lower(page[i]);
    }
    const std::size_t length = i - name_start;
    const std::string_view name = length < sizeof name_ ? std::string_view(name_, length) : std::string_view();
    const std::size_t end = i < size && page[i] == '>' ? i + 1 : attributes_end(i);
    if (end == std::string_view::npos) {  // the page ends inside the tag: no token (WHATWG)
        pos_ = size;
        return false;
    }
    pos_ = end;
    if (!end_tag) enter_content(name);
    t.kind = end_tag ? TokenKind::EndTag : TokenKind::StartTag;
    t.raw = std::string_view(page + start, end - start);
    t.name = name;
    t.begin = start;
    return true;
}

std::size_t Tokenizer::attributes_end(std::size_t i) const {
    const char* page = page_.data();
    const std::size_t size = page_.size();
    // Most attributes read ` name="value"` with a name of under 8 bytes: each is skipped
    // here as the walk below would, which takes over at the first that is not (the walk
    // starts the same at every attribute's start).
    while (i + 10 <= size && page[i] == ' ') {
        const std::uint64_t word = detail::load8(page + i + 1);
        const std::uint64_t ends = detail::bytes_below(word, 0x21) | detail::bytes_equal(word, '/') |
                                   detail::bytes_equal(word, '>') | detail::bytes_equal(word, '=');
        std::size_t equals;
        if ((ends & 0xFFFFFFFFU) == 0 && page[i + 5] == '=') {
            // A name of four letters (href), told by a predicted branch: the next loads need
            // not wait for the count of zeros (see Tokenizer::tag).
            equals = i + 5;
        } else {
            if (ends == 0) break;
            equals = i + 1 + detail::first_byte(ends);
            if (equals == i + 1 || page[equals] != '=') break;  // no name, or one not followed by '='
        }
        const char quote = page[equals + 1];
        if (quote != '"' && quote != '\'') break;
        const std::size_t close = find_byte(page, equals + 2, size, quote, 16);  // addresses are longer
        if (close >= size) return std::string_view::npos;  // the page ends inside the value
        i = close + 1;
        if (i < size && page[i] == '>') return i + 1;
    }
    return walk_attributes(page_, i, [](std::string_view, std::string_view) {});
}

void Tokenizer::enter_content(std::string_view name) {
    if (const ContentRule* rule = content_rule(name)) {
        content_of_ = rule->name;
        content_kind_ = rule->kind;
    }
}

// The content of a RAWTEXT or RCDATA element: up to its own end tag ("</title" followed by
// white space, '/' or '>'), or the end of the page (always, for <plaintext>).
void Tokenizer::raw_content(Token& t) {
    const std::string_view element = content_of_;  // one of the rules' names: it outlives name_
    const TokenKind kind = content_kind_;
    content_kind_ = TokenKind::Text;
    std::size_t end = page_.size();
    if (element != "plaintext") {
        for (std::size_t i = page_.find("</", pos_); i != std::string_view::npos; i = page_.find("</", i + 2)) {
            const std::size_t after = i + 2 + element.size();
            if (iequals(page_.substr(i + 2, element.size()), element) &&
                (after >= page_.size() || detail::ends_tag_name(page_[after]))) {
                end = i;
                break;
            }
        }
    }
    const std::size_t start = pos_;
    pos_ = end;
    t.kind = kind;
    t.raw = page_.substr(start, end - start);
    t.name = element;
    t.begin = start;
}

std::optional<std::string_view> attribute(std::string_view tag_raw, std::string_view name) {
    std::size_t i = tag_raw.starts_with("</") ? 2 : 1;
    while (i < tag_raw.size() && !detail::ends_tag_name(tag_raw[i])) ++i;
    std::optional<std::string_view> found;
    walk_attributes(tag_raw, i, [&](std::string_view n, std::string_view value) {
        if (!found && iequals(n, name)) found = value;
    });
    return found;
}

std::optional<std::string> decoded_attribute(std::string_view tag_raw, std::string_view name) {
    auto raw = attribute(tag_raw, name);
    if (!raw) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < raw->size();) {
        if ((*raw)[i] != '&') {
            out.push_back((*raw)[i++]);
            continue;
        }
        std::size_t next = decode_common_reference(*raw, i, out);
        if (next == std::string_view::npos) {
            // In an attribute, legacy references followed by '=' or a letter stay as they
            // are; gumbo applies that rule when it parses the tag itself.
            GumboOptions options = kGumboDefaultOptions;
            options.max_errors = 0;
            options.fragment_context = GUMBO_TAG_DIV;
            GumboOutput* output = gumbo_parse_with_options(&options, tag_raw.data(), tag_raw.size());
            std::optional<std::string> value;
            const GumboVector& kids = output->root->v.element.children;
            if (kids.length > 0) {
                const auto* element = static_cast<const GumboNode*>(kids.data[0]);
                if (element->type == GUMBO_NODE_ELEMENT) {
                    const std::string lowered = ascii_lower(name);
                    if (const GumboAttribute* a = gumbo_get_attribute(&element->v.element.attributes, lowered.c_str())) {
                        value = a->value;
                    }
                }
            }
            gumbo_destroy_output(&options, output);
            return value;
        }
        i = next;
    }
    return out;
}

std::string decode_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\r') {  // CR LF and lone CR are LF
            out.push_back('\n');
            i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        } else if (c == '\0') {
            return gumbo_decode(text);
        } else if (c == '&') {
            std::size_t next = decode_common_reference(text, i, out);
            if (next == std::string_view::npos) return gumbo_decode(text);
            i = next;
        } else {
            out.push_back(c);
            ++i;
        }
    }
    return out;
}

}  // namespace kpi::html
