#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/write_all.hpp"

namespace kpi {
namespace {

std::string os_error(const std::string& what, const std::string& path, int error) {
    return what + " " + path + ": " + std::strerror(error);
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

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, std::string_view content) {
    const auto slash = path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (name.empty()) return "cannot write " + path + ": the path names a directory";

    // Hidden and without the file's ending, so that a collector reading `*.prom` never
    // reads it half-written.
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

}  // namespace kpi
