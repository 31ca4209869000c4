#include "sources/http/expect_status.hpp"

#include <algorithm>
#include <string_view>

#include "plugin/settings.hpp"

namespace kpi {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_x(char c) { return c == 'x' || c == 'X'; }

}  // namespace

ExpectedStatus ExpectedStatus::parse(const std::string& text) {
    ExpectedStatus expected;
    std::string_view rest = text;
    for (;;) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        if (item.size() == 3 && item[0] >= '1' && item[0] <= '5' && is_x(item[1]) && is_x(item[2])) {
            expected.classes_.push_back(item[0] - '0');
        } else if (item.size() == 3 && std::all_of(item.begin(), item.end(), is_digit)) {
            expected.codes_.push_back((item[0] - '0') * 100 + (item[1] - '0') * 10 + (item[2] - '0'));
        } else {
            throw SettingError("\"" + text + "\": write codes or classes such as 200,3xx");
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return expected;
}

bool ExpectedStatus::matches(long status) const {
    return std::find(codes_.begin(), codes_.end(), status) != codes_.end() ||
           std::find(classes_.begin(), classes_.end(), status / 100) != classes_.end();
}

}  // namespace kpi
