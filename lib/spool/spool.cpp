#include "spool/spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/shutdown.hpp"
#include "core/write_all.hpp"

namespace kpi {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLockName = ".lock";
constexpr std::string_view kTempPrefix = ".tmp-";
constexpr std::string_view kCorruptDir = "corrupt";
constexpr std::string_view kRecordSuffix = ".rec";
constexpr std::size_t kWriteChunk = 1u << 20;

std::string errno_text(int error) { return std::strerror(error); }

std::string record_name(std::uint64_t seq, std::uint32_t gen) {
    char name[64];
    std::snprintf(name, sizeof name, "%016llu-%04u.rec", static_cast<unsigned long long>(seq),
                  static_cast<unsigned>(gen));
    return name;
}

// "<seq>-<gen>.rec" -> {seq, gen}
std::optional<std::pair<std::uint64_t, std::uint32_t>> parse_record_name(std::string_view name) {
    if (name.size() <= kRecordSuffix.size() || !name.ends_with(kRecordSuffix)) return std::nullopt;
    name.remove_suffix(kRecordSuffix.size());
    const auto dash = name.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 == name.size()) return std::nullopt;
    std::uint64_t seq = 0;
    std::uint32_t gen = 0;
    const char* seq_end = name.data() + dash;
    const char* gen_end = name.data() + name.size();
    auto a = std::from_chars(name.data(), seq_end, seq);
    auto b = std::from_chars(seq_end + 1, gen_end, gen);
    if (a.ec != std::errc() || a.ptr != seq_end || b.ec != std::errc() || b.ptr != gen_end) return std::nullopt;
    return std::pair{seq, gen};
}

// Renames without ever replacing `to`. Filesystems without RENAME_NOREPLACE get link(),
// which refuses to replace as well.
int rename_noreplace(const std::string& from, const std::string& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    if (::link(from.c_str(), to.c_str()) != 0) return -1;
    ::unlink(from.c_str());
    return 0;
}


bool fsync_fd(int fd) {
    while (::fsync(fd) != 0) {
        if (errno != EINTR) return false;
    }
    return true;
}

// Up to `limit` bytes of a file (all of it when limit is 0). nullopt with errno on failure.
std::optional<std::string> read_bytes(const std::string& path, std::size_t limit = 0) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string data;
    char buffer[1 << 16];
    while (limit == 0 || data.size() < limit) {
        const std::size_t want = limit == 0 ? sizeof buffer : std::min(sizeof buffer, limit - data.size());
        const ssize_t n = ::read(fd, buffer, want);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            errno = saved;
            return std::nullopt;
        }
        if (n == 0) break;
        data.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return data;
}

std::string hex32(std::uint32_t value) {
    char text[9];
    std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(value));
    return text;
}

}  // namespace

std::string spool_subdir_name(std::string_view sink_name) {
    constexpr std::size_t kMaxLength = 80;
    std::string name;
    for (const char c : sink_name) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '_' || c == '-';
        name.push_back(safe ? c : '_');
    }
    if (name.empty() || name.front() == '.') name.insert(name.begin(), '_');  // no "", ".", "..", hidden
    if (name == sink_name && name.size() <= kMaxLength) return name;
    if (name.size() > kMaxLength) name.resize(kMaxLength);
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(sink_name.data()),
                           static_cast<uInt>(sink_name.size()));
    return name + "-" + hex32(static_cast<std::uint32_t>(crc));
}

std::uint64_t spool_bytes(const std::string& root) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& sink_dir : fs::directory_iterator(root, ec)) {
        if (!sink_dir.is_directory(ec)) continue;
        for (const auto& entry : fs::directory_iterator(sink_dir.path(), ec)) {
            if (!parse_record_name(entry.path().filename().native())) continue;
            const auto size = entry.file_size(ec);
            if (!ec) total += size;
        }
    }
    return total;
}

Spool::Spool(std::string root, std::string_view sink_name, std::uint64_t max_bytes)
    : root_(std::move(root)), sink_name_(sink_name), max_bytes_(max_bytes) {
    dir_ = root_ + "/" + spool_subdir_name(sink_name);
}

bool Spool::exists() const {
    std::error_code ec;
    return fs::is_directory(dir_, ec);
}

void Spool::create_dir() const {
    // The root may be the operator's; the sink's directory is kpi's own, private to its account.
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (!ec && ::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) ec.assign(errno, std::generic_category());
    if (ec) throw RuntimeError("cannot create spool directory " + dir_ + ": " + ec.message());
}

Spool::~Spool() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

bool Spool::lock(std::chrono::milliseconds wait) {
    if (locked()) return true;
    const std::string path = dir_ + "/" + std::string(kLockName);
    if (lock_fd_ < 0) {
        create_dir();
        // Never through a symlink: the lock file is truncated and written.
        lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lock_fd_ < 0) throw RuntimeError("cannot open spool lock " + path + ": " + errno_text(errno));
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) throw RuntimeError("cannot lock " + path + ": " + errno_text(errno));
        if (shutdown_requested() || std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    locked_ = true;
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock_fd_, 0) == 0) {
        [[maybe_unused]] auto written = ::pwrite(lock_fd_, pid.data(), pid.size(), 0);  // for messages only
    }
    return true;
}

