#pragma once
// SIGTERM/SIGINT (how Kubernetes ends a job): start nothing new, spool what is pending, exit 1.

namespace kpi {

// Installs handlers that only set a flag; the HTTP loop and the commands poll it. Also
// ignores SIGXFSZ, so that a file size limit is an error on the write, not a sudden death.
void install_shutdown_handlers();
bool shutdown_requested();
// For tests.
void request_shutdown();

}  // namespace kpi
