#include "registry.hpp"

#include <algorithm>

#include "sinks/file/file.hpp"
#include "sinks/graphite/graphite.hpp"
#include "sinks/influxdb/influxdb.hpp"
#include "sinks/monit/monit.hpp"
#include "sinks/pushgateway/pushgateway.hpp"
#include "sinks/stdout/stdout.hpp"
#include "sinks/textfile/textfile.hpp"
#include "sources/datacite/datacite.hpp"
#include "sources/http/http.hpp"
#include "sources/invenio/invenio.hpp"
#include "sources/json/json.hpp"
#include "sources/matomo/matomo.hpp"
#include "sources/records/records.hpp"
#include "sources/servicenow/servicenow.hpp"
#include "sources/uptimerobot/uptimerobot.hpp"

namespace kpi {

// The explicit list: adding a source or sink is one line here and one folder.
const std::vector<SourceInfo>& source_registry() {
    static const std::vector<SourceInfo> sources{
        records_source(),
        uptimerobot_source(),
        datacite_source(),
        servicenow_source(),
        matomo_source(),
        http_source(),
        json_source(),
        invenio_source(),
    };
    return sources;
}

const std::vector<SinkInfo>& sink_registry() {
    static const std::vector<SinkInfo> sinks = [] {
        std::vector<SinkInfo> list{
            file_sink(),
            influxdb_sink(),
            pushgateway_sink(),
            textfile_sink(),
            graphite_sink(),
            monit_sink(),
        };
        // stdout prints, as a dry run, each wire format the sinks above declare.
        list.insert(list.begin(), stdout_sink(declared_wire_formats(list)));
        return list;
    }();
    return sinks;
}

std::vector<const WireFormat*> declared_wire_formats(const std::vector<SinkInfo>& sinks) {
    std::vector<const WireFormat*> formats;
    for (const auto& sink : sinks) {
        if (sink.wire_format && std::find(formats.begin(), formats.end(), sink.wire_format) == formats.end()) {
            formats.push_back(sink.wire_format);
        }
    }
    return formats;
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
