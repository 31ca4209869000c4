#pragma once
// The one explicit list of sources and sinks. `kpi list`, the command line, the config
// loader, the man page and the completions all read it.

#include <string_view>
#include <vector>

#include "sinks/sink.hpp"
#include "sources/source.hpp"

namespace kpi {

const std::vector<SourceInfo>& source_registry();
const std::vector<SinkInfo>& sink_registry();

const SourceInfo* find_source(std::string_view type);
const SinkInfo* find_sink(std::string_view type);

// The wire formats `sinks` declare, each once, in their order.
std::vector<const WireFormat*> declared_wire_formats(const std::vector<SinkInfo>& sinks);

}  // namespace kpi
