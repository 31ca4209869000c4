#include "http/redact.hpp"

#include <cctype>
#include <simdjson.h>

namespace kpi {

std::string redact(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
        if (secret.empty()) continue;
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
            text.replace(pos, secret.size(), "***");
        }
    }
    return text;
}

std::string strip_userinfo(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto authority_end = url.find_first_of("/?#", scheme + 3);
    auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at == std::string::npos || at < scheme) return url;
    return url.substr(0, scheme + 3) + url.substr(at + 1);
}

namespace {

constexpr std::size_t kMaxMessage = 300;

std::string fold(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
        if (out.size() >= kMaxMessage) {
            out += "...";
            break;
        }
    }
    return out;
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

std::string server_message(std::string_view body) {
    if (body.empty()) return {};
    std::string message = json_message(body);
    return fold(message.empty() ? body : std::string_view(message));
}

}  // namespace kpi
