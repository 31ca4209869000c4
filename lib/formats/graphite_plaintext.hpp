#pragma once
// Carbon's plaintext protocol with Graphite 1.1 tags (DESIGN §5): one line per field,
//
//     <prefix>.<measurement>.<field>;<tag>=<value>;... <value> <unix seconds>
//
// - Path components (each part of the prefix, the measurement, the field) and tag names
//   keep ASCII letters, digits, `-`, `_`, `:` and non-ASCII UTF-8; anything else, the dot
//   included, becomes `_`, so that one component stays one level of the tree and one
//   file name in Carbon's storage.
// - Tag values lose whitespace, control characters and `;`, `~`, `!`, `^`, `=` (each
//   becomes `_`); dots, slashes and colons stay (`url=https://zenodo.org/api`).
// - Unicode whitespace (U+00A0, U+2003, ...) becomes `_` everywhere: carbon splits a line
//   on it as Python's str.split() does.
// - An empty tag value is not written (Graphite refuses it). A tag called `name` would be
//   overwritten by the series name, so it is written as `_name`.
// - Tags are sorted by name, as Carbon stores them.
// - Booleans are 1 and 0; string fields have no Graphite value and are left out, with a note.
// - A point without a time is stamped with the current time.

#include <string>
#include <string_view>
#include <vector>

#include "core/point.hpp"

namespace kpi {

std::string graphite_path_component(std::string_view text);
// `kpi.prod` -> `kpi.prod`; each component sanitised, empty components dropped.
std::string graphite_prefix(std::string_view prefix);
std::string graphite_tag_value(std::string_view text);

// The lines of `points`; `notes` (may be null) gets what was left out and why.
std::string to_graphite_plaintext(const std::vector<Point>& points, std::string_view prefix,
                                  std::vector<std::string>* notes);

}  // namespace kpi
