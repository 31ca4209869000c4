#include "http/redact.hpp"

#include <algorithm>
#include <cctype>
#include <simdjson.h>

#include "core/printable.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "formats/html_summary.hpp"

namespace kpi {

std::string strip_userinfo(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto authority_end = url.find_first_of("/?#", scheme + 3);
    auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at == std::string::npos || at < scheme) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

bool is_credential_key(std::string_view key) {
    const std::string lower = ascii_lower(key);
    for (std::string_view word :
         {"token", "key", "pass", "pwd", "secret", "auth", "credential", "signature", "session"}) {
        if (lower.find(word) != std::string::npos) return true;
    }
    return false;
}

namespace {

// Calls `on_value(begin, length)` for the value of each credential parameter of the query.
template <typename OnValue>
void for_each_credential(std::string_view url, OnValue on_value) {
    const auto query = url.find('?');
    if (query == std::string_view::npos || url.substr(0, query).find("://") == std::string_view::npos) return;
    const auto end = std::min(url.find('#', query), url.size());
    for (std::size_t start = query + 1; start < end;) {
        const auto amp = std::min(url.find('&', start), end);
        const auto eq = url.find('=', start);
        if (eq < amp && is_credential_key(url.substr(start, eq - start)) && eq + 1 < amp) {
            on_value(eq + 1, amp - eq - 1);
        }
        start = amp + 1;
    }
}

}  // namespace

std::vector<std::string> url_credentials(std::string_view url) {
    std::vector<std::string> values;
    for_each_credential(url, [&](std::size_t at, std::size_t length) { values.emplace_back(url.substr(at, length)); });
    return values;
}

std::string redact_url(const std::string& url) {
    const std::string shown = strip_userinfo(url);
    std::string out;
    std::size_t copied = 0;
    for_each_credential(shown, [&](std::size_t at, std::size_t length) {
        out.append(shown, copied, at - copied);
        out += "***";
        copied = at + length;
    });
    out.append(shown, copied);
    return out;
}

namespace {

constexpr std::size_t kMaxMessage = 300;
constexpr std::size_t kMinSecretPrefix = 8;

// Folds white space and cuts at kMaxMessage bytes, never inside a UTF-8 character.
// `cut` tells whether anything was left out.
std::string fold(std::string_view text, bool& cut) {
    std::string out;
    bool space = false;
    cut = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_ascii_space(c)) {
            space = !out.empty();
            continue;
        }
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (out.size() >= kMaxMessage && !continuation) {
            cut = true;
            break;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

// A secret that crossed the cut left its beginning at the end of the text: that part goes
// too, when it is long enough (kMinSecretPrefix) not to be an ordinary word.
void redact_cut_secret(std::string& text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        for (std::size_t length = std::min(secret.size(), text.size()); length >= kMinSecretPrefix; --length) {
            if (std::string_view(text).ends_with(std::string_view(secret).substr(0, length))) {
                text.replace(text.size() - length, length, "***");
                break;
            }
        }
    }
}

// {"error":"..."}, {"message":"..."}, {"error":{"message":"...","detail":"..."}}
std::string json_message(std::string_view body) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root)) return {};
    simdjson::dom::object obj;
    if (root.get(obj)) return {};
    for (const char* key : {"message", "error", "detail", "errorMessage"}) {
        simdjson::dom::element e;
        if (obj[key].get(e)) continue;
        std::string_view s;
        if (!e.get(s)) return std::string(s);
        simdjson::dom::object inner;
        if (!e.get(inner)) {
            std::string out;
            for (const char* k : {"message", "detail"}) {
                std::string_view part;
                if (!inner[k].get(part) && !part.empty()) out += (out.empty() ? "" : ": ") + std::string(part);
            }
            if (!out.empty()) return out;
        }
    }
    return {};
}

}  // namespace

std::string server_message(std::string_view body, const std::vector<std::string>& secrets) {
    if (body.empty()) return {};
    std::string message = json_message(body);
    bool html_cut = false;  // the page's words were read only in part
    if (message.empty()) {
        if (trim(body).starts_with('<')) {
            // Four times the message's length: redaction may shorten the words a lot.
            HtmlSummary summary = html_summary(body, 4 * kMaxMessage);
            message = std::move(summary.text);
            html_cut = summary.cut;
        } else {
            message = std::string(body);
        }
    }
    std::vector<std::string> all = registered_secrets();
    all.insert(all.end(), secrets.begin(), secrets.end());
    // Redacted before it is cut, so that no secret is shortened past recognition.
    bool cut = false;
    message = fold(redact(std::move(message), all), cut);
    if (cut || html_cut) {
        redact_cut_secret(message, all);
        message += "...";
    }
    return printable(message);
}

}  // namespace kpi
