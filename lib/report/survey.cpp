#include "report/survey.hpp"

#include <algorithm>
#include <map>

namespace kpi::report {
namespace {

constexpr const char* kUnknown = "unknown";

int flavour_rank(const std::string& flavour) {
    static const char* const kOrder[] = {"inveniordm", "invenio3", "invenioils", "invenio1"};
    for (int i = 0; i < 4; ++i)
        if (flavour == kOrder[i]) return i;
    return flavour.empty() || flavour == kUnknown ? 6 : 5;
}

std::string flavour_of(const Site& site) { return site.flavour.empty() ? kUnknown : site.flavour; }

void count(SurveyGroup& group, const Site& site) {
    site.up.value_or(false) ? ++group.reachable : ++group.unreachable;
    group.records += site.records.value_or(0);
}

}  // namespace

SurveyTotals survey_totals(const std::vector<Site>& sites) {
    SurveyTotals t;
    for (const auto& site : sites) {
        ++t.sites;
        const bool up = site.up.value_or(false);
        if (up) ++t.reachable;
        if (up && flavour_of(site) != kUnknown) ++t.recognised;
        if (site.records) {
            ++t.counted;
            t.records += *site.records;
        }
    }
    return t;
}

std::vector<SurveyGroup> group_by_country(const std::vector<Site>& sites) {
    std::map<std::string, SurveyGroup> groups;
    for (const auto& site : sites) {
        const std::string label = site.country.empty() ? kUnknown : site.country;
        SurveyGroup& g = groups[label];
        g.label = label;
        count(g, site);
    }
    std::vector<SurveyGroup> out;
    for (auto& [label, g] : groups) out.push_back(std::move(g));
    std::stable_sort(out.begin(), out.end(), [](const SurveyGroup& a, const SurveyGroup& b) {
        return a.reachable + a.unreachable > b.reachable + b.unreachable;
    });
    return out;
}

std::string release_label(const Site& site) {
    return site.version.empty() ? flavour_of(site) : flavour_of(site) + " " + site.version;
}

int compare_versions(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        auto digits = [](const std::string& s, std::size_t& k) {
            std::size_t start = k;
            while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k;
            std::string run = s.substr(start, k - start);
            run.erase(0, std::min(run.find_first_not_of('0'), run.size()));
            return run;
        };
        const std::string x = digits(a, i), y = digits(b, j);
        if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
        if (x != y) return x < y ? -1 : 1;
        const char cx = i < a.size() ? a[i] : '\0', cy = j < b.size() ? b[j] : '\0';
        if (cx != cy) return cx < cy ? -1 : 1;
        if (i < a.size()) ++i;
        if (j < b.size()) ++j;
    }
    return 0;
}

std::vector<SurveyGroup> group_by_release(const std::vector<Site>& sites) {
    struct Key {
        std::string flavour, version;
    };
    std::map<std::string, std::pair<Key, SurveyGroup>> groups;
    for (const auto& site : sites) {
        const std::string label = release_label(site);
        auto& [key, g] = groups[label];
        key = Key{flavour_of(site), site.version};
        g.label = label;
        count(g, site);
    }
    std::vector<std::pair<Key, SurveyGroup>> sorted;
    for (auto& [label, entry] : groups) sorted.push_back(std::move(entry));
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        const int ra = flavour_rank(a.first.flavour), rb = flavour_rank(b.first.flavour);
        if (ra != rb) return ra < rb;
        if (a.first.flavour != b.first.flavour) return a.first.flavour < b.first.flavour;
        // A version shown sorts before none; newer before older.
        if (a.first.version.empty() != b.first.version.empty()) return b.first.version.empty();
        return compare_versions(a.first.version, b.first.version) > 0;
    });
    std::vector<SurveyGroup> out;
    for (auto& entry : sorted) out.push_back(std::move(entry.second));
    return out;
}

}  // namespace kpi::report
