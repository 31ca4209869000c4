#include "sinks/file/file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "core/ndjson.hpp"
#include "core/write_all.hpp"

namespace kpi {
namespace {

struct FileSettings {
    std::string path;
};

const SettingsSchema<FileSettings>& file_schema() {
    static const auto schema = SettingsSchema<FileSettings>{}.add(
        &FileSettings::path, {.name = "path", .help = "the file to append to", .placeholder = "FILE", .required = true});
    return schema;
}

// A reader of the file never finds half a point once an append is over:
// - appends are serialised (flock) between kpi processes;
// - a batch is written whole or not at all: a write or fsync that fails part way is undone
//   (the file is cut back to its size before the batch), so the batch, which goes to the
//   spool, is not in the file twice after the next run;
// - an unfinished last line left by a writer that was killed is cut off before the next
//   append (repaired, and logged): it is no point, and its batch was never acknowledged.
class FileSink : public Sink {
public:
    explicit FileSink(std::string path) : path_(std::move(path)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        std::string out;
        for (const auto& p : points) append_ndjson(out, p);
        const int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return failed(points, "cannot open " + path_ + ": " + std::strerror(errno));
        std::string error = append(fd, out);
        ::close(fd);  // releases the lock
        return error.empty() ? DeliveryResult{} : failed(points, error);
    }

private:
    // Returns why the append failed, or "" when the batch is in the file and on disk.
    std::string append(int fd, const std::string& out) const {
        while (::flock(fd, LOCK_EX) != 0) {
            if (errno != EINTR) return "cannot lock " + path_ + ": " + std::strerror(errno);
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0) return "cannot stat " + path_ + ": " + std::strerror(errno);
        off_t size = st.st_size;
        if (std::string error = repair_torn_tail(fd, size); !error.empty()) return error;

        if (!write_all(fd, out)) return undo(fd, size, "cannot write " + path_ + ": " + std::strerror(errno));
        if (::fsync(fd) != 0) return undo(fd, size, "cannot sync " + path_ + ": " + std::strerror(errno));
        return {};
    }

    // Cuts the file back to `size`, its length before the batch, and says what happened.
    std::string undo(int fd, off_t size, std::string why) const {
        if (::ftruncate(fd, size) != 0 || ::fsync(fd) != 0) {
            return why + "; and cannot cut the unfinished batch off again: " + std::strerror(errno) +
                   " (the file may end in a partial line, removed on the next append)";
        }
        return why + "; nothing of the batch is left in the file";
    }

    // A file that does not end in a newline holds the start of a batch whose writer died.
    // `size` becomes the length up to its last newline, to which the file is cut.
    std::string repair_torn_tail(int fd, off_t& size) const {
        char last = '\n';
        if (size == 0) return {};
        if (::pread(fd, &last, 1, size - 1) != 1) return "cannot read " + path_ + ": " + std::strerror(errno);
        if (last == '\n') return {};
        off_t end = size;  // the last newline is before `end`
        char block[1 << 16];
        off_t keep = 0;
        while (end > 0 && keep == 0) {
            const off_t from = end > static_cast<off_t>(sizeof block) ? end - static_cast<off_t>(sizeof block) : 0;
            const ssize_t n = ::pread(fd, block, static_cast<std::size_t>(end - from), from);
            if (n != end - from) return "cannot read " + path_ + ": " + std::strerror(errno);
            for (ssize_t i = n - 1; i >= 0; --i) {
                if (block[i] == '\n') {
                    keep = from + i + 1;
                    break;
                }
            }
            end = from;
        }
        if (::ftruncate(fd, keep) != 0) return "cannot remove the unfinished last line of " + path_ + ": " +
                                               std::strerror(errno);
        spdlog::warn("file {}: removed an unfinished last line of {} bytes, left by a write that did not complete",
                     path_, size - keep);
        size = keep;
        return {};
    }

    static DeliveryResult failed(const std::vector<Point>& points, std::string why) {
        DeliveryResult r;
        r.undelivered = points;
        r.errors.push_back(std::move(why));
        return r;
    }

    std::string path_;
};

}  // namespace

SinkInfo file_sink() {
    return SinkInfo{
        .type = "file",
        .summary = "append points as NDJSON to a file",
        .description = "Appends one JSON object per line to --path, creating the file when it is missing, and "
                       "syncs it to disk before reporting success. A batch is written whole or not at all: a "
                       "write that fails part way is cut off again, and an unfinished last line left by a killed "
                       "writer is removed (with a warning) before the next append, so a reader never finds half "
                       "a point.",
        .options = file_schema().specs(),
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish file --path kpi.ndjson",
        .make = make_sink(file_schema(),
                          [](FileSettings settings, const SinkConfig&, SinkContext&) -> std::unique_ptr<Sink> {
                              return std::make_unique<FileSink>(std::move(settings.path));
                          }),
    };
}

}  // namespace kpi
