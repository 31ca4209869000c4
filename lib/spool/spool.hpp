#pragma once
// One sink's spool: records of points that wait for the sink to take them (DESIGN §8).
//
// Layout under the spool root (`[spool] dir`, `--spool-dir`):
//
//     <sink>/                   the sink's config name, sanitised (see spool_subdir_name)
//         .lock                 flock'ed by the run that replays this spool; holds its pid
//         <seq>-<gen>.rec       records (see spool_record.hpp), sent in seq order
//         .tmp-XXXXXX           a record being written (mkstemp): never read, removed when old
//         corrupt/              damaged records, set aside for an operator, never deleted
//
// The directories kpi makes are 0700 and its files 0600, and the lock file is never opened
// through a symlink: the spool belongs to the account that runs kpi (SECURITY.md).
//
// A record file is written once and never modified: temp file in the same directory,
// write, fsync, rename without replacing, fsync of the directory. So a reader sees a record
// whole or not at all, and a writer killed at any moment leaves at most a temp file.
//
// When a replayed record is only partly taken, the rest is written as the record's next
// generation (same seq, gen + 1) before the old one is removed; if a crash comes between
// the two, the next run finds both, checks the newer one and drops the older one.
//
// Only the lock holder reads, rewrites or removes records. Appending needs no lock: names
// are never reused (rename refuses to replace), so a run that could not get the lock can
// still spool what its sink did not take.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/point.hpp"
#include "spool/spool_record.hpp"

namespace kpi {

// The spool cannot hold a record without going over its max_bytes.
class SpoolFullError : public RuntimeError {
public:
    using RuntimeError::RuntimeError;
};

struct SpoolRecord {
    std::string name;         // file name inside the sink's directory
    std::uint64_t seq = 0;    // order of arrival
    std::uint32_t gen = 0;    // rewrites of the same record after partial delivery
    std::uint64_t bytes = 0;  // file size
    std::size_t points = 0;   // from the header
};

// A sink name as a directory name: [A-Za-z0-9._-] kept, anything else `_`; a name that had
// to change gets a checksum suffix, so that two different names never share a spool.
std::string spool_subdir_name(std::string_view sink_name);

// Bytes held in records under `root`, all sinks together (corrupt/ and temp files excluded).
std::uint64_t spool_bytes(const std::string& root);

class Spool {
public:
    // Touches nothing on disk: the directory is made on the first lock() or append(), so a
    // sink that never fails leaves no trace (and needs no writable state directory).
    Spool(std::string root, std::string_view sink_name, std::uint64_t max_bytes);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    const std::string& root() const { return root_; }
    const std::string& dir() const { return dir_; }
    const std::string& sink_name() const { return sink_name_; }
    // Whether the sink's directory is there; when it is not, nothing waits in it.
    bool exists() const;

    // Takes the spool's lock, waiting at most `wait` (and not at all once shutdown is
    // requested). The lock is held until the Spool goes away. Creates the directory;
    // throws RuntimeError naming the path when it cannot.
    bool lock(std::chrono::milliseconds wait);
    bool locked() const { return lock_fd_ >= 0 && locked_; }
    // The pid the lock holder wrote into the lock file, for messages.
    std::optional<long> lock_holder() const;

    // Lock holder only. Records, oldest first. Damaged ones are set aside, each reported
    // (logged and appended to `problems`); generations superseded after a crash are removed.
    std::vector<SpoolRecord> records(std::vector<std::string>* problems);

    // Lock holder only. Reads and checks a record; a damaged one is set aside and reported,
    // and the result carries why.
    DecodedRecord load(const SpoolRecord& record, std::vector<std::string>* problems);

    // Writes `points` as one new record after all others, creating the directory if need
    // be. Safe without the lock.
    // Throws SpoolFullError over max_bytes, RuntimeError on I/O failures; nothing is left behind.
    SpoolRecord append(const std::vector<Point>& points);

    // Lock holder only. Writes `remainder` as the record's next generation, durably, and
    // then removes the record. Throws like append; the old record then stays as it is.
    SpoolRecord replace(const SpoolRecord& record, const std::vector<Point>& remainder);

    // Lock holder only. Removes a record whose points the sink acknowledged.
    void remove(const SpoolRecord& record);

    // Moves a damaged file to corrupt/ (never over an earlier one) and logs why, naming the
    // file and where it went. Returns that message.
    std::string set_aside(const std::string& name, const std::string& why);

    // Lock holder only. Removes temp files older than `age` (left by killed writers).
    std::size_t remove_stale_temp_files(std::chrono::seconds age);

    // Tests: called after each chunk of a record is written to its temp file, with the
    // bytes written so far and the total, so a test can stop a writer half way.
    void set_write_observer(std::function<void(std::uint64_t, std::uint64_t)> observer) {
        write_observer_ = std::move(observer);
    }

private:
    SpoolRecord write_record(const std::string& bytes, std::size_t points, std::uint64_t seq, std::uint32_t gen,
                             bool bump_seq_on_clash, std::uint64_t freed_bytes);
    std::uint64_t next_seq() const;
    void create_dir() const;
    void sync_dir(const std::string& path) const;

    std::string root_;
    std::string dir_;
    std::string sink_name_;
    std::uint64_t max_bytes_;
    int lock_fd_ = -1;
    bool locked_ = false;
    std::function<void(std::uint64_t, std::uint64_t)> write_observer_;
};

}  // namespace kpi
