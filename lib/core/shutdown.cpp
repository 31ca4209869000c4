#include "core/shutdown.hpp"

#include <csignal>

namespace kpi {
namespace {
volatile std::sig_atomic_t g_shutdown = 0;

extern "C" void on_shutdown_signal(int) { g_shutdown = 1; }
}  // namespace

void install_shutdown_handlers() {
    struct sigaction action {};
    action.sa_handler = on_shutdown_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and see the flag
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    // A file size limit (ulimit -f) then fails the write with EFBIG, handled like a full
    // disk, instead of killing the process in the middle of a write.
    std::signal(SIGXFSZ, SIG_IGN);
}

bool shutdown_requested() { return g_shutdown != 0; }

void request_shutdown() { g_shutdown = 1; }

}  // namespace kpi
