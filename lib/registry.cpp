#include "registry.hpp"

#include "sources/matomo.hpp"
#include "sources/uptimerobot.hpp"

namespace kpi {

// The explicit list: adding a source or sink is one line here and one file pair.
const std::vector<SourceInfo>& source_registry() {
    static const std::vector<SourceInfo> sources{
        uptimerobot_source(),
        matomo_source(),
    };
    return sources;
}

const std::vector<SinkInfo>& sink_registry() {
    static const std::vector<SinkInfo> sinks{
    };
    return sinks;
}

const SourceInfo* find_source(std::string_view type) {
    for (const auto& s : source_registry()) {
        if (s.type == type) return &s;
    }
    return nullptr;
}

const SinkInfo* find_sink(std::string_view type) {
    for (const auto& s : sink_registry()) {
        if (s.type == type) return &s;
    }
    return nullptr;
}

}  // namespace kpi
