#pragma once
// The sink interface: deliver a batch of points to one back end and say what became of them.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/options.hpp"
#include "core/point.hpp"
#include "http/client.hpp"

namespace kpi {

struct SinkConfig {
    std::string type;
    std::string name;      // unique in a config; defaults to the type; names the spool
    std::string origin;
    OptionValues options;
};

struct DeliveryResult {
    // Points the back end did not take but may later: these go to the spool.
    std::vector<Point> undelivered;
    // Points the back end refused for good (e.g. InfluxDB partial write); reported, not spooled.
    std::size_t rejected = 0;
    // What went wrong, each naming the endpoint, the status and the server's message.
    std::vector<std::string> errors;

    bool ok() const { return undelivered.empty() && rejected == 0 && errors.empty(); }
};

class Sink {
public:
    virtual ~Sink() = default;
    // Delivers in order; blocking is fine (sinks run after collection).
    virtual DeliveryResult deliver(const std::vector<Point>& points) = 0;
};

struct SinkContext {
    HttpClient& http;
};

struct SinkInfo {
    std::string type;
    std::string summary;
    std::string description;           // paragraphs for the man page and `--help` (plain text)
    std::vector<OptionSpec> options;
    std::string example;
    std::function<std::unique_ptr<Sink>(const SinkConfig&, SinkContext&)> make;
};

}  // namespace kpi
