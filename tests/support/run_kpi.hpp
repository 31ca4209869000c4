#pragma once
// Runs the built `kpi` binary as a child process, as a user or cron would.

#include <map>
#include <string>
#include <vector>

namespace kpi::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    double seconds_after_signal = -1;  // from RunOptions::signal until the child ended
    long long max_rss_bytes = 0;       // the child's peak resident memory
    std::string out;
    std::string err;
};

struct RunOptions {
    std::string input;                        // written to stdin, then closed
    bool keep_stdin_open = false;             // ...or left open (an upstream that is idle) until the child ends
    std::map<std::string, std::string> env;   // added to (or replacing in) the environment
    std::string cwd;                          // empty: the test's own
    int timeout_seconds = 60;                 // the child is killed after this
    // Send this signal once stderr contains `signal_when` (e.g. SIGTERM mid-run).
    int signal = 0;
    std::string signal_when;
};

// KPI_BINARY, or the binary named by $KPI_TEST_BINARY (to show that a regression test
// fails on an older build).
std::string kpi_binary();
// Runs kpi_binary() with `args`.
ProcessResult run_kpi(const std::vector<std::string>& args, const RunOptions& options = {});
ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// A fresh directory under $TMPDIR, removed with its contents when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Writes `content` to `name` inside the directory and returns its path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

std::string read_file(const std::string& path);

}  // namespace kpi::test