std::optional<long> Spool::lock_holder() const {
    auto text = read_bytes(dir_ + "/" + std::string(kLockName), 32);
    if (!text) return std::nullopt;
    long pid = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), pid);
    if (ec != std::errc() || end == text->data() || pid <= 0) return std::nullopt;
    return pid;
}

std::vector<SpoolRecord> Spool::records(std::vector<std::string>* problems) {
    std::map<std::uint64_t, std::vector<SpoolRecord>> by_seq;
    std::error_code list_error;
    for (const auto& entry : fs::directory_iterator(dir_, list_error)) {
        const std::string name = entry.path().filename();
        if (name == kLockName || name == kCorruptDir || name.starts_with(kTempPrefix)) continue;
        const auto parsed = parse_record_name(name);
        if (!parsed) {
            spdlog::warn("spool {}: ignoring {}, which is not a spool record", dir_, name);
            continue;
        }
        std::error_code size_error;
        SpoolRecord record{name, parsed->first, parsed->second, entry.file_size(size_error), 0};
        if (size_error) continue;  // gone since the listing
        by_seq[record.seq].push_back(std::move(record));
    }
    if (list_error) throw RuntimeError("cannot list spool directory " + dir_ + ": " + list_error.message());

    auto damaged = [&](const SpoolRecord& record, const std::string& why) {
        auto message = set_aside(record.name, why);
        if (problems) problems->push_back(std::move(message));
    };

    std::vector<SpoolRecord> result;
    for (auto& [seq, generations] : by_seq) {
        std::sort(generations.begin(), generations.end(),
                  [](const SpoolRecord& a, const SpoolRecord& b) { return a.gen > b.gen; });
        for (std::size_t i = 0; i < generations.size(); ++i) {
            SpoolRecord& record = generations[i];
            const std::string path = dir_ + "/" + record.name;
            const bool superseding = i + 1 < generations.size();
            // The newest generation replaces older ones only when it is whole, so check all of it.
            auto bytes = read_bytes(path, superseding ? 0 : kMaxRecordHeaderBytes);
            if (!bytes) {
                const std::string message = "spool " + dir_ + ": cannot read " + record.name + ": " + errno_text(errno);
                spdlog::error("{}", message);
                if (problems) problems->push_back(message);
                continue;
            }
            std::string why;
            if (superseding) {
                auto decoded = decode_record(*bytes);
                why = decoded.error;
                record.points = decoded.points.size();
            } else if (auto header = parse_record_header(*bytes, &why)) {
                record.points = header->points;
                const std::uint64_t expected = header->header_bytes + header->payload_bytes;
                if (record.bytes != expected) {
                    why = std::string(record.bytes < expected ? "truncated: " : "trailing bytes: ") +
                          std::to_string(record.bytes) + " bytes, header says " + std::to_string(expected);
                }
            }
            if (!why.empty()) {
                damaged(record, why);
                continue;
            }
            for (std::size_t j = i + 1; j < generations.size(); ++j) {
                spdlog::info("spool {}: {} was superseded by {} before a crash; removing it", dir_,
                             generations[j].name, record.name);
                try {
                    remove(generations[j]);
                } catch (const RuntimeError& e) {
                    spdlog::warn("{}", e.what());  // only the newer one is sent; the next run tries again
                }
            }
            result.push_back(record);
            break;
        }
    }
    return result;
}

DecodedRecord Spool::load(const SpoolRecord& record, std::vector<std::string>* problems) {
    const std::string path = dir_ + "/" + record.name;
    auto bytes = read_bytes(path);
    if (!bytes) {
        DecodedRecord failed;
        failed.error = "spool " + dir_ + ": cannot read " + record.name + ": " + errno_text(errno);
        spdlog::error("{}", failed.error);
        if (problems) problems->push_back(failed.error);
        return failed;
    }
    auto decoded = decode_record(*bytes);
    if (!decoded.ok()) {
        auto message = set_aside(record.name, decoded.error);
        if (problems) problems->push_back(std::move(message));
    }
    return decoded;
}

SpoolRecord Spool::append(const std::vector<Point>& points) {
    return write_record(encode_record(points), points.size(), next_seq(), 0, true, 0);
}

SpoolRecord Spool::replace(const SpoolRecord& record, const std::vector<Point>& remainder) {
    SpoolRecord written = write_record(encode_record(remainder), remainder.size(), record.seq, record.gen + 1,
                                       false, record.bytes);
    remove(record);
    return written;
}

void Spool::remove(const SpoolRecord& record) {
    const std::string path = dir_ + "/" + record.name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throw RuntimeError("cannot remove spool record " + path + ": " + errno_text(errno));
    }
    sync_dir(dir_);
}

