#include "formats/html_summary.hpp"

#include "formats/html_tokens.hpp"

namespace kpi {

namespace {

using html::Token;
using html::TokenKind;

// Cut at `max_bytes`, back to the start of the UTF-8 character there.
HtmlSummary shortened(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return {std::move(text), false};
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return {std::move(text), true};
}

bool is_visible_text(const Token& token) {
    if (token.kind == TokenKind::RawText) return token.name != "script" && token.name != "style";
    return token.kind == TokenKind::Text || token.kind == TokenKind::RcData;
}

}  // namespace

HtmlSummary html_summary(std::string_view page, std::size_t max_bytes) {
    // Of one token only its start is read, so that a page that is one huge token costs no
    // more than a short one; collapsing white space shrinks text, hence the margin.
    const std::size_t token_bytes = 4 * max_bytes + 64;
    bool token_cut = false;
    auto words = [&](const Token& token) {
        const std::string_view raw = token.raw.substr(0, token_bytes);
        token_cut = raw.size() < token.raw.size();
        return html::normalize_space(token.kind == TokenKind::RawText ? std::string(raw) : html::decode_text(raw));
    };
    auto summary = [&](std::string text) {
        HtmlSummary out = shortened(std::move(text), max_bytes);
        out.cut = out.cut || token_cut;
        return out;
    };
    html::Tokenizer tokens(page);
    std::string text;
    bool title_seen = false, in_title = false;
    for (;;) {
        const Token t = tokens.next();  // built where it is used (html_tokens.hpp: next())
        if (t.kind == TokenKind::End) break;
        if (in_title) {
            in_title = false;
            if (t.kind == TokenKind::RcData) {
                std::string title = words(t);
                if (!title.empty()) return summary(std::move(title));
            }
        }
        if (t.kind == TokenKind::StartTag && t.name == "title" && !title_seen) {
            title_seen = in_title = true;
        } else if (is_visible_text(t)) {
            std::string part = words(t);
            if (!part.empty()) {
                if (!text.empty()) text.push_back(' ');
                text += part;
            }
            // Past the limit the rest is not read (a title comes first in a page, if at all).
            if (text.size() > max_bytes || token_cut) return summary(std::move(text));
        }
    }
    return {std::move(text), false};
}

}  // namespace kpi
