#pragma once
// --expect-status of the http source: which answers count as up. Parsed once, from
// "2xx" (the default), "200" or a list such as "200,301,3xx".

#include <string>
#include <vector>

namespace kpi {

class ExpectedStatus {
public:
    // Comma-separated 3-digit codes (200) and classes (2xx, 3XX: 1 to 5 then two x). Throws
    // SettingError for anything else, an empty item among them.
    static ExpectedStatus parse(const std::string& text);

    bool matches(long status) const;

private:
    std::vector<long> codes_;
    std::vector<long> classes_;  // 2 for 2xx
};

}  // namespace kpi