std::string Spool::set_aside(const std::string& name, const std::string& why) {
    const std::string corrupt = dir_ + "/" + std::string(kCorruptDir);
    const std::string from = dir_ + "/" + name;
    if (::mkdir(corrupt.c_str(), 0700) != 0 && errno != EEXIST) {
        const std::string message = "spool " + dir_ + ": " + name + " is damaged (" + why +
                                    "), and cannot be moved aside: " + corrupt + ": " + errno_text(errno);
        spdlog::error("{}", message);
        return message;
    }
    std::string to = corrupt + "/" + name;
    for (int n = 1; rename_noreplace(from, to) != 0; ++n) {
        if (errno != EEXIST || n > 1000) {
            const std::string message = "spool " + dir_ + ": " + name + " is damaged (" + why +
                                        "), and cannot be moved aside: " + errno_text(errno);
            spdlog::error("{}", message);
            return message;
        }
        to = corrupt + "/" + name + "." + std::to_string(n);  // an earlier file of that name is kept
    }
    sync_dir(corrupt);
    sync_dir(dir_);
    const std::string message = "spool " + dir_ + ": " + name + " is damaged (" + why + "); moved to " + to;
    spdlog::error("{}", message);
    return message;
}

std::size_t Spool::remove_stale_temp_files(std::chrono::seconds age) {
    std::size_t removed = 0;
    std::error_code ec;
    const auto cutoff = fs::file_time_type::clock::now() - age;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string name = entry.path().filename();
        if (!name.starts_with(kTempPrefix)) continue;
        std::error_code time_ec;
        const auto modified = entry.last_write_time(time_ec);
        if (time_ec || modified > cutoff) continue;  // may still be written
        if (::unlink(entry.path().c_str()) == 0) {
            spdlog::info("spool {}: removed {}, left by a writer that did not finish", dir_, name);
            ++removed;
        }
    }
    return removed;
}

SpoolRecord Spool::write_record(const std::string& bytes, std::size_t points, std::uint64_t seq, std::uint32_t gen,
                                bool bump_seq_on_clash, std::uint64_t freed_bytes) {
    const std::uint64_t held = spool_bytes(root_);
    const std::uint64_t after = held - std::min(held, freed_bytes) + bytes.size();
    if (after > max_bytes_) {
        throw SpoolFullError("spool " + root_ + " is full: max_bytes is " + std::to_string(max_bytes_) +
                             ", it holds " + std::to_string(held) + " bytes, and a record of " +
                             std::to_string(points) + " points (" + std::to_string(bytes.size()) +
                             " bytes) for sink '" + sink_name_ + "' does not fit");
    }

    create_dir();
    // mkstemp picks a name no one has (O_EXCL, retrying a clash itself), so a file left by a
    // killed writer, or one of another process with the same pid (PID 1 in every container),
    // is never opened, and the failure path below removes only the file made here. Records
    // are 0600, readable by the account that runs kpi only.
    std::string temp = dir_ + "/" + std::string(kTempPrefix) + "XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        throw RuntimeError("cannot write spool record in " + dir_ + ": create a temp file: " + errno_text(errno));
    }
    // Says why (before close() can change errno) and removes the temp file made above.
    bool open = true;
    auto fail = [&](const std::string& what) -> RuntimeError {
        const std::string message = "cannot write spool record in " + dir_ + ": " + what + ": " + errno_text(errno);
        if (open) ::close(fd);
        ::unlink(temp.c_str());
        return RuntimeError(message);
    };
    for (std::size_t done = 0; done < bytes.size();) {
        const std::size_t n = std::min(kWriteChunk, bytes.size() - done);
        if (!write_all(fd, std::string_view(bytes.data() + done, n))) throw fail("write");
        done += n;
        if (write_observer_) write_observer_(done, bytes.size());
    }
    if (!fsync_fd(fd)) throw fail("fsync");
    open = false;
    if (::close(fd) != 0) throw fail("close");

    std::string name = record_name(seq, gen);
    while (rename_noreplace(temp, dir_ + "/" + name) != 0) {
        if (errno != EEXIST || !bump_seq_on_clash) throw fail("rename to " + name);
        name = record_name(++seq, gen);  // another writer took that seq: the next one is as good
    }
    sync_dir(dir_);
    return SpoolRecord{name, seq, gen, bytes.size(), points};
}

std::uint64_t Spool::next_seq() const {
    std::uint64_t last = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (auto parsed = parse_record_name(entry.path().filename().native())) last = std::max(last, parsed->first);
    }
    return last + 1;
}

void Spool::sync_dir(const std::string& path) const {
    // Makes a rename or unlink durable; a failure here is worth a warning, not a lost point.
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || !fsync_fd(fd)) spdlog::warn("spool: cannot fsync directory {}: {}", path, errno_text(errno));
    if (fd >= 0) ::close(fd);
}

}  // namespace kpi
