#pragma once
// SIGTERM/SIGINT (how Kubernetes ends a job): start nothing new, spool what is pending, exit 1.

namespace kpi {

// Installs handlers that only set a flag; the HTTP loop and the commands poll it.
void install_shutdown_handlers();
bool shutdown_requested();
// For tests.
void request_shutdown();

}  // namespace kpi
