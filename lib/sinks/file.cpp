#include "sinks/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/ndjson.hpp"

namespace kpi {
namespace {

class FileSink : public Sink {
public:
    explicit FileSink(std::string path) : path_(std::move(path)) {}

    DeliveryResult deliver(const std::vector<Point>& points) override {
        DeliveryResult result;
        std::string out;
        for (const auto& p : points) append_ndjson(out, p);
        // One write with O_APPEND keeps concurrent writers' lines whole.
        int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return failed(points, "cannot open " + path_ + ": " + std::strerror(errno));
        std::size_t written = 0;
        while (written < out.size()) {
            ssize_t n = ::write(fd, out.data() + written, out.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                std::string why = std::strerror(errno);
                ::close(fd);
                return failed(points, "cannot write " + path_ + ": " + why);
            }
            written += static_cast<std::size_t>(n);
        }
        if (::fsync(fd) != 0) {
            std::string why = std::strerror(errno);
            ::close(fd);
            return failed(points, "cannot sync " + path_ + ": " + why);
        }
        ::close(fd);
        return result;
    }

private:
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
                       "syncs it to disk before reporting success.",
        .options = {{.name = "path", .kind = OptionKind::String, .help = "the file to append to", .placeholder = "FILE",
                     .required = true}},
        .example = "kpi collect records --url https://zenodo.org/api/records | kpi publish file --path kpi.ndjson",
        .make = [](const SinkConfig& c, SinkContext&) -> std::unique_ptr<Sink> {
            return std::make_unique<FileSink>(*c.options.get("path"));
        },
    };
}

}  // namespace kpi
