#pragma once
// CERN MONIT JSON documents (DESIGN §5): one flat object per point,
//
//     {"producer":"invenio","type":"repokpi","type_prefix":"raw","timestamp":1483696735836,
//      "service":"zenodo","records":433830,"idb_tags":["service"],"idb_fields":["records"]}
//
// `type` is the measurement, `timestamp` milliseconds since the epoch (the current time for
// a point without one), then the tags (sorted), the fields (in the point's order), and
// `idb_tags` / `idb_fields` naming them so that MONIT knows which keys InfluxDB indexes.
// Integers stay integers, floats keep a fraction, booleans are true/false, strings strings.
//
// A tag or field named like one of the fixed keys, or a tag and a field with the same name,
// would make two keys of one object: such a point has no document (monit_conflict says why).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi {

// Why `point` cannot be written as a MONIT document, or nullopt when it can.
std::optional<std::string> monit_conflict(const Point& point);

// Appends the document of `point` (call monit_conflict first).
void append_monit_document(std::string& out, const Point& point, std::string_view producer);

// A JSON array of the documents of `points`. Points with a conflict are left out; `notes`
// (may be null) gets why.
std::string to_monit_json(const std::vector<Point>& points, std::string_view producer,
                          std::vector<std::string>* notes = nullptr);

}  // namespace kpi
