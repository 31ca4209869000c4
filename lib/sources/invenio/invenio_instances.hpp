#pragma once
// The sites the invenio source surveys: from --url, or from a CSV file (--instances) with
// the header `name,url,country` (further columns, such as `evidence`, are allowed and
// ignored, so that a list can keep where each site came from).

#include <string>
#include <string_view>
#include <vector>

namespace kpi::invenio {

struct Instance {
    std::string name;     // the `instance` tag
    std::string url;      // the `url` tag: the front page, as listed
    std::string country;  // the `country` tag; empty when not known (the tag is left out)
};

// Reads the CSV text of `file_name`. Throws SettingError "FILE:LINE: reason" for malformed
// CSV, a missing column, a row without an http(s) URL, or a URL listed twice.
std::vector<Instance> parse_instances(std::string_view csv_text, const std::string& file_name);

// The same from a file; an unreadable file is a SettingError naming it.
std::vector<Instance> read_instances_file(const std::string& path);

// A site given by --url: named after its host. Throws SettingError for a URL that is not
// http(s).
Instance instance_from_url(const std::string& url);

}  // namespace kpi::invenio
