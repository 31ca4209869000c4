#include "registry.hpp"

#include "sinks/graphite.hpp"
#include "sinks/monit.hpp"
#include "sinks/pushgateway.hpp"
#include "sinks/textfile.hpp"

namespace kpi {

// The explicit list: adding a source or sink is one line here and one file pair.
const std::vector<SourceInfo>& source_registry() {
    static const std::vector<SourceInfo> sources{
    };
    return sources;
}

const std::vector<SinkInfo>& sink_registry() {
    static const std::vector<SinkInfo> sinks{
        pushgateway_sink(),
        textfile_sink(),
        graphite_sink(),
        monit_sink(),
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
