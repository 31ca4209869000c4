#include "sinks/textfile.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "field_help.hpp"
#include "formats/prometheus_text.hpp"

namespace kpi {
namespace {

std::string os_error(const std::string& what, const std::string& path, int error) {
    return what + " " + path + ": " + std::strerror(error);
}

bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Removes the temporary file on every way out but a successful rename.
class TemporaryFile {
public:
    explicit TemporaryFile(std::string path_template) : path_(std::move(path_template)) {
        fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
        exists_ = fd_ >= 0;
    }
    ~TemporaryFile() {
        close();
        if (exists_) ::unlink(path_.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    bool opened() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    // -1 with errno on failure; the descriptor is gone either way.
    int close() {
        if (fd_ < 0) return 0;
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    // It has become the target: nothing to remove any more.
    void renamed() { exists_ = false; }

private:
    std::string path_;
    int fd_ = -1;
    bool exists_ = false;
};

class TextfileSink final : public Sink {
public:
    TextfileSink(std::string name, std::string path) : name_(std::move(name)), path_(std::move(path)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        PrometheusExposition batch(field_help);
        for (const auto& point : points) batch.add(point);
        std::vector<std::string> notes;
        batch.take_notes(&notes);
        for (const auto& note : notes) spdlog::warn("sink {}: {}", name_, note);

        DeliveryResult result;
        if (batch.empty()) return result;
        // The file holds the whole run: every batch is written with the ones before it.
        PrometheusExposition file = written_;
        file.merge(batch);
        if (auto error = write_file_atomically(path_, to_prometheus_text(file.families()))) {
            result.undelivered = points;
            result.errors.push_back(std::move(*error));
            return result;
        }
        written_ = std::move(file);
        return result;
    }

private:
    std::string name_;
    std::string path_;
    PrometheusExposition written_;
};

std::unique_ptr<Sink> make_textfile(const SinkConfig& config, SinkContext&) {
    return std::make_unique<TextfileSink>(config.name, config.options.get_or("path", ""));
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view content) {
    const auto slash = path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty()) return "cannot write " + path + ": the path names a directory";

    // Hidden and without the .prom ending, so the textfile collector never reads it half-written.
    TemporaryFile temporary(directory + "/." + name + ".tmp-XXXXXX");
    if (!temporary.opened()) return os_error("cannot create a temporary file in", directory, errno);

    // A file that already exists keeps its permissions; a new one is readable by the exporter.
    struct stat existing {};
    const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644;
    if (!write_all(temporary.fd(), content)) return os_error("cannot write", temporary.path(), errno);
    if (::fchmod(temporary.fd(), mode) != 0) return os_error("cannot set the mode of", temporary.path(), errno);
    if (::fsync(temporary.fd()) != 0) return os_error("cannot sync", temporary.path(), errno);
    if (temporary.close() != 0) return os_error("cannot close", temporary.path(), errno);
    if (::rename(temporary.path().c_str(), path.c_str()) != 0) return os_error("cannot replace", path, errno);
    temporary.renamed();

    // The rename itself is only durable once the directory is synced.
    const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return os_error("cannot open directory", directory, errno);
    const int synced = ::fsync(dir_fd);
    const int sync_error = errno;
    ::close(dir_fd);
    if (synced != 0) return os_error("cannot sync directory", directory, sync_error);
    return std::nullopt;
}

SinkInfo textfile_sink() {
    return SinkInfo{
        .type = "textfile",
        .summary = "write a .prom file for node_exporter's textfile collector",
        .description =
            "Writes the points in the Prometheus text format to --path, for node_exporter's textfile collector "
            "(--collector.textfile.directory). The names, labels and values are those of the pushgateway sink: "
            "each numeric field is a gauge <measurement>_<field> with the tags as labels (uptime_ratio_1d, "
            "records for the field total of records), with a HELP line, booleans are 1 and 0, "
            "string fields are left out with a warning, and samples carry no timestamp.\n\n"
            "The file is replaced atomically: the text goes to a hidden temporary file in the same directory, "
            "which is synced and renamed over --path, so the collector never reads half a file; on any error "
            "the temporary file is removed and the old file stays. Each run replaces the file with its own "
            "points (all batches of the run together); a run without any numeric value leaves the file as it "
            "was. A new file is created with mode 0644, an existing "
            "one keeps its mode.",
        .options =
            {
                {.name = "path",
                 .kind = OptionKind::String,
                 .help = "the file to write; end it in .prom for the textfile collector",
                 .placeholder = "FILE",
                 .required = true},
            },
        .example = "kpi collect records --url https://zenodo.org/api/records --tag service=zenodo | "
                   "kpi publish textfile --path /var/lib/prometheus/node-exporter/kpi.prom",
        .wire_format = &prometheus_text_format(),
        .make = make_textfile,
    };
}

}  // namespace kpi
