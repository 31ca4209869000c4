#pragma once
// Writing a whole buffer to a file descriptor, through short writes and EINTR.

#include <string_view>

namespace kpi {

// false with errno set when a write fails; `content` may be partly written then.
bool write_all(int fd, std::string_view content);

}  // namespace kpi
