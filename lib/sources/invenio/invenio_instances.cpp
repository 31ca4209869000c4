#include "sources/invenio/invenio_instances.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.hpp"
#include "core/text.hpp"
#include "plugin/settings.hpp"

namespace kpi::invenio {
namespace {

// "https://user@Host:8443/path?q" -> "Host:8443"; empty when `url` is not http(s) with a host.
std::string http_host(std::string_view url) {
    // Schemes are case-insensitive (RFC 3986 §3.1).
    const std::string head = ascii_lower(url.substr(0, 8));
    std::string_view rest;
    if (head.starts_with("http://")) rest = url.substr(7);
    else if (head.starts_with("https://")) rest = url.substr(8);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    return std::string(at == std::string_view::npos ? authority : authority.substr(at + 1));
}

}  // namespace

Instance instance_from_url(const std::string& url) {
    const std::string host = http_host(url);
    if (host.empty() || host.find_first_of(" \t") != std::string::npos) {
        throw SettingError("\"" + url + "\" is not an http:// or https:// address");
    }
    return Instance{.name = host, .url = url, .country = ""};
}

std::vector<Instance> parse_instances(std::string_view csv_text, const std::string& file_name) {
    CsvTable table;
    try {
        table = parse_csv_table(csv_text);
    } catch (const CsvError& e) {
        throw SettingError(file_name + ":" + std::to_string(e.line()) + ": " + e.reason());
    }
    const auto name = table.column("name"), url = table.column("url"), country = table.column("country");
    if (!name || !url || !country) {
        throw SettingError(file_name + ":1: the header must name the columns name,url,country (found \"" + [&] {
            std::string joined;
            for (const auto& h : table.header) joined += (joined.empty() ? "" : ",") + h;
            return joined;
        }() + "\")");
    }
    std::vector<Instance> instances;
    std::map<std::string, std::size_t> line_of_url;
    for (const auto& row : table.rows) {
        const std::string where = file_name + ":" + std::to_string(row.line) + ": ";
        Instance instance{.name = std::string(trim(row.fields[*name])),
                          .url = std::string(trim(row.fields[*url])),
                          .country = std::string(trim(row.fields[*country]))};
        const std::string host = http_host(instance.url);
        if (host.empty() || instance.url.find_first_of(" \t") != std::string::npos) {
            throw SettingError(where + "url \"" + instance.url + "\" is not an http:// or https:// address");
        }
        if (auto [it, added] = line_of_url.emplace(instance.url, row.line); !added) {
            throw SettingError(where + "url " + instance.url + " is listed already on line " +
                               std::to_string(it->second));
        }
        if (instance.name.empty()) instance.name = host;
        instances.push_back(std::move(instance));
    }
    return instances;
}

std::vector<Instance> read_instances_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SettingError(path + ": cannot read the instance list");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_instances(text.str(), path);
}

}  // namespace kpi::invenio
